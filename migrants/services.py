"""Workflows of the migrants app: storing an intake, triage, merging duplicates."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from auditlog.context import disable_auditlog
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override

from accounts.models import Notification, User
from cases import services as case_services
from cases.models import Case, CaseEvent, Document, EventKind, ReferenceSequence
from migrants.consent import CONSENT_TEXT_VERSION, consent_digest
from migrants.models import (
    ArrivalChecklistEntry,
    ChecklistItem,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    HouseholdMember,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
)
from welcome_center import audit, emails

if TYPE_CHECKING:
    from migrants.forms import IntakeForm

logger = logging.getLogger(__name__)


def submit_intake(form: IntakeForm, *, language: str) -> Newcomer:
    """Store everything a newcomer sent in one transaction: the newcomer, their consent, one
    case per need (status new, no owner), uploads and the timeline. Mail and in-app
    notifications are queued in the outbox and leave after commit. Every stored row is put on
    the audit trail in one INSERT.

    The references are reserved before, in a statement of their own: the counter's row is
    then locked for that statement only, not until the intake commits, so concurrent intakes
    do not queue behind each other. An intake that fails after it leaves a gap in the
    numbering; references are unique and increasing, not gapless."""
    needs = form.chosen_needs()
    references = ReferenceSequence.reserve({"NC": 1, "WC": len(needs)})
    with transaction.atomic(), disable_auditlog():
        created = _store_intake(form, language=language, needs=needs, references=references)
        audit.record_created(created)
    return created[0]  # type: ignore[return-value]


def _store_intake(
    form: IntakeForm,
    *,
    language: str,
    needs: list[tuple[str, str]],
    references: dict[str, list[str]],
) -> list[Model]:
    now = timezone.now()
    newcomer: Newcomer = form.save(commit=False)
    newcomer.reference = references["NC"][0]
    newcomer.preferred_language = language
    newcomer.intake_submitted_at = now
    newcomer.possible_duplicate_of = find_possible_duplicate(newcomer)
    newcomer.save()
    consents = _store_consent(newcomer, form, language=language, now=now)
    details = _store_details(newcomer, form)
    cases = _open_cases(newcomer, zip(references["WC"], needs, strict=True), now=now)
    documents = _store_documents(newcomer, form.cleaned_data.get("documents") or [])
    checklist = ensure_checklist(newcomer, child_birth_years=form.children_birth_years())
    _notify_on_intake(newcomer, cases)
    return [newcomer, *consents, *details, *cases, *documents, *checklist]


def find_possible_duplicate(newcomer: Newcomer) -> Newcomer | None:
    """Same e-mail, or same name and date of birth: flagged for the Lotse, never merged here."""
    match = Q()
    if newcomer.email:
        match |= Q(email__iexact=newcomer.email)
    if newcomer.birth_date:
        match |= Q(
            first_name__iexact=newcomer.first_name,
            last_name__iexact=newcomer.last_name,
            birth_date=newcomer.birth_date,
        )
    if not match:
        return None
    return Newcomer.objects.not_anonymised().filter(match).order_by("created_at").first()


def _store_consent(newcomer: Newcomer, form: IntakeForm, *, language: str, now: datetime) -> None:
    digest = consent_digest(language)
    scopes = [ConsentScope.PROCESSING]
    if form.cleaned_data.get("consent_partners"):
        scopes.append(ConsentScope.SHARE_WITH_PARTNERS)
    return ConsentRecord.objects.bulk_create(
        ConsentRecord(
            newcomer=newcomer,
            scope=scope,
            text_version=CONSENT_TEXT_VERSION,
            text_digest=digest,
            language=language,
            method=ConsentMethod.INTAKE_FORM,
            given_at=now,
        )
        for scope in scopes
    )


def _store_details(newcomer: Newcomer, form: IntakeForm) -> list[Model]:
    data = form.cleaned_data
    household = [
        HouseholdMember(newcomer=newcomer, relation=HouseholdMember.Relation.CHILD, birth_year=year)
        for year in form.children_birth_years()
    ]
    if data.get("partner"):
        household.append(
            HouseholdMember(
                newcomer=newcomer,
                relation=HouseholdMember.Relation.PARTNER,
                comes_along=data["partner"] == "along",
            )
        )
    created: list[Model] = [*HouseholdMember.objects.bulk_create(household)]
    created += LanguageSkill.objects.bulk_create(
        LanguageSkill(newcomer=newcomer, language=language, level=level)
        for language, level in form.language_levels()
    )
    if data.get("degree"):
        qualification = Qualification(
            newcomer=newcomer,
            title=data["degree"],
            profession=newcomer.profession,
            country=data.get("degree_country") or "",
            year=data.get("degree_year"),
            education_level=newcomer.education_level,
        )
        created += Qualification.objects.bulk_create([qualification])
    if data.get("residence_title"):
        permit = ResidencePermit(
            newcomer=newcomer,
            title=data["residence_title"],
            expires_on=data.get("residence_expires_on"),
        )
        created += ResidencePermit.objects.bulk_create([permit])
    return created


def _open_cases(
    newcomer: Newcomer, needs: Iterable[tuple[str, tuple[str, str]]], *, now: datetime
) -> list[Case]:
    cases = Case.objects.bulk_create(
        Case(
            reference=reference,
            newcomer=newcomer,
            category=category,
            summary=text[:300],
            opened_at=now,
            last_activity_at=now,
        )
        for reference, (category, text) in needs
    )
    with override("de"):
        note = gettext("Opened from the public intake form.")
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=EventKind.OPENED, created_at=now, text=note) for case in cases
    )
    return cases


def _store_documents(newcomer: Newcomer, uploads: list[UploadedFile]) -> list[Document]:
    return [
        Document.objects.create(
            newcomer=newcomer,
            kind=Document.Kind.OTHER,
            file=upload,
            original_name=upload.name[:200],
            content_type=upload.sniffed_type,
            size=upload.size,
        )
        for upload in uploads
    ]


def _notify_on_intake(newcomer: Newcomer, cases: list[Case]) -> None:
    on_duty = list(User.objects.center_staff().filter(is_on_duty=True))
    outbox = [emails.intake_arrived(lotse, newcomer, cases) for lotse in on_duty]
    if newcomer.email:
        outbox.append(emails.intake_confirmation(newcomer, cases))
    emails.queue_all(outbox)
    url = reverse("triage")
    notifications = []
    for lotse in on_duty:
        with override(lotse.language):
            text = ngettext(
                "New intake %(reference)s: %(count)d topic",
                "New intake %(reference)s: %(count)d topics",
                len(cases),
            ) % {
                "reference": newcomer.reference,
                "count": len(cases),
            }
        notifications.append(Notification(recipient=lotse, text=text, url=url))
    Notification.objects.bulk_create(notifications)


@transaction.atomic
def assign_intake(newcomer: Newcomer, *, owner: User, by: User) -> int:
    """Triage: the owner takes every case of the intake that has none yet. Returns how many."""
    cases = list(newcomer.cases.filter(owner__isnull=True).select_for_update())
    taken = case_services.reassign(cases, owner, by=by)
    Newcomer.objects.filter(pk=newcomer.pk).update(triaged_at=timezone.now())
    return taken


@transaction.atomic
def merge_newcomers(duplicate: Newcomer, *, into: Newcomer, by: User) -> Newcomer:
    """Fold a duplicate record into the original. Every case, consent, household member,
    language, qualification, permit, document and timeline entry moves over; empty fields of
    the original are filled from the duplicate; then the duplicate row goes."""
    if duplicate.pk == into.pk:
        raise ValueError("A newcomer cannot be merged into itself.")
    for related in (
        "cases",
        "consents",
        "household",
        "qualifications",
        "residence_permits",
        "documents",
        "checklist",
    ):
        getattr(duplicate, related).update(newcomer=into)
    known = set(into.languages.values_list("language", flat=True))
    duplicate.languages.exclude(language__in=known).update(newcomer=into)
    _fill_blanks(into, duplicate)
    now = timezone.now()
    with override("de"):
        note = gettext("Merged from duplicate record %(reference)s.") % {
            "reference": duplicate.reference
        }
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=EventKind.MERGE, actor=by, created_at=now, text=note)
        for case in into.cases.all()
    )
    Newcomer.objects.filter(possible_duplicate_of=duplicate).update(possible_duplicate_of=into)
    duplicate.delete()
    if into.possible_duplicate_of_id == duplicate.pk:
        into.possible_duplicate_of = None
    into.save()
    return into


MERGEABLE_FIELDS = (
    "birth_date",
    "email",
    "phone",
    "country_of_origin",
    "nationality",
    "arrival_date",
    "coming_from",
    "current_place",
    "target_place",
    "profession",
    "target_company_name",
)


def _fill_blanks(into: Newcomer, duplicate: Newcomer) -> None:
    for field in MERGEABLE_FIELDS:
        if not getattr(into, field) and getattr(duplicate, field):
            setattr(into, field, getattr(duplicate, field))
    if into.intake_submitted_at is None:
        into.intake_submitted_at = duplicate.intake_submitted_at


def dismiss_duplicate(newcomer: Newcomer) -> None:
    Newcomer.objects.filter(pk=newcomer.pk).update(possible_duplicate_of=None)


# The arrival checklist: what every newcomer must get done, and by when after arrival.
CHECKLIST_DUE_DAYS = {
    ChecklistItem.ADDRESS_REGISTERED: 14,  # Anmeldung: within two weeks of moving in
    ChecklistItem.HEALTH_INSURANCE: 14,
    ChecklistItem.BANK_ACCOUNT: 30,
    ChecklistItem.TAX_ID: 42,  # the Federal Central Tax Office sends it some weeks after
    ChecklistItem.KITA_APPLIED: 30,  # waiting lists are months long: apply early
    ChecklistItem.SCHOOL_REGISTERED: 14,
}


def checklist_items_for(newcomer: Newcomer, children_ages: list[int]) -> list[str]:
    items = [
        ChecklistItem.ADDRESS_REGISTERED,
        ChecklistItem.TAX_ID,
        ChecklistItem.HEALTH_INSURANCE,
        ChecklistItem.BANK_ACCOUNT,
    ]
    if any(age < 6 for age in children_ages):
        items.append(ChecklistItem.KITA_APPLIED)
    if any(6 <= age <= 17 for age in children_ages):
        items.append(ChecklistItem.SCHOOL_REGISTERED)
    return items


def ensure_checklist(
    newcomer: Newcomer, *, child_birth_years: list[int] | None = None
) -> list[ArrivalChecklistEntry]:
    """Create the missing checklist items, due counted from the arrival date. Items not yet
    done move with the arrival date (an arrival put off by a month puts off their dates);
    ticked ones stay as they are. Nothing without an arrival date. The intake passes the
    children's birth years it has in hand (and has no items yet), saving two queries."""
    arrival = newcomer.arrival_date
    if arrival is None:
        return []

    def due(item: str) -> date:
        return arrival + timedelta(days=CHECKLIST_DUE_DAYS[item])

    existing: dict[str, ArrivalChecklistEntry] = {}
    if child_birth_years is None:
        child_birth_years = list(
            newcomer.household.filter(relation=HouseholdMember.Relation.CHILD)
            .exclude(birth_year__isnull=True)
            .values_list("birth_year", flat=True)
        )
        existing = {entry.item: entry for entry in newcomer.checklist.all()}
    moved = [
        entry
        for entry in existing.values()
        if entry.done_on is None and entry.due_on != due(entry.item)
    ]
    for entry in moved:  # a few at most: saved one by one, so each move is on the audit trail
        entry.due_on = due(entry.item)
        entry.save(update_fields=["due_on"])
    this_year = timezone.localdate().year
    ages = [this_year - year for year in child_birth_years]
    return ArrivalChecklistEntry.objects.bulk_create(
        ArrivalChecklistEntry(newcomer=newcomer, item=item, due_on=due(item))
        for item in checklist_items_for(newcomer, ages)
        if item not in existing
    )


@transaction.atomic
def tick_checklist_item(entry: ArrivalChecklistEntry, *, done: bool, by: User) -> None:
    entry.done_on = timezone.localdate() if done else None
    entry.done_by = by if done else None
    entry.save(update_fields=["done_on", "done_by"])


@transaction.atomic
def update_newcomer(newcomer: Newcomer, *, by: User) -> Newcomer:
    """Save edits from the newcomer file. The audit trail (django-auditlog) keeps who changed
    which field from what to what; a new arrival date adds the checklist items."""
    newcomer.save()
    ensure_checklist(newcomer)
    return newcomer
