from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    """Figures for the head and the funder: statistics, the ESF+ indicator report, exports
    and the monthly e-mail."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "figures"
    verbose_name = _("Figures")

    def ready(self) -> None:
        from figures import models
        from welcome_center import audit

        # The exit questionnaire is personal data of the newcomer: every change is kept.
        audit.register(models.ExitQuestionnaire)
