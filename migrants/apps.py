from django.apps import AppConfig


class MigrantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "migrants"
