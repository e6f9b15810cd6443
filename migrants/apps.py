from django.apps import AppConfig


class MigrantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "migrants"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from migrants import models

        # Personal data: every change is kept with who, when, old and new value.
        # The reverse one-to-one of the exit questionnaire is not a field of the newcomer
        # (auditlog would read it, one query per save).
        auditlog.register(models.Newcomer, exclude_fields=["updated_at", "exit_questionnaire"])
        for model in (
            models.HouseholdMember,
            models.LanguageSkill,
            models.Qualification,
            models.ResidencePermit,
            models.ConsentRecord,
            models.ArrivalChecklistEntry,
        ):
            auditlog.register(model)
