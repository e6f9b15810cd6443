from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "companies"

    def ready(self) -> None:
        from companies import models
        from welcome_center import audit

        # An introduction shares a newcomer's profile with a company: every step is audited.
        # Service requests are the company's own data, audited as the center's records.
        audit.register(models.Introduction)
        audit.register(models.ServiceRequest)
        # Registration, its approval or rejection, contacts and needs: who changed what, when.
        audit.register(models.Company)
        audit.register(models.CompanyContact)
        audit.register(models.SkilledWorkerNeed)
