"""The home page of the Lotsen and the head: every count matches hand-made data, and every
count's link leads to a list of exactly the cases it counted."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import User
from cases.models import Case, Outcome, Referral, Status
from migrants.models import ChecklistItem, Newcomer
from partners.models import Partner
from tests.cases.factories_extra import ChecklistEntryFactory, ResidencePermitFactory
from tests.factories import CaseFactory, FollowUpFactory, NewcomerFactory, ReferralFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def _case(reference: str, owner: User | None, **fields: Any) -> Case:
    if fields.get("status") == Status.CLOSED:
        fields.update(closed_at=timezone.now(), outcome=Outcome.ACHIEVED)
    return CaseFactory.create(reference=f"WC-2026-{reference}", owner=owner, **fields)


@pytest.fixture
def center(
    lotse: User,
    other_lotse: User,
    head: User,
    partner: Partner,
    frozen_today: time_machine.Traveller,
) -> dict[str, Case]:
    """A small center. Lena (lotse) owns A, B, B2, C, D (open) and E, E2 (closed); Lars owns
    F and F2; G and H wait for triage. What needs attention, and on which case:

    follow-ups   A: two overdue (one case, counted once)  B: due today  C: overdue but done
                 E: overdue on a closed case  F: overdue, on Lars's case but for Lena
    referrals    A: two past their answer date  B: accepted, so not waiting  C: not yet due
                 E: closed case  F: Lars's
    permits      B and B2 (one newcomer): expires in 30 days  D: in 200 days  C: expired
                 F2 (whose newcomer also has Lena's closed case E2): in 10 days
    checklist    D: two items overdue  A: done  C: due tomorrow  E: closed case
    """
    today = timezone.localdate()
    past, future = today - timedelta(days=1), today + timedelta(days=1)
    cases = {
        "A": _case("00001", lotse, status=Status.NEW),
        "B": _case("00002", lotse, status=Status.IN_PROGRESS),
        "C": _case("00004", lotse, status=Status.WAITING_PARTNER),
        "D": _case("00005", lotse, status=Status.NEW),
        "E": _case("00006", lotse, status=Status.CLOSED),
        "F": _case("00008", other_lotse, status=Status.NEW),
        "F2": _case("00009", other_lotse, status=Status.WAITING_NEWCOMER),
    }
    cases["B2"] = _case("00003", lotse, status=Status.IN_PROGRESS, newcomer=cases["B"].newcomer)
    cases["E2"] = _case("00007", lotse, status=Status.CLOSED, newcomer=cases["F2"].newcomer)
    for name, reference in (("G", "00010"), ("H", "00011")):
        waiting = NewcomerFactory.create(intake_submitted_at=timezone.now())
        cases[name] = _case(reference, None, newcomer=waiting)

    follow = FollowUpFactory.create
    follow(case=cases["A"], due_on=past)
    follow(case=cases["A"], due_on=today - timedelta(days=5))
    follow(case=cases["B"], due_on=today)
    follow(case=cases["C"], due_on=past, done_at=timezone.now())
    follow(case=cases["E"], due_on=past)
    follow(case=cases["F"], due_on=past, assignee=lotse)

    def refer(case: str, **fields: Any) -> None:
        ReferralFactory.create(case=cases[case], partner=partner, **{"answer_by": past, **fields})

    refer("A")
    refer("A")
    refer("B", status=Referral.Status.ACCEPTED)
    refer("C", answer_by=future)
    refer("E")
    refer("F")

    def permit(case: str, days: int) -> None:
        ResidencePermitFactory.create(
            newcomer=cases[case].newcomer, expires_on=today + timedelta(days=days)
        )

    permit("B", 30)
    permit("D", 200)
    permit("C", -1)
    permit("F2", 10)

    def item(case: str, item: str, due: Any, **fields: Any) -> None:
        ChecklistEntryFactory.create(newcomer=cases[case].newcomer, item=item, due_on=due, **fields)

    item("D", ChecklistItem.ADDRESS_REGISTERED, past)
    item("D", ChecklistItem.TAX_ID, past)
    item("A", ChecklistItem.ADDRESS_REGISTERED, past, done_on=today)
    item("C", ChecklistItem.ADDRESS_REGISTERED, future)
    item("E", ChecklistItem.ADDRESS_REGISTERED, past)
    return cases


# The head's counts above the caseload table, in the order of its columns.
CENTER_COUNTS = (
    "open_total",
    "follow_ups_today",
    "follow_ups_overdue",
    "overdue_referrals",
    "expiring_permits",
    "checklist_overdue",
)


def _names(center: dict[str, Case], references: set[str]) -> set[str]:
    """The fixture's names (A, B, ...) of the cases with these references."""
    by_reference = {case.reference: name for name, case in center.items()}
    return {by_reference[reference] for reference in references}


def _linked_lists(client: Client, html: str) -> dict[str, tuple[int | None, set[str]]]:
    """Each case-list link on the page: its query -> (the number shown on it, if any, and the
    references of the cases listed)."""
    links = re.findall(r'<a href="/cases/\?([^"]+)">(.*?)</a>', html, re.S)
    result = {}
    for query, text in links:
        query = query.replace("&amp;", "&")
        numbers = re.findall(r"\d+", re.sub(r"<[^>]+>", "", text))
        shown = int(numbers[-1]) if numbers else None
        response = client.get(f"/cases/?{query}&format=csv")
        content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        _header, *rows = csv.reader(io.StringIO(content))
        result[query] = (shown, {row[0] for row in rows})
    return result


def test_the_lotse_sees_counts_of_their_own_open_cases(
    client_for: ClientFor, lotse: User, center: dict[str, Case]
) -> None:
    response = client_for(lotse).get("/")
    assert response.status_code == 200
    context = response.context
    assert [(value, count) for value, _label, count in context["by_status"]] == [
        ("new", 2),
        ("in_progress", 2),
        ("waiting_partner", 1),
    ]
    counts = {
        name: context[name]
        for name in (
            "open_total",
            "follow_ups_today",
            "follow_ups_overdue",
            "awaiting_triage",
            "overdue_referrals",
            "expiring_permits",
            "checklist_overdue",
        )
    }
    assert counts == {
        "open_total": 5,
        "follow_ups_today": 1,  # B
        "follow_ups_overdue": 1,  # A
        "awaiting_triage": 2,  # G, H
        "overdue_referrals": 1,  # A
        "expiring_permits": 2,  # B, B2
        "checklist_overdue": 1,  # D
    }
    assert context.get("caseload") is None


def test_each_count_of_the_lotse_links_to_a_list_of_exactly_those_cases(
    client_for: ClientFor, lotse: User, center: dict[str, Case]
) -> None:
    client = client_for(lotse)
    lists = _linked_lists(client, client.get("/").content.decode())
    expected = {
        "status=open&owner=me": {"A", "B", "B2", "C", "D"},
        "status=new&owner=me": {"A", "D"},
        "status=in_progress&owner=me": {"B", "B2"},
        "status=waiting_partner&owner=me": {"C"},
        "status=open&due_today=on&owner=me": {"B"},
        "status=open&overdue=on&owner=me": {"A"},
        "status=open&referral_overdue=on&owner=me": {"A"},
        "status=open&permit_expiring=on&owner=me": {"B", "B2"},
        "status=open&checklist_overdue=on&owner=me": {"D"},
    }
    assert set(lists) == set(expected)
    for query, (shown, listed) in lists.items():
        assert _names(center, listed) == expected[query], query
        assert shown == len(listed), query


def test_follow_ups_assigned_to_me_count_as_my_follow_ups_list_shows_them(
    client_for: ClientFor, lotse: User, center: dict[str, Case]
) -> None:
    client = client_for(lotse)
    html = client.get("/").content.decode()
    # Follow-ups, not cases, as "My follow-ups" lists them under overdue and today: A's two,
    # B's, E's (still pending) and F's, on Lars's case but for Lena; not C's, which is done.
    listed = client.get("/follow-ups/").context["sections"]
    due = [follow_up for key, _title, items in listed if key != "week" for follow_up in items]
    names = {case.pk: name for name, case in center.items()}
    assert sorted(names[follow_up.case_id] for follow_up in due) == ["A", "A", "B", "E", "F"]
    shown = re.search(r'href="/follow-ups/">[^<]*: <strong>(\d+)</strong>', html)
    assert shown is not None
    assert int(shown.group(1)) == 5


def test_the_triage_count_links_to_the_waiting_intakes(
    client_for: ClientFor, lotse: User, center: dict[str, Case]
) -> None:
    client = client_for(lotse)
    html = client.get("/").content.decode()
    assert re.search(r'<a href="/triage/">2</a>', html)
    waiting = client.get("/triage/").context["page"].object_list
    assert set(waiting) == {center["G"].newcomer, center["H"].newcomer}


def test_the_head_sees_the_whole_center(
    client_for: ClientFor, head: User, center: dict[str, Case]
) -> None:
    context = client_for(head).get("/").context
    assert context["whole_center"] is True
    assert {value: count for value, _label, count in context["by_status"]} == {
        "new": 5,  # A, D, F, G, H
        "in_progress": 2,
        "waiting_newcomer": 1,
        "waiting_partner": 1,
    }
    assert [context[name] for name in CENTER_COUNTS] == [9, 1, 2, 2, 3, 1]


def test_each_count_of_the_head_links_to_a_list_of_exactly_those_cases(
    client_for: ClientFor, head: User, center: dict[str, Case]
) -> None:
    client = client_for(head)
    lists = _linked_lists(client, client.get("/").content.decode())
    counted = {query: listed for query, (_shown, listed) in lists.items()}
    assert _names(center, counted["status=open"]) == set(center) - {"E", "E2"}
    assert _names(center, counted["status=new"]) == {"A", "D", "F", "G", "H"}
    assert _names(center, counted["status=open&due_today=on"]) == {"B"}
    assert _names(center, counted["status=open&overdue=on"]) == {"A", "F"}
    assert _names(center, counted["status=open&referral_overdue=on"]) == {"A", "F"}
    assert _names(center, counted["status=open&permit_expiring=on"]) == {"B", "B2", "F2"}
    assert _names(center, counted["status=open&checklist_overdue=on"]) == {"D"}
    for query, (shown, listed) in lists.items():
        if shown is not None:  # the caseload's links show a name
            assert shown == len(listed), query


def test_the_head_sees_each_count_per_lotse_with_links_to_their_lists(
    client_for: ClientFor, head: User, lotse: User, other_lotse: User, center: dict[str, Case]
) -> None:
    client = client_for(head)
    response = client.get("/")
    caseload = {
        row["name"]: [count for count, _query in row["cells"]]
        for row in response.context["caseload"]
    }
    # Open, due today, follow-up overdue, answer overdue, permit expiring, checklist overdue;
    # cases, not items, as on each Lotse's own page: A for Lena, F for Lars.
    assert caseload == {
        "Heike Leitner": [0, 0, 0, 0, 0, 0],
        "Lena Lotz": [5, 1, 1, 1, 2, 1],
        "Lars Lange": [2, 0, 1, 1, 1, 0],
        "niemand (noch nicht gesichtet)": [2, 0, 0, 0, 0, 0],  # G and H, waiting for triage
    }
    lists = _linked_lists(client, response.content.decode())
    assert _names(center, lists[f"status=open&owner={lotse.pk}"][1]) == {"A", "B", "B2", "C", "D"}
    assert _names(center, lists[f"status=open&owner={other_lotse.pk}"][1]) == {"F", "F2"}
    assert _names(center, lists["status=open&owner=none"][1]) == {"G", "H"}
    lena = {
        "due_today": {"B"},
        "overdue": {"A"},
        "referral_overdue": {"A"},
        "permit_expiring": {"B", "B2"},
        "checklist_overdue": {"D"},
    }
    for filter_name, expected in lena.items():
        shown, listed = lists[f"status=open&{filter_name}=on&owner={lotse.pk}"]
        assert _names(center, listed) == expected, filter_name
        assert shown == len(expected), filter_name
    assert _names(center, lists[f"status=open&permit_expiring=on&owner={other_lotse.pk}"][1]) == {
        "F2"
    }
    # The sums of the rows are the center's counts above the table.
    context = response.context
    columns = list(zip(*caseload.values(), strict=True))
    assert list(map(sum, columns)) == [context[name] for name in CENTER_COUNTS]


def test_the_cases_of_a_deactivated_lotse_have_a_row_of_their_own(
    client_for: ClientFor, head: User, other_lotse: User, center: dict[str, Case]
) -> None:
    User.objects.filter(pk=other_lotse.pk).update(is_active=False)  # Lars has left
    response = client_for(head).get("/")
    rows = {row["name"]: row for row in response.context["caseload"]}
    assert [count for count, _query in rows["Lars Lange"]["cells"]] == [2, 0, 1, 1, 1, 0]
    assert rows["Lars Lange"]["role"] == "nicht mehr aktiv"
    total = sum(row["cells"][0][0] for row in rows.values())
    assert total == response.context["open_total"]


def test_a_lotse_without_cases_sees_zeros_and_no_caseload(
    client_for: ClientFor, other_lotse: User
) -> None:
    NewcomerFactory.create(intake_submitted_at=timezone.now())
    context = client_for(other_lotse).get("/").context
    assert (context["open_total"], context["follow_ups_overdue"], context["awaiting_triage"]) == (
        0,
        0,
        1,
    )
    assert list(context["by_status"]) == []


def test_a_triaged_newcomer_or_one_entered_by_a_lotse_is_not_waiting_for_triage(
    client_for: ClientFor, lotse: User
) -> None:
    now = timezone.now()
    NewcomerFactory.create(intake_submitted_at=now, triaged_at=now)
    NewcomerFactory.create()  # entered by a Lotse, never through the intake
    assert client_for(lotse).get("/").context["awaiting_triage"] == 0
    assert not Newcomer.objects.awaiting_triage().exists()
