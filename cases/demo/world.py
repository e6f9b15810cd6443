"""What every builder shares: the random source, the clock, the directory of partners and
companies, the keys handed out so far, and the rows of the chunk being built."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django.db import models

from accounts.models import User
from cases.models import Case, CaseEvent, FollowUp, Referral
from companies.models import Company, Introduction, SkilledWorkerNeed
from figures.models import ExitQuestionnaire
from migrants.models import (
    ArrivalChecklistEntry,
    ConsentRecord,
    EducationLevel,
    EmploymentStatus,
    HouseholdMember,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
)
from partners.models import Partner, PartnerContact

from .copy import Keys, Row, Table, write_rows

Progress = Callable[[str], None]
Counts = Counter[type[models.Model]]
DAY = timedelta(days=1)


@dataclass
class World:
    rng: random.Random
    now: datetime
    today: date
    span_days: int
    users: dict[str, User]
    head: User
    lotsen: list[User]
    keys: Keys
    saved_at: datetime  # the real time of the run, for `auto_now` columns
    zone: tzinfo
    checklist_rng: random.Random
    # Introductions, hires, service requests and exit questionnaires (cases/demo/outcomes.py)
    # draw from a stream of their own too, so that adding them left the rest as it was.
    outcome_rng: random.Random
    counts: Counts = field(default_factory=Counter)
    partners_for: dict[str, list[Partner]] = field(default_factory=dict)
    primary_contact: dict[int, PartnerContact] = field(default_factory=dict)
    authority: dict[str, Partner] = field(default_factory=dict)
    companies: list[Company] = field(default_factory=list)
    companies_by_sector: dict[str, list[Company]] = field(default_factory=dict)
    needs: dict[int, list[SkilledWorkerNeed]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    intake_note: str = ""
    names: Counter[tuple[str, str]] = field(default_factory=Counter)
    # Worked out once, asked for by every newcomer.
    consent_digests: dict[str, str] = field(default_factory=dict)
    checklists: dict[tuple[Any, ...], list[str]] = field(default_factory=dict)

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def localdate(self, moment: datetime) -> date:
        """timezone.localdate() without looking up the current time zone every time."""
        return moment.astimezone(self.zone).date()


# --- Rows --------------------------------------------------------------------------------------
# Records for the rows that change while they are built; their fields are the columns, in
# order. Rows that are done once made are plain tuples in the order of their table's columns.


@dataclass(slots=True)
class NewcomerRow:
    id: int
    first_name: str
    last_name: str
    gender: str
    birth_date: date
    email: str
    phone: str
    preferred_language: str
    preferred_channel: str
    kind_of_arrival: str
    country_of_origin: str
    nationality: str
    foreign_background: str
    arrival_date: date
    arrival_is_planned: bool
    coming_from: str
    current_place: str
    target_place: str
    intake_submitted_at: datetime
    triaged_at: datetime | None
    created_at: datetime
    updated_at: datetime
    reference: str = ""
    profession: str = ""
    education_level: str = EducationLevel.NOT_STATED
    employment_status_on_entry: str = EmploymentStatus.NOT_STATED
    target_company_id: int | None = None
    target_company_name: str = ""
    started_work_on: date | None = None


@dataclass(slots=True)
class QualificationRow:
    newcomer_id: int
    title: str
    profession: str
    country: str
    year: int
    education_level: str
    is_regulated: bool
    reference_occupation: str = ""
    competent_authority_id: int | None = None
    documents_complete_on: date | None = None
    application_submitted_on: date | None = None
    decision_on: date | None = None
    outcome: str = ""
    required_measure: str = ""


@dataclass(slots=True)
class CaseRow:
    id: int
    newcomer_id: int
    category: str
    owner_id: int | None
    priority: int
    summary: str
    opened_at: datetime
    last_activity_at: datetime
    reference: str = ""
    status: str = "new"
    closed_at: datetime | None = None
    outcome: str = ""
    company_id: int | None = None
    need_id: int | None = None


@dataclass(slots=True)
class ReferralRow:
    id: int
    case_id: int
    partner_id: int
    contact_id: int | None
    created_by_id: int
    request: str
    sent_at: datetime
    answer_by: date
    status: str = Referral.Status.SENT
    opened_at: datetime | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    decline_reason: str = ""
    answer: str = ""
    # Random like the portal's own (a key, not data: see tests/test_seed_demo.py VARYING).
    link_nonce: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(slots=True)
class FollowUpRow:
    id: int
    case_id: int
    due_on: date
    text: str
    assignee_id: int | None
    assignee_contact_id: int | None
    created_by_id: int
    created_at: datetime
    done_at: datetime | None = None
    done_by_id: int | None = None


@dataclass(slots=True)
class IntroductionRow:
    need_id: int
    newcomer_id: int
    status: str
    consent_id: int
    proposed_by_id: int
    proposed_at: datetime
    note_to_company: str = ""
    interested_at: datetime | None = None
    agreed_at: datetime | None = None
    agreement_recorded_by_id: int | None = None
    hired_on: date | None = None
    closed_at: datetime | None = None
    decline_reason: str = ""


NEWCOMERS = Table(Newcomer, record=NewcomerRow)
HOUSEHOLD = Table(
    HouseholdMember, ("newcomer_id", "relation", "first_name", "birth_year", "comes_along")
)
LANGUAGES = Table(LanguageSkill, ("newcomer_id", "language", "level"))
QUALIFICATIONS = Table(Qualification, record=QualificationRow)
PERMITS = Table(
    ResidencePermit,
    ("newcomer_id", "title", "issued_on", "expires_on", "renewal_applied_on", "notes"),
)
CONSENTS = Table(
    ConsentRecord,
    (
        "id",
        "newcomer_id",
        "scope",
        "text_version",
        "text_digest",
        "language",
        "method",
        "given_at",
        "recorded_by_id",
        "company_id",
    ),
)
CHECKLIST = Table(ArrivalChecklistEntry, ("newcomer_id", "item", "due_on", "done_on", "done_by_id"))
CASES = Table(Case, record=CaseRow)
REFERRALS = Table(Referral, record=ReferralRow)
FOLLOW_UPS = Table(FollowUp, record=FollowUpRow)
# (case_id, kind, actor_id, created_at, text, old_value, new_value, referral_id, follow_up_id)
EVENTS = Table(
    CaseEvent,
    (
        "case_id",
        "kind",
        "actor_id",
        "created_at",
        "text",
        "old_value",
        "new_value",
        "referral_id",
        "follow_up_id",
    ),
)
INTRODUCTIONS = Table(Introduction, record=IntroductionRow)
EXITS = Table(
    ExitQuestionnaire,
    (
        "newcomer_id",
        "left_on",
        "employment",
        "in_education_or_training",
        "qualification_gained",
        "filled_by_id",
        "filled_at",
    ),
)
# The tables whose rows others point at before anything is written.
KEYED = (Newcomer, ConsentRecord, Case, Referral, FollowUp)


class Batch:
    """The rows of one chunk of newcomers and their cases, written table by table."""

    def __init__(self) -> None:
        self.newcomers: list[NewcomerRow] = []
        self.household: list[Row] = []
        self.languages: list[Row] = []
        self.qualifications: list[QualificationRow] = []
        self.permits: list[Row] = []
        self.consents: list[Row] = []
        self.checklist: list[Row] = []
        self.cases: list[CaseRow] = []
        self.referrals: list[ReferralRow] = []
        self.follow_ups: list[FollowUpRow] = []
        self.events: list[Row] = []
        self.introductions: list[IntroductionRow] = []
        self.exits: list[Row] = []

    def tables(self) -> list[tuple[Table, Sequence[Any]]]:
        return [
            (NEWCOMERS, self.newcomers),
            (HOUSEHOLD, self.household),
            (LANGUAGES, self.languages),
            (QUALIFICATIONS, self.qualifications),
            (PERMITS, self.permits),
            (CONSENTS, self.consents),
            (CHECKLIST, self.checklist),
            (CASES, self.cases),
            (REFERRALS, self.referrals),
            (FOLLOW_UPS, self.follow_ups),
            (EVENTS, self.events),
            (INTRODUCTIONS, self.introductions),
            (EXITS, self.exits),
        ]

    def write(self, counts: Counts) -> None:
        for table, rows in self.tables():
            counts[table.model] += write_rows(table, rows)


# The tables written a chunk at a time: nearly all rows.
BULK_MODELS = tuple(table.model for table, _ in Batch().tables())
