"""The domain model: invariants the database itself enforces, what each role may see through
`visible_to`, the QuerySet vocabulary, case transitions, references and the user's roles."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Notification, OutgoingEmail, Role, User
from cases.models import (
    OPEN_STATUSES,
    TRANSITIONS,
    AcceleratedProcedure,
    Case,
    CaseEvent,
    Category,
    Document,
    EventKind,
    FollowUp,
    Outcome,
    Priority,
    ReferenceSequence,
    Referral,
    Status,
)
from companies.models import (
    Company,
    CompanyEvent,
    Introduction,
    ServiceKind,
    ServiceRequest,
    SkilledWorkerNeed,
)
from migrants.models import (
    ArrivalChecklistEntry,
    CEFRLevel,
    ChecklistItem,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    Gender,
    HouseholdMember,
    KindOfArrival,
    LanguageSkill,
    Newcomer,
    Qualification,
    RecognitionOutcome,
    ResidencePermit,
    ResidenceTitle,
)
from partners.models import Partner, PartnerService, PartnerType
from privacy.models import RetentionPolicy
from tests import factories

PROJECT_APPS = {"accounts", "migrants", "partners", "companies", "cases", "privacy"}
# request.user before login. visible_to() is annotated for User but handles this one too.
ANONYMOUS: Any = AnonymousUser()
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=timezone.get_fixed_timezone(60))
TODAY = date(2026, 3, 10)

# Constraints ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A database constraint: one write it must refuse and a close one it must accept."""

    refused: Callable[[], object]
    accepted: Callable[[], object]


def household(**fields: object) -> HouseholdMember:
    return HouseholdMember.objects.create(newcomer=factories.NewcomerFactory.create(), **fields)


def language(newcomer: Newcomer | None = None, **fields: object) -> LanguageSkill:
    newcomer = newcomer or factories.NewcomerFactory.create()
    return LanguageSkill.objects.create(newcomer=newcomer, **{"language": "en", **fields})


def qualification(**fields: object) -> Qualification:
    return Qualification.objects.create(
        newcomer=factories.NewcomerFactory.create(), title="Bachelor of Nursing", **fields
    )


def permit(**fields: object) -> ResidencePermit:
    return ResidencePermit.objects.create(newcomer=factories.NewcomerFactory.create(), **fields)


def consent(**fields: object) -> ConsentRecord:
    defaults: dict[str, object] = {
        "scope": ConsentScope.PROCESSING,
        "text_version": "2026-01",
        "language": "de",
        "method": ConsentMethod.INTAKE_FORM,
        "given_at": NOW,
    }
    return ConsentRecord.objects.create(
        newcomer=factories.NewcomerFactory.create(), **{**defaults, **fields}
    )


def checklist_twice(second_item: str) -> None:
    newcomer = factories.NewcomerFactory.create()
    for item in (ChecklistItem.TAX_ID, second_item):
        ArrivalChecklistEntry.objects.create(newcomer=newcomer, item=item, due_on=TODAY)


def services_twice(second_category: str) -> None:
    partner = factories.PartnerFactory.create()
    for category in (Category.HOUSING, second_category):
        PartnerService.objects.create(partner=partner, category=category)


def primary_contacts(*, second_is_primary: bool) -> None:
    partner = factories.PartnerFactory.create()
    factories.PartnerContactFactory.create(partner=partner, is_primary=True)
    factories.PartnerContactFactory.create(partner=partner, is_primary=second_is_primary)


def languages_twice(second_language: str) -> None:
    newcomer = factories.NewcomerFactory.create()
    language(newcomer, language="en", level=CEFRLevel.B2)
    language(newcomer, language=second_language, level=CEFRLevel.A2)


def sequence_twice(second_year: int) -> None:
    ReferenceSequence.objects.create(prefix="WC", year=2026)
    ReferenceSequence.objects.create(prefix="WC", year=second_year)


def newcomer_duplicate_of(*, itself: bool) -> None:
    newcomer = factories.NewcomerFactory.create()
    other = newcomer if itself else factories.NewcomerFactory.create()
    Newcomer.objects.filter(pk=newcomer.pk).update(possible_duplicate_of=other)


def follow_up_assigned(*, to_both: bool) -> None:
    contact = factories.PartnerContactFactory.create()
    case = factories.CaseFactory.create()
    assignee = case.owner if to_both else None
    factories.FollowUpFactory.create(case=case, assignee=assignee, assignee_contact=contact)


def document(size: int) -> Document:
    return Document.objects.create(
        newcomer=factories.NewcomerFactory.create(),
        file="documents/2026/03/0123abcd",
        original_name="Zeugnis.pdf",
        content_type="application/pdf",
        size=size,
    )


MB = 1024 * 1024


def company_consent(*, names_company: bool) -> None:
    company = factories.CompanyFactory.create() if names_company else None
    consent(scope=ConsentScope.SHARE_WITH_COMPANY, company=company)


def introductions_twice(second_status: str) -> None:
    first = factories.IntroductionFactory.create()
    factories.IntroductionFactory.create(
        need=first.need, newcomer=first.newcomer, status=second_status, closed_at=NOW
    )


def procedure(**dates: date) -> AcceleratedProcedure:
    return AcceleratedProcedure.objects.create(case=factories.CaseFactory.create(), **dates)


RULES: dict[str, Rule] = {
    # accounts
    "user_role_valid": Rule(
        lambda: factories.UserFactory.create(role="janitor"),
        lambda: factories.UserFactory.create(role=Role.COMPANY),
    ),
    "user_admin_only_head_or_superuser": Rule(
        lambda: factories.LotseFactory.create(is_staff=True),
        lambda: factories.LotseFactory.create(is_staff=True, is_superuser=True),
    ),
    # migrants
    "newcomer_gender_valid": Rule(
        lambda: factories.NewcomerFactory.create(gender="robot"),
        lambda: factories.NewcomerFactory.create(gender=Gender.DIVERSE),
    ),
    "newcomer_kind_of_arrival_valid": Rule(
        lambda: factories.NewcomerFactory.create(kind_of_arrival="tourist"),
        lambda: factories.NewcomerFactory.create(kind_of_arrival=KindOfArrival.RETURNEE),
    ),
    "newcomer_triaged_only_after_intake": Rule(
        lambda: factories.NewcomerFactory.create(triaged_at=NOW, intake_submitted_at=None),
        lambda: factories.NewcomerFactory.create(triaged_at=NOW, intake_submitted_at=NOW),
    ),
    "newcomer_not_duplicate_of_itself": Rule(
        lambda: newcomer_duplicate_of(itself=True),
        lambda: newcomer_duplicate_of(itself=False),
    ),
    "household_relation_valid": Rule(
        lambda: household(relation="neighbour"),
        lambda: household(relation=HouseholdMember.Relation.CHILD),
    ),
    "household_birth_year_plausible": Rule(
        lambda: household(relation="child", birth_year=1850),
        lambda: household(relation="child", birth_year=2019),
    ),
    "languageskill_unique": Rule(
        lambda: languages_twice("en"),
        lambda: languages_twice("uk"),
    ),
    "languageskill_level_valid": Rule(
        lambda: language(level="Z9"),
        lambda: language(level=CEFRLevel.NATIVE),
    ),
    "qualification_year_plausible": Rule(
        lambda: qualification(year=1900),
        lambda: qualification(year=2012),
    ),
    "qualification_outcome_needs_decision_date": Rule(
        lambda: qualification(outcome=RecognitionOutcome.FULL),
        lambda: qualification(outcome=RecognitionOutcome.FULL, decision_on=TODAY),
    ),
    "residencepermit_title_valid": Rule(
        lambda: permit(title="tourist"),
        lambda: permit(title=ResidenceTitle.SKILLED_DEGREE_18B),
    ),
    "residencepermit_expires_after_issue": Rule(
        lambda: permit(title="18b", issued_on=TODAY, expires_on=TODAY - timedelta(days=1)),
        lambda: permit(title="18b", issued_on=TODAY, expires_on=TODAY),
    ),
    "consent_scope_valid": Rule(
        lambda: consent(scope="marketing"),
        lambda: consent(scope=ConsentScope.SHARE_WITH_PARTNERS),
    ),
    "consent_non_form_has_recorder": Rule(
        lambda: consent(method=ConsentMethod.ORAL),
        lambda: consent(method=ConsentMethod.ORAL, recorded_by=factories.LotseFactory.create()),
    ),
    "consent_withdrawn_after_given": Rule(
        lambda: consent(withdrawn_at=NOW - timedelta(minutes=1)),
        lambda: consent(withdrawn_at=NOW),
    ),
    "checklist_item_unique": Rule(
        lambda: checklist_twice(ChecklistItem.TAX_ID),
        lambda: checklist_twice(ChecklistItem.BANK_ACCOUNT),
    ),
    # partners
    "partner_type_valid": Rule(
        lambda: factories.PartnerFactory.create(type="bakery"),
        lambda: factories.PartnerFactory.create(type=PartnerType.KITA),
    ),
    "partner_response_days_range": Rule(
        lambda: factories.PartnerFactory.create(response_days=0),
        lambda: factories.PartnerFactory.create(response_days=1),
    ),
    "partnerservice_unique": Rule(
        lambda: services_twice(Category.HOUSING),
        lambda: services_twice(Category.LANGUAGE),
    ),
    "partnerservice_category_valid": Rule(
        lambda: PartnerService.objects.create(
            partner=factories.PartnerFactory.create(), category="x"
        ),
        lambda: PartnerService.objects.create(
            partner=factories.PartnerFactory.create(), category="work"
        ),
    ),
    "partnercontact_one_primary": Rule(
        lambda: primary_contacts(second_is_primary=True),
        lambda: primary_contacts(second_is_primary=False),
    ),
    # companies
    "company_status_valid": Rule(
        lambda: factories.CompanyFactory.create(status="sleeping"),
        lambda: factories.CompanyFactory.create(status=Company.Status.PENDING),
    ),
    "company_rejection_has_reason": Rule(
        lambda: factories.CompanyFactory.create(status=Company.Status.REJECTED),
        lambda: factories.CompanyFactory.create(
            status=Company.Status.REJECTED, rejection_reason="Not in the region."
        ),
    ),
    "need_headcount_range": Rule(
        lambda: factories.SkilledWorkerNeedFactory.create(headcount=0),
        lambda: factories.SkilledWorkerNeedFactory.create(headcount=1),
    ),
    "need_status_valid": Rule(
        lambda: factories.SkilledWorkerNeedFactory.create(status="dreaming"),
        lambda: factories.SkilledWorkerNeedFactory.create(status=SkilledWorkerNeed.Status.FILLED),
    ),
    "need_german_level_valid": Rule(
        lambda: factories.SkilledWorkerNeedFactory.create(german_level="Z1"),
        lambda: factories.SkilledWorkerNeedFactory.create(german_level=CEFRLevel.A2),
    ),
    # cases
    "referencesequence_unique": Rule(lambda: sequence_twice(2026), lambda: sequence_twice(2027)),
    "case_category_valid": Rule(
        lambda: factories.CaseFactory.create(category="magic"),
        lambda: factories.CaseFactory.create(category=Category.WORK),
    ),
    "case_status_valid": Rule(
        lambda: factories.CaseFactory.create(status="lost"),
        lambda: factories.CaseFactory.create(status=Status.WAITING_PARTNER),
    ),
    "case_priority_valid": Rule(
        lambda: factories.CaseFactory.create(priority=9),
        lambda: factories.CaseFactory.create(priority=Priority.URGENT),
    ),
    "case_closed_iff_closed_at_and_outcome": Rule(
        lambda: factories.CaseFactory.create(status=Status.CLOSED, outcome=Outcome.ACHIEVED),
        lambda: factories.CaseFactory.create(
            status=Status.CLOSED, outcome=Outcome.ACHIEVED, closed_at=NOW
        ),
    ),
    "caseevent_kind_valid": Rule(
        lambda: factories.CaseEventFactory.create(kind="gossip"),
        lambda: factories.CaseEventFactory.create(kind=EventKind.ASSIGNMENT),
    ),
    "referral_status_valid": Rule(
        lambda: factories.ReferralFactory.create(status="lost"),
        lambda: factories.ReferralFactory.create(status=Referral.Status.ACCEPTED),
    ),
    "referral_decline_has_reason": Rule(
        lambda: factories.ReferralFactory.create(status=Referral.Status.DECLINED),
        lambda: factories.ReferralFactory.create(
            status=Referral.Status.DECLINED, decline_reason="No places until autumn."
        ),
    ),
    "followup_single_assignee": Rule(
        lambda: follow_up_assigned(to_both=True),
        lambda: follow_up_assigned(to_both=False),
    ),
    "document_size_limit": Rule(lambda: document(20 * MB + 1), lambda: document(20 * MB)),
    "procedure81a_decision_after_start": Rule(
        lambda: procedure(recognition_decided_on=TODAY),
        lambda: procedure(recognition_started_on=TODAY, recognition_decided_on=TODAY),
    ),
    # companies: introductions, service requests, timeline
    "consent_company_scope_names_company": Rule(
        lambda: company_consent(names_company=False),
        lambda: company_consent(names_company=True),
    ),
    "introduction_status_valid": Rule(
        lambda: factories.IntroductionFactory.create(status="married"),
        lambda: factories.IntroductionFactory.create(status=Introduction.Status.INTERESTED),
    ),
    "introduction_one_open_per_need": Rule(
        lambda: introductions_twice(Introduction.Status.PROPOSED),
        lambda: introductions_twice(Introduction.Status.DECLINED),
    ),
    "introduction_agreed_before_disclosure": Rule(
        lambda: factories.IntroductionFactory.create(status=Introduction.Status.AGREED),
        lambda: factories.IntroductionFactory.create(
            status=Introduction.Status.AGREED, agreed_at=NOW
        ),
    ),
    "introduction_hire_has_start": Rule(
        lambda: factories.IntroductionFactory.create(status="hired", agreed_at=NOW),
        lambda: factories.IntroductionFactory.create(status="hired", agreed_at=NOW, hired_on=TODAY),
    ),
    "servicerequest_kind_valid": Rule(
        lambda: factories.ServiceRequestFactory.create(kind="massage"),
        lambda: factories.ServiceRequestFactory.create(kind=ServiceKind.ONBOARDING),
    ),
    "servicerequest_status_valid": Rule(
        lambda: factories.ServiceRequestFactory.create(status="forgotten"),
        lambda: factories.ServiceRequestFactory.create(status=ServiceRequest.Status.DONE),
    ),
    "companyevent_kind_valid": Rule(
        lambda: CompanyEvent.objects.create(company=factories.CompanyFactory.create(), kind="x"),
        lambda: CompanyEvent.objects.create(
            company=factories.CompanyFactory.create(), kind=CompanyEvent.Kind.NOTE
        ),
    ),
    # privacy
    "retention_months_range": Rule(
        lambda: RetentionPolicy.objects.create(pk=1, months=0),
        lambda: RetentionPolicy.objects.create(pk=1, months=120),
    ),
    "retention_single_row": Rule(
        lambda: RetentionPolicy.objects.create(pk=2),
        lambda: RetentionPolicy.objects.create(pk=1),
    ),
}


def project_constraints() -> dict[str, object]:
    return {
        constraint.name: constraint
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for constraint in model._meta.constraints
    }


def assert_refused(write: Callable[[], object], constraint: str) -> None:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write()
    message = str(refused.value)
    # SQLite names a failed CHECK but only the columns of a failed UNIQUE.
    named = constraint in message
    assert named or (connection.vendor == "sqlite" and "UNIQUE constraint failed" in message), (
        message
    )


def test_every_constraint_has_a_rule() -> None:
    assert set(project_constraints()) == set(RULES)


@pytest.mark.django_db
@pytest.mark.parametrize("constraint", sorted(RULES))
def test_database_refuses_a_row_that_breaks(constraint: str) -> None:
    assert_refused(RULES[constraint].refused, constraint)
    RULES[constraint].accepted()  # and the row next to it is fine


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.CLOSED, "closed_at": NOW},  # closed without an outcome
        {"status": Status.IN_PROGRESS, "closed_at": NOW},  # open with a closing time
    ],
)
def test_case_is_closed_exactly_when_it_has_closing_time_and_outcome(fields: dict) -> None:
    assert_refused(
        lambda: factories.CaseFactory.create(**fields), "case_closed_iff_closed_at_and_outcome"
    )


@pytest.mark.django_db
def test_upper_bounds_of_ranges_are_enforced() -> None:
    assert_refused(
        lambda: factories.PartnerFactory.create(response_days=61), "partner_response_days_range"
    )
    factories.PartnerFactory.create(response_days=60)
    assert_refused(
        lambda: factories.SkilledWorkerNeedFactory.create(headcount=501), "need_headcount_range"
    )
    factories.SkilledWorkerNeedFactory.create(headcount=500)


@pytest.mark.django_db
def test_partners_each_have_their_own_primary_contact() -> None:
    factories.PartnerContactFactory.create(is_primary=True)
    factories.PartnerContactFactory.create(is_primary=True)  # another partner's


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [factories.NewcomerFactory, factories.CaseFactory])
def test_references_are_unique(
    factory: type[factories.NewcomerFactory | factories.CaseFactory],
) -> None:
    factory.create(reference="X-2026-00001")
    with pytest.raises(IntegrityError), transaction.atomic():
        factory.create(reference="X-2026-00001")


@pytest.mark.django_db
def test_user_e_mail_is_unique() -> None:
    factories.LotseFactory.create(email="lena@welcome-center.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PartnerUserFactory.create(email="lena@welcome-center.example")


# __str__ --------------------------------------------------------------------------------------


def case_in(reference: str) -> Case:
    return factories.CaseFactory.create(reference=reference)


STR: dict[str, tuple[Callable[[], object], str]] = {
    "user": (lambda: factories.LotseFactory.create(full_name="Lena Lotz"), "Lena Lotz"),
    "user without a name": (
        lambda: factories.LotseFactory.create(full_name="", email="l@example.org"),
        "l@example.org",
    ),
    "notification": (
        lambda: Notification.objects.create(
            recipient=factories.LotseFactory.create(), text="New intake"
        ),
        "New intake",
    ),
    "outgoing e-mail": (
        lambda: OutgoingEmail.objects.create(
            to="a@example.org", subject="Hello", body_text=".", template="t", language="de"
        ),
        "a@example.org: Hello",
    ),
    "newcomer": (
        lambda: factories.NewcomerFactory.create(first_name="Amina", last_name="Haddad"),
        "Amina Haddad",
    ),
    "newcomer without a name": (
        lambda: factories.NewcomerFactory.create(
            first_name="", last_name="", reference="NC-2026-00007"
        ),
        "NC-2026-00007",
    ),
    "household member": (lambda: household(relation="child", birth_year=2019), "child (2019)"),
    "language skill": (lambda: language(language="uk", level="B2"), "Ukrainian B2"),
    "qualification": (lambda: qualification(), "Bachelor of Nursing"),
    "residence permit": (lambda: permit(title="18g"), "§ 18g EU Blue Card"),
    "consent": (
        lambda: consent(),
        "processing of my data by the Welcome Center (2026-01, de)",
    ),
    "checklist entry": (
        lambda: ArrivalChecklistEntry.objects.create(
            newcomer=factories.NewcomerFactory.create(), item="tax_id", due_on=TODAY
        ),
        "tax ID received",
    ),
    "partner": (
        lambda: factories.PartnerFactory.create(name="Jobcenter Erzgebirge"),
        "Jobcenter Erzgebirge",
    ),
    "partner service": (
        lambda: PartnerService.objects.create(
            partner=factories.PartnerFactory.create(name="Kita Sonnenschein"), category="childcare"
        ),
        "Kita Sonnenschein: Childcare",
    ),
    "partner contact": (
        lambda: factories.PartnerContactFactory.create(
            name="Petra Pohl", partner=factories.PartnerFactory.create(name="HWK Chemnitz")
        ),
        "Petra Pohl (HWK Chemnitz)",
    ),
    "company": (lambda: factories.CompanyFactory.create(name="Bäckerei Lang"), "Bäckerei Lang"),
    "company contact": (
        lambda: factories.CompanyContactFactory.create(
            name="Karl Kurz", company=factories.CompanyFactory.create(name="Bäckerei Lang")
        ),
        "Karl Kurz (Bäckerei Lang)",
    ),
    "need": (
        lambda: factories.SkilledWorkerNeedFactory.create(
            occupation="Bäcker/in", company=factories.CompanyFactory.create(name="Bäckerei Lang")
        ),
        "Bäcker/in (Bäckerei Lang)",
    ),
    "reference sequence": (
        lambda: ReferenceSequence.objects.create(prefix="WC", year=2026, last_value=42),
        "WC-2026: 42",
    ),
    "case": (lambda: case_in("WC-2026-00042"), "WC-2026-00042"),
    "case event": (
        lambda: factories.CaseEventFactory.create(case=case_in("WC-2026-00042"), kind="status"),
        "WC-2026-00042: status change",
    ),
    "referral": (
        lambda: factories.ReferralFactory.create(
            case=case_in("WC-2026-00042"),
            partner=factories.PartnerFactory.create(name="IQ Netzwerk"),
        ),
        "WC-2026-00042 → IQ Netzwerk",
    ),
    "follow-up": (
        lambda: factories.FollowUpFactory.create(due_on=TODAY, text="Call back"),
        "2026-03-10: Call back",
    ),
    "document": (lambda: document(1000), "Zeugnis.pdf"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("model", sorted(STR))
def test_str_names_the_object(model: str) -> None:
    build, expected = STR[model]
    with translation.override("en"):
        assert str(build()) == expected


def test_every_model_has_its_own_str() -> None:
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            assert "__str__" in model.__dict__, f"{model.__name__} has no __str__"


# visible_to -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_center_staff_see_every_case_newcomer_event_and_document(
    lotse: User, head: User, other_lotse: User
) -> None:
    case = factories.CaseFactory.create(owner=other_lotse)
    event = factories.CaseEventFactory.create(case=case)
    doc = document(1000)
    for user in (lotse, head):
        assert list(Case.objects.visible_to(user)) == [case]
        assert set(Newcomer.objects.visible_to(user)) == {case.newcomer, doc.newcomer}
        assert list(CaseEvent.objects.visible_to(user)) == [event]
        assert list(Document.objects.visible_to(user)) == [doc]


@pytest.mark.django_db
def test_partners_and_companies_never_see_cases_newcomers_or_documents(
    partner_user: User, company_user: User, partner: Partner
) -> None:
    case = factories.CaseFactory.create()
    factories.ReferralFactory.create(case=case, partner=partner)
    factories.CaseEventFactory.create(case=case)
    document(1000)
    for user in (partner_user, company_user, ANONYMOUS):
        assert not Case.objects.visible_to(user).exists()
        assert not Newcomer.objects.visible_to(user).exists()
        assert not CaseEvent.objects.visible_to(user).exists()
        assert not Document.objects.visible_to(user).exists()


@pytest.mark.django_db
def test_inactive_lotse_sees_no_case() -> None:
    factories.CaseFactory.create()
    inactive = factories.LotseFactory.create(is_active=False)
    assert not Case.objects.visible_to(inactive).exists()


@pytest.mark.django_db
def test_partner_sees_only_referrals_to_its_own_organisation(
    partner_user: User, partner: Partner, other_partner: Partner
) -> None:
    own = factories.ReferralFactory.create(partner=partner)
    factories.ReferralFactory.create(partner=other_partner)
    assert list(Referral.objects.visible_to(partner_user)) == [own]


@pytest.mark.django_db
def test_partner_cannot_see_other_partners_referral(
    other_partner_user: User, partner: Partner
) -> None:
    factories.ReferralFactory.create(partner=partner)
    assert not Referral.objects.visible_to(other_partner_user).exists()


@pytest.mark.django_db
def test_staff_see_all_referrals_others_none(
    lotse: User, head: User, company_user: User, partner: Partner, other_partner: Partner
) -> None:
    referrals = {factories.ReferralFactory.create(partner=p) for p in (partner, other_partner)}
    assert set(Referral.objects.visible_to(lotse)) == referrals
    assert set(Referral.objects.visible_to(head)) == referrals
    assert not Referral.objects.visible_to(company_user).exists()
    assert not Referral.objects.visible_to(ANONYMOUS).exists()


@pytest.mark.django_db
def test_partner_sees_only_its_own_partner_record(
    lotse: User, partner_user: User, company_user: User, partner: Partner, other_partner: Partner
) -> None:
    assert set(Partner.objects.visible_to(lotse)) == {partner, other_partner}
    assert list(Partner.objects.visible_to(partner_user)) == [partner]
    assert not Partner.objects.visible_to(company_user).exists()
    assert not Partner.objects.visible_to(ANONYMOUS).exists()


@pytest.mark.django_db
def test_partner_user_without_contact_record_sees_nothing(partner: Partner) -> None:
    loose = factories.UserFactory.create(role=Role.PARTNER)
    factories.ReferralFactory.create(partner=partner)
    assert loose.partner is None
    assert not Partner.objects.visible_to(loose).exists()
    assert not Referral.objects.visible_to(loose).exists()


@pytest.mark.django_db
def test_partner_sees_follow_ups_assigned_to_its_contacts_only(
    lotse: User, partner_user: User, other_partner_user: User
) -> None:
    own = factories.FollowUpFactory.create(
        assignee=None, assignee_contact=partner_user.partner_contact
    )
    other = factories.FollowUpFactory.create(
        assignee=None, assignee_contact=other_partner_user.partner_contact
    )
    lotses = factories.FollowUpFactory.create()
    assert list(FollowUp.objects.visible_to(partner_user)) == [own]
    assert set(FollowUp.objects.visible_to(lotse)) == {own, other, lotses}
    assert not FollowUp.objects.visible_to(ANONYMOUS).exists()


@pytest.mark.django_db
def test_company_sees_only_its_own_company_and_needs(
    lotse: User,
    company_user: User,
    partner_user: User,
    company: Company,
    other_company: Company,
) -> None:
    own = factories.SkilledWorkerNeedFactory.create(company=company)
    other = factories.SkilledWorkerNeedFactory.create(company=other_company)
    assert list(Company.objects.visible_to(company_user)) == [company]
    assert list(SkilledWorkerNeed.objects.visible_to(company_user)) == [own]
    assert set(Company.objects.visible_to(lotse)) == {company, other_company}
    assert set(SkilledWorkerNeed.objects.visible_to(lotse)) == {own, other}
    for outsider in (partner_user, ANONYMOUS):
        assert not Company.objects.visible_to(outsider).exists()
        assert not SkilledWorkerNeed.objects.visible_to(outsider).exists()


@pytest.mark.django_db
def test_company_cannot_see_other_companys_needs(
    other_company_user: User, company: Company
) -> None:
    factories.SkilledWorkerNeedFactory.create(company=company)
    assert not SkilledWorkerNeed.objects.visible_to(other_company_user).exists()


@pytest.mark.django_db
def test_notifications_are_visible_to_their_recipient_only(lotse: User, other_lotse: User) -> None:
    mine = Notification.objects.create(recipient=lotse, text="For Lena")
    Notification.objects.create(recipient=other_lotse, text="For Lars")
    assert list(Notification.objects.visible_to(lotse)) == [mine]
    assert not Notification.objects.visible_to(ANONYMOUS).exists()


# QuerySet vocabulary --------------------------------------------------------------------------


@pytest.mark.django_db
def test_open_cases_are_those_not_resolved_or_closed() -> None:
    open_ = {factories.CaseFactory.create(status=status) for status in OPEN_STATUSES}
    factories.CaseFactory.create(status=Status.RESOLVED)
    factories.CaseFactory.create(status=Status.CLOSED, closed_at=NOW, outcome=Outcome.ACHIEVED)
    assert set(Case.objects.open()) == open_


@pytest.mark.django_db
def test_owned_by_and_unassigned(lotse: User, other_lotse: User) -> None:
    mine = factories.CaseFactory.create(owner=lotse)
    factories.CaseFactory.create(owner=other_lotse)
    nobodys = factories.CaseFactory.create(owner=None)
    assert list(Case.objects.owned_by(lotse)) == [mine]
    assert list(Case.objects.unassigned()) == [nobodys]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_case_has_overdue_follow_up_only_when_an_open_one_is_past_due() -> None:
    overdue = factories.FollowUpFactory.create(due_on=TODAY - timedelta(days=1)).case
    factories.FollowUpFactory.create(due_on=TODAY)  # due today is not overdue yet
    factories.FollowUpFactory.create(due_on=TODAY - timedelta(days=5), done_at=NOW)  # done
    assert list(Case.objects.with_overdue_follow_up()) == [overdue]
    assert not Case.objects.with_overdue_follow_up(today=TODAY - timedelta(days=1)).exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_follow_ups_due_are_pending_ones_due_today_or_earlier() -> None:
    yesterday = factories.FollowUpFactory.create(due_on=TODAY - timedelta(days=1))
    today = factories.FollowUpFactory.create(due_on=TODAY)
    factories.FollowUpFactory.create(due_on=TODAY + timedelta(days=1))
    done = factories.FollowUpFactory.create(due_on=TODAY, done_at=NOW)
    assert set(FollowUp.objects.due()) == {yesterday, today}
    assert done not in FollowUp.objects.pending()
    assert FollowUp.objects.pending().count() == 3


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_referral_is_overdue_when_sent_and_unanswered_past_its_date() -> None:
    overdue = factories.ReferralFactory.create(answer_by=TODAY - timedelta(days=1))
    factories.ReferralFactory.create(answer_by=TODAY)
    factories.ReferralFactory.create(
        answer_by=TODAY - timedelta(days=3), status=Referral.Status.ACCEPTED
    )
    assert list(Referral.objects.overdue()) == [overdue]


@pytest.mark.django_db
def test_referrals_awaiting_answer_are_sent_or_accepted() -> None:
    waiting = {
        factories.ReferralFactory.create(status=Referral.Status.SENT),
        factories.ReferralFactory.create(status=Referral.Status.ACCEPTED),
    }
    factories.ReferralFactory.create(status=Referral.Status.COMPLETED)
    factories.ReferralFactory.create(status=Referral.Status.WITHDRAWN)
    assert set(Referral.objects.awaiting_answer()) == waiting


@pytest.mark.django_db
def test_newcomers_awaiting_triage_submitted_an_intake_nobody_took_yet() -> None:
    waiting = factories.NewcomerFactory.create(intake_submitted_at=NOW)
    factories.NewcomerFactory.create(intake_submitted_at=NOW, triaged_at=NOW)
    factories.NewcomerFactory.create()  # entered by a Lotse, no intake
    assert list(Newcomer.objects.awaiting_triage()) == [waiting]


@pytest.mark.django_db
def test_not_anonymised_newcomers() -> None:
    kept = factories.NewcomerFactory.create()
    factories.NewcomerFactory.create(anonymised_at=NOW)
    assert list(Newcomer.objects.not_anonymised()) == [kept]


@pytest.mark.django_db
def test_active_partners_serving_a_category() -> None:
    kita = factories.PartnerFactory.create(type=PartnerType.KITA)
    PartnerService.objects.create(partner=kita, category=Category.CHILDCARE)
    closed = factories.PartnerFactory.create(is_active=False)
    PartnerService.objects.create(partner=closed, category=Category.CHILDCARE)
    assert list(Partner.objects.active().serving(Category.CHILDCARE)) == [kita]
    assert not Partner.objects.serving(Category.HOUSING).exists()


@pytest.mark.django_db
def test_approved_companies_and_open_needs() -> None:
    approved = factories.CompanyFactory.create(status=Company.Status.APPROVED)
    factories.CompanyFactory.create(status=Company.Status.PENDING)
    assert list(Company.objects.approved()) == [approved]
    open_ = {
        factories.SkilledWorkerNeedFactory.create(status=SkilledWorkerNeed.Status.OPEN),
        factories.SkilledWorkerNeedFactory.create(status=SkilledWorkerNeed.Status.IN_PROGRESS),
    }
    factories.SkilledWorkerNeedFactory.create(status=SkilledWorkerNeed.Status.FILLED)
    assert set(SkilledWorkerNeed.objects.open()) == open_


@pytest.mark.django_db
def test_unread_notifications(lotse: User) -> None:
    unread = Notification.objects.create(recipient=lotse, text="new")
    Notification.objects.create(recipient=lotse, text="old", read_at=NOW)
    assert list(Notification.objects.unread()) == [unread]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_outgoing_email_is_pending_until_sent_or_given_up_and_due_when_its_time_came() -> None:
    def email(**fields: object) -> OutgoingEmail:
        return OutgoingEmail.objects.create(
            to="a@example.org", subject="s", body_text="b", template="t", language="de", **fields
        )

    due = email()
    later = email(next_attempt_at=NOW + timedelta(minutes=5))
    email(sent_at=NOW)
    email(failed_at=NOW)
    assert set(OutgoingEmail.objects.pending()) == {due, later}
    assert list(OutgoingEmail.objects.due()) == [due]


@pytest.mark.django_db
def test_center_staff_are_active_lotsen_and_heads(
    lotse: User, head: User, partner_user: User, company_user: User
) -> None:
    factories.LotseFactory.create(is_active=False)
    assert set(User.objects.center_staff()) == {lotse, head}


# Case transitions -----------------------------------------------------------------------------


@pytest.mark.parametrize("current", Status.values)
@pytest.mark.parametrize("target", Status.values)
def test_case_moves_only_along_the_transitions(current: str, target: str) -> None:
    case = Case(status=current)
    assert case.can_move_to(target) is (target in TRANSITIONS[current])


def test_every_status_has_a_way_out_and_none_leads_to_itself() -> None:
    assert set(TRANSITIONS) == set(Status.values)
    for status, targets in TRANSITIONS.items():
        assert targets, status
        assert status not in targets
        assert set(targets) <= set(Status.values)


def test_a_closed_case_can_only_be_reopened() -> None:
    assert TRANSITIONS[Status.CLOSED] == (Status.IN_PROGRESS,)
    assert Case(status=Status.NEW).is_open
    assert not Case(status=Status.RESOLVED).is_open


# References -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_next_reference_counts_up_per_prefix_and_year() -> None:
    assert ReferenceSequence.next_reference("WC", year=2026) == ["WC-2026-00001"]
    assert ReferenceSequence.next_reference("WC", year=2026, count=3) == [
        "WC-2026-00002",
        "WC-2026-00003",
        "WC-2026-00004",
    ]
    assert ReferenceSequence.next_reference("NC", year=2026) == ["NC-2026-00001"]
    assert ReferenceSequence.next_reference("WC", year=2027) == ["WC-2027-00001"]
    assert ReferenceSequence.next_reference("WC", year=2026) == ["WC-2026-00005"]


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.get_fixed_timezone(0)))
def test_next_reference_uses_the_year_in_berlin() -> None:
    # 23:30 UTC on New Year's Eve is already 2027 in the center's time zone.
    assert ReferenceSequence.next_reference("WC") == ["WC-2027-00001"]


@pytest.mark.django_db(transaction=True)
def test_next_reference_never_gives_the_same_number_to_two_connections() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; the race needs PostgreSQL's row locks")
    per_thread = 25
    results: list[list[str]] = [[], []]
    start = threading.Barrier(2)

    def reserve(into: list[str]) -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    into += ReferenceSequence.next_reference("WC", year=2026)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reserve, args=(result,)) for result in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    references = results[0] + results[1]
    assert len(references) == 2 * per_thread
    assert sorted(references) == [f"WC-2026-{n:05d}" for n in range(1, 2 * per_thread + 1)]


@pytest.mark.django_db(transaction=True)
def test_a_reservation_of_its_own_skips_the_disk_wait_and_nothing_else_does() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")

    def synchronous_commit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with CaptureQueriesContext(connection) as queries:
        assert ReferenceSequence.reserve({"NC": 1, "WC": 2}, year=2026) == {
            "NC": ["NC-2026-00001"],
            "WC": ["WC-2026-00001", "WC-2026-00002"],
        }
    assert queries.captured_queries[0]["sql"].startswith("SET LOCAL synchronous_commit TO OFF;")
    # SET LOCAL ended with the reservation's own transaction.
    assert synchronous_commit() == "on"
    # Inside a transaction the setting would hold for all of it: there, nothing is changed.
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert ReferenceSequence.next_reference("WC", year=2026) == ["WC-2026-00003"]
        assert synchronous_commit() == "on"
    assert "synchronous_commit" not in queries.captured_queries[0]["sql"]


# Users and roles ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_roles_of_the_personas(
    lotse: User,
    head: User,
    partner_user: User,
    company_user: User,
    partner: Partner,
    company: Company,
) -> None:
    assert (lotse.is_center_staff, lotse.is_lotse, lotse.is_head) == (True, True, False)
    assert (head.is_center_staff, head.is_lotse, head.is_head) == (True, False, True)
    assert not partner_user.is_center_staff
    assert not company_user.is_center_staff
    assert partner_user.partner == partner
    assert partner_user.company is None
    assert company_user.company == company
    assert company_user.partner is None
    assert lotse.partner is None
    assert lotse.company is None


@pytest.mark.django_db
def test_contact_record_of_the_wrong_role_gives_no_organisation(partner: Partner) -> None:
    # A Lotse who is also listed as a partner's contact does not become a partner user.
    lotse = factories.LotseFactory.create()
    factories.PartnerContactFactory.create(partner=partner, user=lotse)
    assert lotse.partner is None


@pytest.mark.django_db
def test_inactive_staff_lose_their_role() -> None:
    head = factories.HeadFactory.create(is_active=False)
    assert not head.is_center_staff
    assert not head.is_head


@pytest.mark.django_db
def test_head_may_do_everything_in_the_admin(head: User) -> None:
    assert head.has_perm("cases.delete_case")
    assert head.has_perm("accounts.change_user")
    assert head.has_module_perms("migrants")


@pytest.mark.django_db
def test_nobody_else_has_admin_permissions(
    lotse: User, partner_user: User, company_user: User
) -> None:
    head_without_admin = factories.HeadFactory.create(is_staff=False)
    inactive_head = factories.HeadFactory.create(is_active=False)
    for user in (lotse, partner_user, company_user, head_without_admin, inactive_head):
        assert not user.has_perm("cases.view_case"), user
        assert not user.has_module_perms("cases"), user


@pytest.mark.django_db
def test_superuser_is_a_head_with_admin_access() -> None:
    admin = User.objects.create_superuser("Root@Welcome-Center.example", "x", full_name="Root")
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.HEAD, True, True)
    assert admin.email == "root@welcome-center.example"
    assert admin.has_perm("anything.at_all")


@pytest.mark.django_db
def test_user_needs_an_e_mail_address() -> None:
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user("", full_name="Nobody")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.LOTSE, Role.PARTNER, Role.COMPANY])
def test_only_the_head_or_a_superuser_may_have_admin_access(role: Role) -> None:
    assert_refused(
        lambda: factories.UserFactory.create(role=role, is_staff=True),
        "user_admin_only_head_or_superuser",
    )
    factories.HeadFactory.create(is_staff=True)
