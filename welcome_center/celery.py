"""The Celery app, by the Celery docs' Django recipe: settings under the CELERY_ namespace,
tasks discovered in each app's tasks.py, the beat schedule in settings.CELERY_BEAT_SCHEDULE."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welcome_center.settings")

app = Celery("welcome_center")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
