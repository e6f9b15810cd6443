"""Sending the outbox. The task stays thin; the work is in accounts.services."""

from celery import shared_task

from accounts import services


@shared_task
def send_pending_emails() -> int:
    """The sweep: sends whatever is due. Woken after each commit that queues mail (at most once
    a second, welcome_center.emails.wake_sender) and run by beat every minute, which catches
    what waited for a broker or a mail server that was down. Each row is claimed on its own,
    so two sweeps at once never send one twice."""
    return services.deliver_pending_emails()
