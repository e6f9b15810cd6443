"""The daily reminder sweep, run by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from reminders import services


@shared_task(acks_late=True)
def send_reminders() -> int:
    """acks_late: a worker that dies mid-sweep leaves the message to be redelivered; the
    sweep's transaction rolled back, so the rerun inserts and sends what the first could not,
    and never what it did (see reminders.services)."""
    return services.send_reminders().items
