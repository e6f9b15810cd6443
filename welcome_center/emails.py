"""Every e-mail the portal sends, in one place.

Each function renders `templates/emails/<name>-subject.txt`, `-body.txt` and `-body.html` in the
recipient's language into an outbox row (accounts.OutgoingEmail). `queue_all()` stores the rows
inside the caller's transaction, in one INSERT, and asks Celery to send each once that
transaction commits. If the broker is down at that moment the rows wait for the periodic sweep
(accounts.tasks.send_pending_emails), so an outage delays mail but never loses it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import OutgoingEmail

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case
    from figures.reports import Statistics
    from migrants.models import Newcomer
    from partners.models import PartnerContact

logger = logging.getLogger(__name__)


def render(name: str, *, to: str, language: str, context: dict[str, Any]) -> OutgoingEmail:
    """Render the e-mail `name` for one recipient into an (unsaved) outbox row."""
    with translation.override(language):
        subject = _render_text(f"emails/{name}-subject.txt", context).strip()
        body_text = _render_text(f"emails/{name}-body.txt", context)
        body_html = render_to_string(f"emails/{name}-body.html", context)
    return OutgoingEmail(
        to=to,
        subject=" ".join(subject.split())[:300],
        body_text=body_text,
        body_html=body_html,
        template=name,
        language=language,
    )


def _render_text(template_name: str, context: dict[str, Any]) -> str:
    # Plain text is not HTML: a name like O'Neil or "Müller & Söhne" must not arrive escaped.
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def queue_all(emails: list[OutgoingEmail]) -> list[OutgoingEmail]:
    """Store rendered e-mails in the outbox; each is handed to Celery after commit."""
    stored = OutgoingEmail.objects.bulk_create(emails)
    for email in stored:
        transaction.on_commit(lambda pk=email.pk: _enqueue(pk))
    return stored


def queue(name: str, *, to: str, language: str, context: dict[str, Any]) -> OutgoingEmail:
    return queue_all([render(name, to=to, language=language, context=context)])[0]


def _enqueue(email_id: int) -> None:
    from accounts.tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception:
        # The broker is unreachable. The row stays pending and the sweep sends it later.
        logger.warning("Broker unreachable; e-mail %s left for the outbox sweep", email_id)


def welcome_user(*, to: str, language: str, full_name: str, login_url: str) -> OutgoingEmail:
    return queue(
        "welcome-user",
        to=to,
        language=language,
        context={"full_name": full_name, "login_url": login_url},
    )


def intake_confirmation(newcomer: Newcomer, cases: list[Case]) -> OutgoingEmail:
    """To the newcomer, in the language they filled in the form in (unsaved: see queue_all)."""
    return render(
        "intake-confirmation",
        to=newcomer.email,
        language=newcomer.preferred_language,
        context={"newcomer": newcomer, "cases": cases, "center_name": settings.CENTER_NAME},
    )


def intake_arrived(lotse: User, newcomer: Newcomer, cases: list[Case]) -> OutgoingEmail:
    """To a Lotse on duty (unsaved: see queue_all). It carries no personal data beyond the
    reference: the details are behind the login."""
    return render(
        "intake-arrived",
        to=lotse.email,
        language=lotse.language,
        context={
            "lotse": lotse,
            "newcomer": newcomer,
            "cases": cases,
            "triage_url": settings.SITE_URL + reverse("triage"),
        },
    )


def mfa_reset(user: User, *, by: User) -> OutgoingEmail:
    """Tells the user their second factor was reset, so a reset they did not ask for is
    noticed."""
    return queue(
        "mfa-reset",
        to=user.email,
        language=user.language,
        context={
            "full_name": user.full_name,
            "by": by.full_name,
            "login_url": settings.SITE_URL + reverse("account_login"),
        },
    )


def referral_to_partner(
    name: str, *, to: str, language: str, context: dict[str, Any]
) -> OutgoingEmail:
    """To a partner contact: "referral-sent" (a new referral) or "referral-answer" (the Lotse
    answered their question). Only the reference, the date and the signed link: the newcomer's
    name and request stay behind the link (data minimisation, and mail is not encrypted)."""
    return queue(name, to=to, language=language, context=context)


def partner_invitation(contact: PartnerContact, user: User, *, url: str, by: User) -> OutgoingEmail:
    """A Lotse invites a partner's contact person to log in: the link sets their password
    (allauth's password-reset key). In the contact's language, to the login's address."""
    return queue(
        "partner-invitation",
        to=user.email,
        language=contact.language,
        context={
            "full_name": contact.name,
            "partner_name": contact.partner.name,
            "invited_by": by.full_name,
            "center_name": settings.CENTER_NAME,
            "url": url,
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        },
    )


def monthly_figures(head: User, stats: Statistics, *, url: str) -> OutgoingEmail:
    """To each head on the first morning of a month: last month's key figures (counts only,
    no personal data) and the link to the statistics page (unsaved: see queue_all)."""
    return render(
        "monthly-figures",
        to=head.email,
        language=head.language,
        context={
            "full_name": head.full_name,
            "center_name": settings.CENTER_NAME,
            "stats": stats,
            "url": url,
        },
    )
