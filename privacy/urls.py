from django.urls import path

from privacy import views

urlpatterns = [
    path("privacy/audit/", views.audit_trail, name="audit_trail"),
    path("privacy/audit/export.csv", views.audit_trail_csv, name="audit_trail_csv"),
    path("privacy/retention/", views.retention, name="retention"),
    path("privacy/register/", views.processing_register, name="processing_register"),
    path("newcomers/<int:pk>/export/", views.newcomer_export, name="newcomer_export"),
    path("newcomers/<int:pk>/erase/", views.newcomer_erase, name="newcomer_erase"),
    path(
        "newcomers/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
