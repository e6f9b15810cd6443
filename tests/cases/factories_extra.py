"""Factories for the workspace tests that tests/factories.py does not have (yet), and bulk
builders for the query-count tests. Each factory builds one valid row with the fewest fields."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseEvent, Category, Document, EventKind, FollowUp, Referral
from migrants.models import (
    ArrivalChecklistEntry,
    CEFRLevel,
    ChecklistItem,
    HouseholdMember,
    KindOfArrival,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
    ResidenceTitle,
)
from partners.models import Partner
from tests.factories import NewcomerFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ResidencePermitFactory(factory.django.DjangoModelFactory[ResidencePermit]):
    class Meta:
        model = ResidencePermit

    newcomer = factory.SubFactory(NewcomerFactory)
    title = ResidenceTitle.SKILLED_DEGREE_18B
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=300))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=700))


class QualificationFactory(factory.django.DjangoModelFactory[Qualification]):
    class Meta:
        model = Qualification

    newcomer = factory.SubFactory(NewcomerFactory)
    title = "Bachelor of Nursing"
    profession = "Pflegefachkraft"
    year = 2018


class HouseholdMemberFactory(factory.django.DjangoModelFactory[HouseholdMember]):
    class Meta:
        model = HouseholdMember

    newcomer = factory.SubFactory(NewcomerFactory)
    relation = HouseholdMember.Relation.CHILD
    birth_year = 2015


class LanguageSkillFactory(factory.django.DjangoModelFactory[LanguageSkill]):
    class Meta:
        model = LanguageSkill

    newcomer = factory.SubFactory(NewcomerFactory)
    language = "de"
    level = CEFRLevel.B1


class ChecklistEntryFactory(factory.django.DjangoModelFactory[ArrivalChecklistEntry]):
    class Meta:
        model = ArrivalChecklistEntry

    newcomer = factory.SubFactory(NewcomerFactory)
    item = ChecklistItem.ADDRESS_REGISTERED
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    """A stored PDF; use it with the `upload_storage` fixture so the file lands in tmp."""

    class Meta:
        model = Document

    newcomer = factory.SubFactory(NewcomerFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="letter.pdf"))
    original_name = "Bescheid Ausländerbehörde.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


# ---- bulk builders: many rows in a handful of INSERTs ------------------------------------


def bulk_newcomers(count: int, *, prefix: str = "BK", **fields: Any) -> list[Newcomer]:
    defaults: dict[str, Any] = {
        "kind_of_arrival": KindOfArrival.ABROAD_THIRD_COUNTRY,
        "nationality": "IN",
    }
    return Newcomer.objects.bulk_create(
        Newcomer(
            reference=f"NC-{prefix}-{n:05d}",
            first_name=f"Vorname{n}",
            last_name=f"Nachname{n:05d}",
            **{**defaults, **fields},
        )
        for n in range(count)
    )


def bulk_cases(
    newcomers: list[Newcomer], *, owner: User | None, prefix: str = "BK", **fields: Any
) -> list[Case]:
    """One case per newcomer; categories take turns unless `category=` is given."""
    categories = Category.values
    return Case.objects.bulk_create(
        Case(
            reference=f"WC-{prefix}-{n:05d}",
            newcomer=newcomer,
            owner=owner,
            **{"category": categories[n % len(categories)], **fields},
        )
        for n, newcomer in enumerate(newcomers)
    )


def bulk_events(case: Case, count: int, *, actor: User) -> list[CaseEvent]:
    now = timezone.now()
    kinds = [EventKind.NOTE, EventKind.STATUS, EventKind.ASSIGNMENT, EventKind.PRIORITY]
    return CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=kinds[n % len(kinds)],
            actor=actor,
            created_at=now - timedelta(minutes=n),
            text=f"Eintrag {n}",
            old_value="alt",
            new_value="neu",
        )
        for n in range(count)
    )


def bulk_workload(cases: list[Case], *, by: User, partner: Partner) -> None:
    """Something due on every case: an overdue follow-up, an overdue referral, an expiring
    permit and an overdue checklist item, so every dashboard count and filter has rows."""
    today = timezone.localdate()
    FollowUp.objects.bulk_create(
        FollowUp(
            case=case, due_on=today - timedelta(days=1), text="Anrufen", assignee=by, created_by=by
        )
        for case in cases
    )
    Referral.objects.bulk_create(
        Referral(
            case=case,
            partner=partner,
            request="Bitte beraten",
            created_by=by,
            answer_by=today - timedelta(days=2),
        )
        for case in cases
    )
    ResidencePermit.objects.bulk_create(
        ResidencePermit(
            newcomer_id=case.newcomer_id,
            title=ResidenceTitle.BLUE_CARD_18G,
            expires_on=today + timedelta(days=30),
        )
        for case in cases
    )
    ArrivalChecklistEntry.objects.bulk_create(
        ArrivalChecklistEntry(
            newcomer_id=case.newcomer_id,
            item=ChecklistItem.TAX_ID,
            due_on=today - timedelta(days=3),
        )
        for case in cases
    )
