"""Query counts of the workspace pages, pinned at two data sizes so that they cannot grow with
the data (an N+1 would show as a difference) and never pass 12 per page.

Each test measures a page on a small world, then grows the same world with bulk inserts and
measures again: the two counts must be equal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.conf.global_settings import LANGUAGES
from django.test import Client
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseEvent, Document, EventKind, FollowUp, Referral
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
from partners.models import Partner, PartnerType
from tests.cases.factories_extra import (
    bulk_cases,
    bulk_events,
    bulk_newcomers,
    bulk_workload,
)
from tests.factories import CaseFactory, NewcomerFactory, PartnerFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
SMALL, LARGE = 20, 300

ClientFor = Callable[[User | None], Client]
Measure = Callable[..., int]


@pytest.fixture
def measure(django_assert_max_num_queries: Any) -> Measure:
    """The number of queries one GET costs (at most MAX_QUERIES, or the test fails); `rows`,
    if given, is how many rows the page must show, so that a count is not of an empty page."""

    def run(client: Client, url: str, rows: int | None = None) -> int:
        client.get(url)  # warm-up: per-process caches (content types) are not the page's cost
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = client.get(url)
        assert response.status_code == 200
        if rows is not None:
            assert len(response.context["page"].object_list) == rows
        return len(captured.captured_queries)

    return run


@pytest.fixture
def grow(lotse: User, other_lotse: User, partner: Partner) -> Callable[[int], None]:
    """Add cases until the center has `size`: three of four are the lotse's, every one with
    an overdue follow-up and referral, an expiring permit and an overdue checklist item."""
    batches: list[list[Case]] = []

    def to(size: int) -> None:
        count = size - Case.objects.count()
        prefix = f"Q{len(batches)}"
        newcomers = bulk_newcomers(count, prefix=prefix, country_of_origin="IN")
        mine = count * 3 // 4
        cases = bulk_cases(newcomers[:mine], owner=lotse, prefix=prefix) + bulk_cases(
            newcomers[mine:], owner=other_lotse, prefix=f"{prefix}X"
        )
        bulk_workload(cases, by=lotse, partner=partner)
        batches.append(cases)

    return to


def _at_both_sizes(grow: Callable[[int], None], measure: Callable[[], int]) -> None:
    grow(SMALL)
    small = measure()
    grow(LARGE)
    assert measure() == small


def test_the_lotse_dashboard_costs_the_same_queries_at_20_and_300_cases(
    client_for: ClientFor, lotse: User, grow: Callable[[int], None], measure: Measure
) -> None:
    client = client_for(lotse)
    _at_both_sizes(grow, lambda: measure(client, "/"))


def test_the_head_dashboard_costs_the_same_queries_at_20_and_300_cases(
    client_for: ClientFor, head: User, grow: Callable[[int], None], measure: Measure
) -> None:
    client = client_for(head)
    _at_both_sizes(grow, lambda: measure(client, "/"))


def test_the_default_case_list_costs_the_same_queries_at_20_and_300_cases(
    client_for: ClientFor, lotse: User, grow: Callable[[int], None], measure: Measure
) -> None:
    client = client_for(lotse)
    url = "/cases/?owner=me&status=open"
    _at_both_sizes(grow, lambda: measure(client, url, rows=min(Case.objects.count() * 3 // 4, 50)))


def test_a_filtered_case_list_costs_the_same_queries_at_20_and_300_cases(
    client_for: ClientFor,
    lotse: User,
    partner: Partner,
    grow: Callable[[int], None],
    measure: Measure,
) -> None:
    client = client_for(lotse)
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    url = (
        f"/cases/?status=open&owner=me&partner={partner.pk}&overdue=on&referral_overdue=on"
        "&permit_expiring=on&checklist_overdue=on&priority=2&kind_of_arrival=abroad_third"
        f"&country=IN&opened_after={week_ago}&sort=-priority"
    )

    # Priority normal, opened this week, everything due: the filters leave rows on the page.
    _at_both_sizes(grow, lambda: measure(client, url, rows=min(Case.objects.count() * 3 // 4, 50)))


@pytest.mark.parametrize("query", ["nachname", "na"])  # a part of a word; a word's start
def test_a_searched_case_list_costs_the_same_queries_at_20_and_300_cases(
    client_for: ClientFor,
    lotse: User,
    grow: Callable[[int], None],
    measure: Measure,
    query: str,
) -> None:
    client = client_for(lotse)
    url = f"/cases/?q={query}"
    _at_both_sizes(grow, lambda: measure(client, url, rows=min(Case.objects.count(), 50)))


def _timeline(case: Case, lotse: User, partner: Partner, count: int) -> None:
    """`count` more timeline entries, a quarter of them pointing at a follow-up, a document
    or a referral (the joins the timeline needs)."""
    bulk_events(case, count - count // 4, actor=lotse)
    follow_up = FollowUp.objects.create(
        case=case, due_on=timezone.localdate(), text="Anrufen", assignee=lotse, created_by=lotse
    )
    document = Document.objects.create(
        newcomer=case.newcomer,
        case=case,
        file="documents/2026/03/test",
        original_name="Bescheid.pdf",
        content_type="application/pdf",
        size=10,
    )
    referral = Referral.objects.create(
        case=case,
        partner=partner,
        request="Bitte",
        created_by=lotse,
        answer_by=timezone.localdate(),
    )
    linked: dict[str, dict[str, Any]] = {
        EventKind.FOLLOW_UP: {"follow_up": follow_up},
        EventKind.DOCUMENT: {"document": document},
        EventKind.REFERRAL: {"referral": referral},
    }
    kinds = list(linked)
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, actor=lotse, kind=kinds[n % 3], **linked[kinds[n % 3]])
        for n in range(count // 4)
    )


def test_a_case_file_with_a_long_timeline_costs_the_same_queries_at_10_and_300_events(
    client_for: ClientFor, lotse: User, partner: Partner, measure: Measure
) -> None:
    case = CaseFactory.create(owner=lotse)
    client = client_for(lotse)
    url = f"/cases/{case.reference}/"
    _timeline(case, lotse, partner, 10)
    small = measure(client, url)
    _timeline(case, lotse, partner, 290)
    assert measure(client, url) == small
    assert CaseEvent.objects.filter(case=case).count() == 300


def _newcomer_file(newcomer: Newcomer, lotse: User, count: int, offset: int) -> None:
    """`count` more of everything the newcomer file shows."""
    authority = PartnerFactory.create(type=PartnerType.IHK)
    for n in range(offset, offset + count):
        CaseFactory.create(newcomer=newcomer, owner=lotse, reference=f"WC-2026-9{n:04d}")
    HouseholdMember.objects.bulk_create(
        HouseholdMember(newcomer=newcomer, relation="child", birth_year=2015) for _ in range(count)
    )
    LanguageSkill.objects.bulk_create(
        LanguageSkill(newcomer=newcomer, language=code, level="B1")
        for code, _name in LANGUAGES[offset : offset + count]
    )
    Qualification.objects.bulk_create(
        Qualification(newcomer=newcomer, title=f"Abschluss {n}", competent_authority=authority)
        for n in range(count)
    )
    ResidencePermit.objects.bulk_create(
        ResidencePermit(newcomer=newcomer, title="18b", expires_on=timezone.localdate())
        for _ in range(count)
    )
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            newcomer=newcomer,
            scope=ConsentScope.PROCESSING,
            text_version="2026-01",
            language="de",
            method=ConsentMethod.ORAL,
            recorded_by=lotse,
        )
        for _ in range(count)
    )
    Document.objects.bulk_create(
        Document(
            newcomer=newcomer,
            file=f"documents/2026/03/{n}",
            original_name=f"Zeugnis {n}.pdf",
            content_type="application/pdf",
            size=10,
        )
        for n in range(count)
    )
    # Six items at most, one of each: two on the small file, the other four on the large.
    items = ChecklistItem.values[:2] if offset == 0 else ChecklistItem.values[2:]
    ArrivalChecklistEntry.objects.bulk_create(
        ArrivalChecklistEntry(
            newcomer=newcomer,
            item=item,
            due_on=timezone.localdate(),
            done_on=timezone.localdate(),
            done_by=lotse,
        )
        for item in items
    )


def test_a_newcomer_file_costs_the_same_queries_with_2_and_30_of_everything(
    client_for: ClientFor, lotse: User, measure: Measure
) -> None:
    newcomer = NewcomerFactory.create()
    client = client_for(lotse)
    url = f"/newcomers/{newcomer.pk}/"
    _newcomer_file(newcomer, lotse, 2, offset=0)
    small = measure(client, url)
    _newcomer_file(newcomer, lotse, 28, offset=2)
    assert measure(client, url) == small
    assert newcomer.cases.count() == 30
    assert newcomer.checklist.count() == 6


def test_the_change_history_of_a_newcomer_costs_the_same_queries_with_1_and_30_changes(
    client_for: ClientFor, lotse: User, measure: Measure
) -> None:
    newcomer = NewcomerFactory.create()
    client = client_for(lotse)
    url = f"/newcomers/{newcomer.pk}/history/"

    def edit(times: int) -> None:
        for _ in range(times):
            newcomer.profession = f"Beruf {LogEntry.objects.count()}"
            newcomer.save()

    edit(1)
    small = measure(client, url)
    edit(29)
    assert measure(client, url) == small
    assert (
        LogEntry.objects.get_for_object(newcomer).filter(action=LogEntry.Action.UPDATE).count()
        == 30
    )


def test_the_history_costs_the_same_queries_with_1_and_30_changes_to_rows_of_the_file(
    client_for: ClientFor, lotse: User, other_lotse: User, measure: Measure
) -> None:
    """Changes to the file's rows name people and partners (who ticked an item, which chamber
    decides): read for the whole page at once, not once per entry."""
    newcomer = NewcomerFactory.create()
    chambers = PartnerFactory.create_batch(2, type=PartnerType.IHK)
    entry = ArrivalChecklistEntry.objects.create(
        newcomer=newcomer, item=ChecklistItem.TAX_ID, due_on=timezone.localdate()
    )
    qualification = Qualification.objects.create(newcomer=newcomer, title="Diplom")
    client = client_for(lotse)
    url = f"/newcomers/{newcomer.pk}/history/"

    def change(times: int) -> None:
        for _ in range(times):
            ticks = LogEntry.objects.filter(action=LogEntry.Action.UPDATE).count()
            done = entry.done_on is None
            entry.done_on = timezone.localdate() if done else None
            entry.done_by = [lotse, other_lotse][ticks % 2] if done else None
            entry.save()
            qualification.competent_authority = chambers[ticks % 2]
            qualification.save()

    change(1)
    small = measure(client, url)
    change(29)
    assert measure(client, url) == small
    html = client.get(url).content.decode()
    assert "Lars Lange" in html
    assert all(chamber.name in html for chamber in chambers)
