"""The audit trail: every change and staff read of personal data, append-only in the database,
searchable by the head by person, newcomer and date, and exported as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from migrants.models import Newcomer
from privacy.guards import AuditTrailIsAppendOnly, redaction_allowed
from tests import factories
from tests.privacy.conftest import Record

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)


def _kinds(newcomer: Newcomer, action: int) -> set[str]:
    entries = LogEntry.objects.filter(additional_data__newcomer=newcomer.pk, action=action)
    return {entry.content_type.model for entry in entries.select_related("content_type")}


def test_changes_to_everything_about_a_newcomer_are_found_under_the_newcomer(
    record: Record, lotse: User
) -> None:
    member = record.newcomer.household.get()
    member.first_name = "Yusuf Ali"
    member.save()
    record.referral.delete()

    assert _kinds(record.newcomer, LogEntry.Action.CREATE) >= {
        "newcomer",
        "householdmember",
        "residencepermit",
        "qualification",
        "consentrecord",
        "case",
        "referral",
        "followup",
        "document",
    }
    change = LogEntry.objects.get(
        additional_data__newcomer=record.newcomer.pk,
        action=LogEntry.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(member),
    )
    assert change.changes["first_name"] == ["Yusuf", "Yusuf Ali"]
    assert "referral" in _kinds(record.newcomer, LogEntry.Action.DELETE)


def test_staff_reads_are_recorded_with_who(
    record: Record, lotse: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(lotse)
    client.get(reverse("newcomer_detail", args=[record.newcomer.pk]))
    client.get(reverse("case_detail", args=[record.case.reference]))
    client.get(reverse("document_download", args=[record.document.pk]))

    reads = LogEntry.objects.filter(
        additional_data__newcomer=record.newcomer.pk, action=LogEntry.Action.ACCESS
    )
    assert {(entry.content_type.model, entry.actor) for entry in reads} == {
        ("newcomer", lotse),
        ("case", lotse),
        ("document", lotse),
    }


@on_postgres
@pytest.mark.parametrize(
    "attempt",
    [
        lambda: LogEntry.objects.update(object_repr="rewritten"),
        lambda: LogEntry.objects.all()._raw_delete(LogEntry.objects.db),
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(
    record: Record, attempt: Callable[[], Any]
) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        attempt()


def test_the_model_refuses_to_save_or_delete_an_entry(record: Record) -> None:
    entry = LogEntry.objects.first()
    assert entry is not None
    entry.object_repr = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.delete()


@on_postgres
def test_redaction_may_blank_values_but_not_who_did_what(record: Record, head: User) -> None:
    entry = LogEntry.objects.filter(actor__isnull=False).first() or LogEntry.objects.first()
    assert entry is not None
    with transaction.atomic(), redaction_allowed():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="[anonymised]")
    assert LogEntry.objects.get(pk=entry.pk).object_repr == "[anonymised]"

    with pytest.raises(DatabaseError), transaction.atomic(), redaction_allowed():
        LogEntry.objects.filter(pk=entry.pk).update(actor=head, timestamp=timezone.now())
    # And the permission ends with the transaction.
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="again")


def test_the_admin_offers_no_change_or_delete(head: User, record: Record) -> None:
    client = Client()
    client.force_login(head)
    entry = LogEntry.objects.first()
    assert entry is not None
    page = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    delete = client.post(
        reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


# ---- the head's search ---------------------------------------------------------------------


def _rows(response: Any) -> list[LogEntry]:
    return [entry for entry, _reference in response.context["rows"]]


def test_the_head_searches_by_newcomer(
    record: Record, head: User, client_for: Callable[[User | None], Client]
) -> None:
    other = factories.NewcomerFactory.create()
    response = client_for(head).get(
        reverse("audit_trail"), {"newcomer": record.newcomer.reference.lower()}
    )

    assert response.status_code == 200
    rows = _rows(response)
    assert rows
    assert all(entry.additional_data["newcomer"] == record.newcomer.pk for entry in rows)
    assert other.reference not in response.content.decode()
    assert record.newcomer.reference in response.content.decode()


def test_the_head_searches_by_person_and_date(
    record: Record, head: User, lotse: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(lotse)
    client.get(reverse("newcomer_detail", args=[record.newcomer.pk]))
    today = timezone.localdate()

    response = client_for(head).get(
        reverse("audit_trail"),
        {"actor": lotse.pk, "date_from": today.isoformat(), "date_to": today.isoformat()},
    )
    rows = _rows(response)
    assert rows
    assert {entry.actor for entry in rows} == {lotse}

    yesterday = today - timedelta(days=1)
    empty = client_for(head).get(reverse("audit_trail"), {"date_to": yesterday.isoformat()})
    assert _rows(empty) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"newcomer": "NC-1900-99999"}, "newcomer"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"actor": "999999"}, "actor"),
    ],
)
def test_a_bad_search_says_what_is_wrong(
    head: User, client_for: Callable[[User | None], Client], query: dict[str, str], field: str
) -> None:
    response = client_for(head).get(reverse("audit_trail"), query)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert client_for(head).get(reverse("audit_trail_csv"), query).status_code == 400


def test_the_csv_export_has_the_filtered_entries(
    record: Record, head: User, lotse: User, client_for: Callable[[User | None], Client]
) -> None:
    client_for(lotse).get(reverse("newcomer_detail", args=[record.newcomer.pk]))

    response = client_for(head).get(reverse("audit_trail_csv"), {"actor": lotse.pk})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], rows[1:]
    assert len(header) == 8
    expected = LogEntry.objects.filter(actor=lotse).count()
    assert len(body) == expected > 0
    assert {row[1] for row in body} == {lotse.email}
    assert record.newcomer.reference in {row[6] for row in body}


def test_the_search_costs_the_same_queries_with_few_and_many_entries(
    record: Record,
    head: User,
    lotse: User,
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(head)
    reader = client_for(lotse)

    def queries() -> int:
        with django_assert_max_num_queries(12) as captured:
            response = client.get(reverse("audit_trail"))
        assert response.status_code == 200
        return len(captured)

    few = queries()
    for _ in range(60):
        reader.get(reverse("newcomer_detail", args=[record.newcomer.pk]))
    assert LogEntry.objects.count() > 60
    assert queries() == few
