"""Introductions: a Lotse proposes a newcomer for a company's need, with consent at each step.

1. propose: the newcomer's consent to share a profile with *this* company comes first (a
   consent record for the company, or oral consent the Lotse records with the time); the
   company then sees an anonymised profile (`anonymised_profile`);
2. the company shows interest, or declines;
3. the Lotse records that the newcomer agrees to be introduced by name: only now does the
   company see name and contact;
4. the Lotse records the hire with the start date (it becomes Newcomer.started_work_on, which
   the check-in reminders count from) or withdraws the introduction.

Each step is one conditional UPDATE (a double click or two people at once cannot take a step
twice), an audit entry, an entry on the company's timeline (shared with the company where it
concerns them) and a message to the other side: a notification for the Lotse, an e-mail
through the outbox for the company's users. Neither carries the newcomer's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from accounts.models import Notification, User
from companies.models import Company, CompanyEvent, Introduction, SkilledWorkerNeed
from migrants.models import (
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    Newcomer,
    Qualification,
)
from welcome_center import audit, emails

Status = Introduction.Status
RUNNING = (Status.PROPOSED, Status.INTERESTED, Status.AGREED)


class IntroductionError(Exception):
    """The step is not possible now (the introduction moved on, or was closed)."""


class ConsentMissing(Exception):
    """No consent to share the profile with this company, and no oral consent recorded."""


class NotEligible(Exception):
    """The newcomer cannot be proposed: anonymised, no consent to processing, or already
    proposed for this need; or the need is closed or its company not approved."""


# ---- consent --------------------------------------------------------------------------------


def company_consent(newcomer: Newcomer, company: Company) -> ConsentRecord | None:
    """The newest consent to share with `company` that has not been withdrawn."""
    return (
        ConsentRecord.objects.filter(
            newcomer=newcomer,
            scope=ConsentScope.SHARE_WITH_COMPANY,
            company=company,
            withdrawn_at__isnull=True,
        )
        .order_by("-given_at")
        .first()
    )


def has_processing_consent(newcomer: Newcomer) -> bool:
    return newcomer.consents.filter(
        scope=ConsentScope.PROCESSING, withdrawn_at__isnull=True
    ).exists()


def record_oral_consent(
    newcomer: Newcomer, company: Company, *, given_at: datetime, by: User
) -> ConsentRecord:
    return ConsentRecord.objects.create(
        newcomer=newcomer,
        scope=ConsentScope.SHARE_WITH_COMPANY,
        company=company,
        text_version="oral",
        language=newcomer.preferred_language,
        method=ConsentMethod.ORAL,
        given_at=given_at,
        recorded_by=by,
    )


# ---- the Lotse's steps ----------------------------------------------------------------------


@transaction.atomic
def propose(
    need: SkilledWorkerNeed,
    newcomer: Newcomer,
    *,
    by: User,
    note: str = "",
    oral_consent_at: datetime | None = None,
) -> Introduction:
    """Propose `newcomer` for `need`. Without a consent to share with the need's company, the
    Lotse must have taken oral consent (`oral_consent_at`), else ConsentMissing."""
    company = need.company
    _check_eligible(need, newcomer)
    consent = company_consent(newcomer, company)
    if consent is None:
        if oral_consent_at is None:
            raise ConsentMissing(newcomer.reference)
        consent = record_oral_consent(newcomer, company, given_at=oral_consent_at, by=by)
    introduction = Introduction.objects.create(
        need=need, newcomer=newcomer, consent=consent, proposed_by=by, note_to_company=note
    )
    # The need is being worked on once someone is proposed for it.
    SkilledWorkerNeed.objects.filter(pk=need.pk, status=SkilledWorkerNeed.Status.OPEN).update(
        status=SkilledWorkerNeed.Status.IN_PROGRESS
    )
    _company_event(introduction, by, gettext("A profile was proposed for %(need)s."))
    _mail_company(introduction, Status.PROPOSED)
    return introduction


def _check_eligible(need: SkilledWorkerNeed, newcomer: Newcomer) -> None:
    if newcomer.anonymised_at is not None or not has_processing_consent(newcomer):
        raise NotEligible(newcomer.reference)
    if need.company.status != Company.Status.APPROVED or need.status not in (
        SkilledWorkerNeed.Status.OPEN,
        SkilledWorkerNeed.Status.IN_PROGRESS,
    ):
        raise NotEligible(str(need.pk))
    if need.introductions.filter(newcomer=newcomer, status__in=RUNNING).exists():
        raise NotEligible(newcomer.reference)


@transaction.atomic
def record_agreement(introduction: Introduction, *, by: User) -> None:
    """The newcomer agrees to be introduced by name, after the company showed interest."""
    now = timezone.now()
    _step(
        introduction,
        allowed=(Status.INTERESTED,),
        by=by,
        status=Status.AGREED,
        agreed_at=now,
        agreement_recorded_by=by,
    )
    _company_event(
        introduction, by, gettext("The candidate for %(need)s agreed: name and contact shared.")
    )
    _mail_company(introduction, Status.AGREED)


@transaction.atomic
def record_hire(introduction: Introduction, *, start: date, by: User) -> None:
    """The company hired the newcomer from `start`. The start date becomes the newcomer's
    first working day (the check-ins count from it); the need is filled when its hires reach
    the number of people asked for."""
    _step(
        introduction,
        allowed=(Status.AGREED,),
        by=by,
        status=Status.HIRED,
        hired_on=start,
        closed_at=timezone.now(),
    )
    newcomer = introduction.newcomer
    newcomer.started_work_on = start
    newcomer.save(update_fields=["started_work_on", "updated_at"])  # audited by its signal
    need = introduction.need
    hires = need.introductions.filter(status=Status.HIRED).count()
    if hires >= need.headcount:
        SkilledWorkerNeed.objects.filter(
            pk=need.pk,
            status__in=[SkilledWorkerNeed.Status.OPEN, SkilledWorkerNeed.Status.IN_PROGRESS],
        ).update(status=SkilledWorkerNeed.Status.FILLED)
    _company_event(
        introduction,
        by,
        gettext("Hire for %(need)s recorded, start of work %(start)s."),
        kind=CompanyEvent.Kind.HIRE,
        start=formats.date_format(start, "SHORT_DATE_FORMAT"),
    )
    _mail_company(introduction, Status.HIRED)


@transaction.atomic
def withdraw(introduction: Introduction, *, by: User, reason: str = "") -> None:
    """The Lotse withdraws the introduction (the newcomer declined or is no longer looking)."""
    _step(
        introduction,
        allowed=RUNNING,
        by=by,
        status=Status.WITHDRAWN,
        closed_at=timezone.now(),
        decline_reason=reason,
    )
    _company_event(introduction, by, gettext("The introduction for %(need)s was withdrawn."))
    _mail_company(introduction, Status.WITHDRAWN)


# ---- the company's steps --------------------------------------------------------------------


@transaction.atomic
def show_interest(introduction: Introduction, *, by: User) -> None:
    _step(
        introduction,
        allowed=(Status.PROPOSED,),
        by=by,
        status=Status.INTERESTED,
        interested_at=timezone.now(),
        interested_by=by,
    )
    _company_event(introduction, by, gettext("Interest shown in a profile for %(need)s."))
    _notify_lotse(introduction, Status.INTERESTED)


@transaction.atomic
def decline(introduction: Introduction, *, by: User, reason: str = "") -> None:
    _step(
        introduction,
        allowed=RUNNING,
        by=by,
        status=Status.DECLINED,
        closed_at=timezone.now(),
        decline_reason=reason,
    )
    _company_event(introduction, by, gettext("A profile for %(need)s was declined."))
    _notify_lotse(introduction, Status.DECLINED)


# ---- what the company sees ------------------------------------------------------------------


@dataclass(frozen=True)
class QualificationShown:
    title: str
    profession: str
    reference_occupation: str
    level: str
    recognition: str


@dataclass(frozen=True)
class Profile:
    """What a company sees of an introduced newcomer. Before the newcomer agreed, nothing that
    identifies them: no name, contact, birth date, nationality, places of origin or free text;
    the region they live in or move to, because it is what the company must know."""

    profession: str
    education: str
    kind_of_arrival: str
    german_level: str
    other_languages: list[str]
    available_from: date | None
    already_here: bool
    region: str
    qualifications: list[QualificationShown] = field(default_factory=list)
    # Only once the newcomer agreed to be introduced:
    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""


def _recognition(qualification: Qualification) -> str:
    if qualification.outcome:
        return str(qualification.get_outcome_display())
    if qualification.application_submitted_on:
        return gettext("recognition applied for")
    return gettext("recognition not yet applied for")


def anonymised_profile(introduction: Introduction) -> Profile:
    """The profile for the company; with name and contact only when the introduction discloses
    the identity. Reads the newcomer's prefetched `languages` and `qualifications`."""
    newcomer = introduction.newcomer
    languages = list(newcomer.languages.all())
    german = next((skill for skill in languages if skill.language == "de"), None)
    here = newcomer.arrival_date is None and not newcomer.arrival_is_planned
    identity: dict[str, Any] = {}
    if introduction.discloses_identity:
        identity = {
            "name": newcomer.full_name,
            "email": newcomer.email,
            "phone": str(newcomer.phone or ""),
            "language": str(newcomer.get_preferred_language_display()),
        }
    return Profile(
        profession=newcomer.profession,
        education=str(newcomer.get_education_level_display()),
        kind_of_arrival=str(newcomer.get_kind_of_arrival_display()),
        german_level=str(german.get_level_display()) if german else "",
        other_languages=[str(skill) for skill in languages if skill.language != "de"],
        available_from=newcomer.arrival_date,
        already_here=here
        or bool(newcomer.arrival_date and newcomer.arrival_date <= timezone.localdate()),
        region=newcomer.target_place or newcomer.current_place,
        qualifications=[
            QualificationShown(
                title=q.title,
                profession=q.profession,
                reference_occupation=q.reference_occupation,
                level=str(q.get_education_level_display()),
                recognition=_recognition(q),
            )
            for q in newcomer.qualifications.all()
        ],
        **identity,
    )


def shown_to_company(user: User) -> QuerySet[Introduction]:
    """The introductions a company user sees: to their own company's needs, while the consent
    holds and the newcomer is not anonymised."""
    return Introduction.objects.visible_to(user).filter(
        consent__withdrawn_at__isnull=True, newcomer__anonymised_at__isnull=True
    )


# ---- the parts every step shares ------------------------------------------------------------


def _step(
    introduction: Introduction, *, allowed: tuple[str, ...], by: User, **changes: Any
) -> None:
    """Move the introduction on if it is in one of the `allowed` states, else
    IntroductionError; the change goes on the audit trail with old and new values."""
    old = {name: getattr(introduction, name) for name in changes}
    updated = Introduction.objects.filter(pk=introduction.pk, status__in=allowed).update(**changes)
    if not updated:
        raise IntroductionError(str(introduction.pk))
    for name, value in changes.items():
        setattr(introduction, name, value)
    audit.record_changed(
        [
            (
                introduction,
                {name: [_text(old[name]), _text(value)] for name, value in changes.items()},
            )
        ],
        by=by,
    )


def _text(value: Any) -> str:
    if isinstance(value, User):
        return str(value.pk)
    return "" if value is None else str(value)


def _company_event(
    introduction: Introduction,
    by: User,
    text: str,
    *,
    kind: str = CompanyEvent.Kind.INTRODUCTION,
    **params: str,
) -> None:
    # Shared with the company: the text names the need, never the newcomer.
    CompanyEvent.objects.create(
        company=introduction.need.company,
        kind=kind,
        actor=by,
        text=text % {"need": introduction.need.occupation, **params},
        shared=True,
        need=introduction.need,
    )


def _notify_lotse(introduction: Introduction, step: str) -> None:
    lotse = introduction.proposed_by
    with translation.override(lotse.language):
        text = gettext("%(company)s, %(need)s, %(reference)s: %(step)s") % {
            "company": introduction.need.company.name,
            "need": introduction.need.occupation,
            "reference": introduction.newcomer.reference,
            "step": Status(step).label,
        }
    Notification.objects.create(
        recipient=lotse,
        text=text[:300],
        url=reverse("introduction_detail", args=[introduction.pk]),
    )


def _mail_company(introduction: Introduction, step: str) -> None:
    """To every active user of the company: the need and the step, and a link; the profile
    stays behind the login."""
    company = introduction.need.company
    recipients = User.objects.filter(is_active=True, company_contact__company=company)
    for user in recipients:
        with translation.override(user.language):
            step_label = str(Status(step).label)
        emails.introduction_to_company(
            to=user.email,
            language=user.language,
            context={
                "full_name": user.full_name,
                "company_name": company.name,
                "occupation": introduction.need.occupation,
                "step": step,
                "step_label": step_label,
                "center_name": settings.CENTER_NAME,
                "url": settings.SITE_URL + reverse("company_introductions"),
            },
        )
