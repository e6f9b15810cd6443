from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        from cases import models
        from welcome_center import audit

        # Cases, referrals, follow-ups and documents carry personal data: changes are audited.
        audit.register(models.Case, exclude=["last_activity_at"])
        for model in (
            models.Referral,
            models.ReferralMessage,
            models.FollowUp,
            models.Document,
            models.AcceleratedProcedure,
        ):
            audit.register(model, exclude=["last_activity_at"])
