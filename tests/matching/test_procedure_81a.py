"""The § 81a accelerated procedure on a case: order and plausibility of the step dates, the
targets with frozen time, overdue_steps(today) for the reminders, the timeline, the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases import procedure
from cases.models import AcceleratedProcedure, Case, EventKind
from tests import factories

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
TODAY = date(2027, 3, 15)


@pytest.fixture
def case(lotse: User) -> Case:
    return factories.CaseFactory.create(owner=lotse)


def make(case: Case, **dates: date) -> AcceleratedProcedure:
    return AcceleratedProcedure.objects.create(case=case, **dates)


# ---- order and plausibility ----------------------------------------------------------------


def test_steps_in_order_are_accepted() -> None:
    dates = {
        "power_of_attorney_on": date(2027, 1, 4),
        "agreement_on": date(2027, 1, 10),
        "recognition_started_on": date(2027, 1, 10),
        "recognition_decided_on": date(2027, 3, 1),
        "embassy_appointment_on": None,
    }
    assert procedure.date_errors(dates, today=TODAY) == {}


def test_a_step_before_its_predecessor_is_refused() -> None:
    errors = procedure.date_errors(
        {"power_of_attorney_on": date(2027, 2, 1), "agreement_on": date(2027, 1, 20)},
        today=TODAY,
    )
    assert set(errors) == {"agreement_on"}
    # The predecessor is named, in the active language.
    assert str(procedure.label("power_of_attorney_on")) in errors["agreement_on"]


def test_a_step_without_its_predecessor_is_refused() -> None:
    errors = procedure.date_errors({"recognition_decided_on": date(2027, 3, 1)}, today=TODAY)
    assert set(errors) == {"recognition_decided_on"}


def test_past_steps_cannot_lie_ahead_but_an_appointment_may() -> None:
    dates = {step: date(2027, 1, 5) for step in procedure.STEPS[:5]}
    ahead = {**dates, "embassy_appointment_on": date(2027, 4, 1)}
    assert procedure.date_errors(ahead, today=TODAY) == {}
    errors = procedure.date_errors({**ahead, "visa_decided_on": date(2027, 4, 2)}, today=TODAY)
    assert set(errors) == {"visa_decided_on"}


def test_a_date_long_ago_is_implausible() -> None:
    errors = procedure.date_errors({"power_of_attorney_on": date(2019, 1, 1)}, today=TODAY)
    assert set(errors) == {"power_of_attorney_on"}


# ---- targets and overdue steps (frozen time) -----------------------------------------------


def test_recognition_is_due_two_months_after_its_start_and_overdue_the_day_after(
    case: Case,
) -> None:
    accelerated = make(case, recognition_started_on=date(2027, 1, 10))
    assert procedure.due_on(accelerated, "recognition_decided_on") == date(2027, 3, 10)
    with time_machine.travel(date(2027, 3, 10)):
        assert procedure.overdue_steps() == []
        state = procedure.steps(accelerated)[3]
        assert (state.step, state.overdue) == ("recognition_decided_on", False)
    with time_machine.travel(date(2027, 3, 11)):
        [overdue] = procedure.overdue_steps()
        assert (overdue.procedure, overdue.step, overdue.due_on) == (
            accelerated,
            "recognition_decided_on",
            date(2027, 3, 10),
        )
        assert procedure.steps(accelerated)[3].overdue


def test_the_embassy_and_the_visa_each_have_three_weeks(case: Case) -> None:
    accelerated = make(case, preapproval_on=date(2027, 2, 1))
    with time_machine.travel(date(2027, 2, 22)):
        assert procedure.overdue_steps() == []
    with time_machine.travel(date(2027, 2, 23)):
        assert [item.step for item in procedure.overdue_steps()] == ["embassy_appointment_on"]
    accelerated.embassy_appointment_on = date(2027, 2, 20)
    accelerated.save()
    with time_machine.travel(date(2027, 3, 13)):
        assert procedure.overdue_steps() == []
    with time_machine.travel(date(2027, 3, 14)):
        [overdue] = procedure.overdue_steps()
        assert (overdue.step, overdue.due_on) == ("visa_decided_on", date(2027, 3, 13))


def test_a_dated_step_and_a_closed_case_are_never_overdue(case: Case) -> None:
    make(case, recognition_started_on=date(2027, 1, 1), recognition_decided_on=date(2027, 2, 1))
    closed = factories.CaseFactory.create()
    make(closed, preapproval_on=date(2027, 1, 1))
    Case.objects.filter(pk=closed.pk).update(
        status="closed", closed_at="2027-02-01T10:00Z", outcome="achieved"
    )
    assert procedure.overdue_steps(TODAY) == []


def test_the_month_at_the_end_of_january(case: Case) -> None:
    # 31 January + 2 months is 31 March; on 31 March it is due, on 1 April overdue.
    make(case, recognition_started_on=date(2027, 1, 31))
    assert procedure.overdue_steps(date(2027, 3, 31)) == []
    assert len(procedure.overdue_steps(date(2027, 4, 1))) == 1


# ---- the workflow and the pages -------------------------------------------------------------


def test_starting_and_dating_write_the_case_timeline(case: Case, lotse: User) -> None:
    accelerated = procedure.start_procedure(case, by=lotse)
    assert procedure.start_procedure(case, by=lotse) == accelerated  # once only
    changed = procedure.date_steps(
        accelerated,
        {"power_of_attorney_on": date(2027, 1, 4), "agreement_on": date(2027, 1, 10)},
        by=lotse,
    )
    assert changed == 2
    events = case.events.filter(kind=EventKind.PROCEDURE).order_by("pk")
    assert events.count() == 3
    assert [event.new_value for event in events] == ["", "2027-01-04", "2027-01-10"]
    assert procedure.date_steps(accelerated, {"agreement_on": date(2027, 1, 10)}, by=lotse) == 0


def test_the_case_file_shows_the_procedure_with_an_overdue_step(
    case: Case, lotse: User, client_for: ClientFor
) -> None:
    make(case, recognition_started_on=date(2027, 1, 10))
    with time_machine.travel(TODAY):
        response = client_for(lotse).get(reverse("case_detail", args=[case.reference]))
    page = response.content.decode()
    assert "§ 81a" in page
    assert "badge text-bg-danger" in page  # the overdue recognition decision


def test_a_lotse_starts_the_procedure_and_a_date_out_of_order_comes_back_with_the_error(
    case: Case, lotse: User, client_for: ClientFor
) -> None:
    client = client_for(lotse)
    response = client.post(reverse("procedure_start", args=[case.reference]))
    assert response.status_code == 302
    url = reverse("procedure_edit", args=[case.reference])
    response = client.post(
        url, {"power_of_attorney_on": "2026-01-10", "agreement_on": "2026-01-05"}
    )
    assert response.status_code == 400
    assert "agreement_on" in response.context["form"].errors
    assert AcceleratedProcedure.objects.get(case=case).power_of_attorney_on is None
    response = client.post(
        url, {"power_of_attorney_on": "2026-01-05", "agreement_on": "2026-01-10"}
    )
    assert response.status_code == 302
    assert AcceleratedProcedure.objects.get(case=case).agreement_on == date(2026, 1, 10)
