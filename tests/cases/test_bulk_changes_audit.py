"""Changes written with one UPDATE over many cases send no model signals; the services put
them on the audit trail themselves, with actor, old and new value."""

from __future__ import annotations

from collections.abc import Callable

from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases.models import Case, Priority
from tests.factories import CaseFactory


def _updates(case: Case) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.UPDATE))


def test_a_bulk_reassignment_is_on_the_audit_trail(
    client_for: Callable[[User | None], Client], head: User, lotse: User, other_lotse: User
) -> None:
    first, second = CaseFactory.create_batch(2, owner=lotse)
    client_for(head).post(
        reverse("case_bulk"),
        {"cases": [first.pk, second.pk], "action": "reassign", "owner": other_lotse.pk},
    )
    for case in (first, second):
        [entry] = _updates(case)
        assert entry.actor == head
        assert entry.changes == {"owner_id": [str(lotse.pk), str(other_lotse.pk)]}


def test_a_bulk_priority_change_is_on_the_audit_trail(
    client_for: Callable[[User | None], Client], lotse: User
) -> None:
    case = CaseFactory.create(owner=lotse, priority=Priority.NORMAL)
    client_for(lotse).post(
        reverse("case_bulk"), {"cases": [case.pk], "action": "priority", "priority": "4"}
    )
    [entry] = _updates(case)
    assert (entry.actor, entry.changes) == (lotse, {"priority": ["2", "4"]})


def test_an_unchanged_case_writes_no_audit_entry(
    client_for: Callable[[User | None], Client], lotse: User
) -> None:
    case = CaseFactory.create(owner=lotse, priority=Priority.URGENT)
    client_for(lotse).post(
        reverse("case_bulk"), {"cases": [case.pk], "action": "priority", "priority": "4"}
    )
    assert _updates(case) == []
