"""Erasure (Art. 17) and withdrawal of consent: the head anonymises a newcomer, confirmed twice;
personal data goes everywhere it was (record, household, free texts, documents on disk, outbox,
audit trail), what statistics count stays, and the erasure itself is logged."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, OutgoingEmail, User
from cases.models import CaseEvent, Document, FollowUp, Referral
from migrants.models import Newcomer
from privacy.services import AlreadyAnonymised, anonymise_newcomer, consent_withdrawn
from tests.privacy.conftest import Record

pytestmark = pytest.mark.django_db

PERSONAL = ("Amira", "Haddad", "amira.haddad", "15112345678", "Damaskus", "Yusuf", "Termin bei")


def _erase(client: Client, newcomer: Newcomer, **data: str) -> object:
    form = {"understood": "on", "reference": newcomer.reference, "reason": "request", **data}
    return client.post(reverse("newcomer_erase", args=[newcomer.pk]), form)


def _everything_about(newcomer: Newcomer) -> str:
    """Every row that concerns the newcomer, as one text to search for traces."""
    rows: list[object] = [
        *Newcomer.objects.filter(pk=newcomer.pk).values(),
        *newcomer.household.values(),
        *newcomer.residence_permits.values(),
        *newcomer.qualifications.values(),
        *CaseEvent.objects.filter(case__newcomer=newcomer).values(),
        *Referral.objects.filter(case__newcomer=newcomer).values(),
        *FollowUp.objects.filter(case__newcomer=newcomer).values(),
        *Document.objects.filter(newcomer=newcomer).values(),
        *OutgoingEmail.objects.values(),
        *LogEntry.objects.values(),
        *Notification.objects.values(),
    ]
    return json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, default=str)


def test_before_erasure_the_personal_data_is_there_to_be_found(record: Record) -> None:
    # The check below is only worth something if it would see the data.
    text = _everything_about(record.newcomer)
    for trace in PERSONAL:
        assert trace in text, trace


def test_the_head_anonymises_a_newcomer_and_no_trace_is_left(
    record: Record, head: User, client_for: object, django_capture_on_commit_callbacks: object
) -> None:
    # The files go after the commit.
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = _erase(client_for(head), record.newcomer)  # type: ignore[operator]

    assert response.status_code == 302
    text = _everything_about(record.newcomer)
    for trace in PERSONAL:
        assert trace not in text, trace
    assert not record.document_path.exists()
    assert not Document.objects.filter(newcomer=record.newcomer).exists()


def test_what_statistics_count_survives(record: Record, head: User) -> None:
    anonymise_newcomer(record.newcomer, by=head, reason="request")

    newcomer = Newcomer.objects.get(pk=record.newcomer.pk)
    assert newcomer.anonymised_at is not None
    assert (newcomer.gender, newcomer.country_of_origin.code, newcomer.nationality.code) == (
        "female",
        "SY",
        "SY",
    )
    assert newcomer.birth_date.year == 1990  # only the year: the age group stays
    assert (newcomer.birth_date.month, newcomer.birth_date.day) == (1, 1)
    case = newcomer.cases.get()
    assert case.category == "recognition"
    assert case.opened_at == record.case.opened_at
    # Erasure on request ends the open case, counted as withdrawn.
    assert (case.status, case.outcome) == ("closed", "withdrawn")
    assert newcomer.household.get().birth_year == 2019
    assert newcomer.consents.count() == 2
    assert str(newcomer) == newcomer.reference


def test_the_erasure_is_logged_with_who_and_why(record: Record, head: User) -> None:
    anonymise_newcomer(record.newcomer, by=head, reason="consent_withdrawn")

    entry = LogEntry.objects.get(action=LogEntry.Action.DELETE, object_id=record.newcomer.pk)
    assert entry.actor == head
    assert entry.changes == {"anonymised": [None, "consent_withdrawn"]}
    # Earlier entries keep who did what and when; only their values are gone.
    updates = LogEntry.objects.filter(
        additional_data__newcomer=record.newcomer.pk, action=LogEntry.Action.CREATE
    )
    assert updates.exists()
    for update in updates:
        assert update.changes
        assert all(values == ["[anonymised]"] * 2 for values in update.changes.values())
        assert update.object_repr == record.newcomer.reference


def test_anonymisation_is_irreversible_and_cannot_run_twice(
    record: Record, head: User, client_for: object
) -> None:
    anonymise_newcomer(record.newcomer, by=head, reason="request")
    with pytest.raises(AlreadyAnonymised):
        anonymise_newcomer(record.newcomer, by=head, reason="request")
    client = client_for(head)  # type: ignore[operator]
    assert client.get(reverse("newcomer_erase", args=[record.newcomer.pk])).status_code == 404
    # Nobody writes personal data into the record again, and there is nothing to export.
    edit = reverse("newcomer_edit", args=[record.newcomer.pk])
    assert client.get(edit).status_code == 404
    assert client.get(reverse("newcomer_export", args=[record.newcomer.pk])).status_code == 404
    detail = client.get(reverse("newcomer_detail", args=[record.newcomer.pk]))
    assert detail.status_code == 200
    assert "Amira" not in detail.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"understood": ""}, "cannot be undone"),
        ({"reference": "NC-1999-00001"}, "not the reference"),
    ],
)
def test_erasure_needs_both_confirmations(
    record: Record, head: User, client_for: object, change: dict[str, str], message: str
) -> None:
    client = client_for(head)  # type: ignore[operator]
    response = _erase(client, record.newcomer, **change)

    assert response.status_code == 400
    assert Newcomer.objects.get(pk=record.newcomer.pk).anonymised_at is None
    assert record.document_path.exists()
    client.cookies.load({"django_language": "en"})
    page = _erase(client, record.newcomer, **change).content.decode()
    assert message in page or "This field is required" in page


def test_a_lotse_cannot_anonymise(record: Record, lotse: User, client_for: object) -> None:
    response = _erase(client_for(lotse), record.newcomer)  # type: ignore[operator]

    assert response.status_code == 403
    assert Newcomer.objects.get(pk=record.newcomer.pk).anonymised_at is None


def test_a_withdrawal_of_consent_to_processing_goes_to_the_head(
    record: Record, lotse: User, head: User, client_for: object
) -> None:
    consent = record.newcomer.consents.get(scope="processing")
    url = reverse("consent_withdraw", args=[record.newcomer.pk, consent.pk])

    response = client_for(lotse).post(url)  # type: ignore[operator]

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert list(consent_withdrawn()) == [record.newcomer]
    notification = Notification.objects.get(recipient=head)
    assert record.newcomer.reference in notification.text
    page = client_for(head).get(reverse("retention")).content.decode()  # type: ignore[operator]
    assert reverse("newcomer_erase", args=[record.newcomer.pk]) in page
    # Withdrawn is withdrawn: a second time finds nothing to withdraw.
    assert client_for(lotse).post(url).status_code == 404  # type: ignore[operator]


def test_withdrawing_consent_to_share_with_partners_does_not_ask_for_erasure(
    record: Record, lotse: User, head: User, client_for: object
) -> None:
    consent = record.newcomer.consents.get(scope="partners")
    client_for(lotse).post(  # type: ignore[operator]
        reverse("consent_withdraw", args=[record.newcomer.pk, consent.pk])
    )

    assert list(consent_withdrawn()) == []
    assert not Notification.objects.filter(recipient=head).exists()
