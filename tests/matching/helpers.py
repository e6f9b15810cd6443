"""Builders the matching and introduction tests share."""

from __future__ import annotations

from datetime import date
from typing import Any

from migrants.models import ConsentMethod, ConsentRecord, ConsentScope, Newcomer
from tests import factories


def consent_to_processing(newcomer: Newcomer, *, withdrawn: bool = False) -> ConsentRecord:
    record = ConsentRecord.objects.create(
        newcomer=newcomer,
        scope=ConsentScope.PROCESSING,
        text_version="2026-11",
        language="de",
        method=ConsentMethod.INTAKE_FORM,
    )
    if withdrawn:
        ConsentRecord.objects.filter(pk=record.pk).update(withdrawn_at=record.given_at)
    return record


def newcomer(
    *,
    german: str | None = None,
    qualifications: list[dict[str, Any]] | None = None,
    consent: bool = True,
    arrival_date: date | None = None,
    **fields: Any,
) -> Newcomer:
    """A newcomer with consent to processing, German at `german` (CEFR) and qualifications."""
    person = factories.NewcomerFactory.create(arrival_date=arrival_date, **fields)
    if consent:
        consent_to_processing(person)
    if german:
        person.languages.create(language="de", level=german)
    for qualification in qualifications or []:
        person.qualifications.create(**qualification)
    return person
