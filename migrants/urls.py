from django.urls import path

from migrants import views

urlpatterns = [
    path("intake/", views.intake, name="intake"),
    path("intake/done/", views.intake_done, name="intake_done"),
    path("triage/", views.triage, name="triage"),
    path("triage/<int:pk>/claim/", views.triage_claim, name="triage_claim"),
    path("triage/<int:pk>/duplicate/", views.duplicate_compare, name="duplicate_compare"),
    path("triage/<int:pk>/duplicate/merge/", views.duplicate_merge, name="duplicate_merge"),
    path("triage/<int:pk>/duplicate/dismiss/", views.duplicate_dismiss, name="duplicate_dismiss"),
]
