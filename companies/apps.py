from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "companies"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from companies import models

        # An introduction shares a newcomer's profile with a company: every step is audited.
        # Service requests are the company's own data, audited as the center's records.
        auditlog.register(models.Introduction)
        auditlog.register(models.ServiceRequest)
        # Registration, its approval or rejection, contacts and needs: who changed what, when.
        auditlog.register(models.Company)
        auditlog.register(models.CompanyContact)
        auditlog.register(models.SkilledWorkerNeed)
