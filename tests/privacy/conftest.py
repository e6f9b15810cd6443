"""Fixtures of the data-protection tests: a newcomer with something of everything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from pytest_django.fixtures import Settings

from accounts.models import OutgoingEmail, User
from cases import services as case_services
from cases.models import Case, Document, Referral
from migrants.models import ConsentRecord, Newcomer
from partners.models import Partner
from tests import factories


@pytest.fixture
def upload_storage(settings: Settings, tmp_path: Path) -> Path:
    location = tmp_path / "uploads"
    location.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@dataclass
class Record:
    newcomer: Newcomer
    case: Case
    referral: Referral
    document: Document
    document_path: Path


@pytest.fixture
def record(lotse: User, partner: Partner, upload_storage: Path) -> Record:
    """Amira Haddad with a household, consents, a case with a note, a follow-up, a referral,
    a document on disk and the intake confirmation in the outbox."""
    newcomer = factories.NewcomerFactory.create(
        first_name="Amira",
        last_name="Haddad",
        email="amira.haddad@example.org",
        phone="+4915112345678",
        gender="female",
        country_of_origin="SY",
        nationality="SY",
        coming_from="Damaskus",
        target_place="Annaberg-Buchholz",
        profession="Krankenpflegerin",
        preferred_language="ar",
        birth_date="1990-05-17",
    )
    newcomer.household.create(relation="child", first_name="Yusuf", birth_year=2019)
    newcomer.residence_permits.create(title="18a", notes="Termin bei der ABH am 3. März")
    newcomer.qualifications.create(title="Bachelor Pflege, Universität Damaskus")
    for scope in ("processing", "partners"):
        ConsentRecord.objects.create(
            newcomer=newcomer,
            scope=scope,
            text_version="2026-11",
            language="ar",
            method="intake_form",
        )
    case = factories.CaseFactory.create(
        newcomer=newcomer, owner=lotse, category="recognition", summary="Anerkennung Pflege"
    )
    case_services.add_note(case, text="Amira hat ihr Zeugnis aus Damaskus dabei.", by=lotse)
    referral = factories.ReferralFactory.create(
        case=case, partner=partner, created_by=lotse, request="Bitte Anerkennung für Amira prüfen"
    )
    factories.FollowUpFactory.create(case=case, assignee=lotse, text="Amira anrufen")
    document = Document.objects.create(
        newcomer=newcomer,
        case=case,
        file=ContentFile(b"%PDF-1.4 Zeugnis von Amira Haddad", name="zeugnis.pdf"),
        original_name="Zeugnis Amira Haddad.pdf",
        content_type="application/pdf",
        size=33,
        uploaded_by=lotse,
    )
    OutgoingEmail.objects.create(
        to=newcomer.email,
        subject="Ihre Anfrage",
        body_text="Hallo Amira Haddad",
        template="intake-confirmation",
        language="ar",
    )
    return Record(newcomer, case, referral, document, upload_storage / document.file.name)
