"""Access and portability (Art. 15 and 20 GDPR): everything the portal holds on one newcomer, as
one ZIP file with a machine-readable JSON file, a readable HTML page in the newcomer's language
(where translated) and the uploaded documents themselves."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries.fields import Country

from cases.models import AcceleratedProcedure, Case, CaseEvent, Document, FollowUp, Referral
from companies.models import Introduction
from migrants.models import (
    ArrivalChecklistEntry,
    ConsentRecord,
    HouseholdMember,
    IntakeLanguage,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
)

FORMAT_VERSION = 1


def _value(instance: Model, field_name: str) -> Any:
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    if isinstance(value, Country):
        return {"value": value.code, "label": str(value.name)} if value.code else ""
    if getattr(field, "choices", None) and value not in ("", None):
        display = getattr(instance, f"get_{field_name}_display")()
        return {"value": value, "label": str(display)}
    if hasattr(value, "as_e164"):  # a phone number
        return value.as_e164
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(instance: Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every concrete field of a row, keyed by field name, with choices labelled."""
    row: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.name == "search_text":
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            row[field.name] = str(related) if related is not None else None
        else:
            row[field.name] = _value(instance, field.name)
    return row


def _labels(model: type[Model]) -> dict[str, str]:
    return {field.name: str(field.verbose_name) for field in model._meta.concrete_fields}


def collect(newcomer: Newcomer) -> dict[str, Any]:
    """The whole record of one newcomer as plain data (the JSON file's content)."""
    cases = (
        Case.objects.filter(newcomer=newcomer)
        .select_related("owner")
        .prefetch_related(
            "events__actor", "referrals__partner", "referrals__messages", "follow_ups"
        )
        .order_by("opened_at")
    )
    reads = (
        LogEntry.objects.filter(
            additional_data__newcomer=newcomer.pk, action=LogEntry.Action.ACCESS
        )
        .select_related("actor", "content_type")
        .order_by("timestamp")
    )
    changes = (
        LogEntry.objects.filter(additional_data__newcomer=newcomer.pk)
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("actor", "content_type")
        .order_by("timestamp")
    )
    return {
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now(),
        "newcomer": _row(newcomer),
        "household": [_row(m, ("newcomer",)) for m in newcomer.household.all()],
        "languages": [_row(s, ("newcomer",)) for s in newcomer.languages.all()],
        "qualifications": [_row(q, ("newcomer",)) for q in newcomer.qualifications.all()],
        "residence_permits": [_row(p, ("newcomer",)) for p in newcomer.residence_permits.all()],
        "consents": [_row(c, ("newcomer",)) for c in newcomer.consents.all()],
        "arrival_checklist": [_row(e, ("newcomer",)) for e in newcomer.checklist.all()],
        "cases": [
            {
                **_row(case, ("newcomer",)),
                "timeline": [_row(e, ("case",)) for e in case.events.all()],
                "referrals": [
                    {
                        **_row(r, ("case", "link_nonce")),
                        "messages": [_row(m, ("referral",)) for m in r.messages.all()],
                    }
                    for r in case.referrals.all()
                ],
                "follow_ups": [_row(f, ("case",)) for f in case.follow_ups.all()],
            }
            for case in cases
        ],
        "introductions_to_companies": [
            {**_row(i, ("newcomer",)), "company": str(i.need.company)}
            for i in newcomer.introductions.select_related("need__company", "proposed_by")
        ],
        "procedures_81a": [
            _row(p, ("case",)) | {"case": p.case.reference}
            for p in AcceleratedProcedure.objects.filter(case__newcomer=newcomer).select_related(
                "case"
            )
        ],
        "documents": [
            {**_row(d, ("newcomer", "file")), "file_in_export": _document_name(d)}
            for d in Document.objects.filter(newcomer=newcomer).select_related("case")
        ],
        "audit_trail": {
            "reads": [_audit_row(entry) for entry in reads],
            "changes": [_audit_row(entry) for entry in changes],
        },
    }


def _audit_row(entry: LogEntry) -> dict[str, Any]:
    return {
        "time": entry.timestamp,
        "by": str(entry.actor) if entry.actor else None,
        "action": str(entry.get_action_display()),
        "record": entry.content_type.model_class()._meta.verbose_name  # type: ignore[union-attr]
        if entry.content_type.model_class()
        else entry.content_type.model,
        "record_name": entry.object_repr,
        "changes": entry.changes or {},
    }


def _document_name(document: Document) -> str:
    # The id keeps two uploads called "cv.pdf" apart.
    return f"documents/{document.pk}-{document.original_name}"


class _Encoder(DjangoJSONEncoder):
    def default(self, o: object) -> object:
        if isinstance(o, datetime | date):
            return o.isoformat()
        return super().default(o)


def _display(value: Any) -> str:
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _readable(model: type[Model], rows: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    """Rows as (field label, shown value) pairs, for the HTML page."""
    labels = _labels(model)
    return [
        [
            (labels.get(name, name), _display(value))
            for name, value in row.items()
            if not isinstance(value, list)
        ]
        for row in rows
    ]


def _sections(data: dict[str, Any]) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    cases = data["cases"]
    return [
        (str(Newcomer._meta.verbose_name), _readable(Newcomer, [data["newcomer"]])),
        (
            str(HouseholdMember._meta.verbose_name_plural),
            _readable(HouseholdMember, data["household"]),
        ),
        (str(LanguageSkill._meta.verbose_name_plural), _readable(LanguageSkill, data["languages"])),
        (
            str(Qualification._meta.verbose_name_plural),
            _readable(Qualification, data["qualifications"]),
        ),
        (
            str(ResidencePermit._meta.verbose_name_plural),
            _readable(ResidencePermit, data["residence_permits"]),
        ),
        (str(ConsentRecord._meta.verbose_name_plural), _readable(ConsentRecord, data["consents"])),
        (
            str(ArrivalChecklistEntry._meta.verbose_name_plural),
            _readable(ArrivalChecklistEntry, data["arrival_checklist"]),
        ),
        (str(Case._meta.verbose_name_plural), _readable(Case, cases)),
        (
            str(CaseEvent._meta.verbose_name_plural),
            _readable(CaseEvent, [e for case in cases for e in case["timeline"]]),
        ),
        (
            str(Referral._meta.verbose_name_plural),
            _readable(Referral, [r for case in cases for r in case["referrals"]]),
        ),
        (
            str(FollowUp._meta.verbose_name_plural),
            _readable(FollowUp, [f for case in cases for f in case["follow_ups"]]),
        ),
        (
            str(Introduction._meta.verbose_name_plural),
            _readable(Introduction, data["introductions_to_companies"]),
        ),
        (
            str(AcceleratedProcedure._meta.verbose_name_plural),
            _readable(AcceleratedProcedure, data["procedures_81a"]),
        ),
        (str(Document._meta.verbose_name_plural), _readable(Document, data["documents"])),
    ]


def build_zip(newcomer: Newcomer) -> bytes:
    language = (
        newcomer.preferred_language
        if newcomer.preferred_language in IntakeLanguage.values
        else settings.LANGUAGE_CODE
    )
    # Labels in the newcomer's language where translated (else they fall back to English).
    with translation.override(language):
        data = collect(newcomer)
        html = render_to_string(
            "privacy/export.html",
            {
                "newcomer": newcomer,
                "sections": _sections(data),
                "reads": data["audit_trail"]["reads"],
                "created_at": data["created_at"],
                "language": language,
                "center_name": settings.CENTER_NAME,
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=_Encoder, ensure_ascii=False, indent=2))
        archive.writestr("data.html", html)
        for document in Document.objects.filter(newcomer=newcomer):
            with document.file.open("rb") as handle:
                archive.writestr(_document_name(document), handle.read())
    return buffer.getvalue()
