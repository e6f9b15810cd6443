"""The case file: its header, every action on it, the timeline and the audit of reads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from cases.models import Case, CaseEvent, Document, EventKind, FollowUp, Outcome, Priority, Status
from tests.cases.factories_extra import PDF_BYTES
from tests.factories import CaseEventFactory, CaseFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def case(lotse: User) -> Case:
    return CaseFactory.create(
        reference="WC-2026-00042",
        owner=lotse,
        newcomer__first_name="Amina",
        newcomer__last_name="Haddad",
        summary="Sucht eine Wohnung in Annaberg",
        priority=Priority.HIGH,
        opened_at=timezone.now() - timedelta(days=12),
    )


def _post(client: Client, name: str, case: Case, data: dict[str, Any]) -> Any:
    return client.post(reverse(name, args=[case.reference]), data)


def _detail(client: Client, case: Case, **params: str) -> Any:
    return client.get(reverse("case_detail", args=[case.reference]), params)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


# ---- header ---------------------------------------------------------------------------


def test_the_header_shows_newcomer_category_status_owner_priority_age_and_next_follow_up(
    client_for: ClientFor, lotse: User, case: Case
) -> None:
    today = timezone.localdate()
    FollowUpFactory.create(case=case, due_on=today + timedelta(days=9), text="Später")
    FollowUpFactory.create(case=case, due_on=today + timedelta(days=2), text="Vermieter anrufen")
    FollowUpFactory.create(
        case=case, due_on=today - timedelta(days=1), text="Erledigt", done_at=timezone.now()
    )
    response = _detail(client_for(lotse), case)
    assert response.status_code == 200
    assert response.context["age_days"] == 12
    assert response.context["next_follow_up"].text == "Vermieter anrufen"
    header = response.content.decode().split('<header class="mb-4">', 1)[1].split("</header>", 1)[0]
    for shown in (
        "WC-2026-00042",
        "Amina Haddad",
        reverse("newcomer_detail", args=[case.newcomer_id]),
        "Sucht eine Wohnung in Annaberg",
        str(case.get_category_display()),
        str(case.get_status_display()),
        "Lena Lotz",
        str(case.get_priority_display()),
        "12",
        "Vermieter anrufen",
    ):
        assert shown in header, shown
    assert "Erledigt" not in header


# ---- status ---------------------------------------------------------------------------


def test_a_status_change_along_an_allowed_transition_is_saved_and_on_the_timeline(
    client_for: ClientFor, lotse: User, case: Case
) -> None:
    response = _post(
        client_for(lotse), "case_status", case, {"status": "waiting_newcomer", "note": "Wartet"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.reference])
    case.refresh_from_db()
    assert case.status == Status.WAITING_NEWCOMER
    event = case.events.get()
    assert (event.kind, event.actor, event.text) == (EventKind.STATUS, lotse, "Wartet")
    assert (event.old_value, event.new_value) == (Status.NEW, Status.WAITING_NEWCOMER)
    with translation.override("de"):
        assert (event.old_label, event.new_label) == (
            "Neu",
            "Wartet auf die neuzugewanderte Person",
        )


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (Status.NEW, Status.RESOLVED),
        (Status.NEW, Status.NEW),
        (Status.RESOLVED, Status.WAITING_PARTNER),
        (Status.CLOSED, Status.RESOLVED),
        (Status.IN_PROGRESS, "deleted"),
    ],
)
def test_a_disallowed_status_change_is_refused_and_nothing_changes(
    client_for: ClientFor, lotse: User, current: str, wanted: str
) -> None:
    closed = {"closed_at": timezone.now(), "outcome": Outcome.ACHIEVED}
    case = CaseFactory.create(owner=lotse, status=current, **closed if current == "closed" else {})
    response = _post(
        client_for(lotse), "case_status", case, {"status": wanted, "outcome": "achieved"}
    )
    assert response.status_code == 400
    assert "status" in response.context["status_form"].errors
    case.refresh_from_db()
    assert case.status == current
    assert not case.events.exists()


def test_closing_a_case_asks_for_an_outcome(client_for: ClientFor, lotse: User, case: Case) -> None:
    client = client_for(lotse)
    response = _post(client, "case_status", case, {"status": "closed"})
    assert response.status_code == 400
    assert "outcome" in response.context["status_form"].errors
    assert Case.objects.get(pk=case.pk).status == Status.NEW
    response = _post(client, "case_status", case, {"status": "closed", "outcome": "referred"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.REFERRED)
    assert case.closed_at is not None


def test_a_closed_case_can_be_reopened(client_for: ClientFor, lotse: User) -> None:
    case = CaseFactory.create(
        owner=lotse, status=Status.CLOSED, closed_at=timezone.now(), outcome=Outcome.WITHDRAWN
    )
    response = _post(client_for(lotse), "case_status", case, {"status": "in_progress"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_at) == (Status.IN_PROGRESS, "", None)
    assert case.events.get().old_value == Status.CLOSED


# ---- reassign, note, follow-up ------------------------------------------------------------


def test_reassigning_gives_the_case_to_a_colleague(
    client_for: ClientFor, lotse: User, other_lotse: User, case: Case
) -> None:
    response = _post(client_for(lotse), "case_reassign", case, {"owner": other_lotse.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.owner == other_lotse
    event = case.events.get()
    assert (event.kind, event.actor, event.old_value, event.new_value) == (
        EventKind.ASSIGNMENT,
        lotse,
        "Lena Lotz",
        "Lars Lange",
    )


def test_a_case_cannot_be_given_to_a_partner_user(
    client_for: ClientFor, lotse: User, partner_user: User, case: Case
) -> None:
    response = _post(client_for(lotse), "case_reassign", case, {"owner": partner_user.pk})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).owner == lotse


def test_a_note_is_added_to_the_timeline(client_for: ClientFor, lotse: User, case: Case) -> None:
    client = client_for(lotse)
    assert _post(client, "case_note", case, {"text": "   "}).status_code == 400
    response = _post(client, "case_note", case, {"text": "Zwei Wohnungen angeschaut."})
    assert response.status_code == 302
    event = case.events.get()
    assert (event.kind, event.actor, event.text) == (
        EventKind.NOTE,
        lotse,
        "Zwei Wohnungen angeschaut.",
    )


def test_a_follow_up_is_scheduled_for_a_colleague(
    client_for: ClientFor, lotse: User, other_lotse: User, case: Case
) -> None:
    due = timezone.localdate() + timedelta(days=7)
    response = _post(
        client_for(lotse),
        "case_follow_up",
        case,
        {"due_on": due.isoformat(), "text": "Nach Besichtigung fragen", "assignee": other_lotse.pk},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.case, follow_up.due_on, follow_up.assignee, follow_up.created_by) == (
        case,
        due,
        other_lotse,
        lotse,
    )
    event = case.events.get()
    assert (event.kind, event.actor, event.follow_up, event.new_value) == (
        EventKind.FOLLOW_UP,
        lotse,
        follow_up,
        due.isoformat(),
    )


@pytest.mark.parametrize("days", [-1, -30, 2 * 366])
def test_a_follow_up_in_the_past_or_years_ahead_is_refused(
    client_for: ClientFor, lotse: User, case: Case, days: int
) -> None:
    due = timezone.localdate() + timedelta(days=days)
    response = _post(
        client_for(lotse),
        "case_follow_up",
        case,
        {"due_on": due.isoformat(), "text": "Anrufen", "assignee": lotse.pk},
    )
    assert response.status_code == 400
    assert "due_on" in response.context["follow_up_form"].errors
    assert not FollowUp.objects.exists()
    assert not case.events.exists()


def test_marking_a_follow_up_done_twice_is_harmless(
    client_for: ClientFor, lotse: User, case: Case
) -> None:
    follow_up = FollowUpFactory.create(case=case)
    client = client_for(lotse)
    url = reverse("follow_up_done", args=[follow_up.pk])
    back = reverse("case_detail", args=[case.reference])
    for _click in range(2):
        response = client.post(url, {"next": back})
        assert response.status_code == 302
        assert response["Location"] == back
    follow_up.refresh_from_db()
    assert (follow_up.done_by, follow_up.done_at is not None) == (lotse, True)
    event = case.events.get()
    assert (event.kind, event.actor, event.new_value) == (EventKind.FOLLOW_UP, lotse, "done")


# ---- documents ----------------------------------------------------------------------------


def test_an_uploaded_pdf_is_stored_under_the_upload_location_with_a_random_name(
    client_for: ClientFor, lotse: User, case: Case, upload_storage: Path
) -> None:
    response = _post(
        client_for(lotse),
        "case_document",
        case,
        {"file": _upload("Mietvertrag Haddad.pdf", PDF_BYTES), "kind": "letter"},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.case, document.newcomer, document.uploaded_by) == (case, case.newcomer, lotse)
    assert (document.original_name, document.content_type, document.size) == (
        "Mietvertrag Haddad.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    stored_name = str(document.file.name)
    assert (upload_storage / stored_name).read_bytes() == PDF_BYTES
    assert "Haddad" not in stored_name
    event = case.events.get()
    assert (event.kind, event.actor, event.document) == (EventKind.DOCUMENT, lotse, document)


def test_a_docx_is_accepted_by_its_content(
    client_for: ClientFor, lotse: User, case: Case, upload_storage: Path
) -> None:
    response = _post(
        client_for(lotse),
        "case_document",
        case,
        {"file": _upload("Lebenslauf.docx", _docx(), "application/octet-stream"), "kind": "cv"},
    )
    assert response.status_code == 302
    assert Document.objects.get().content_type == DOCX_TYPE


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Zeugnis.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a renamed .exe
        ("Zeugnis.docx", b"PK\x03\x04" + b"\x00" * 200),  # a broken zip
        ("leer.pdf", b""),
        ("riesig.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)),  # 10 MB and 9 bytes
    ],
    ids=["renamed-exe", "not-a-docx", "empty", "over-10-mb"],
)
def test_an_upload_that_is_not_an_allowed_file_is_refused(
    client_for: ClientFor, lotse: User, case: Case, upload_storage: Path, name: str, content: bytes
) -> None:
    response = _post(
        client_for(lotse), "case_document", case, {"file": _upload(name, content), "kind": "other"}
    )
    assert response.status_code == 400
    assert "file" in response.context["document_form"].errors
    assert not Document.objects.exists()
    assert not case.events.exists()
    assert not [path for path in upload_storage.rglob("*") if path.is_file()]


def test_a_document_downloads_as_an_attachment_and_the_download_is_audited(
    client_for: ClientFor, lotse: User, case: Case, upload_storage: Path
) -> None:
    _post(
        client_for(lotse),
        "case_document",
        case,
        {"file": _upload("Bescheid.pdf", PDF_BYTES), "kind": "letter"},
    )
    document = Document.objects.get()
    response: Any = client_for(lotse).get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Bescheid.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    entry = LogEntry.objects.get_for_object(document).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == lotse


# ---- timeline -----------------------------------------------------------------------------


def test_every_action_lands_on_the_timeline_newest_first_with_its_actor(
    client_for: ClientFor,
    lotse: User,
    other_lotse: User,
    head: User,
    case: Case,
    upload_storage: Path,
) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    _post(client_for(lotse), "case_note", case, {"text": "Erstgespräch geführt."})
    _post(client_for(lotse), "case_status", case, {"status": "in_progress"})
    _post(
        client_for(lotse),
        "case_follow_up",
        case,
        {"due_on": tomorrow, "text": "Rückruf", "assignee": other_lotse.pk},
    )
    client_for(other_lotse).post(reverse("follow_up_done", args=[FollowUp.objects.get().pk]))
    _post(
        client_for(other_lotse),
        "case_document",
        case,
        {"file": _upload("Bescheid.pdf", PDF_BYTES), "kind": "letter"},
    )
    _post(client_for(head), "case_reassign", case, {"owner": other_lotse.pk})
    response = _detail(client_for(lotse), case)
    timeline = [(event.kind, event.actor) for event in response.context["events"].object_list]
    assert timeline == [
        (EventKind.ASSIGNMENT, head),
        (EventKind.DOCUMENT, other_lotse),
        (EventKind.FOLLOW_UP, other_lotse),
        (EventKind.FOLLOW_UP, lotse),
        (EventKind.STATUS, lotse),
        (EventKind.NOTE, lotse),
    ]
    html = response.content.decode().split('id="timeline-heading"', 1)[1]
    assert html.index("Heike Leitner") < html.index("Bescheid.pdf") < html.index("Rückruf")
    assert html.index("Rückruf") < html.index("Erstgespräch geführt.")
    document = Document.objects.get()
    assert reverse("document_download", args=[document.pk]) in html


def test_the_timeline_can_be_filtered_by_kind(
    client_for: ClientFor, lotse: User, case: Case
) -> None:
    CaseEventFactory.create(case=case, kind=EventKind.NOTE, text="Eine Notiz")
    CaseEventFactory.create(case=case, kind=EventKind.STATUS, text="Statuswechsel")
    client = client_for(lotse)
    notes = _detail(client, case, kind="note").context["events"].object_list
    assert [event.text for event in notes] == ["Eine Notiz"]
    everything = _detail(client, case, kind="no-such-kind").context["events"].object_list
    assert len(everything) == 2


def test_a_long_timeline_is_paged_and_the_kind_filter_stays_in_the_paging_links(
    client_for: ClientFor, lotse: User, case: Case
) -> None:
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=EventKind.NOTE, actor=lotse, text=f"Notiz {n}") for n in range(60)
    )
    response = _detail(client_for(lotse), case, kind="note")
    assert len(response.context["events"].object_list) == 50
    assert "?kind=note&amp;page=2" in response.content.decode()


# ---- audit of reads -----------------------------------------------------------------------


def test_reading_a_case_file_is_on_the_audit_trail_with_the_reader(
    client_for: ClientFor, lotse: User, head: User, case: Case
) -> None:
    _detail(client_for(lotse), case)
    _detail(client_for(head), case)
    entries = LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.ACCESS)
    assert sorted(entry.actor.full_name for entry in entries) == ["Heike Leitner", "Lena Lotz"]
