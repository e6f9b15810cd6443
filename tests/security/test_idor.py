"""Insecure direct object references: every address that names an object (an id or a reference
in the path, or ids in the form) is tried with real objects of the world by every role.

The rule is the one the views promise: a role gets an object if and only if the view is meant
for the role (its audience) and the model's `visible_to(user)` contains the object. Otherwise the
answer is a 403, a 404 or the login page, the object's secret (a name only that object has)
shows nowhere in the answer, and no row of the database changed. The Lotse is the positive
control: it gets every object of the world, which proves that the ids tried are real ones.

The addresses are collected from the URLconf: an address with arguments that is neither in
OBJECT_URLS nor in TOKEN_URLS nor an admin address fails `test_every_address_with_arguments_is_
covered`. When partner or company pages arrive (a partner answers the referrals sent to its
agency), add a row with their audience, e.g.
`"referral_answer": ObjectURL(targets=("referral", "other_referral"), ..., audience=PARTNER)`:
the world already holds referrals, follow-ups and needs of the persona's organisation and of
another one, so the test then proves that a partner gets its own and not the other's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from accounts.models import User
from cases.models import AcceleratedProcedure, Case, Document, FollowUp, Referral
from companies.models import Company, ServiceRequest, SkilledWorkerNeed
from migrants.forms import NewcomerForm
from migrants.models import Newcomer
from partners.models import Partner, PartnerContact
from tests import factories
from tests.cases.factories_extra import (
    ChecklistEntryFactory,
    HouseholdMemberFactory,
    LanguageSkillFactory,
    QualificationFactory,
    ResidencePermitFactory,
)
from tests.security.helpers import body, changed_tables, database_state
from tests.test_permissions import ADMIN_MODEL_URLS, sample_object

STAFF = frozenset({"lotse", "head"})
HEAD = frozenset({"head"})
PARTNER = frozenset({"partner_user"})
COMPANY = frozenset({"company_user"})
# The three roles that must never get what is not theirs, and the Lotse as positive control.
ROLES = ("anonymous", "partner_user", "company_user", "lotse")
LOGIN_PAGES = {"account_login", "admin:login"}

World = dict[str, Any]


def identity(obj: Model) -> Model:
    return obj


def no_data(world: World, obj: Model) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ObjectURL:
    """An address naming an object: which objects of the world to try, how to put one into the
    address (and form), and which object's `visible_to` decides."""

    targets: tuple[str, ...]
    kwargs: Callable[[Model], dict[str, Any]]
    methods: tuple[str, ...] = ("get",)
    data: Callable[[World, Model], dict[str, Any]] = no_data
    subject: Callable[[Model], Model] = identity
    audience: frozenset[str] = STAFF


def by_pk(obj: Model) -> dict[str, Any]:
    return {"pk": obj.pk}


def by_reference(case: Model) -> dict[str, Any]:
    return {"reference": case.reference}  # type: ignore[attr-defined]


def of_newcomer(key: str) -> Callable[[Model], dict[str, Any]]:
    def kwargs(row: Model) -> dict[str, Any]:
        return {"pk": row.newcomer_id, key: row.pk}  # type: ignore[attr-defined]

    return kwargs


def newcomer_of(row: Model) -> Model:
    return row.newcomer  # type: ignore[attr-defined]


def case_of(row: Model) -> Model:
    return row.case  # type: ignore[attr-defined]


def partner_of(row: Model) -> Model:
    return row.partner  # type: ignore[attr-defined]


def of_partner(contact: Model) -> dict[str, Any]:
    return {"pk": contact.partner_id, "contact_pk": contact.pk}  # type: ignore[attr-defined]


def of_case(referral: Model) -> dict[str, Any]:
    return {"reference": referral.case.reference, "pk": referral.pk}  # type: ignore[attr-defined]


def referral_form(world: World, case: Model) -> dict[str, Any]:
    """A referral of the case to the partner it already went to, with oral consent."""
    return {
        "partner": case.referrals.first().partner_id,  # type: ignore[attr-defined]
        "request": "Bitte um Rückruf.",
        "oral_consent": "on",
        "oral_consent_at": "2026-01-05T10:00",
    }


def case_action(data: dict[str, Any]) -> ObjectURL:
    return ObjectURL(("case", "other_case"), by_reference, ("post",), lambda w, o: data)


def follow_up_form(world: World, case: Model) -> dict[str, Any]:
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    return {"due_on": due, "text": "Anrufen", "assignee": world["lotse"].pk}


def document_form(world: World, case: Model) -> dict[str, Any]:
    return {"kind": "cv", "file": SimpleUploadedFile("cv.pdf", b"%PDF-1.4 a CV", "application/pdf")}


NEWCOMERS = ("newcomer", "other_newcomer")


def newcomer_form(world: World, newcomer: Model) -> dict[str, Any]:
    """The edit form as the page fills it in, with one field changed."""
    initial = NewcomerForm(instance=newcomer).initial
    return {**{k: v for k, v in initial.items() if v is not None}, "first_name": "Geändert"}


MEMBER_FORM = {"relation": "child", "birth_year": "2020", "comes_along": "on"}
LANGUAGE_FORM = {"language": "fr", "level": "B1"}
PERMIT_FORM = {"title": "18b"}
QUALIFICATION_FORM = {"title": "Meister", "education_level": "isced_5_8"}

OBJECT_URLS: dict[str, ObjectURL] = {
    "triage_claim": ObjectURL(("intake",), by_pk, ("post",)),
    "duplicate_compare": ObjectURL(("intake",), by_pk),
    "duplicate_merge": ObjectURL(("intake",), by_pk, ("post",)),
    "duplicate_dismiss": ObjectURL(("intake",), by_pk, ("post",)),
    "newcomer_detail": ObjectURL(NEWCOMERS, by_pk),
    "newcomer_edit": ObjectURL(NEWCOMERS, by_pk, ("get", "post"), newcomer_form),
    "newcomer_history": ObjectURL(NEWCOMERS, by_pk),
    "household_member_add": ObjectURL(NEWCOMERS, by_pk, ("get", "post"), lambda w, o: MEMBER_FORM),
    "household_member_edit": ObjectURL(
        ("member", "other_member"),
        of_newcomer("member_pk"),
        ("get", "post"),
        lambda w, o: MEMBER_FORM,
        newcomer_of,
    ),
    "language_skill_add": ObjectURL(NEWCOMERS, by_pk, ("get", "post"), lambda w, o: LANGUAGE_FORM),
    "language_skill_edit": ObjectURL(
        ("skill", "other_skill"),
        of_newcomer("skill_pk"),
        ("get", "post"),
        lambda w, o: LANGUAGE_FORM,
        newcomer_of,
    ),
    "residence_permit_add": ObjectURL(NEWCOMERS, by_pk, ("get", "post"), lambda w, o: PERMIT_FORM),
    "residence_permit_edit": ObjectURL(
        ("permit", "other_permit"),
        of_newcomer("permit_pk"),
        ("get", "post"),
        lambda w, o: PERMIT_FORM,
        newcomer_of,
    ),
    "qualification_add": ObjectURL(
        NEWCOMERS, by_pk, ("get", "post"), lambda w, o: QUALIFICATION_FORM
    ),
    "qualification_edit": ObjectURL(
        ("qualification", "other_qualification"),
        of_newcomer("qualification_pk"),
        ("get", "post"),
        lambda w, o: QUALIFICATION_FORM,
        newcomer_of,
    ),
    "checklist_tick": ObjectURL(
        ("entry", "other_entry"),
        of_newcomer("entry_pk"),
        ("post",),
        lambda w, o: {"done": "1"},
        newcomer_of,
    ),
    # The ids are in the form, not in the address.
    "case_bulk": ObjectURL(
        ("case", "other_case"),
        lambda case: {},
        ("post",),
        lambda w, case: {"cases": [case.pk], "action": "priority", "priority": "4"},
    ),
    "case_detail": ObjectURL(("case", "other_case"), by_reference),
    "case_status": case_action({"status": "in_progress"}),
    "case_reassign": ObjectURL(
        ("case", "other_case"), by_reference, ("post",), lambda w, o: {"owner": w["lotse"].pk}
    ),
    "case_note": case_action({"text": "Nur für das Team."}),
    "case_follow_up": ObjectURL(("case", "other_case"), by_reference, ("post",), follow_up_form),
    "case_document": ObjectURL(("case", "other_case"), by_reference, ("post",), document_form),
    # A follow-up assigned to the partner's own contact is visible to the partner user
    # (FollowUp.visible_to), but ticking it off is a workspace action: still refused.
    "follow_up_done": ObjectURL(("follow_up", "partner_follow_up"), by_pk, ("post",)),
    "document_download": ObjectURL(("document", "other_document"), by_pk),
    "follow_up_move": ObjectURL(
        ("follow_up", "partner_follow_up"),
        by_pk,
        ("post",),
        lambda w, o: {"due_on": (timezone.localdate() + timedelta(days=9)).isoformat()},
    ),
    # referrals: the Lotse's side, and the partner user's own list
    "case_referral": ObjectURL(
        ("case", "other_case"), by_reference, ("get", "post"), referral_form
    ),
    "referral_answer": ObjectURL(
        ("referral", "other_referral"), of_case, ("post",), lambda w, o: {"text": "Ja."}
    ),
    "referral_withdraw": ObjectURL(("referral", "other_referral"), of_case, ("post",)),
    "partner_referral_detail": ObjectURL(
        ("referral", "other_referral"),
        by_pk,
        ("get", "post"),
        lambda w, o: {"action": "question", "question-text": "Gibt es eine Übersetzung?"},
        audience=PARTNER,
    ),
    # the newcomers' rights: export for staff, erasure for the head only
    "newcomer_export": ObjectURL(NEWCOMERS, by_pk),
    "newcomer_erase": ObjectURL(
        NEWCOMERS,
        by_pk,
        ("get", "post"),
        lambda w, o: {"understood": "on", "reference": o.reference, "reason": "request"},
        audience=HEAD,
    ),
    "consent_withdraw": ObjectURL(
        ("consent", "other_consent"), of_newcomer("consent_pk"), ("post",), subject=newcomer_of
    ),
    "user_mfa_reset": ObjectURL(("lotse",), by_pk, ("post",), audience=HEAD),
    # the partner directory: Lotsen and the head only, partner users not even their own entry
    "partner_detail": ObjectURL(("partner", "other_partner"), by_pk),
    "partner_edit": ObjectURL(("partner", "other_partner"), by_pk),
    "partner_set_active": ObjectURL(
        ("partner", "other_partner"), by_pk, ("post",), lambda w, o: {"active": "1"}
    ),
    "contact_add": ObjectURL(("partner", "other_partner"), by_pk),
    "contact_edit": ObjectURL(("contact", "other_contact"), of_partner, subject=partner_of),
    "contact_set_primary": ObjectURL(
        ("contact", "other_contact"), of_partner, ("post",), subject=partner_of
    ),
    "contact_invite": ObjectURL(
        ("contact", "other_contact"), of_partner, ("post",), subject=partner_of
    ),
    # companies: the Lotse's company file; needs and service requests of the company's own
    "company_detail": ObjectURL(("company", "other_company"), by_pk),
    "company_need_add": ObjectURL(("company", "other_company"), by_pk),
    "need_edit": ObjectURL(("need", "other_need"), by_pk, audience=STAFF | COMPANY),
    "service_request_detail": ObjectURL(
        ("service_request", "other_service_request"), by_pk, audience=STAFF | COMPANY
    ),
    # matching and introductions, the § 81a procedure of a case
    "need_matches": ObjectURL(("need", "other_need"), by_pk),
    "newcomer_matches": ObjectURL(NEWCOMERS, by_pk),
    "introduction_detail": ObjectURL(("introduction", "other_introduction"), by_pk),
    "procedure_edit": ObjectURL(("case", "other_case"), by_reference),
}

# Actions of the companies issue whose other-id refusals are proven in their own modules, with
# a state each step needs (a pending company to decide on, an introduction at the right
# step): tests/companies/test_isolation.py and tests/matching/test_introductions.py try the
# other company's and the other newcomer's ids on each of them.
COVERED_IN_THEIR_MODULES = {
    "company_decide",
    "company_note",
    "company_introduction_decline",
    "company_introduction_interest",
    "introduction_propose",
    "introduction_agreement",
    "introduction_hire",
    "introduction_withdraw",
    "need_status",
    "procedure_start",
    "service_request_update",
    # An export job is its requester's only: tests/figures/test_monthly_email_and_exports.py
    # asks for another's job and download (404).
    "figures_export",
    "figures_export_download",
    # Staff only and only once the last case has closed (else a redirect to the newcomer
    # file): the permission matrix refuses the other roles, tests/figures its states.
    "exit_questionnaire",
}
# Addresses whose arguments name no object (a table and a file format); their audience is
# checked by the permission matrix.
NO_OBJECT_ARGUMENTS = {"figures_statistics_export", "figures_esf_export"}

# Addresses whose argument is a secret token, not an object id: tested in test_tokens.py and,
# for the partner's referral link, tests/referrals/test_referrals.py.
TOKEN_URLS = {"account_confirm_email", "account_reset_password_from_key", "referral_by_link"}
# The admin's own addresses with arguments besides its model pages (ADMIN_MODEL_URLS).
ADMIN_URLS_WITH_ARGUMENTS = {"admin:app_list", "admin:view_on_site"}


def url_arguments(
    patterns: list[Any] | None = None, namespace: str = "", inherited: frozenset[str] = frozenset()
) -> Iterator[tuple[str, frozenset[str]]]:
    """(name, the names of its arguments) for every named address of the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = pattern.pattern
        names = set(route.converters) if isinstance(route, RoutePattern) else set()
        names |= set(getattr(getattr(route, "regex", None), "groupindex", {}))
        names |= inherited
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_arguments(pattern.url_patterns, inner, frozenset(names))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", frozenset(names)


URLS_WITH_ARGUMENTS = sorted({name for name, names in url_arguments() if names})


# ---- the world --------------------------------------------------------------------------------

# Each newcomer's surname is a secret only that newcomer has: a page that shows it shows them.
SECRET = "Geheimnachname"


def secret_of(world: World, key: str) -> str:
    obj = world[key]
    if isinstance(obj, User):
        return obj.email
    if isinstance(obj, Partner):
        return obj.name
    if isinstance(obj, PartnerContact):
        return obj.email
    if isinstance(obj, Company):
        return obj.name
    if isinstance(obj, SkilledWorkerNeed):
        return obj.occupation
    if isinstance(obj, ServiceRequest):
        return obj.description
    if isinstance(obj, FollowUp | Referral):
        obj = obj.case
    newcomer = obj if isinstance(obj, Newcomer) else obj.newcomer
    return newcomer.last_name


def _document(newcomer: Newcomer, case: Case, secret: str) -> Document:
    content = f"%PDF-1.4 {secret}".encode()
    return Document.objects.create(
        newcomer=newcomer,
        case=case,
        file=ContentFile(content, name="x.pdf"),
        original_name="Bescheid.pdf",
        content_type="application/pdf",
        size=len(content),
    )


def _newcomer_with_case(name: str, owner: User, partner: Partner) -> dict[str, Any]:
    newcomer = factories.NewcomerFactory.create(last_name=f"{SECRET}{name}")
    case = factories.CaseFactory.create(newcomer=newcomer, owner=owner)
    referral = factories.ReferralFactory.create(case=case, partner=partner)
    return {
        "newcomer": newcomer,
        "case": case,
        "referral": referral,
        "consent": newcomer.consents.create(
            scope="partners", text_version="2026-11", language="de", method="intake_form"
        ),
        "member": HouseholdMemberFactory.create(newcomer=newcomer),
        "skill": LanguageSkillFactory.create(newcomer=newcomer, language="pl"),
        "permit": ResidencePermitFactory.create(newcomer=newcomer),
        "qualification": QualificationFactory.create(newcomer=newcomer),
        "entry": ChecklistEntryFactory.create(newcomer=newcomer),
        "document": _document(newcomer, case, f"{SECRET}{name}"),
        "procedure": AcceleratedProcedure.objects.create(case=case),
    }


@pytest.fixture
def world(
    lotse: User,
    other_lotse: User,
    partner_user: User,
    other_partner_user: User,
    company_user: User,
    other_company_user: User,
) -> World:
    """Two newcomers, each with a case referred to a different partner agency, and everything
    that hangs off them; an intake awaiting triage that looks like the first newcomer; a
    follow-up for the Lotse and one for the partner's contact; a need of each company."""
    mine = _newcomer_with_case("Eins", other_lotse, partner_user.partner)
    other = _newcomer_with_case("Zwei", other_lotse, other_partner_user.partner)
    intake = factories.NewcomerFactory.create(
        last_name=f"{SECRET}Drei",
        intake_submitted_at=timezone.now(),
        possible_duplicate_of=mine["newcomer"],
    )
    factories.CaseFactory.create(newcomer=intake, owner=None)
    need = factories.SkilledWorkerNeedFactory.create(
        company=company_user.company, occupation=f"{SECRET}Pflegefachkraft"
    )
    other_need = factories.SkilledWorkerNeedFactory.create(
        company=other_company_user.company, occupation=f"{SECRET}Elektroniker"
    )
    introductions = {
        "need": need,
        "other_need": other_need,
        "introduction": factories.IntroductionFactory.create(
            need=need, newcomer=mine["newcomer"], proposed_by=lotse
        ),
        "other_introduction": factories.IntroductionFactory.create(
            need=other_need, newcomer=other["newcomer"], proposed_by=lotse
        ),
    }
    return {
        **mine,
        **{f"other_{key}": value for key, value in other.items()},
        "intake": intake,
        "follow_up": factories.FollowUpFactory.create(case=mine["case"], assignee=lotse),
        "partner_follow_up": factories.FollowUpFactory.create(
            case=mine["case"], assignee=None, assignee_contact=partner_user.partner_contact
        ),
        "lotse": lotse,
        "partner": partner_user.partner,
        "other_partner": other_partner_user.partner,
        "contact": partner_user.partner_contact,
        "other_contact": other_partner_user.partner_contact,
        "company": company_user.company,
        "other_company": other_company_user.company,
        "service_request": factories.ServiceRequestFactory.create(
            company=company_user.company, description=f"{SECRET}Schulung Eins"
        ),
        "other_service_request": factories.ServiceRequestFactory.create(
            company=other_company_user.company, description=f"{SECRET}Schulung Zwei"
        ),
        **introductions,
    }


def user_for(role: str, request: pytest.FixtureRequest) -> User | AnonymousUser:
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)


def may_get(role: str, user: User | AnonymousUser, entry: ObjectURL, obj: Model) -> bool:
    subject = entry.subject(obj)
    visible = type(subject)._default_manager.visible_to(user)  # type: ignore[attr-defined]
    return role in entry.audience and visible.filter(pk=subject.pk).exists()


def is_login_redirect(response: HttpResponseBase) -> bool:
    if response.status_code != 302:
        return False
    return resolve(urlsplit(response["Location"]).path).view_name in LOGIN_PAGES


def refused(response: HttpResponseBase) -> bool:
    return response.status_code in (403, 404) or is_login_redirect(response)


def answer(client: Client, method: str, url: str, data: dict[str, Any]) -> HttpResponseBase:
    return client.get(url) if method == "get" else client.post(url, data)


IDOR_CASES = [
    pytest.param(name, method, role, id=f"{name}-{method}-{role}")
    for name, entry in OBJECT_URLS.items()
    for method in entry.methods
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "role"), IDOR_CASES)
def test_a_role_gets_an_object_if_and_only_if_it_may_see_it(
    name: str, method: str, role: str, world: World, request: pytest.FixtureRequest
) -> None:
    entry = OBJECT_URLS[name]
    user = user_for(role, request)
    client = Client()
    if role != "anonymous":
        client.force_login(user)  # type: ignore[arg-type]
    wrong = []
    for key in entry.targets:
        obj = world[key]
        url = reverse(name, kwargs=entry.kwargs(obj))
        allowed = may_get(role, user, entry, obj)
        before = None if allowed else database_state()
        response = answer(client, method, url, entry.data(world, obj))
        text = body(response)
        secret = secret_of(world, key)
        if allowed:
            served = response.status_code == 200 if method == "get" else response.status_code < 400
            if not served or is_login_redirect(response):
                wrong.append((key, "refused", response.status_code))
            elif method == "get" and secret not in text:
                wrong.append((key, "served without the object's data", response.status_code))
        else:
            if not refused(response):
                wrong.append((key, "not refused", response.status_code))
            if secret in text or secret in str(response.items()):
                wrong.append((key, "leaked its secret", response.status_code))
            changed = changed_tables(before, database_state())  # type: ignore[arg-type]
            if changed:
                wrong.append((key, "changed", changed))
    assert wrong == [], f"{method.upper()} {name} as {role}"


def test_every_address_with_arguments_is_covered() -> None:
    covered = set(OBJECT_URLS) | TOKEN_URLS | set(ADMIN_MODEL_URLS) | ADMIN_URLS_WITH_ARGUMENTS
    covered |= COVERED_IN_THEIR_MODULES | NO_OBJECT_ARGUMENTS
    missing = [name for name in URLS_WITH_ARGUMENTS if name not in covered]
    assert not missing, f"Add these addresses to OBJECT_URLS in {__name__}: {missing}"


def test_every_covered_address_exists() -> None:
    names = {name for name, _args in url_arguments()}
    stale = (
        set(OBJECT_URLS)
        | TOKEN_URLS
        | ADMIN_URLS_WITH_ARGUMENTS
        | COVERED_IN_THEIR_MODULES
        | NO_OBJECT_ARGUMENTS
    ) - names
    assert not stale, f"Gone from the URLconf: {sorted(stale)}"


def test_every_target_is_in_the_world(world: World) -> None:
    for name, entry in OBJECT_URLS.items():
        assert set(entry.targets) <= set(world), name


# ---- a child under another parent ----------------------------------------------------------

CHILD_URLS = {
    "household_member_edit": ("member_pk", "member", ("get", "post"), MEMBER_FORM),
    "language_skill_edit": ("skill_pk", "skill", ("get", "post"), LANGUAGE_FORM),
    "residence_permit_edit": ("permit_pk", "permit", ("get", "post"), PERMIT_FORM),
    "qualification_edit": (
        "qualification_pk",
        "qualification",
        ("get", "post"),
        QUALIFICATION_FORM,
    ),
    "checklist_tick": ("entry_pk", "entry", ("post",), {"done": "1"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CHILD_URLS))
def test_a_row_of_one_newcomer_cannot_be_reached_through_another_newcomer(
    name: str, world: World, lotse: User
) -> None:
    # Both newcomers are visible to the Lotse: only the pairing is wrong.
    key, child, methods, data = CHILD_URLS[name]
    client = Client()
    client.force_login(lotse)
    url = reverse(name, kwargs={"pk": world["newcomer"].pk, key: world[f"other_{child}"].pk})
    before = database_state()
    for method in methods:
        assert answer(client, method, url, data).status_code == 404, method
    assert changed_tables(before, database_state()) == []


# ---- the admin ------------------------------------------------------------------------------


def admin_addresses(objects: dict[type[Model], Model]) -> Iterator[str]:
    for name, (model, view) in ADMIN_MODEL_URLS.items():
        pk = objects[model].pk
        if view == "password":
            yield reverse(name, kwargs={"id": pk})
        elif view in ("change", "history", "delete"):
            yield reverse(name, kwargs={"object_id": pk})
    yield reverse("admin:app_list", kwargs={"app_label": "migrants"})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_nobody_but_the_head_reaches_a_real_object_in_the_admin(
    role: str, request: pytest.FixtureRequest, head: User
) -> None:
    models = {model for model, _view in ADMIN_MODEL_URLS.values()}
    objects = {model: sample_object(model) for model in models}
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = database_state()
    wrong = []
    for url in admin_addresses(objects):
        for method, data in (("get", {}), ("post", {"post": "yes"})):
            response = answer(client, method, url, data)
            if not refused(response):
                wrong.append((method, url, response.status_code))
    assert wrong == []
    assert changed_tables(before, database_state()) == []
    # The control: the head gets the same pages.
    head_client = Client()
    head_client.force_login(head)
    newcomer = objects[Newcomer]
    url = reverse("admin:migrants_newcomer_change", kwargs={"object_id": newcomer.pk})
    assert head_client.get(url).status_code == 200
