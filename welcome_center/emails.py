"""Every e-mail the portal sends, in one place.

Each function renders `templates/emails/<name>-subject.txt`, `-body.txt` and `-body.html` in the
recipient's language into an outbox row (accounts.OutgoingEmail). `queue_all()` stores the rows
inside the caller's transaction, in one INSERT; once that transaction commits, Celery's outbox
sweep (accounts.tasks.send_pending_emails) is woken to send them within about a second. If the
broker is down at that moment the rows wait for the sweep that beat runs every minute, so an
outage delays mail but never loses it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import OutgoingEmail

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case
    from companies.models import Company
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
    """Store rendered e-mails in the outbox; the sender is woken once the caller commits."""
    stored = OutgoingEmail.objects.bulk_create(emails)
    if stored:
        transaction.on_commit(wake_sender)
    return stored


def queue(name: str, *, to: str, language: str, context: dict[str, Any]) -> OutgoingEmail:
    return queue_all([render(name, to=to, language=language, context=context)])[0]


# At most one wake-up of the sender per window, however many transactions queue mail in it:
# a Celery publish costs the request about a millisecond, a cache ADD a tenth of that, and at
# the intake's 100 submissions a second the sender would otherwise get 100 messages.
WAKE_KEY = "outbox:wake"
WAKE_SECONDS = 1


def wake_sender() -> None:
    """Called after commit: schedule the outbox sweep for the end of the current window,
    unless a commit earlier in the window has. Each caller's rows were committed before it
    got here, so the sweep that runs after the window finds them."""
    from accounts.tasks import send_pending_emails

    try:
        if cache.add(WAKE_KEY, True, WAKE_SECONDS):
            send_pending_emails.apply_async(countdown=WAKE_SECONDS)
    except Exception:
        # The broker (or the cache on the same Redis) is unreachable. The rows stay pending and
        # beat's sweep sends them later.
        logger.warning("Broker unreachable; e-mails left for the outbox sweep")


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


def reminder_digest(
    *, to: str, language: str, name: str, lines: list[str], more: int, reminders_url: str
) -> OutgoingEmail:
    """The daily digest: one e-mail per person bundling their new reminders (unsaved: see
    queue_all). `lines` are the items, already in the recipient's language (see
    reminders.models.Reminder.describe). References and dates only; the details are behind
    the login. Partner contacts without an account get no link (`reminders_url` empty)."""
    return render(
        "reminder-digest",
        to=to,
        language=language,
        context={
            "name": name,
            "lines": lines,
            "more": more,
            "count": len(lines) + more,
            "reminders_url": reminders_url,
            "center_name": settings.CENTER_NAME,
        },
    )


def introduction_to_company(*, to: str, language: str, context: dict[str, Any]) -> OutgoingEmail:
    """To a company user: a step of an introduction to one of the company's needs (a profile
    proposed, the candidate agreed, a hire recorded, an introduction withdrawn). Only the
    occupation and the step: the profile, and once agreed the name, stay behind the login."""
    return queue("introduction-step", to=to, language=language, context=context)


# ---- companies ------------------------------------------------------------------------------


def _company_context(user: User) -> dict[str, Any]:
    return {
        "full_name": user.full_name,
        "center_name": settings.CENTER_NAME,
        "login_url": settings.SITE_URL + reverse("account_login"),
    }


def company_registered(user: User, company: Company) -> OutgoingEmail:
    """To the applicant: the registration arrived and is checked by the center."""
    context = {**_company_context(user), "company_name": company.name}
    return queue("company-registered", to=user.email, language=user.language, context=context)


def company_signup_existing(user: User) -> OutgoingEmail:
    """Someone registered a company with an address that has a login: its owner is told
    (the sign-up page itself does not say so, to keep addresses private)."""
    context = {
        **_company_context(user),
        "reset_url": settings.SITE_URL + reverse("account_reset_password"),
    }
    return queue("company-signup-existing", to=user.email, language=user.language, context=context)


def company_decision(user: User, company: Company) -> OutgoingEmail:
    """Approval or rejection (with the reason) of a registration, to each contact who logs
    in, in their language."""
    name = "company-approved" if company.status == "approved" else "company-rejected"
    context = {
        **_company_context(user),
        "company_name": company.name,
        "reason": company.rejection_reason,
    }
    return queue(name, to=user.email, language=user.language, context=context)


def company_invitation(user: User, company: Company, *, url: str, by: User) -> OutgoingEmail:
    """A company user invites a colleague: the link sets their password (allauth's
    password-reset key)."""
    context = {
        **_company_context(user),
        "company_name": company.name,
        "invited_by": by.full_name,
        "url": url,
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    return queue("company-invitation", to=user.email, language=user.language, context=context)


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
