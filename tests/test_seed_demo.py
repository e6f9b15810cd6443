"""`manage.py seed_demo`: the demo center, its logins, running it again, --flush and --scale."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, OutgoingEmail, Role, User
from cases import demo
from cases.filters import overdue_checklist_items
from cases.models import TRANSITIONS, Case, CaseEvent, Category, FollowUp, Referral, Status
from companies.models import Company, Introduction, ServiceRequest
from figures.models import ExitQuestionnaire
from figures.services import last_case_closed_on
from migrants.consent import CONSENT_TEXT_VERSION, consent_digest
from migrants.models import (
    FREE_MOVEMENT_COUNTRIES,
    ArrivalChecklistEntry,
    ChecklistItem,
    ConsentRecord,
    HouseholdMember,
    Newcomer,
    ResidencePermit,
)
from migrants.services import CHECKLIST_DUE_DAYS, checklist_items_for
from partners.models import Partner
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-123"


def seed(**options: Any) -> str:
    out = io.StringIO()
    call_command("seed_demo", password=options.pop("password", PASSWORD), stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in demo.INSERT_ORDER}


def test_demo_has_one_login_per_role_with_the_given_password() -> None:
    output = seed()

    head = User.objects.get(role=Role.HEAD)
    assert (head.email, head.full_name, head.is_staff) == (demo.HEAD.email, "Katrin Böhme", True)
    lotsen = User.objects.filter(role=Role.LOTSE)
    assert sorted(lotsen.values_list("email", flat=True)) == sorted(u.email for u in demo.LOTSEN)
    assert list(lotsen.filter(is_on_duty=True).values_list("full_name", flat=True)) == [
        "Jana Schubert"
    ]
    partner = User.objects.get(email=demo.PARTNER_USER.email).partner
    assert partner is not None
    assert partner.name == demo.DEMO_PARTNER
    company = User.objects.get(email=demo.COMPANY_USER.email).company
    assert company is not None
    assert company.status == Company.Status.APPROVED
    for user in User.objects.all():
        assert user.check_password(PASSWORD), user.email
        assert user.email in output
    assert PASSWORD in output


def test_demo_logins_work_on_the_login_page() -> None:
    seed()

    for spec in demo.DEMO_USERS:
        response = Client().post(
            reverse("account_login"), {"login": spec.email, "password": PASSWORD}
        )
        assert response.status_code == 302, spec.email


def test_demo_is_a_believable_center() -> None:
    seed()
    today = timezone.localdate()

    assert Case.objects.count() == 150
    assert Newcomer.objects.count() == 60
    assert 15 <= Partner.objects.count() <= 20
    assert Company.objects.count() == 20
    assert Company.objects.filter(status=Company.Status.PENDING).count() == 2
    assert set(Case.objects.values_list("category", flat=True)) == set(Category.values)
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    origins = set(Newcomer.objects.values_list("country_of_origin", flat=True))
    assert {"IN", "VN", "UA", "SY", "DE"} <= origins
    assert Referral.objects.overdue().exists()
    assert FollowUp.objects.pending().filter(due_on=today).exists()
    assert FollowUp.objects.pending().filter(due_on__lt=today).exists()
    assert FollowUp.objects.filter(done_at__isnull=False).exists()
    soon = ResidencePermit.objects.filter(expires_on__range=(today, today + timedelta(days=90)))
    assert soon.exists()


def test_every_partner_has_services_and_one_primary_contact() -> None:
    seed()

    for partner in Partner.objects.prefetch_related("contacts", "services"):
        contacts = list(partner.contacts.all())
        assert 1 <= len(contacts) <= 3, partner
        assert sum(contact.is_primary for contact in contacts) == 1, partner
        assert partner.services.exists(), partner


def test_some_newcomers_await_triage_with_unassigned_new_cases() -> None:
    seed()

    waiting = Newcomer.objects.awaiting_triage()
    assert waiting.exists()
    cases = Case.objects.filter(newcomer__in=waiting)
    assert set(cases.values_list("owner", "status")) == {(None, Status.NEW)}


def test_newcomers_have_consent_and_only_third_country_nationals_hold_permits() -> None:
    seed()

    # The intake's; the consents to share a profile with a company come with the
    # introductions (test_introductions_hires_and_exit_questionnaires_fit_the_cases).
    consents = ConsentRecord.objects.filter(method="intake_form")
    assert consents.count() == 2 * Newcomer.objects.count()
    assert set(consents.values_list("scope", "method", "text_version")) == {
        ("processing", "intake_form", CONSENT_TEXT_VERSION),
        ("partners", "intake_form", CONSENT_TEXT_VERSION),
    }
    # The fingerprint of the consent text as shown in the language the newcomer used.
    for language, digest in set(consents.values_list("language", "text_digest")):
        assert digest == consent_digest(language), language
    assert set(consents.values_list("language", flat=True)) == set(
        Newcomer.objects.values_list("preferred_language", flat=True)
    )
    holders = Newcomer.objects.filter(residence_permits__isnull=False).distinct()
    assert holders.exists()
    assert not holders.filter(nationality__in=FREE_MOVEMENT_COUNTRIES).exists()


def test_newcomers_have_their_arrival_checklist_some_done_some_overdue() -> None:
    seed()
    today = timezone.localdate()

    children = HouseholdMember.objects.filter(relation=HouseholdMember.Relation.CHILD)
    for newcomer in Newcomer.objects.prefetch_related("checklist"):
        assert newcomer.arrival_date is not None
        years = children.filter(newcomer=newcomer).values_list("birth_year", flat=True)
        ages = [today.year - year for year in years if year is not None]
        checklist = list(newcomer.checklist.all())
        items = sorted(entry.item for entry in checklist)
        assert items == sorted(checklist_items_for(newcomer, ages)), newcomer
        for entry in checklist:
            due_days = CHECKLIST_DUE_DAYS[ChecklistItem(entry.item)]
            assert entry.due_on == newcomer.arrival_date + timedelta(days=due_days)
            if entry.done_on is not None:
                assert newcomer.arrival_date <= entry.done_on <= today, entry
                assert entry.done_by is not None
                assert entry.done_by.role == Role.LOTSE
    all_entries = ArrivalChecklistEntry.objects.all()
    assert all_entries.filter(done_on__isnull=False).exists()
    assert all_entries.filter(done_on__isnull=True, due_on__gte=today).exists()
    # The dashboard counts open cases of newcomers with an overdue item.
    overdue = overdue_checklist_items(today).values("newcomer_id")
    assert Case.objects.open().filter(newcomer__in=overdue).exists()


def test_introductions_hires_and_exit_questionnaires_fit_the_cases() -> None:
    seed(scale=1000, flush=True)
    today = timezone.localdate()

    introductions = Introduction.objects.select_related("consent", "need", "newcomer")
    assert set(introductions.values_list("status", flat=True)) >= {"hired", "declined"}
    for introduction in introductions:
        consent = introduction.consent
        assert consent.newcomer_id == introduction.newcomer_id
        assert (consent.scope, consent.company_id) == ("company", introduction.need.company_id)
        assert consent.given_at <= introduction.proposed_at <= timezone.now()
        if introduction.status == Introduction.Status.HIRED:
            # The hire's start is the newcomer's first working day (introductions.record_hire).
            assert introduction.hired_on == introduction.newcomer.started_work_on
            assert introduction.agreed_at is not None
            assert introduction.proposed_at.date() < introduction.hired_on <= today
    consents = ConsentRecord.objects.filter(scope="company")
    assert consents.count() == introductions.count()
    assert ServiceRequest.objects.filter(owner__isnull=False).exists()

    # Exactly the newcomers whose cases are all closed may have one, leaving on the day the
    # last case closed (figures.services.last_case_closed_on).
    exits = ExitQuestionnaire.objects.select_related("newcomer")
    assert exits.count() > 50
    assert {questionnaire.employment for questionnaire in exits} == {
        "employed",
        "self_employed",
        "not_employed",
    }
    for questionnaire in exits:
        assert last_case_closed_on(questionnaire.newcomer) == questionnaire.left_on
    all_closed = Newcomer.objects.exclude(cases__closed_at__isnull=True).filter(cases__isnull=False)
    assert exits.count() >= 0.8 * all_closed.distinct().count()


def test_demo_rows_pass_model_validation_and_foreign_keys_hold() -> None:
    seed()

    connection.check_constraints()
    for model in demo.INSERT_ORDER:
        for obj in model._default_manager.all():
            # Check constraints are the database's job (it enforced them on insert).
            obj.full_clean(validate_unique=False, validate_constraints=False)


def test_timelines_follow_the_allowed_status_transitions() -> None:
    seed()

    # The timeline stores statuses as values, as cases.services does.
    status_of = {value: value for value in Status.values}
    for case in Case.objects.prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda event: (event.created_at, event.pk))
        status: str = Status.NEW
        for event in (e for e in events if e.kind == CaseEvent.Kind.STATUS):
            assert status_of[event.old_value] == status, case
            new = status_of[event.new_value]
            assert new in TRANSITIONS[status], (case, status, new)
            status = new
        assert case.status == status, case
        assert case.last_activity_at == max(event.created_at for event in events), case


def test_running_again_keeps_the_data_and_only_resets_the_passwords() -> None:
    seed()
    before = row_counts()

    output = seed(password="another-password-456")

    assert row_counts() == before
    assert "only the demo passwords were reset" in output
    for user in User.objects.all():
        assert user.check_password("another-password-456"), user.email


def test_without_a_password_a_random_one_is_made_and_printed() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    head = User.objects.get(email=demo.HEAD.email)
    printed = out.getvalue().split(demo.HEAD.email, 1)[1].split("\n", 1)[0].split()[-1]
    assert len(printed) >= 16
    assert head.check_password(printed)


def test_refuses_to_mix_demo_data_into_other_data() -> None:
    Partner.objects.create(name="Echter Partner", type="other")

    with pytest.raises(CommandError, match="--flush"):
        seed()

    assert not User.objects.exists()


def test_flush_and_scale_build_proportional_data_over_three_years() -> None:
    seed()
    User.objects.create_user("someone@welcome-center.example", "x", full_name="S", role="lotse")
    admin = User.objects.create_superuser("admin@welcome-center.example", "x", full_name="A")

    seed(scale=300, flush=True)

    assert Case.objects.count() == 300
    assert Newcomer.objects.count() == 120
    assert Company.objects.count() == 20
    assert 15 <= Partner.objects.count() <= 20
    assert 0.4 * 300 <= Referral.objects.count() <= 0.8 * 300
    assert 0.7 * 300 <= FollowUp.objects.count() <= 2 * 300
    assert 4 * 300 <= CaseEvent.objects.count() <= 8 * 300
    first_case = Case.objects.earliest("opened_at").opened_at
    assert first_case < timezone.now() - timedelta(days=2 * 365)
    assert set(User.objects.values_list("email", flat=True)) == {
        admin.email,
        *(spec.email for spec in demo.DEMO_USERS),
    }


def test_flush_deletes_what_the_portal_made_with_its_audit_trail_but_keeps_superusers() -> None:
    referral = factories.ReferralFactory.create()
    factories.FollowUpFactory.create(case=referral.case)
    lotse = referral.created_by
    Notification.objects.create(recipient=lotse, text="Neue Anfrage")
    OutgoingEmail.objects.create(
        to="a@partner.example", subject="s", body_text="b", template="t", language="de"
    )
    admin = User.objects.create_superuser("admin@welcome-center.example", "x", full_name="A")
    assert LogEntry.objects.exists()  # the factories' saves were audited

    seed(flush=True)

    assert not LogEntry.objects.exists()
    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not User.objects.filter(pk=lotse.pk).exists()
    assert User.objects.filter(pk=admin.pk).exists()
    assert Case.objects.count() == 150


# References and referral link keys are keys like the ids; salts and `auto_now` differ by design.
VARYING = {"reference", "password", "updated_at", "link_nonce"}


def test_the_same_seed_gives_the_same_data() -> None:
    def snapshot() -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        for model in demo.INSERT_ORDER:
            fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            # Keys and references move on between runs, salts and `auto_now` differ by design;
            # the rest must not.
            fields = [f for f in fields if not f.endswith("_id") and f not in VARYING]
            rows += model._default_manager.order_by("pk").values_list(*fields)
        return rows

    # Two runs in the same hour: nothing may depend on the minute a run starts at.
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    with time_machine.travel(hour + timedelta(minutes=5), tick=True):
        seed(scale=100, flush=True, seed=7)
        first = snapshot()
    with time_machine.travel(hour + timedelta(minutes=50), tick=True):
        seed(scale=100, flush=True, seed=7)
        again = snapshot()
        seed(scale=100, flush=True, seed=8)

    assert again == first
    assert snapshot() != first


def test_after_scale_the_portal_adds_rows_with_fresh_keys() -> None:
    # --scale hands out the keys of newcomers, cases, referrals and follow-ups itself and, on
    # PostgreSQL, COPYs the rows: the tables' own counters must have moved past all of them.
    seed(scale=300, flush=True)
    keyed: list[type[models.Model]] = [
        Newcomer, Case, Referral, FollowUp, CaseEvent, ArrivalChecklistEntry
    ]  # fmt: skip
    highest = {model: model._default_manager.aggregate(m=Max("pk"))["m"] for model in keyed}
    lotse = User.objects.get(email=demo.LOTSEN[0].email)
    today = timezone.localdate()

    newcomer = Newcomer.objects.create(
        reference="NC-TEST-00001", first_name="Nora", last_name="Neu", kind_of_arrival="abroad_eu"
    )
    case = Case.objects.create(
        reference="WC-TEST-00001", newcomer=newcomer, category=Category.HOUSING, owner=lotse
    )
    created = [
        newcomer,
        case,
        Referral.objects.create(
            case=case, partner=Partner.objects.earliest("pk"), request="Bitte um Rückruf.",
            created_by=lotse, answer_by=today,
        ),
        FollowUp.objects.create(
            case=case, due_on=today, text="Nachfragen", assignee=lotse, created_by=lotse
        ),
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=lotse, text="Notiz"),
        ArrivalChecklistEntry.objects.create(newcomer=newcomer, item="address", due_on=today),
    ]  # fmt: skip

    for obj in created:
        assert obj.pk > highest[type(obj)], type(obj).__name__


def _schema() -> set[tuple[str, str, str]]:
    """Every index and constraint of the database, as PostgreSQL would create it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() "
            "UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
        )
        return set(cursor.fetchall())


def test_scale_on_postgresql_leaves_indexes_and_foreign_keys_as_they_were() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("indexes and foreign keys are only dropped during a load on PostgreSQL")
    before = _schema()

    seed(scale=300, flush=True)

    assert _schema() == before
    connection.check_constraints()


def test_seeding_writes_many_rows_per_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        seed(scale=400)

    rows = sum(row_counts().values())
    # SQLite limits a statement to 999 parameters, so Django splits inserts there: still dozens
    # of rows per query. On PostgreSQL it is thousands.
    assert len(queries) < rows / 20, (len(queries), rows)


def test_flush_covers_every_table_that_points_at_domain_data() -> None:
    flushed = set(demo.FLUSH_ORDER)
    for model in flushed:
        for relation in model._meta.related_objects:
            related: type[models.Model] = relation.related_model  # type: ignore[assignment]
            assert related in flushed, f"{related.__name__} points at {model.__name__}"
