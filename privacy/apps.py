from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Data protection: the audit trail's search, the newcomers' rights (access, erasure),
    retention and the record of processing activities."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from privacy import guards

        guards.connect()
