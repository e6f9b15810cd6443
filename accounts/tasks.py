"""Sending the outbox. Tasks take ids and stay thin; the work is in accounts.services."""

from celery import shared_task

from accounts import services


@shared_task(acks_late=True)
def send_email(email_id: int) -> None:
    services.deliver_email(email_id)


@shared_task(acks_late=True)
def send_emails(email_ids: list[int]) -> None:
    """The e-mails of one transaction (an intake's confirmation and notices). Each row is
    claimed on its own, so one that fails or was sent by the sweep does not stop the rest."""
    for email_id in email_ids:
        services.deliver_email(email_id)


@shared_task
def send_pending_emails() -> int:
    """The sweep: sends whatever is due, e.g. after the broker or the mail server was down."""
    return services.deliver_pending_emails()
