from django.urls import path

from companies import views

urlpatterns = [
    # Public: the page after the sign-up form (allauth's /accounts/signup/).
    path("register/sent/", views.registration_sent, name="company_registration_sent"),
    # A company user's own pages.
    path("company/needs/new/", views.need_add, name="need_add"),
    path("company/services/new/", views.service_request_add, name="service_request_add"),
    path("company/colleagues/invite/", views.colleague_invite, name="colleague_invite"),
    # Company users (their own) and center staff (all).
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/status/", views.need_status, name="need_status"),
    path("services/<int:pk>/", views.service_request_detail, name="service_request_detail"),
    path("occupations/", views.occupation_search, name="occupation_search"),
    # Center staff.
    path(
        "services/<int:pk>/update/",
        views.service_request_update,
        name="service_request_update",
    ),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("companies/<int:pk>/decision/", views.company_decide, name="company_decide"),
    path("companies/<int:pk>/note/", views.company_note, name="company_note"),
    path("companies/<int:pk>/needs/new/", views.company_need_add, name="company_need_add"),
]
