"""welcome_center/audit.py's own diff of new rows must log exactly what django-auditlog's
would: it replaces it only to be cheaper."""

from __future__ import annotations

import pytest
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from cases.models import Case
from migrants.models import ConsentRecord, HouseholdMember, LanguageSkill, Newcomer
from tests import factories
from tests.migrants.intake_data import valid_intake
from welcome_center.audit import creation_changes

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
