"""Access and portability (Art. 15, 20): one action gives everything held on a newcomer as a
ZIP with machine-readable JSON, a readable page in their language and their documents."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.privacy.conftest import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(
    record: Record, lotse: User, client_for: Callable[[User | None], Client]
) -> zipfile.ZipFile:
    client = client_for(lotse)
    client.get(reverse("newcomer_detail", args=[record.newcomer.pk]))  # a read to report
    response = client.get(reverse("newcomer_export", args=[record.newcomer.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{record.newcomer.reference}-'
    )
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_json_holds_the_whole_record(archive: zipfile.ZipFile, record: Record) -> None:
    data = json.loads(archive.read("data.json"))

    assert data["newcomer"]["first_name"] == "Amira"
    assert data["newcomer"]["phone"] == "+4915112345678"
    assert data["newcomer"]["country_of_origin"]["value"] == "SY"
    assert data["household"][0]["first_name"] == "Yusuf"
    assert {c["scope"]["value"] for c in data["consents"]} == {"processing", "partners"}
    assert data["residence_permits"][0]["notes"].startswith("Termin")
    (case,) = data["cases"]
    assert case["reference"] == record.case.reference
    assert any("Zeugnis aus Damaskus" in event["text"] for event in case["timeline"])
    assert case["referrals"][0]["request"] == "Bitte Anerkennung für Amira prüfen"
    assert case["follow_ups"][0]["text"] == "Amira anrufen"
    assert data["documents"][0]["original_name"] == "Zeugnis Amira Haddad.pdf"
    reads = data["audit_trail"]["reads"]
    assert any(read["record_name"] == "Amira Haddad" for read in reads)


def test_the_documents_themselves_are_in_the_zip(archive: zipfile.ZipFile, record: Record) -> None:
    name = f"documents/{record.document.pk}-Zeugnis Amira Haddad.pdf"
    assert archive.read(name) == b"%PDF-1.4 Zeugnis von Amira Haddad"


def test_the_readable_page_is_in_the_newcomers_language(archive: zipfile.ZipFile) -> None:
    html = archive.read("data.html").decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "Amira" in html
    assert "Yusuf" in html


def test_the_export_is_itself_logged(archive: zipfile.ZipFile, record: Record, lotse: User) -> None:
    entry = LogEntry.objects.get(additional_data__purpose="export")
    assert entry.actor == lotse
    assert entry.additional_data["newcomer"] == record.newcomer.pk


def test_introductions_and_81a_procedures_are_in_the_export(
    record: Record, lotse: User, client_for: Callable[[User | None], Client]
) -> None:
    from cases.models import AcceleratedProcedure
    from tests import factories

    factories.IntroductionFactory.create(newcomer=record.newcomer, proposed_by=lotse)
    AcceleratedProcedure.objects.create(case=record.case, power_of_attorney_on="2026-10-01")
    response = client_for(lotse).get(reverse("newcomer_export", args=[record.newcomer.pk]))
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))

    (introduction,) = data["introductions_to_companies"]
    assert introduction["status"]["value"] == "proposed"
    (procedure,) = data["procedures_81a"]
    assert (procedure["case"], procedure["power_of_attorney_on"]) == (
        record.case.reference,
        "2026-10-01",
    )
