from django.apps import AppConfig


class MigrantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "migrants"

    def ready(self) -> None:
        from migrants import models
        from welcome_center import audit

        # Personal data: every change is kept with who, when, old and new value.
        audit.register(models.Newcomer, exclude=["updated_at"])
        for model in (
            models.HouseholdMember,
            models.LanguageSkill,
            models.Qualification,
            models.ResidencePermit,
            models.ConsentRecord,
            models.ArrivalChecklistEntry,
        ):
            audit.register(model)
