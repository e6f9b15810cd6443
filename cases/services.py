"""Workflows on a case. Each is one transaction that changes the case and writes its timeline
entry, with the actor as a keyword-only argument (STYLE.md: services for side effects)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import (
    Case,
    CaseEvent,
    Document,
    EventKind,
    FollowUp,
    Status,
)
from partners.models import PartnerContact
from welcome_center import audit


class TransitionNotAllowed(ValueError):
    pass


def _touch(case: Case, now: datetime) -> None:
    Case.objects.filter(pk=case.pk).update(last_activity_at=now)
    case.last_activity_at = now


@transaction.atomic
def change_status(case: Case, status: str, *, by: User, outcome: str = "", note: str = "") -> Case:
    """Move a case along TRANSITIONS. Closing needs an outcome; reopening clears it."""
    if not case.can_move_to(status):
        raise TransitionNotAllowed(f"{case.status} -> {status}")
    if status == Status.CLOSED and not outcome:
        raise TransitionNotAllowed("closing needs an outcome")
    now = timezone.now()
    old = case.status
    case.status = status
    case.closed_at = now if status == Status.CLOSED else None
    case.outcome = outcome if status == Status.CLOSED else ""
    case.last_activity_at = now
    case.save(update_fields=["status", "closed_at", "outcome", "last_activity_at"])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.STATUS,
        actor=by,
        created_at=now,
        text=note,
        old_value=old,
        new_value=status,
    )
    return case


def _set_on_cases(
    cases: list[Case],
    *,
    field: str,
    value: object,
    kind: str,
    by: User,
    shown: Callable[[object], str] = str,
) -> int:
    """Set one field on several cases: one UPDATE, and for each case that changes a timeline
    entry and an audit entry (a bulk UPDATE sends no signals, so it logs them itself)."""
    now = timezone.now()
    changing = [case for case in cases if getattr(case, field) != value]
    Case.objects.filter(pk__in=[case.pk for case in changing]).update(
        **{field: value, "last_activity_at": now}
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=kind,
            actor=by,
            created_at=now,
            old_value=shown(getattr(case, field)),
            new_value=shown(value),
        )
        for case in changing
    )
    audit.record_changed(
        ((case, {field: [str(getattr(case, field)), str(value)]}) for case in changing), by=by
    )
    return len(changing)


@transaction.atomic
def reassign(cases: list[Case], owner: User, *, by: User) -> int:
    """Give cases to another Lotse (one or many: a Lotse leaves or is ill, or triage)."""
    names = {case.owner_id: str(case.owner) for case in cases if case.owner_id}
    names[owner.pk] = str(owner)
    return _set_on_cases(
        cases,
        field="owner_id",
        value=owner.pk,
        kind=EventKind.ASSIGNMENT,
        by=by,
        shown=lambda pk: names.get(pk, ""),  # type: ignore[arg-type]
    )


@transaction.atomic
def set_priority(cases: list[Case], priority: int, *, by: User) -> int:
    return _set_on_cases(cases, field="priority", value=priority, kind=EventKind.PRIORITY, by=by)


@transaction.atomic
def add_note(case: Case, text: str, *, by: User) -> CaseEvent:
    now = timezone.now()
    _touch(case, now)
    return CaseEvent.objects.create(
        case=case, kind=EventKind.NOTE, actor=by, created_at=now, text=text
    )


@transaction.atomic
def schedule_follow_up(
    case: Case,
    *,
    due_on: date,
    text: str,
    assignee: User | None,
    by: User,
    assignee_contact: PartnerContact | None = None,
) -> FollowUp:
    now = timezone.now()
    follow_up = FollowUp.objects.create(
        case=case,
        due_on=due_on,
        text=text,
        assignee=None if assignee_contact else assignee,
        assignee_contact=assignee_contact,
        created_by=by,
        created_at=now,
    )
    _touch(case, now)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.FOLLOW_UP,
        actor=by,
        created_at=now,
        follow_up=follow_up,
        text=text,
        new_value=due_on.isoformat(),
    )
    return follow_up


@transaction.atomic
def complete_follow_up(follow_up: FollowUp, *, by: User) -> bool:
    """Done with one click. Returns False if it was already done (a double click)."""
    now = timezone.now()
    done = FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(
        done_at=now, done_by=by
    )
    if not done:
        return False
    _touch(follow_up.case, now)
    CaseEvent.objects.create(
        case=follow_up.case,
        kind=EventKind.FOLLOW_UP,
        actor=by,
        created_at=now,
        follow_up=follow_up,
        text=follow_up.text,
        old_value=follow_up.due_on.isoformat(),
        new_value="done",
    )
    return True


@transaction.atomic
def move_follow_up(follow_up: FollowUp, due_on: date, *, by: User) -> bool:
    """Give a pending follow-up a new date, on the timeline with the old and new date.
    Returns False if it was done meanwhile."""
    now = timezone.now()
    old = follow_up.due_on
    moved = FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(due_on=due_on)
    if not moved:
        return False
    follow_up.due_on = due_on
    _touch(follow_up.case, now)
    CaseEvent.objects.create(
        case=follow_up.case,
        kind=EventKind.FOLLOW_UP,
        actor=by,
        created_at=now,
        follow_up=follow_up,
        text=follow_up.text,
        old_value=old.isoformat(),
        new_value=due_on.isoformat(),
    )
    return True


@transaction.atomic
def attach_document(
    case: Case, upload: UploadedFile, *, content_type: str, kind: str, by: User
) -> Document:
    now = timezone.now()
    document = Document.objects.create(
        newcomer_id=case.newcomer_id,
        case=case,
        kind=kind,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
        uploaded_at=now,
    )
    _touch(case, now)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.DOCUMENT,
        actor=by,
        created_at=now,
        document=document,
        text=document.original_name,
    )
    return document
