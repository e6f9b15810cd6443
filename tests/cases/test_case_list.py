"""The case list: default filters, every filter, sorting, paging, search, CSV and bulk actions.

Most assertions read the list through its CSV export, which is the same filtered and sorted
queryset as the page (the whole list, not one page) without rendering the filter form with its
250 countries; the page itself is checked where paging, headers and the default matter."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseEvent, Category, EventKind, Outcome, Priority, Status
from migrants.models import KindOfArrival
from partners.models import Partner
from tests.cases.conftest import BERLIN
from tests.cases.factories_extra import (
    ChecklistEntryFactory,
    ResidencePermitFactory,
    bulk_cases,
    bulk_newcomers,
)
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    FollowUpFactory,
    LotseFactory,
    NewcomerFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
LIST = "/cases/"


def _get(client: Client, **params: Any) -> Any:
    return client.get(LIST, params)


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(content)))


def _ordered(client: Client, **params: Any) -> list[str]:
    """The references the list shows, in its order (read from the CSV export)."""
    _header, *rows = _csv(_get(client, **params, format="csv"))
    return [row[0] for row in rows]


def _refs(client: Client, **params: Any) -> set[str]:
    return set(_ordered(client, **params))


def _page(client: Client, **params: Any) -> list[str]:
    """The references on one rendered page of the list."""
    response = _get(client, **params)
    assert response.status_code == 200
    return [case.reference for case in response.context["page"].object_list]


def _closed(**fields: Any) -> Case:
    return CaseFactory.create(
        status=Status.CLOSED, closed_at=timezone.now(), outcome=Outcome.ACHIEVED, **fields
    )


# ---- the default --------------------------------------------------------------------------


def test_the_bare_list_address_redirects_to_my_open_cases(
    client_for: ClientFor, lotse: User
) -> None:
    response = client_for(lotse).get(LIST)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?owner=me&status=open"


def test_the_default_list_shows_only_my_open_cases(
    client_for: ClientFor, lotse: User, other_lotse: User
) -> None:
    mine = CaseFactory.create(owner=lotse, status=Status.IN_PROGRESS)
    CaseFactory.create(owner=other_lotse)
    _closed(owner=lotse)
    response = client_for(lotse).get(LIST, follow=True)
    assert {case.reference for case in response.context["page"].object_list} == {mine.reference}


# ---- each filter narrows ------------------------------------------------------------------


def test_status_filter_shows_one_status_or_all_open_ones(
    client_for: ClientFor, lotse: User
) -> None:
    new = CaseFactory.create(owner=lotse, status=Status.NEW)
    waiting = CaseFactory.create(owner=lotse, status=Status.WAITING_PARTNER)
    resolved = CaseFactory.create(owner=lotse, status=Status.RESOLVED)
    closed = _closed(owner=lotse)
    client = client_for(lotse)
    assert _refs(client, status="new") == {new.reference}
    assert _refs(client, status="resolved") == {resolved.reference}
    assert _refs(client, status="closed") == {closed.reference}
    assert _refs(client, status="open") == {new.reference, waiting.reference}


def test_category_filter_shows_only_that_category(client_for: ClientFor, lotse: User) -> None:
    housing = CaseFactory.create(owner=lotse, category=Category.HOUSING)
    CaseFactory.create(owner=lotse, category=Category.SCHOOL)
    assert _refs(client_for(lotse), category="housing") == {housing.reference}


def test_owner_filter_knows_me_nobody_and_a_colleague(
    client_for: ClientFor, lotse: User, other_lotse: User
) -> None:
    mine = CaseFactory.create(owner=lotse)
    theirs = CaseFactory.create(owner=other_lotse)
    untriaged = CaseFactory.create(owner=None)
    client = client_for(lotse)
    assert _refs(client, owner="me") == {mine.reference}
    assert _refs(client, owner="none") == {untriaged.reference}
    assert _refs(client, owner=str(other_lotse.pk)) == {theirs.reference}


def test_partner_filter_shows_cases_with_a_referral_to_that_partner(
    client_for: ClientFor, lotse: User, partner: Partner, other_partner: Partner
) -> None:
    referred = CaseFactory.create(owner=lotse)
    ReferralFactory.create(case=referred, partner=partner)
    ReferralFactory.create(case=referred, partner=other_partner)
    elsewhere = CaseFactory.create(owner=lotse)
    ReferralFactory.create(case=elsewhere, partner=other_partner)
    CaseFactory.create(owner=lotse)
    assert _refs(client_for(lotse), partner=str(partner.pk)) == {referred.reference}


def test_overdue_filter_shows_cases_with_a_pending_follow_up_past_its_date(
    client_for: ClientFor, lotse: User, frozen_today: time_machine.Traveller
) -> None:
    today = timezone.localdate()
    overdue = CaseFactory.create(owner=lotse)
    FollowUpFactory.create(case=overdue, due_on=today - timedelta(days=1))
    done = CaseFactory.create(owner=lotse)
    FollowUpFactory.create(case=done, due_on=today - timedelta(days=5), done_at=timezone.now())
    due_today = CaseFactory.create(owner=lotse)
    FollowUpFactory.create(case=due_today, due_on=today)
    assert _refs(client_for(lotse), overdue="on") == {overdue.reference}


def test_due_today_filter_shows_cases_with_a_pending_follow_up_due_today(
    client_for: ClientFor, lotse: User, frozen_today: time_machine.Traveller
) -> None:
    today = timezone.localdate()
    due_today = CaseFactory.create(owner=lotse)
    FollowUpFactory.create(case=due_today, due_on=today)
    done = CaseFactory.create(owner=lotse)
    FollowUpFactory.create(case=done, due_on=today, done_at=timezone.now())
    overdue = CaseFactory.create(owner=lotse)
    FollowUpFactory.create(case=overdue, due_on=today - timedelta(days=1))
    tomorrow = CaseFactory.create(owner=lotse)
    FollowUpFactory.create(case=tomorrow, due_on=today + timedelta(days=1))
    assert _refs(client_for(lotse), due_today="on") == {due_today.reference}


def test_referral_overdue_filter_shows_cases_whose_partner_has_not_answered_in_time(
    client_for: ClientFor, lotse: User, partner: Partner, frozen_today: time_machine.Traveller
) -> None:
    today = timezone.localdate()
    late = CaseFactory.create(owner=lotse)
    ReferralFactory.create(case=late, partner=partner, answer_by=today - timedelta(days=1))
    accepted = CaseFactory.create(owner=lotse)
    ReferralFactory.create(
        case=accepted, partner=partner, answer_by=today - timedelta(days=1), status="accepted"
    )
    due_today = CaseFactory.create(owner=lotse)
    ReferralFactory.create(case=due_today, partner=partner, answer_by=today)
    assert _refs(client_for(lotse), referral_overdue="on") == {late.reference}


def test_permit_expiring_filter_shows_cases_whose_newcomer_needs_a_renewal_within_90_days(
    client_for: ClientFor, lotse: User, frozen_today: time_machine.Traveller
) -> None:
    today = timezone.localdate()
    expiring = CaseFactory.create(owner=lotse)
    ResidencePermitFactory.create(newcomer=expiring.newcomer, expires_on=today + timedelta(90))
    later = CaseFactory.create(owner=lotse)
    ResidencePermitFactory.create(newcomer=later.newcomer, expires_on=today + timedelta(91))
    renewing = CaseFactory.create(owner=lotse)
    ResidencePermitFactory.create(
        newcomer=renewing.newcomer, expires_on=today + timedelta(10), renewal_applied_on=today
    )
    assert _refs(client_for(lotse), permit_expiring="on") == {expiring.reference}


def test_checklist_overdue_filter_shows_cases_with_an_arrival_item_past_its_date(
    client_for: ClientFor, lotse: User, frozen_today: time_machine.Traveller
) -> None:
    today = timezone.localdate()
    late = CaseFactory.create(owner=lotse)
    ChecklistEntryFactory.create(newcomer=late.newcomer, due_on=today - timedelta(days=1))
    ticked = CaseFactory.create(owner=lotse)
    ChecklistEntryFactory.create(
        newcomer=ticked.newcomer, due_on=today - timedelta(days=9), done_on=today
    )
    due_today = CaseFactory.create(owner=lotse)
    ChecklistEntryFactory.create(newcomer=due_today.newcomer, due_on=today)
    assert _refs(client_for(lotse), checklist_overdue="on") == {late.reference}


def test_priority_filter_shows_only_that_priority(client_for: ClientFor, lotse: User) -> None:
    urgent = CaseFactory.create(owner=lotse, priority=Priority.URGENT)
    CaseFactory.create(owner=lotse, priority=Priority.NORMAL)
    assert _refs(client_for(lotse), priority="4") == {urgent.reference}


def test_opened_between_counts_whole_local_days_at_both_ends(
    client_for: ClientFor, lotse: User
) -> None:
    def opened(month: int, day: int, hour: int, minute: int) -> Case:
        when = datetime(2026, month, day, hour, minute, tzinfo=BERLIN)
        return CaseFactory.create(owner=lotse, opened_at=when)

    before = opened(1, 31, 23, 59)
    first_day = opened(2, 1, 0, 1)
    last_day_late = opened(2, 28, 23, 30)  # 22:30 UTC: still February in Berlin
    after = opened(3, 1, 0, 30)  # 23:30 UTC on February 28th, but March in Berlin
    client = client_for(lotse)
    between = _refs(client, opened_after="2026-02-01", opened_before="2026-02-28")
    assert between == {first_day.reference, last_day_late.reference}
    assert _refs(client, opened_after="2026-03-01") == {after.reference}
    assert _refs(client, opened_before="2026-01-31") == {before.reference}


def test_kind_of_arrival_filter_looks_at_the_newcomer(client_for: ClientFor, lotse: User) -> None:
    student = CaseFactory.create(owner=lotse, newcomer__kind_of_arrival=KindOfArrival.STUDENT)
    CaseFactory.create(owner=lotse, newcomer__kind_of_arrival=KindOfArrival.COMMUTER)
    assert _refs(client_for(lotse), kind_of_arrival="student") == {student.reference}


def test_country_filter_looks_at_the_country_of_origin(client_for: ClientFor, lotse: User) -> None:
    from_india = CaseFactory.create(owner=lotse, newcomer__country_of_origin="IN")
    CaseFactory.create(owner=lotse, newcomer__country_of_origin="VN")
    assert _refs(client_for(lotse), country="IN") == {from_india.reference}


def test_filters_combine_and_the_list_pages_by_50_keeping_the_filters(
    client_for: ClientFor, lotse: User
) -> None:
    newcomers = bulk_newcomers(55, country_of_origin="IN")
    cases = bulk_cases(newcomers, owner=lotse, category=Category.HOUSING, priority=Priority.HIGH)
    CaseFactory.create(owner=lotse, category=Category.HOUSING, priority=Priority.LOW)
    CaseFactory.create(owner=lotse, category=Category.SCHOOL, priority=Priority.HIGH)
    client = client_for(lotse)
    params = {"status": "open", "category": "housing", "priority": "3", "country": "IN"}
    response = _get(client, **params)
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list), page.paginator.num_pages) == (55, 50, 2)
    html = response.content.decode()
    assert "?status=open&amp;category=housing&amp;priority=3&amp;country=IN&amp;page=2" in html
    second = _page(client, **params, page="2")
    assert len(second) == 5
    assert set(second) | {case.reference for case in page.object_list} == {
        case.reference for case in cases
    }


# ---- invalid filter values ----------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"priority": "abc"},
        {"status": "sleeping"},
        {"owner": "999999"},
        {"partner": "999999999"},
        {"opened_after": "not-a-date"},
        {"opened_before": "2026-02-31"},
        {"country": "XX"},
        {"sort": "password"},
        {"q": "nul\x00byte"},
        {"priority": "abc", "format": "csv"},
    ],
    ids=lambda params: "&".join(f"{k}={v[:12]!r}" for k, v in params.items()),
)
def test_an_invalid_filter_value_answers_400_not_500(
    client_for: ClientFor, lotse: User, params: dict[str, str]
) -> None:
    response = _get(client_for(lotse), **params)
    assert response.status_code == 400
    assert response.context["page"] is None


@pytest.mark.parametrize(
    ("params", "opened"),
    [
        ({"status": "open"}, False),
        ({"status": "open", "q": "Haddad", "owner": "me"}, False),
        ({"status": "open", "overdue": "on"}, True),
        ({"status": "open", "checklist_overdue": "on"}, True),
        ({"status": "open", "opened_after": "2026-01-01"}, True),
        ({"status": "open", "category": "housing"}, True),
        ({"status": "open", "priority": "9"}, True),  # refused: the value to correct is in it
        ({"status": "bogus"}, True),  # refused, whatever the field: the panel opens
    ],
)
def test_more_filters_open_when_one_of_them_is_set(
    client_for: ClientFor, lotse: User, params: dict[str, str], opened: bool
) -> None:
    html = _get(client_for(lotse), **params).content.decode()
    assert ('<details class="mt-2" open>' in html) is opened
    assert '<details class="mt-2"' in html


def test_a_page_number_out_of_range_shows_the_last_page(client_for: ClientFor, lotse: User) -> None:
    CaseFactory.create(owner=lotse)
    for page in ("abc", "999"):
        response = _get(client_for(lotse), status="open", page=page)
        assert response.status_code == 200
        assert response.context["page"].number == 1


# ---- sorting ------------------------------------------------------------------------------


@pytest.fixture
def three_cases(lotse: User) -> list[Case]:
    """Three cases whose order is the same in every sortable column: first < second < third."""
    now = timezone.now()
    rows = [
        ("WC-2026-00101", "Bauer", Category.HOUSING, Status.IN_PROGRESS, "Anna Alt", 1, 3),
        ("WC-2026-00102", "Klein", Category.LANGUAGE, Status.NEW, "Max Mitte", 2, 2),
        ("WC-2026-00103", "Yilmaz", Category.SCHOOL, Status.WAITING_NEWCOMER, "Zoe Zett", 4, 1),
    ]
    cases = [
        CaseFactory.create(
            reference=reference,
            newcomer__last_name=last_name,
            category=category,
            status=status,
            owner=LotseFactory.create(full_name=owner),
            priority=priority,
            opened_at=now - timedelta(days=days_ago),
        )
        for reference, last_name, category, status, owner, priority, days_ago in rows
    ]
    today = timezone.localdate()
    for days, case in enumerate(cases, start=1):
        FollowUpFactory.create(case=case, due_on=today + timedelta(days=days))
        # Done ones do not count: else the third would come first.
        FollowUpFactory.create(case=case, due_on=today - timedelta(days=days), done_at=now)
    return cases


@pytest.mark.parametrize(
    "column",
    [
        "reference",
        "newcomer",
        "category",
        "status",
        "owner",
        "priority",
        "opened",
        "next_follow_up",
    ],
)
def test_the_list_sorts_by_each_column_and_reversed(
    client_for: ClientFor, lotse: User, three_cases: list[Case], column: str
) -> None:
    expected = [case.reference for case in three_cases]
    client = client_for(lotse)
    assert _ordered(client, sort=column) == expected
    assert _ordered(client, sort=f"-{column}") == expected[::-1]


def test_cases_without_a_follow_up_come_last_in_both_directions(
    client_for: ClientFor, lotse: User, three_cases: list[Case]
) -> None:
    nothing_due = CaseFactory.create(owner=lotse, reference="WC-2026-00199")
    client = client_for(lotse)
    assert _ordered(client, sort="next_follow_up")[-1] == nothing_due.reference
    assert _ordered(client, sort="-next_follow_up")[-1] == nothing_due.reference


def test_a_column_header_sorts_and_a_second_click_reverses(
    client_for: ClientFor, lotse: User, three_cases: list[Case]
) -> None:
    response = _get(client_for(lotse), status="open", sort="reference", page="1")
    headers = response.context["headers"]
    # A second click reverses; every other column sorts ascending first; paging starts over.
    assert headers[0]["url"] == "?status=open&sort=-reference"
    assert headers[0]["direction"] == "ascending"
    assert headers[5]["url"] == "?status=open&sort=priority"
    assert headers[5]["direction"] == ""
    assert _page(client_for(lotse), status="open", sort="reference") == [
        case.reference for case in three_cases
    ]


def test_paging_through_a_list_sorted_by_a_column_with_ties_shows_every_case_once(
    client_for: ClientFor, lotse: User
) -> None:
    # Sixty cases of one category: without a tie-breaker the database may put a case on both
    # pages and another on none.
    cases = bulk_cases(bulk_newcomers(60), owner=lotse, category=Category.HOUSING)
    client = client_for(lotse)
    first = _page(client, sort="category", status="open")
    second = _page(client, sort="category", status="open", page="2")
    assert (len(first), len(second)) == (50, 10)
    assert set(first) | set(second) == {case.reference for case in cases}


# ---- search -------------------------------------------------------------------------------


@pytest.fixture
def amina(lotse: User) -> Case:
    return CaseFactory.create(
        reference="WC-2026-00042",
        owner=lotse,
        newcomer__first_name="Amina",
        newcomer__last_name="Haddad",
        newcomer__email="amina.haddad@example.org",
        newcomer__phone="+493711234567",
    )


@pytest.fixture
def bystander(other_lotse: User) -> Case:
    return CaseFactory.create(
        reference="WC-2026-00777",
        owner=other_lotse,
        newcomer__first_name="Oleksandr",
        newcomer__last_name="Kovalenko",
        newcomer__email="o.kovalenko@example.org",
        newcomer__phone="+4915112345678",
    )


@pytest.mark.parametrize(
    "query",
    [
        "Amina",
        "amina",
        "AMI",
        "hadd",
        "amina haddad",
        "Haddad Amina",
        "amina.haddad@example.org",
        "HADDAD@EXAMPLE",
        "0371 1234567",
        "03711234567",
        "+49371",
        "2026-00042",
    ],
)
def test_search_finds_a_case_by_name_email_phone_or_part_of_the_reference(
    client_for: ClientFor, lotse: User, amina: Case, bystander: Case, query: str
) -> None:
    assert _refs(client_for(lotse), q=query) == {amina.reference}


def test_a_short_name_is_found_where_a_word_starts(
    client_for: ClientFor, lotse: User, amina: Case
) -> None:
    vu = CaseFactory.create(owner=lotse, newcomer__first_name="Thi Lan", newcomer__last_name="Vu")
    li = CaseFactory.create(owner=lotse, newcomer__first_name="Li", newcomer__last_name="Wei")
    ivushkina = CaseFactory.create(
        owner=lotse, newcomer__first_name="Olga", newcomer__last_name="Ivushkina"
    )
    hyphen = CaseFactory.create(
        owner=lotse, newcomer__first_name="Mai", newcomer__last_name="Nguyen-Vu"
    )
    client = client_for(lotse)
    assert _refs(client, q="Vu") == {vu.reference, hyphen.reference}
    assert _refs(client, q="li") == {li.reference}  # the first word of the name
    assert _refs(client, q="0") == set()  # a phone's leading zero alone looks for nothing
    assert _refs(client, q="vu thi") == {vu.reference}
    # From three characters on, any part of a word matches, as before.
    assert _refs(client, q="vus") == {ivushkina.reference}


def test_two_characters_do_not_search_references(
    client_for: ClientFor, lotse: User, amina: Case
) -> None:
    # "42" is in a tenth of all references; from three characters on they match.
    client = client_for(lotse)
    assert _refs(client, q="42") == set()
    assert _refs(client, q="042") == {amina.reference}


def test_search_looks_beyond_my_own_cases_and_open_ones(
    client_for: ClientFor, lotse: User, bystander: Case
) -> None:
    Case.objects.filter(pk=bystander.pk).update(
        status=Status.CLOSED, closed_at=timezone.now(), outcome=Outcome.ACHIEVED
    )
    assert _refs(client_for(lotse), q="kovalenko") == {bystander.reference}


def test_search_finds_a_word_from_a_note(
    client_for: ClientFor, lotse: User, amina: Case, bystander: Case
) -> None:
    CaseEventFactory.create(case=bystander, text="Drei Wohnungen besichtigt, keine passte.")
    CaseEventFactory.create(case=amina, text="Termin bei der Ausländerbehörde vereinbart.")
    client = client_for(lotse)
    assert _refs(client, q="Wohnung") == {bystander.reference}
    assert _refs(client, q="ausländerbehörde") == {amina.reference}


def test_search_ignores_words_that_are_not_in_a_note(
    client_for: ClientFor, lotse: User, amina: Case
) -> None:
    CaseEventFactory.create(case=amina, kind=EventKind.STATUS, text="Wohnung gefunden")
    assert _refs(client_for(lotse), q="Wohnung") == set()


def test_search_on_postgresql_finds_notes_by_their_german_word_stem(
    client_for: ClientFor, lotse: User, amina: Case, bystander: Case
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no German stemming: its search is a plain contains-match")
    CaseEventFactory.create(case=bystander, text="Eine Wohnung besichtigt.")
    CaseEventFactory.create(case=amina, text="Kinder in der Schule angemeldet.")
    client = client_for(lotse)
    assert _refs(client, q="Wohnungen") == {bystander.reference}
    assert _refs(client, q="Besichtigung besichtigen") == set()  # every word must match
    assert _refs(client, q="besichtigte") == {bystander.reference}
    assert _refs(client, q="Schulen") == {amina.reference}


def test_an_exact_reference_opens_the_case_file(
    client_for: ClientFor, lotse: User, amina: Case
) -> None:
    for query in ("WC-2026-00042", " wc-2026-00042 "):
        response = _get(client_for(lotse), q=query)
        assert response.status_code == 302
        assert response["Location"] == reverse("case_detail", args=["WC-2026-00042"])


def test_an_exact_reference_that_does_not_exist_shows_an_empty_list(
    client_for: ClientFor, lotse: User, amina: Case
) -> None:
    response = _get(client_for(lotse), q="WC-2026-99999")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


# ---- CSV export ---------------------------------------------------------------------------


def _table_headers(html: str) -> list[str]:
    thead = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", thead, re.S)
    texts = [re.sub(r"<[^>]+>|[▲▼]", "", cell).strip() for cell in cells]
    return texts[1:]  # the first column holds the tick boxes


def test_csv_export_has_the_shown_columns_and_the_filtered_rows(
    client_for: ClientFor, lotse: User, amina: Case, bystander: Case
) -> None:
    # More than one page: the export is the whole list, not one page.
    bulk_cases(bulk_newcomers(60), owner=lotse, category=Category.SCHOOL)
    FollowUpFactory.create(case=amina, due_on=timezone.localdate() + timedelta(days=3))
    client = client_for(lotse)
    params = {"status": "open", "owner": "me", "category": "housing"}
    html = _get(client, **params).content.decode()
    response = _get(client, **params, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    header, *rows = _csv(response)
    assert header == _table_headers(html)
    assert rows == [
        [
            "WC-2026-00042",
            "Amina Haddad",
            amina.get_category_display(),
            amina.get_status_display(),
            "Lena Lotz",
            amina.get_priority_display(),
            timezone.localtime(amina.opened_at).date().isoformat(),
            (timezone.localdate() + timedelta(days=3)).isoformat(),
        ]
    ]
    assert len(_csv(_get(client, status="open", owner="me", format="csv"))) == 1 + 61


def test_csv_export_neutralises_cells_a_spreadsheet_would_run_as_a_formula(
    client_for: ClientFor, lotse: User
) -> None:
    # Names come from the public intake form: a hostile one must not become a formula.
    CaseFactory.create(
        owner=lotse,
        newcomer__first_name='=HYPERLINK("http://evil.example")',
        newcomer__last_name="X",
    )
    CaseFactory.create(owner=lotse, newcomer__first_name="@SUM(A1)", newcomer__last_name="Y")
    _header, *rows = _csv(_get(client_for(lotse), status="open", format="csv"))
    names = sorted(row[1] for row in rows)
    assert names == ['\'=HYPERLINK("http://evil.example") X', "'@SUM(A1) Y"]


# ---- bulk actions -------------------------------------------------------------------------


def test_bulk_reassign_moves_the_ticked_cases_and_writes_the_timeline(
    client_for: ClientFor, head: User, lotse: User, other_lotse: User
) -> None:
    first, second = CaseFactory.create_batch(2, owner=lotse)
    untouched = CaseFactory.create(owner=lotse)
    back = f"{LIST}?owner={lotse.pk}&status=open"
    response = client_for(head).post(
        reverse("case_bulk"),
        {
            "cases": [first.pk, second.pk],
            "action": "reassign",
            "owner": other_lotse.pk,
            "next": back,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert set(Case.objects.filter(owner=other_lotse)) == {first, second}
    assert Case.objects.get(pk=untouched.pk).owner == lotse
    events = CaseEvent.objects.filter(kind=EventKind.ASSIGNMENT)
    assert sorted(events.values_list("case__reference", "actor", "old_value", "new_value")) == [
        (first.reference, head.pk, "Lena Lotz", "Lars Lange"),
        (second.reference, head.pk, "Lena Lotz", "Lars Lange"),
    ]
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_bulk_priority_changes_the_ticked_cases_and_writes_the_timeline(
    client_for: ClientFor, lotse: User
) -> None:
    normal = CaseFactory.create(owner=lotse, priority=Priority.NORMAL)
    already = CaseFactory.create(owner=lotse, priority=Priority.URGENT)
    response = client_for(lotse).post(
        reverse("case_bulk"),
        {"cases": [normal.pk, already.pk], "action": "priority", "priority": "4"},
    )
    assert response.status_code == 302
    assert set(Case.objects.values_list("priority", flat=True)) == {Priority.URGENT}
    event = CaseEvent.objects.get(kind=EventKind.PRIORITY)
    assert (event.case, event.actor) == (normal, lotse)
    assert (event.old_value, event.new_value) == (str(Priority.NORMAL), str(Priority.URGENT))
    assert (event.old_label, event.new_label) == (Priority.NORMAL.label, Priority.URGENT.label)


def test_bulk_reassign_of_the_whole_list_moves_every_case_on_every_page(
    client_for: ClientFor, head: User, lotse: User, other_lotse: User
) -> None:
    housing = bulk_cases(bulk_newcomers(60), owner=lotse, category=Category.HOUSING)
    school = CaseFactory.create(owner=lotse, category=Category.SCHOOL)
    closed = _closed(owner=lotse, category=Category.HOUSING)
    client = client_for(head)
    query = f"status=open&owner={lotse.pk}&category=housing&sort=-opened"
    page = client.get(f"{LIST}?{query}").content.decode()
    assert 'name="whole_list"' in page  # offered: the list has a second page
    assert "Alle 60 Fälle dieser Liste" in page
    response = client.post(
        reverse("case_bulk"),
        {"whole_list": "on", "list_query": query, "action": "reassign", "owner": other_lotse.pk},
    )
    assert response.status_code == 302
    moved = set(Case.objects.filter(owner=other_lotse).values_list("pk", flat=True))
    assert moved == {case.pk for case in housing}
    assert Case.objects.get(pk=school.pk).owner == lotse  # another category
    assert Case.objects.get(pk=closed.pk).owner == lotse  # not open
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNMENT).count() == 60
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "60 Fälle an Lars Lange übertragen."
    ]


def test_the_whole_list_is_not_offered_when_it_fits_on_one_page(
    client_for: ClientFor, lotse: User
) -> None:
    CaseFactory.create(owner=lotse)
    assert 'name="whole_list"' not in _get(client_for(lotse), status="open").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "reassign", "owner": "OWNER"},
        {"cases": ["CASE"], "action": "reassign"},
        {"cases": ["CASE"], "action": "reassign", "owner": "PARTNER"},
        {"cases": ["CASE"], "action": "reassign", "owner": "abc"},
        {"cases": ["CASE"], "action": "priority"},
        {"cases": ["CASE"], "action": "priority", "priority": "9"},
        {"cases": ["CASE"], "action": "priority", "priority": "high"},
        {"cases": ["CASE"], "action": "delete"},
        {"cases": ["CASE"]},
        {"cases": ["abc"], "action": "priority", "priority": "3"},
        {"cases": ["999999999"], "action": "priority", "priority": "3"},
        {"whole_list": "on", "list_query": "status=open&priority=9", "action": "priority"},
        {
            "whole_list": "on",
            "list_query": "status=open&opened_after=gestern",
            "action": "reassign",
            "owner": "OWNER",
        },
    ],
)
def test_a_refused_bulk_action_says_why_and_changes_nothing(
    client_for: ClientFor,
    lotse: User,
    other_lotse: User,
    partner_user: User,
    data: dict[str, Any],
) -> None:
    case = CaseFactory.create(owner=lotse, priority=Priority.NORMAL)
    replace = {"CASE": case.pk, "OWNER": other_lotse.pk, "PARTNER": partner_user.pk}
    post = {
        key: [replace.get(v, v) for v in value]
        if isinstance(value, list)
        else replace.get(value, value)
        for key, value in data.items()
    }
    response = client_for(lotse).post(reverse("case_bulk"), post)
    assert response.status_code == 302
    levels = {m.level_tag for m in get_messages(response.wsgi_request)}
    assert levels == {"error"}
    case.refresh_from_db()
    assert (case.owner, case.priority) == (lotse, Priority.NORMAL)
    assert not CaseEvent.objects.exists()


def test_bulk_does_not_follow_a_next_address_to_another_site(
    client_for: ClientFor, lotse: User
) -> None:
    case = CaseFactory.create(owner=lotse)
    response = client_for(lotse).post(
        reverse("case_bulk"),
        {
            "cases": [case.pk],
            "action": "priority",
            "priority": "3",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == LIST


def test_a_search_lists_each_matching_case_once_even_with_several_matching_notes(
    client_for: ClientFor, lotse: User
) -> None:
    newcomer = NewcomerFactory.create(first_name="Mehrfach")
    first = CaseFactory.create(owner=lotse, newcomer=newcomer)
    second = CaseFactory.create(owner=lotse, newcomer=newcomer, category=Category.SCHOOL)
    CaseEventFactory.create_batch(2, case=first, text="Mehrfach erwähnt")
    assert _ordered(client_for(lotse), q="Mehrfach").count(first.reference) == 1
    assert _refs(client_for(lotse), q="Mehrfach") == {first.reference, second.reference}
