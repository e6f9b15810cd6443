"""Delivering the outbox, exactly once per row even when a worker and the sweep race."""

from __future__ import annotations

import logging
from datetime import timedelta

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail, User
from welcome_center import emails

logger = logging.getLogger(__name__)

# While one attempt is under way the row is hidden from other senders for this long; a worker
# that dies mid-send so leaves the row to be retried, not lost.
CLAIM_LEASE = timedelta(minutes=5)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 24 * 60))


def deliver_email(email_id: int) -> bool:
    """Claim the row with a conditional UPDATE and send it. Returns True if this call sent it."""
    now = timezone.now()
    claimed = (
        OutgoingEmail.objects.due()
        .filter(pk=email_id)
        .update(next_attempt_at=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.body_text, to=[email.to])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as error:  # any transport failure: SMTP, DNS, timeouts
        logger.warning("Sending e-mail %s failed: %s", email_id, error)
        gave_up = email.attempts >= OutgoingEmail.MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=email_id).update(
            last_error=str(error)[:500],
            next_attempt_at=timezone.now() + _backoff(email.attempts),
            failed_at=timezone.now() if gave_up else None,
        )
        return False
    OutgoingEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), last_error="")
    return True


def deliver_pending_emails(limit: int = 500) -> int:
    ids = list(
        OutgoingEmail.objects.due().order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
    return sum(deliver_email(pk) for pk in ids)


def reset_mfa(user: User, *, by: User) -> int:
    """Remove all of the user's authenticators (app and recovery codes). Returns how many."""
    with transaction.atomic():
        count, _ = Authenticator.objects.filter(user=user).delete()
        LogEntry.objects.log_create(
            user,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes={"two_factor_login": ["on" if count else "off", "reset"]},
            actor=by,
        )
        emails.mfa_reset(user, by=by)
    return count


def invitation_url(user: User) -> str:
    """allauth's set-password link (its password-reset key), valid for
    PASSWORD_RESET_TIMEOUT and only until the password is set: the token hashes the password
    and the last login."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path
