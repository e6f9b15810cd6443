"""Property-based, like the intake's test (tests/migrants/test_intake_hostile_input.py), for the
staff's forms and pages: whatever a Lotse's browser (or a stolen session) sends, the answer is
never a 500; refused input is answered with a 4xx (or, for the bulk action, a redirect with a
message) and writes nothing; accepted input is written whole.

Each example runs in a savepoint that is rolled back, so every example starts from the same
world. Example counts are modest: the whole module takes well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from cases.models import Case
from migrants.forms import NewcomerForm, QualificationForm, ResidencePermitForm
from tests import factories
from tests.cases.factories_extra import (
    ChecklistEntryFactory,
    QualificationFactory,
    ResidencePermitFactory,
)
from tests.migrants.test_intake_hostile_input import hostile_text
from tests.security.helpers import changed_tables, database_state

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

wrong_types = st.sampled_from(
    [
        *("", "0", "-1", "1.5", "2**64", "18446744073709551616", "9" * 40, "None", "null"),
        *("[]", "{}", "true", "on", "2026-13-01", "2026-02-29", "1900-01-01", "0001-01-01"),
        "10000-01-01",
    ]
)
value = st.one_of(hostile_text, wrong_types)
values = st.one_of(value, st.lists(value, min_size=0, max_size=3))


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(lotse: User, other_lotse: User, head: User) -> dict[str, Any]:
    case = factories.CaseFactory.create(owner=lotse)
    newcomer = case.newcomer
    intake = factories.NewcomerFactory.create(intake_submitted_at="2026-03-01T10:00:00+01:00")
    factories.CaseFactory.create(newcomer=intake, owner=None)
    lotse_client, head_client = Client(), Client()
    lotse_client.force_login(lotse)
    head_client.force_login(head)
    return {
        "lotse": lotse,
        "other_lotse": other_lotse,
        "case": case,
        "other_case": factories.CaseFactory.create(owner=other_lotse),
        "newcomer": newcomer,
        "intake": intake,
        "permit": ResidencePermitFactory.create(newcomer=newcomer),
        "qualification": QualificationFactory.create(newcomer=newcomer),
        "entry": ChecklistEntryFactory.create(newcomer=newcomer),
        "follow_up": factories.FollowUpFactory.create(case=case),
        "client": lotse_client,
        "head_client": head_client,
    }


# What each accepted action must have written, all of it (or, for a no-op, nothing at all).
WHOLE: dict[str, set[str]] = {
    "case_status": {"cases.Case", "cases.CaseEvent"},
    "case_note": {"cases.CaseEvent"},
    "case_follow_up": {"cases.FollowUp", "cases.CaseEvent"},
    "case_reassign": {"cases.Case", "cases.CaseEvent"},
    "case_document": {"cases.Document", "cases.CaseEvent"},
    "case_bulk": {"cases.Case", "cases.CaseEvent", "auditlog.LogEntry"},
    "follow_up_done": {"cases.FollowUp", "cases.CaseEvent"},
    "newcomer_edit": {"migrants.Newcomer"},
    "residence_permit_add": {"migrants.ResidencePermit"},
    "residence_permit_edit": {"migrants.ResidencePermit"},
    "qualification_add": {"migrants.Qualification"},
    "qualification_edit": {"migrants.Qualification"},
    "checklist_tick": {"migrants.ArrivalChecklistEntry"},
    "triage_claim": {"cases.Case", "cases.CaseEvent", "migrants.Newcomer"},
}
NO_INPUT = {"follow_up_done", "checklist_tick", "triage_claim"}
# Refused bulk input goes back to the list with the errors as messages (views._back).
REFUSED_BY_REDIRECT = {"case_bulk"}


def url(name: str, world: dict[str, Any]) -> str:
    case, newcomer = world["case"], world["newcomer"]
    kwargs: dict[str, dict[str, Any]] = {
        "case_bulk": {},
        "follow_up_done": {"pk": world["follow_up"].pk},
        "triage_claim": {"pk": world["intake"].pk},
        "residence_permit_edit": {"pk": newcomer.pk, "permit_pk": world["permit"].pk},
        "qualification_edit": {"pk": newcomer.pk, "qualification_pk": world["qualification"].pk},
        "checklist_tick": {"pk": newcomer.pk, "entry_pk": world["entry"].pk},
    }
    if name in kwargs:
        return reverse(name, kwargs=kwargs[name])
    if name.startswith("case_"):
        return reverse(name, kwargs={"reference": case.reference})
    return reverse(name, kwargs={"pk": newcomer.pk})


def post_and_check(
    name: str, data: dict[str, Any], world: dict[str, Any], head: bool = False
) -> None:
    client = world["head_client" if head else "client"]
    with rolled_back():
        before = database_state()
        response = client.post(url(name, world), data)
        changed = set(changed_tables(before, database_state()))
    assert response.status_code < 500
    refused = 400 <= response.status_code < 500 or (name in REFUSED_BY_REDIRECT and not changed)
    if refused:
        assert not changed, f"{name} refused the input ({response.status_code}) but wrote {changed}"
    else:
        assert response.status_code == 302, response.status_code
        assert not changed or WHOLE[name] <= changed, f"{name} wrote only {changed}"


# ---- the case file's actions ------------------------------------------------------------------

CASE_FORMS = {
    "case_status": ["status", "outcome", "note"],
    "case_note": ["text"],
    "case_follow_up": ["due_on", "text", "assignee"],
    "case_reassign": ["owner"],
    "case_bulk": ["cases", "action", "owner", "priority", "next"],
    "follow_up_done": ["next"],
    "checklist_tick": ["done"],
    "triage_claim": ["owner"],
}


def form_data(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        keys=st.one_of(st.sampled_from(fields), st.text(max_size=10)),
        values=values,
        max_size=len(fields) + 1,
    )


@pytest.mark.parametrize("name", sorted(CASE_FORMS))
def test_hostile_posts_to_a_staff_action_are_answered_cleanly(
    name: str, world: dict[str, Any]
) -> None:
    @EXAMPLES
    @given(data=form_data(CASE_FORMS[name]))
    def run(data: dict[str, Any]) -> None:
        # Only the head may hand an intake to somebody else: the head's form is the hostile one.
        post_and_check(name, data, world, head=name == "triage_claim")

    run()


def valid_case_form(name: str, world: dict[str, Any]) -> dict[str, Any]:
    in_a_week = (timezone.localdate() + timedelta(days=7)).isoformat()
    return {
        "case_status": {"status": "in_progress", "outcome": "", "note": "Angerufen"},
        "case_note": {"text": "Angerufen"},
        "case_follow_up": {
            "due_on": in_a_week,
            "text": "Anrufen",
            "assignee": world["lotse"].pk,
        },
        "case_reassign": {"owner": world["other_lotse"].pk},
        "case_bulk": {"cases": [world["case"].pk], "action": "priority", "priority": "3"},
    }[name]


@pytest.mark.parametrize(
    "name", ["case_status", "case_note", "case_follow_up", "case_reassign", "case_bulk"]
)
def test_one_hostile_value_in_an_otherwise_valid_staff_form_is_answered_cleanly(
    name: str, world: dict[str, Any]
) -> None:
    fields = list(valid_case_form(name, world))

    @EXAMPLES
    @given(field=st.sampled_from(fields), bad=values)
    def run(field: str, bad: Any) -> None:
        post_and_check(name, {**valid_case_form(name, world), field: bad}, world)

    run()


def test_the_valid_forms_are_accepted_whole(world: dict[str, Any]) -> None:
    # The control for the two tests above: their valid forms are written, all of each.
    for name in ("case_status", "case_note", "case_follow_up", "case_reassign", "case_bulk"):
        with rolled_back():
            before = database_state()
            response = world["client"].post(url(name, world), valid_case_form(name, world))
            changed = set(changed_tables(before, database_state()))
        assert response.status_code == 302, name
        assert WHOLE[name] <= changed, name
    # And the savepoints undid them: every example starts from the world as it was built.
    case = Case.objects.get(pk=world["case"].pk)
    assert (case.status, case.owner, case.events.count()) == ("new", world["lotse"], 0)


# ---- uploads ------------------------------------------------------------------------------

file_names = st.one_of(
    st.text(min_size=1, max_size=300).filter(lambda s: "\x00" not in s and "/" not in s),
    st.sampled_from(["../../etc/passwd", "cv.pdf", "a.PDF.exe", "x.docx", ".htaccess", "CON"]),
)
file_contents = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from(
        [b"%PDF-1.4 a CV", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04junk", b"<script>alert(1)</script>"]
    ),
)


@EXAMPLES
@given(name=file_names, content=file_contents, kind=values)
def test_hostile_uploads_are_answered_cleanly(
    world: dict[str, Any], name: str, content: bytes, kind: Any
) -> None:
    upload = SimpleUploadedFile(name, content, "application/pdf")
    post_and_check("case_document", {"file": upload, "kind": kind}, world)


# ---- the newcomer file's forms -------------------------------------------------------------

MODEL_FORMS = {
    "newcomer_edit": (NewcomerForm, "newcomer"),
    "residence_permit_add": (ResidencePermitForm, None),
    "residence_permit_edit": (ResidencePermitForm, "permit"),
    "qualification_add": (QualificationForm, None),
    "qualification_edit": (QualificationForm, "qualification"),
}


def filled_in(name: str, world: dict[str, Any]) -> dict[str, Any]:
    """The form as the page fills it in (an edit) or empty (an add)."""
    form_class, key = MODEL_FORMS[name]
    if key is None:
        return {}
    initial = form_class(instance=world[key]).initial
    return {field: v for field, v in initial.items() if v is not None}


@pytest.mark.parametrize("name", sorted(MODEL_FORMS))
def test_hostile_values_in_the_newcomer_file_forms_are_answered_cleanly(
    name: str, world: dict[str, Any]
) -> None:
    fields = list(MODEL_FORMS[name][0].base_fields)

    @EXAMPLES
    @given(changes=st.dictionaries(st.sampled_from(fields), values, min_size=1, max_size=4))
    def run(changes: dict[str, Any]) -> None:
        post_and_check(name, {**filled_in(name, world), **changes}, world)

    run()


# ---- junk in addresses and query strings -----------------------------------------------------

LIST_FILTERS = [
    *("q", "status", "category", "owner", "partner", "overdue", "referral_overdue"),
    *("permit_expiring", "checklist_overdue", "priority", "opened_min", "opened_max"),
    *("kind_of_arrival", "country", "sort", "page", "format"),
]
query_strings = st.dictionaries(
    keys=st.one_of(st.sampled_from(LIST_FILTERS), st.text(max_size=10)),
    values=values,
    min_size=1,
    max_size=6,
)


@EXAMPLES
@given(query=query_strings)
def test_junk_case_list_filters_are_answered_cleanly(
    world: dict[str, Any], query: dict[str, Any]
) -> None:
    response = world["client"].get(reverse("case_list"), query)
    assert response.status_code in (200, 302, 400)


PAGES_WITH_QUERIES = ["case_detail", "triage", "notifications", "newcomer_history"]


@pytest.mark.parametrize("name", PAGES_WITH_QUERIES)
def test_junk_query_strings_on_staff_pages_are_answered_cleanly(
    name: str, world: dict[str, Any]
) -> None:
    kwargs = {"case_detail": {"reference": world["case"].reference}}.get(name)
    if name == "newcomer_history":
        kwargs = {"pk": world["newcomer"].pk}
    address = reverse(name, kwargs=kwargs)

    @EXAMPLES
    @given(query=st.dictionaries(st.sampled_from(["page", "kind", "next"]), values, min_size=1))
    def run(query: dict[str, Any]) -> None:
        assert world["client"].get(address, query).status_code in (200, 400, 404)

    run()


@EXAMPLES
@given(reference=st.text(min_size=1, max_size=300).filter(lambda s: "/" not in s))
def test_junk_case_references_in_the_address_are_a_404(
    world: dict[str, Any], reference: str
) -> None:
    client = world["client"]
    path = f"/cases/{quote(reference, safe='')}/"
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        # /cases/bulk/ is the bulk action: 405 to a GET, a refused form to a POST.
        assert response.status_code in (404, 405, 302), (method, response.status_code)


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data; boundary=broken",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "application/json",
        "text/plain",
    ],
)
def test_a_malformed_body_is_answered_cleanly_on_every_staff_action(
    world: dict[str, Any], content_type: str
) -> None:
    body = b'--broken\r\nContent-Disposition: form-data; name="text"\r\n\r\n\xff\xfe{\x00'
    wrong = []
    for name in [*CASE_FORMS, *MODEL_FORMS, "case_document"]:
        client = world["head_client" if name == "triage_claim" else "client"]
        with rolled_back():
            before = database_state()
            response = client.generic("POST", url(name, world), body, content_type=content_type)
            changed = changed_tables(before, database_state())
        if response.status_code >= 500 or 200 <= response.status_code < 300:
            wrong.append((name, response.status_code))
        # An action that needs no input (tick, claim, done) may act on an empty form.
        if changed and name not in NO_INPUT:
            wrong.append((name, changed))
    assert wrong == []


# ---- the 500s these tests found, pinned ------------------------------------------------------


@pytest.mark.parametrize("target", ["0", "case_list"])
def test_a_bare_word_as_next_is_an_address_not_a_view_name(
    world: dict[str, Any], target: str
) -> None:
    # redirect() would reverse "0" as a view name (NoReverseMatch: a 500), and "case_list" into
    # a page the form never meant.
    response = world["client"].post(url("follow_up_done", world), {"next": target})
    assert (response.status_code, response["Location"]) == (302, target)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_byte_in_a_case_reference_is_a_404(world: dict[str, Any], method: str) -> None:
    assert getattr(world["client"], method)("/cases/WC-2026%00/").status_code == 404


@pytest.mark.parametrize("owner", [":", "1.5", "²", "abc", "-1"])
def test_a_junk_owner_in_the_heads_triage_claim_is_a_404(world: dict[str, Any], owner: str) -> None:
    before = database_state()
    response = world["head_client"].post(url("triage_claim", world), {"owner": owner})
    assert response.status_code == 404
    assert changed_tables(before, database_state()) == []
