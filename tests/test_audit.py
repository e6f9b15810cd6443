"""welcome_center/audit.py's own diff of new rows must log exactly what django-auditlog's
would: it replaces it only to be cheaper."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases.models import Case
from migrants.models import ConsentRecord, HouseholdMember, LanguageSkill, Newcomer
from tests import factories
from tests.migrants.intake_data import valid_intake
from welcome_center.audit import _entry, creation_changes, record_created

pytestmark = pytest.mark.django_db


def _instances() -> list[Model]:
    newcomer = Newcomer.objects.get()
    return [
        newcomer,
        *ConsentRecord.objects.filter(newcomer=newcomer),
        *HouseholdMember.objects.filter(newcomer=newcomer),
        *LanguageSkill.objects.filter(newcomer=newcomer),
        *Case.objects.filter(newcomer=newcomer),
        *newcomer.qualifications.all(),
        *newcomer.residence_permits.all(),
        *newcomer.checklist.all(),
    ]


def test_creation_changes_equal_auditlogs_diff_for_every_row_of_an_intake(client: Client) -> None:
    response = client.post(reverse("intake"), valid_intake(email="diff@example.org"))
    assert response.status_code == 302
    instances = _instances()
    assert len({type(instance) for instance in instances}) >= 7  # every kind of row is there
    for instance in instances:
        assert creation_changes(instance) == (model_instance_diff(None, instance) or {}), instance


def test_an_empty_foreign_key_is_logged_as_auditlog_does() -> None:
    case = factories.CaseFactory.create(owner=None)
    assert creation_changes(case)["owner"] == ("None", "None")
    assert model_instance_diff(None, case)["owner"] == ("None", "None")


def test_the_intakes_audit_entries_carry_the_values(client: Client) -> None:
    client.post(reverse("intake"), valid_intake(email="values@example.org", last_name="Diff"))
    newcomer = Newcomer.objects.get()
    entry = LogEntry.objects.get_for_object(newcomer).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes_dict["last_name"] == ["None", "Diff"]


def test_entries_carry_the_rows_own_values_not_reverse_relations(client: Client) -> None:
    client.post(reverse("intake"), valid_intake(email="own@example.org"))
    newcomer = Newcomer.objects.get()
    changes = LogEntry.objects.get_for_object(newcomer).get().changes_dict
    assert {"reference", "email", "created_at"} <= changes.keys()
    # Reverse relations were logged as "cases.Case.None" before they were excluded.
    assert not {"cases", "household", "consents", "checklist"} & changes.keys()
    assert not any(str(new).endswith(".None") for _old, new in changes.values())


def test_the_intakes_single_insert_stores_what_bulk_create_would(client: Client) -> None:
    """record_created writes its entries through one JSON document on PostgreSQL; the same
    entries stored by the ORM must come out equal, column by column."""
    client.post(reverse("intake"), valid_intake(email="same@example.org"))
    columns = [
        field.attname
        for field in LogEntry._meta.concrete_fields
        if field.attname not in ("id", "timestamp")
    ]
    by_intake = list(LogEntry.objects.order_by("pk").values(*columns))
    assert len(by_intake) == len(_instances()) >= 10
    LogEntry.objects.bulk_create(
        _entry(instance, action=LogEntry.Action.CREATE, changes=creation_changes(instance), by=None)
        for instance in _instances()
    )
    by_orm = list(LogEntry.objects.order_by("pk").values(*columns))[len(by_intake) :]

    def key(entry: dict[str, object]) -> tuple[object, object]:
        return entry["content_type_id"], entry["object_pk"]

    assert sorted(by_intake, key=key) == sorted(by_orm, key=key)


def test_record_created_with_an_actor_and_nothing_to_log(lotse: User) -> None:
    case = factories.CaseFactory.create()
    # Microseconds too: DjangoJSONEncoder would cut them to milliseconds.
    now = datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        record_created([], by=lotse)
        record_created([case], by=lotse)
    # The factory's save was logged by auditlog's signal, without an actor.
    entry = LogEntry.objects.get_for_object(case).get(actor=lotse)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.additional_data == {"newcomer": case.newcomer_id}
    assert entry.changes_dict["reference"] == ["None", case.reference]
    assert entry.timestamp == now
