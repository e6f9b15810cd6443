from django.apps import AppConfig


class MigrantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "migrants"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from migrants import models

        # Personal data: every change is kept with who, when, old and new value.
        auditlog.register(models.Newcomer, exclude_fields=["updated_at"])
        for model in (
            models.HouseholdMember,
            models.LanguageSkill,
            models.Qualification,
            models.ResidencePermit,
            models.ConsentRecord,
            models.ArrivalChecklistEntry,
        ):
            auditlog.register(model)
