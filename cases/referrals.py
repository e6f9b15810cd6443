"""Referrals: a case handed to a partner, and every step of the partner's answer.

Each step is one conditional UPDATE (so a double click or two people at once cannot answer a
referral twice), one timeline entry and a notification to the case owner, in one transaction.
Partners answer through a signed link that expires (no account needed) or, with an account,
through their own list; both end up in the same functions here."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Notification, User
from cases.models import (
    Case,
    CaseEvent,
    EventKind,
    Referral,
    ReferralMessage,
    ReferralStep,
)
from migrants.models import ConsentMethod, ConsentRecord, ConsentScope, Newcomer
from partners.models import Partner, PartnerContact
from welcome_center import emails
from welcome_center.workdays import add_working_days

LINK_SALT = "cases.referral-link"
OPEN = (Referral.Status.SENT, Referral.Status.ACCEPTED)


class ReferralClosed(Exception):
    """The referral is no longer open for this step (answered, declined, withdrawn)."""


class ConsentMissing(Exception):
    """The newcomer has not consented to sharing with partners."""


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


# ---- before sending ----------------------------------------------------------------------


def default_answer_by(partner: Partner, *, today: date | None = None) -> date:
    """Today plus the partner's usual response time, in working days of the center's state."""
    return add_working_days(today or timezone.localdate(), partner.response_days)


def sharing_consent(newcomer: Newcomer) -> ConsentRecord | None:
    """The newest consent to share with partners that has not been withdrawn."""
    return (
        ConsentRecord.objects.filter(
            newcomer=newcomer, scope=ConsentScope.SHARE_WITH_PARTNERS, withdrawn_at__isnull=True
        )
        .order_by("-given_at")
        .first()
    )


def record_oral_consent(newcomer: Newcomer, *, given_at: datetime, by: User) -> ConsentRecord:
    return ConsentRecord.objects.create(
        newcomer=newcomer,
        scope=ConsentScope.SHARE_WITH_PARTNERS,
        text_version="oral",
        language=newcomer.preferred_language,
        method=ConsentMethod.ORAL,
        given_at=given_at,
        recorded_by=by,
    )


def recipient_of(partner: Partner, contact: PartnerContact | None) -> tuple[str, str, str]:
    """(e-mail, name, language) the referral goes to: the contact, else the partner's address."""
    if contact is not None:
        return contact.email, contact.name, contact.language
    return partner.email, partner.name, settings.LANGUAGE_CODE


@transaction.atomic
def send_referral(
    case: Case,
    *,
    partner: Partner,
    contact: PartnerContact | None,
    request: str,
    answer_by: date,
    by: User,
    oral_consent_at: datetime | None = None,
) -> Referral:
    """Refer the case. Without the newcomer's consent to share from the intake, the Lotse must
    have recorded oral consent (`oral_consent_at`), else ConsentMissing."""
    consent = sharing_consent(case.newcomer)
    if consent is None:
        if oral_consent_at is None:
            raise ConsentMissing(case.newcomer.reference)
        consent = record_oral_consent(case.newcomer, given_at=oral_consent_at, by=by)
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        partner=partner,
        contact=contact,
        request=request,
        answer_by=answer_by,
        created_by=by,
        sent_at=now,
        consent=consent,
    )
    _event(referral, ReferralStep.SENT, actor=by, text=request, at=now)
    _mail_partner(referral, "referral-sent")
    return referral


# ---- the partner's link ------------------------------------------------------------------


def make_token(referral: Referral) -> str:
    return signing.dumps({"r": referral.pk, "n": referral.link_nonce.hex}, salt=LINK_SALT)


def link_for(referral: Referral) -> str:
    return settings.SITE_URL + reverse("referral_by_link", args=[make_token(referral)])


def referral_for_token(token: str) -> Referral:
    """The referral a link is for. LinkInvalid for a tampered or revoked link, LinkExpired for
    one older than settings.REFERRAL_LINK_DAYS."""
    max_age = settings.REFERRAL_LINK_DAYS * 24 * 60 * 60
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    try:
        referral = Referral.objects.select_related(
            "case__newcomer", "case__owner", "partner", "contact"
        ).get(pk=int(payload["r"]))
    except (Referral.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise LinkInvalid from error
    if referral.link_nonce.hex != payload.get("n"):
        raise LinkInvalid
    return referral


def revoke_links(referral: Referral) -> None:
    """Every link sent so far stops working (e.g. the contact person left)."""
    referral.link_nonce = uuid.uuid4()
    referral.save(update_fields=["link_nonce"])


# ---- the partner's steps -----------------------------------------------------------------


def _actor(by: User | None, name: str) -> dict[str, Any]:
    return {"actor": by, "name": name or (str(by) if by else "")}


@transaction.atomic
def mark_opened(referral: Referral, *, by: User | None = None, name: str = "") -> bool:
    """The first time the partner opens the referral. Returns False if it was opened before."""
    now = timezone.now()
    opened = Referral.objects.filter(pk=referral.pk, opened_at__isnull=True).update(opened_at=now)
    if not opened:
        return False
    referral.opened_at = now
    _event(referral, ReferralStep.OPENED, **_actor(by, name), at=now)
    return True


def _transition(
    referral: Referral, *, allowed: tuple[str, ...], now: datetime, **changes: Any
) -> None:
    updated = Referral.objects.filter(pk=referral.pk, status__in=allowed).update(**changes)
    if not updated:
        raise ReferralClosed(str(referral))
    for field, value in changes.items():
        setattr(referral, field, value)


def _answered(referral: Referral, now: datetime) -> datetime:
    # The first answer of any kind counts for the partner's response time.
    return referral.answered_at or now


@transaction.atomic
def accept(referral: Referral, *, by: User | None = None, name: str = "") -> None:
    now = timezone.now()
    _transition(
        referral,
        allowed=(Referral.Status.SENT,),
        now=now,
        status=Referral.Status.ACCEPTED,
        answered_at=_answered(referral, now),
    )
    _event(referral, ReferralStep.ACCEPTED, **_actor(by, name), at=now)


@transaction.atomic
def decline(referral: Referral, reason: str, *, by: User | None = None, name: str = "") -> None:
    now = timezone.now()
    _transition(
        referral,
        allowed=OPEN,
        now=now,
        status=Referral.Status.DECLINED,
        decline_reason=reason,
        answered_at=_answered(referral, now),
        closed_at=now,
    )
    _event(referral, ReferralStep.DECLINED, **_actor(by, name), at=now, text=reason)


@transaction.atomic
def complete(referral: Referral, answer: str, *, by: User | None = None, name: str = "") -> None:
    now = timezone.now()
    _transition(
        referral,
        allowed=OPEN,
        now=now,
        status=Referral.Status.COMPLETED,
        answer=answer,
        answered_at=_answered(referral, now),
        closed_at=now,
    )
    _event(referral, ReferralStep.COMPLETED, **_actor(by, name), at=now, text=answer)


@transaction.atomic
def ask_question(
    referral: Referral, text: str, *, by: User | None = None, name: str = ""
) -> ReferralMessage:
    if referral.status not in OPEN:
        raise ReferralClosed(str(referral))
    now = timezone.now()
    actor = _actor(by, name)
    message = ReferralMessage.objects.create(
        referral=referral,
        from_partner=True,
        author=by,
        author_name=actor["name"],
        text=text,
        created_at=now,
    )
    _event(referral, ReferralStep.QUESTION, **actor, at=now, text=text)
    return message


# ---- the Lotse's steps -------------------------------------------------------------------


@transaction.atomic
def answer_question(referral: Referral, text: str, *, by: User) -> ReferralMessage:
    """The Lotse answers the partner; the partner gets the answer with a fresh link."""
    if referral.status not in OPEN:
        raise ReferralClosed(str(referral))
    now = timezone.now()
    message = ReferralMessage.objects.create(
        referral=referral, from_partner=False, author=by, author_name=str(by), text=text
    )
    _event(referral, ReferralStep.ANSWER, actor=by, name=str(by), at=now, text=text, notify=False)
    _mail_partner(referral, "referral-answer")
    return message


@transaction.atomic
def withdraw(referral: Referral, *, by: User) -> None:
    now = timezone.now()
    _transition(
        referral,
        allowed=OPEN,
        now=now,
        status=Referral.Status.WITHDRAWN,
        closed_at=now,
    )
    _event(referral, ReferralStep.WITHDRAWN, actor=by, name=str(by), at=now, notify=False)


# ---- timeline, notification, mail --------------------------------------------------------


def _event(
    referral: Referral,
    step: str,
    *,
    actor: User | None,
    at: datetime,
    name: str = "",
    text: str = "",
    notify: bool = True,
) -> None:
    """The timeline entry of a step and, for the partner's steps, a notification to the case
    owner. `name` is who acted when nobody was logged in (the contact behind the link)."""
    case = referral.case
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.REFERRAL,
        actor=actor,
        created_at=at,
        text=text,
        actor_name=name if actor is None else "",
        new_value=step,
        referral=referral,
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=at)
    owner = case.owner
    if notify and owner is not None and owner != actor:
        with translation.override(owner.language):
            label = str(ReferralStep(step).label)
            message = gettext("%(reference)s, referral to %(partner)s: %(step)s") % {
                "reference": case.reference,
                "partner": referral.partner.name,
                "step": label,
            }
        Notification.objects.create(
            recipient=owner,
            text=message[:300],
            url=reverse("case_detail", args=[case.reference]),
        )


def _mail_partner(referral: Referral, template: str) -> None:
    to, name, language = recipient_of(referral.partner, referral.contact)
    if not to:
        return
    emails.referral_to_partner(
        template,
        to=to,
        language=language,
        context={
            "name": name,
            "reference": referral.case.reference,
            "center_name": settings.CENTER_NAME,
            "answer_by": referral.answer_by,
            "link": link_for(referral),
            "link_days": settings.REFERRAL_LINK_DAYS,
            "lotse": referral.case.owner or referral.created_by,
        },
    )
