from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cases import models

        # Cases, referrals, follow-ups and documents carry personal data: changes are audited.
        for model in (
            models.Case,
            models.Referral,
            models.ReferralMessage,
            models.FollowUp,
            models.Document,
            models.AcceleratedProcedure,
        ):
            auditlog.register(model, exclude_fields=["last_activity_at"])
