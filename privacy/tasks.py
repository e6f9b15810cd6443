"""The retention job: Celery beat runs it every night (welcome_center/settings.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from accounts.models import OutgoingEmail
from privacy import services

logger = logging.getLogger(__name__)

# Sent mail is only kept long enough to answer "did it go out?".
OUTBOX_KEEP_DAYS = 90


@shared_task
def apply_retention() -> int:
    """Anonymise every newcomer whose retention period has run out; delete old sent mail.
    Safe to run twice: an anonymised newcomer is never due again."""
    count = services.apply_retention()
    cutoff = timezone.now() - timedelta(days=OUTBOX_KEEP_DAYS)
    deleted, _ = (
        OutgoingEmail.objects.filter(created_at__lt=cutoff)
        .exclude(sent_at__isnull=True, failed_at__isnull=True)
        .delete()
    )
    logger.info("Retention: %d newcomers anonymised, %d old e-mails deleted.", count, deleted)
    return count
