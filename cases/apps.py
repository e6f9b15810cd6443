from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cases import models

        # Cases, referrals, follow-ups and documents carry personal data: changes are audited.
        # The reverse one-to-one of the § 81a procedure is not a field of the case (auditlog
        # would read it, one query per case, on every save).
        auditlog.register(models.Case, exclude_fields=["last_activity_at", "procedure_81a"])
        for model in (
            models.Referral,
            models.ReferralMessage,
            models.FollowUp,
            models.Document,
            models.AcceleratedProcedure,
        ):
            auditlog.register(model, exclude_fields=["last_activity_at"])
