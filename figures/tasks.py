"""Thin Celery tasks: the monthly e-mail, the large exports and their cleanup."""

from celery import shared_task

from figures import services


@shared_task
def send_monthly_figures() -> bool:
    """Run daily by beat; sends on the first run of each month only (the month's log row)."""
    return services.send_monthly_figures() is not None


@shared_task(acks_late=True)
def run_export(job_id: str) -> None:
    services.run_export(job_id)


@shared_task
def resume_exports() -> int:
    return services.resume_exports()


@shared_task
def delete_expired_exports() -> int:
    return services.delete_expired_exports()
