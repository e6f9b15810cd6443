from django.apps import AppConfig


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from partners import models

        # Contact persons are personal data, and who changed a partner's address, categories
        # or default contact matters when a referral went astray: every change is kept.
        for model in (models.Partner, models.PartnerService, models.PartnerContact):
            auditlog.register(model)
