"""Each rule in time (time_machine): when an item becomes due, for whom, once per period, and
what never is. Working days are those of Saxony (settings.CENTER_STATE = "SN"): 18 November
2026 (Buß- und Bettag) is a holiday there but not in Berlin; Easter 2026 is 3 to 6 April."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from accounts.models import Notification, User
from cases.models import AcceleratedProcedure, Status
from migrants.models import Newcomer
from partners.models import Partner
from reminders.models import ReminderRules, Rule
from reminders.services import SweepResult
from tests import factories
from tests.reminders.conftest import BERLIN, items, morning

pytestmark = pytest.mark.django_db

Sweep = Callable[[date], SweepResult]


@pytest.fixture(autouse=True)
def _saxony(settings: Settings) -> None:
    settings.CENTER_STATE = "SN"


def only(rule: Rule) -> None:
    """Switch every rule off but `rule`, so a test sees that rule's items alone."""
    flags = ["follow_ups", "referrals", "escalations", "permits", "intakes", "inactive_cases"]
    flags += ["check_ins", "procedures_81a"]
    wanted = {
        Rule.FOLLOW_UP: "follow_ups",
        Rule.REFERRAL: "referrals",
        Rule.ESCALATION: "escalations",
        Rule.PERMIT: "permits",
        Rule.INTAKE: "intakes",
        Rule.INACTIVE: "inactive_cases",
        Rule.CHECK_IN: "check_ins",
        Rule.PROCEDURE_81A: "procedures_81a",
    }[rule]
    ReminderRules.objects.update_or_create(pk=1, defaults={flag: flag == wanted for flag in flags})


# Follow-ups ---------------------------------------------------------------------------------


def test_follow_up_is_reminded_on_its_due_date_once(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.FOLLOW_UP)
    follow_up = factories.FollowUpFactory.create(case__owner=lotse, due_on=date(2026, 3, 10))

    assert sweep_on(date(2026, 3, 9)).items == 0  # not before
    assert sweep_on(date(2026, 3, 10)).items == 1
    assert sweep_on(date(2026, 3, 11)).items == 0  # overdue, but already told for this date
    assert items() == [(Rule.FOLLOW_UP, "2026-03-10", lotse.email)]

    # Moved to a new date: a new reminder when that one comes.
    follow_up.due_on = date(2026, 3, 16)
    follow_up.save()
    assert sweep_on(date(2026, 3, 16)).items == 1


def test_an_overdue_follow_up_never_reminded_is_reminded(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.FOLLOW_UP)
    factories.FollowUpFactory.create(case__owner=lotse, due_on=date(2026, 2, 1))
    assert sweep_on(date(2026, 3, 10)).items == 1


def test_done_follow_up_is_not_reminded(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.FOLLOW_UP)
    factories.FollowUpFactory.create(
        case__owner=lotse, due_on=date(2026, 3, 10), done_at=morning(date(2026, 3, 9))
    )
    assert sweep_on(date(2026, 3, 10)).items == 0


def test_follow_up_of_a_partner_contact_goes_to_their_address_or_account(
    lotse: User, partner: Partner, partner_user: User, sweep_on: Sweep
) -> None:
    only(Rule.FOLLOW_UP)
    case = factories.CaseFactory.create(owner=lotse)
    contact = factories.PartnerContactFactory.create(partner=partner, email="Amt@Partner.example")
    due = date(2026, 3, 10)
    for assignee in (contact, partner_user.partner_contact):
        factories.FollowUpFactory.create(
            case=case, due_on=due, assignee=None, assignee_contact=assignee
        )
    # The contact was removed (SET_NULL): nobody is assigned, so the case owner is told.
    factories.FollowUpFactory.create(case=case, due_on=due, assignee=None)

    assert sweep_on(due).items == 3
    assert sorted(r for _rule, _period, r in items()) == sorted(
        ["amt@partner.example", partner_user.email, lotse.email]
    )
    # In-app only for people with an account.
    assert Notification.objects.filter(recipient=partner_user).count() == 1
    assert Notification.objects.count() == 2


def test_inactive_users_are_not_reminded(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.FOLLOW_UP)
    factories.FollowUpFactory.create(case__owner=lotse, due_on=date(2026, 3, 10))
    User.objects.filter(pk=lotse.pk).update(is_active=False)
    assert sweep_on(date(2026, 3, 10)).items == 0


# Referrals and escalation -------------------------------------------------------------------


def test_unanswered_referral_reminds_the_contact_after_its_date(
    lotse: User, partner: Partner, sweep_on: Sweep
) -> None:
    only(Rule.REFERRAL)
    contact = factories.PartnerContactFactory.create(partner=partner, email="kontakt@abh.example")
    answer_by = date(2026, 11, 13)  # a Friday
    factories.ReferralFactory.create(
        case__owner=lotse, partner=partner, contact=contact, answer_by=answer_by
    )
    factories.ReferralFactory.create(case__owner=lotse, partner=partner, answer_by=answer_by)
    answered = factories.ReferralFactory.create(
        case__owner=lotse, partner=partner, contact=contact, answer_by=answer_by
    )
    answered.answered_at = morning(date(2026, 11, 12))
    answered.save()

    assert sweep_on(answer_by).items == 0  # answering on the day is in time
    assert sweep_on(answer_by + timedelta(days=1)).items == 2
    assert sorted(r for *_, r in items()) == sorted(["kontakt@abh.example", partner.email])
    assert sweep_on(answer_by + timedelta(days=2)).items == 0


@pytest.mark.parametrize(
    ("state", "escalated_on"),
    [
        # Mon 16, Tue 17, (Wed 18 Buß- und Bettag), Thu 19: three working days in Saxony.
        ("SN", date(2026, 11, 19)),
        # In Berlin the Wednesday is a working day.
        ("BE", date(2026, 11, 18)),
    ],
)
def test_escalation_to_the_case_owner_counts_working_days_of_the_state(
    state: str, escalated_on: date, lotse: User, settings: Settings, sweep_on: Sweep
) -> None:
    settings.CENTER_STATE = state
    only(Rule.ESCALATION)
    factories.ReferralFactory.create(case__owner=lotse, answer_by=date(2026, 11, 13))

    assert sweep_on(escalated_on - timedelta(days=1)).items == 0
    assert sweep_on(escalated_on).items == 1
    assert items() == [(Rule.ESCALATION, "2026-11-13", lotse.email)]
    assert sweep_on(escalated_on + timedelta(days=1)).items == 0


def test_escalation_days_are_set_by_the_head(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.ESCALATION)
    ReminderRules.objects.filter(pk=1).update(escalation_working_days=1)
    factories.ReferralFactory.create(case__owner=lotse, answer_by=date(2026, 11, 13))
    assert sweep_on(date(2026, 11, 15)).items == 0  # Sunday
    assert sweep_on(date(2026, 11, 16)).items == 1  # Monday: one working day later


# Residence permits ---------------------------------------------------------------------------


def permit_of(newcomer: Newcomer, expires_on: date, **fields: object) -> None:
    newcomer.residence_permits.create(title="18b", expires_on=expires_on, **fields)


def test_permit_warnings_90_and_30_days_before_expiry_to_the_latest_open_case_owner(
    lotse: User, other_lotse: User, sweep_on: Sweep
) -> None:
    only(Rule.PERMIT)
    newcomer = factories.NewcomerFactory.create()
    opened = datetime(2026, 1, 5, 9, 0, tzinfo=BERLIN)
    factories.CaseFactory.create(newcomer=newcomer, owner=other_lotse, opened_at=opened)
    factories.CaseFactory.create(
        newcomer=newcomer, owner=lotse, opened_at=opened + timedelta(days=30)
    )
    factories.CaseFactory.create(  # more recent, but closed
        newcomer=newcomer,
        owner=other_lotse,
        opened_at=opened + timedelta(days=40),
        status=Status.CLOSED,
        closed_at=opened + timedelta(days=50),
        outcome="achieved",
    )
    permit_of(newcomer, date(2026, 6, 30))

    assert sweep_on(date(2026, 3, 31)).items == 0  # 91 days before
    assert sweep_on(date(2026, 4, 1)).items == 1  # 90 days before
    assert sweep_on(date(2026, 5, 30)).items == 0
    assert sweep_on(date(2026, 5, 31)).items == 1  # 30 days before
    assert items() == [(Rule.PERMIT, "90", lotse.email), (Rule.PERMIT, "30", lotse.email)]


def test_a_permit_entered_late_gets_only_the_nearest_warning(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.PERMIT)
    case = factories.CaseFactory.create(owner=lotse)
    permit_of(case.newcomer, date(2026, 6, 30))
    assert sweep_on(date(2026, 6, 10)).items == 1
    assert items() == [(Rule.PERMIT, "30", lotse.email)]


def test_no_permit_warning_after_renewal_or_without_an_open_case(
    lotse: User, sweep_on: Sweep
) -> None:
    only(Rule.PERMIT)
    renewed = factories.CaseFactory.create(owner=lotse).newcomer
    permit_of(renewed, date(2026, 6, 30), renewal_applied_on=date(2026, 3, 1))
    without_case = factories.NewcomerFactory.create()
    permit_of(without_case, date(2026, 6, 30))
    assert sweep_on(date(2026, 4, 1)).items == 0


def test_permit_warning_days_are_set_by_the_head(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.PERMIT)
    ReminderRules.objects.filter(pk=1).update(permit_warning_days="60")
    case = factories.CaseFactory.create(owner=lotse)
    permit_of(case.newcomer, date(2026, 6, 30))
    assert sweep_on(date(2026, 4, 1)).items == 0
    assert sweep_on(date(2026, 5, 1)).items == 1  # 60 days before
    assert items() == [(Rule.PERMIT, "60", lotse.email)]


# Intakes -----------------------------------------------------------------------------------


def test_untriaged_intake_after_one_working_day_goes_to_all_lotsen_and_the_head(
    lotse: User, other_lotse: User, head: User, partner_user: User, sweep_on: Sweep
) -> None:
    only(Rule.INTAKE)
    factories.LotseFactory.create(is_active=False)
    # Maundy Thursday afternoon: Good Friday and Easter Monday are holidays, so the next
    # working day is Tuesday 7 April, and the reminder comes on Wednesday morning.
    submitted = datetime(2026, 4, 2, 15, 0, tzinfo=BERLIN)
    factories.NewcomerFactory.create(intake_submitted_at=submitted)
    factories.NewcomerFactory.create(intake_submitted_at=submitted, triaged_at=submitted)

    assert sweep_on(date(2026, 4, 7)).items == 0
    assert sweep_on(date(2026, 4, 8)).items == 3
    assert sorted(r for *_, r in items()) == sorted([lotse.email, other_lotse.email, head.email])
    assert sweep_on(date(2026, 4, 9)).items == 0


def test_intake_before_buss_und_bettag_waits_for_thursday(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.INTAKE)
    factories.NewcomerFactory.create(
        intake_submitted_at=datetime(2026, 11, 17, 10, 0, tzinfo=BERLIN)
    )
    assert sweep_on(date(2026, 11, 19)).items == 0  # Thursday is its working day
    assert sweep_on(date(2026, 11, 20)).items == 1


# Inactive cases ----------------------------------------------------------------------------


def test_case_without_activity_for_14_days_and_again_after_fresh_activity(
    lotse: User, sweep_on: Sweep
) -> None:
    only(Rule.INACTIVE)
    case = factories.CaseFactory.create(
        owner=lotse, last_activity_at=datetime(2026, 3, 1, 9, 0, tzinfo=BERLIN)
    )
    factories.CaseFactory.create(  # closed cases are never reminded
        owner=lotse,
        last_activity_at=datetime(2026, 3, 1, 9, 0, tzinfo=BERLIN),
        status=Status.CLOSED,
        closed_at=datetime(2026, 3, 1, 9, 0, tzinfo=BERLIN),
        outcome="achieved",
    )

    assert sweep_on(date(2026, 3, 15)).items == 0  # 13 days and 22 hours
    assert sweep_on(date(2026, 3, 16)).items == 1
    assert sweep_on(date(2026, 3, 20)).items == 0

    case.last_activity_at = datetime(2026, 3, 21, 9, 0, tzinfo=BERLIN)
    case.save()
    assert sweep_on(date(2026, 4, 4)).items == 0
    assert sweep_on(date(2026, 4, 5)).items == 1
    assert [rule for rule, *_ in items()] == [Rule.INACTIVE, Rule.INACTIVE]


# Check-ins ---------------------------------------------------------------------------------


def test_check_ins_1_3_and_6_months_after_start_of_work(
    lotse: User, other_lotse: User, sweep_on: Sweep
) -> None:
    only(Rule.CHECK_IN)
    newcomer = factories.NewcomerFactory.create(started_work_on=date(2026, 1, 31))
    factories.CaseFactory.create(
        newcomer=newcomer, owner=other_lotse, opened_at=datetime(2025, 12, 1, tzinfo=BERLIN)
    )
    factories.CaseFactory.create(  # the most recent case, closed: its owner knows them best
        newcomer=newcomer,
        owner=lotse,
        opened_at=datetime(2026, 1, 2, tzinfo=BERLIN),
        status=Status.CLOSED,
        closed_at=datetime(2026, 1, 20, tzinfo=BERLIN),
        outcome="achieved",
    )
    # Started work long ago: turning the rule on does not dig them up.
    factories.CaseFactory.create(newcomer__started_work_on=date(2024, 1, 31), owner=lotse)

    expected = [  # 31 January + 1 month is 28 February (month ends clamp)
        (date(2026, 2, 28), "1m"),
        (date(2026, 4, 30), "3m"),
        (date(2026, 7, 31), "6m"),
    ]
    for day, period in expected:
        assert sweep_on(day - timedelta(days=1)).items == 0, period
        assert sweep_on(day).items == 1, period
    assert items() == [(Rule.CHECK_IN, period, lotse.email) for _day, period in expected]
    assert sweep_on(date(2026, 8, 31)).items == 0


# Anonymised newcomers and switched-off rules -----------------------------------------------


def test_nothing_is_reminded_about_an_anonymised_newcomer(
    lotse: User, partner: Partner, sweep_on: Sweep
) -> None:
    today = date(2026, 4, 8)
    long_ago = datetime(2026, 1, 5, 9, 0, tzinfo=BERLIN)
    newcomer = factories.NewcomerFactory.create(
        anonymised_at=long_ago,
        intake_submitted_at=long_ago,
        started_work_on=date(2026, 3, 8),
    )
    case = factories.CaseFactory.create(newcomer=newcomer, owner=lotse, last_activity_at=long_ago)
    factories.FollowUpFactory.create(case=case, due_on=today)
    factories.ReferralFactory.create(case=case, partner=partner, answer_by=date(2026, 3, 1))
    permit_of(newcomer, today + timedelta(days=20))
    AcceleratedProcedure.objects.create(case=case, recognition_started_on=date(2026, 1, 5))

    assert sweep_on(today).items == 0

    # The same world for a newcomer who is not anonymised: every rule fires.
    Newcomer.objects.filter(pk=newcomer.pk).update(anonymised_at=None)
    assert {rule for rule, *_ in items()} == set()
    sweep_on(today)
    assert {rule for rule, *_ in items()} == set(Rule.values)


def test_a_rule_switched_off_sends_nothing(lotse: User, sweep_on: Sweep) -> None:
    ReminderRules.objects.update_or_create(pk=1, defaults={"follow_ups": False})
    factories.FollowUpFactory.create(case__owner=lotse, due_on=date(2026, 3, 10))
    assert sweep_on(date(2026, 3, 10)).items == 0


# § 81a procedures ----------------------------------------------------------------------------


def test_an_overdue_81a_step_is_reminded_to_the_case_owner_once(
    lotse: User, sweep_on: Sweep
) -> None:
    only(Rule.PROCEDURE_81A)
    case = factories.CaseFactory.create(owner=lotse, category="authorities")
    # Recognition started on 5 January: the decision is due within two months, by 5 March.
    AcceleratedProcedure.objects.create(case=case, recognition_started_on=date(2026, 1, 5))

    assert sweep_on(date(2026, 3, 5)).items == 0  # on the target day: not yet overdue
    assert sweep_on(date(2026, 3, 6)).items == 1
    assert sweep_on(date(2026, 3, 9)).items == 0  # once per step
    assert items() == [(Rule.PROCEDURE_81A, "recognition_decided_on", lotse.email)]


def test_a_dated_step_or_a_closed_case_is_not_reminded(lotse: User, sweep_on: Sweep) -> None:
    only(Rule.PROCEDURE_81A)
    decided = factories.CaseFactory.create(owner=lotse)
    AcceleratedProcedure.objects.create(
        case=decided,
        recognition_started_on=date(2026, 1, 5),
        recognition_decided_on=date(2026, 2, 20),
    )
    closed = factories.CaseFactory.create(
        owner=lotse, status="closed", closed_at=timezone.now(), outcome="achieved"
    )
    AcceleratedProcedure.objects.create(case=closed, recognition_started_on=date(2026, 1, 5))
    assert sweep_on(date(2026, 3, 20)).items == 0
