from django.apps import AppConfig


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"

    def ready(self) -> None:
        from partners import models
        from welcome_center import audit

        # Contact persons are personal data, and who changed a partner's address, categories
        # or default contact matters when a referral went astray: every change is kept.
        for model in (models.Partner, models.PartnerService, models.PartnerContact):
            audit.register(model)
