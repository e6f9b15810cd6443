from django.urls import path

from partners import views

urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_add, name="partner_add"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/active/", views.partner_set_active, name="partner_set_active"),
    path("partners/<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path(
        "partners/<int:pk>/contacts/<int:contact_pk>/edit/",
        views.contact_edit,
        name="contact_edit",
    ),
    path(
        "partners/<int:pk>/contacts/<int:contact_pk>/primary/",
        views.contact_set_primary,
        name="contact_set_primary",
    ),
    path(
        "partners/<int:pk>/contacts/<int:contact_pk>/invite/",
        views.contact_invite,
        name="contact_invite",
    ),
]
