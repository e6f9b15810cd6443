"""Who may reach the workspace: Lotsen and the head only. Partner and company users get a 403
on every page and every action (and change nothing), visitors are sent to the login, unknown
references and ids are a 404, actions answer only to POST, and every POST needs its CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseEvent, Document, FollowUp
from migrants.models import ArrivalChecklistEntry, Newcomer, Qualification, ResidencePermit
from tests.cases.factories_extra import (
    ChecklistEntryFactory,
    DocumentFactory,
    QualificationFactory,
    ResidencePermitFactory,
)
from tests.factories import CaseFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]

# Every workspace address: (URL name, method, the objects of the world that fill its arguments).
CASE = ("case",)
NEWCOMER = ("newcomer",)
WORKSPACE: list[tuple[str, str, tuple[str, ...]]] = [
    ("case_list", "get", ()),
    ("case_bulk", "post", ()),
    ("case_detail", "get", CASE),
    ("case_status", "post", CASE),
    ("case_reassign", "post", CASE),
    ("case_note", "post", CASE),
    ("case_follow_up", "post", CASE),
    ("case_document", "post", CASE),
    ("follow_up_done", "post", ("follow_up",)),
    ("document_download", "get", ("document",)),
    ("newcomer_detail", "get", NEWCOMER),
    ("newcomer_edit", "get", NEWCOMER),
    ("newcomer_edit", "post", NEWCOMER),
    ("newcomer_history", "get", NEWCOMER),
    ("residence_permit_add", "get", NEWCOMER),
    ("residence_permit_add", "post", NEWCOMER),
    ("residence_permit_edit", "get", ("newcomer", "permit")),
    ("residence_permit_edit", "post", ("newcomer", "permit")),
    ("qualification_add", "get", NEWCOMER),
    ("qualification_add", "post", NEWCOMER),
    ("qualification_edit", "get", ("newcomer", "qualification")),
    ("qualification_edit", "post", ("newcomer", "qualification")),
    ("checklist_tick", "post", ("newcomer", "entry")),
]
POST_ONLY = sorted(
    {name for name, method, _args in WORKSPACE if method == "post"}
    - {name for name, method, _args in WORKSPACE if method == "get"}
)


def _data(name: str, world: dict[str, Any]) -> dict[str, Any]:
    """A valid POST for each action, so that a refusal is the permission's, not the form's."""
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    lotse_pk = world["lotse"].pk
    valid: dict[str, dict[str, Any]] = {
        "case_bulk": {"cases": [world["case"].pk], "action": "priority", "priority": "4"},
        "case_status": {"status": "in_progress"},
        "case_reassign": {"owner": world["other_lotse"].pk},
        "case_note": {"text": "Darf niemand außer dem Team schreiben."},
        "case_follow_up": {"due_on": tomorrow, "text": "Anrufen", "assignee": lotse_pk},
        "case_document": {"kind": "other"},
        "newcomer_edit": {"first_name": "Geändert", "last_name": "Geändert"},
        "residence_permit_add": {"title": "18b"},
        "residence_permit_edit": {"title": "18g"},
        "qualification_add": {"title": "Meister", "education_level": "isced_5_8"},
        "qualification_edit": {"title": "Meister", "education_level": "isced_5_8"},
        "checklist_tick": {"done": "1"},
    }
    return valid.get(name, {})


@pytest.fixture
def world(lotse: User, other_lotse: User, upload_storage: Path) -> dict[str, Any]:
    case = CaseFactory.create(owner=lotse)
    newcomer = case.newcomer
    return {
        "lotse": lotse,
        "other_lotse": other_lotse,
        "case": case,
        "newcomer": newcomer,
        "follow_up": FollowUpFactory.create(case=case),
        "document": DocumentFactory.create(newcomer=newcomer, case=case),
        "permit": ResidencePermitFactory.create(newcomer=newcomer),
        "qualification": QualificationFactory.create(newcomer=newcomer),
        "entry": ChecklistEntryFactory.create(newcomer=newcomer),
    }


def _path(name: str, keys: tuple[str, ...], world: dict[str, Any]) -> str:
    args = [world[key].reference if key == "case" else world[key].pk for key in keys]
    return reverse(name, args=args)


def _state() -> tuple[Any, ...]:
    """Everything a workspace action could change."""
    return (
        list(Case.objects.values_list("status", "owner", "priority")),
        CaseEvent.objects.count(),
        list(FollowUp.objects.values_list("done_at", "due_on")),
        Document.objects.count(),
        list(Newcomer.objects.values_list("first_name", "last_name")),
        list(ResidencePermit.objects.values_list("title", flat=True)),
        list(Qualification.objects.values_list("title", flat=True)),
        list(ArrivalChecklistEntry.objects.values_list("done_on", flat=True)),
        LogEntry.objects.count(),
    )


def _request(client: Client, name: str, method: str, path: str, world: dict[str, Any]) -> Any:
    if method == "get":
        return client.get(path)
    return client.post(path, _data(name, world))


# Each test walks every address on one world (building it per address would cost seconds) and
# reports all addresses that answered wrongly at once.


@pytest.mark.parametrize("role", ["partner_user", "company_user"])
def test_partner_and_company_users_get_403_everywhere_and_change_nothing(
    request: pytest.FixtureRequest, client_for: ClientFor, world: dict[str, Any], role: str
) -> None:
    client = client_for(request.getfixturevalue(role))
    before = _state()
    wrong = []
    for name, method, keys in WORKSPACE:
        path = _path(name, keys, world)
        response = _request(client, name, method, path, world)
        if response.status_code != 403:
            wrong.append((method, path, response.status_code))
    assert wrong == []
    assert _state() == before


def test_a_visitor_is_sent_to_the_login_and_changes_nothing(
    client_for: ClientFor, world: dict[str, Any]
) -> None:
    client = client_for(None)
    before = _state()
    wrong = []
    for name, method, keys in WORKSPACE:
        path = _path(name, keys, world)
        response = _request(client, name, method, path, world)
        login = f"{reverse('account_login')}?next={quote(path)}"
        if response.status_code != 302 or response["Location"] != login:
            wrong.append((method, path, response.status_code))
    assert wrong == []
    assert _state() == before


MISSING_REFERENCE = "WC-2026-99999"
MISSING_PK = 99_999_999


def test_a_lotse_gets_404_for_a_reference_or_id_that_does_not_exist(
    client_for: ClientFor, world: dict[str, Any]
) -> None:
    # Each argument in turn points at nothing; the others stay valid.
    client = client_for(world["lotse"])
    wrong = []
    for name, method, keys in WORKSPACE:
        for missing in keys:
            args = [
                (MISSING_REFERENCE if key == "case" else MISSING_PK)
                if key == missing
                else (world[key].reference if key == "case" else world[key].pk)
                for key in keys
            ]
            path = reverse(name, args=args)
            response = _request(client, name, method, path, world)
            if response.status_code != 404:
                wrong.append((method, path, response.status_code))
    assert wrong == []


def test_every_action_answers_405_to_a_get(client_for: ClientFor, world: dict[str, Any]) -> None:
    client = client_for(world["lotse"])
    before = _state()
    answers = {
        name: client.get(_path(name, keys, world)).status_code
        for name, method, keys in WORKSPACE
        if name in POST_ONLY
    }
    assert answers == dict.fromkeys(POST_ONLY, 405)
    assert _state() == before


CSRF_SECRET = "Wc" * 16  # a well-formed token, chosen by the test


def test_every_post_without_its_csrf_token_is_refused(world: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["lotse"])
    client.cookies["csrftoken"] = CSRF_SECRET
    wrong = []
    for name, method, keys in WORKSPACE:
        if method != "post":
            continue
        path = _path(name, keys, world)
        before = _state()
        without = client.post(path, _data(name, world)).status_code
        if without != 403 or _state() != before:
            wrong.append((path, "without token", without))
        # The same request with the token passes the check (and is then answered by the view).
        with_token = client.post(path, {**_data(name, world), "csrfmiddlewaretoken": CSRF_SECRET})
        if with_token.status_code == 403:
            wrong.append((path, "with token", 403))
    assert wrong == []
