"""Follow-ups: my list (overdue, today, this week), done with one click, moved with the old and
new date on the timeline, and tasks for a partner's contact person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases.models import CaseEvent, FollowUp
from partners.models import Partner, PartnerContact
from tests import factories

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 25 November 2026: the week runs to Sunday the 29th.
WEDNESDAY = datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN)


@pytest.fixture
def wednesday() -> Any:
    with time_machine.travel(WEDNESDAY, tick=True) as traveller:
        yield traveller


def _due(lotse: User, day: date, text: str) -> FollowUp:
    return factories.FollowUpFactory.create(
        assignee=lotse, due_on=day, text=text, case__owner=lotse
    )


def test_my_follow_ups_are_grouped_overdue_today_and_this_week(
    wednesday: Any, lotse: User, other_lotse: User, client_for: ClientFor
) -> None:
    _due(lotse, date(2026, 11, 20), "Rückruf Vermieter")
    _due(lotse, date(2026, 11, 25), "Kita anrufen")
    _due(lotse, date(2026, 11, 29), "Unterlagen prüfen")
    _due(lotse, date(2026, 11, 30), "Nächste Woche")
    _due(other_lotse, date(2026, 11, 25), "Nicht meins")

    page = client_for(lotse).get(reverse("follow_up_list"))

    sections = {key: [f.text for f in items] for key, _title, items in page.context["sections"]}
    assert sections == {
        "overdue": ["Rückruf Vermieter"],
        "today": ["Kita anrufen"],
        "week": ["Unterlagen prüfen"],
    }


def test_done_with_one_click_from_the_list(
    wednesday: Any, lotse: User, client_for: ClientFor
) -> None:
    follow_up = _due(lotse, date(2026, 11, 25), "Kita anrufen")
    response = client_for(lotse).post(
        reverse("follow_up_done", args=[follow_up.pk]), {"next": reverse("follow_up_list")}
    )
    assert response["Location"] == reverse("follow_up_list")
    follow_up.refresh_from_db()
    assert (follow_up.done_by, follow_up.done_at is not None) == (lotse, True)


def test_moving_is_on_the_timeline_with_old_and_new_date(
    wednesday: Any, lotse: User, client_for: ClientFor
) -> None:
    follow_up = _due(lotse, date(2026, 11, 25), "Kita anrufen")
    client_for(lotse).post(reverse("follow_up_move", args=[follow_up.pk]), {"due_on": "2026-12-02"})
    follow_up.refresh_from_db()
    assert follow_up.due_on == date(2026, 12, 2)
    event = CaseEvent.objects.filter(follow_up=follow_up).latest("created_at")
    assert (event.actor, event.follow_up_moved_from, event.follow_up_due) == (
        lotse,
        date(2026, 11, 25),
        date(2026, 12, 2),
    )
    timeline = client_for(lotse).get(reverse("case_detail", args=[follow_up.case.reference]))
    assert "02.12.2026" in timeline.content.decode()


@pytest.mark.parametrize("due_on", ["2026-11-01", "", "nächste Woche", "2031-01-01"])
def test_a_bad_new_date_is_refused_with_the_error_at_the_field(
    wednesday: Any, lotse: User, client_for: ClientFor, due_on: str
) -> None:
    follow_up = _due(lotse, date(2026, 11, 25), "Kita anrufen")
    response = client_for(lotse).post(
        reverse("follow_up_move", args=[follow_up.pk]), {"due_on": due_on}
    )
    assert response.status_code == 400
    assert response.context["failed"] == follow_up
    assert response.context["failed_form"].errors["due_on"]
    assert f'id="move-{follow_up.pk}-error"' in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.due_on == date(2026, 11, 25)


def test_a_follow_up_for_a_partners_contact_person(
    lotse: User, partner: Partner, client_for: ClientFor
) -> None:
    contact = PartnerContact.objects.create(partner=partner, name="Petra", email="p@abh.example")
    referral = factories.ReferralFactory.create(partner=partner, case__owner=lotse)
    case = referral.case
    stranger = PartnerContact.objects.create(
        partner=factories.PartnerFactory.create(), name="Fremd", email="f@x.example"
    )
    client = client_for(lotse)
    page = client.get(reverse("case_detail", args=[case.reference]))
    choices = list(page.context["follow_up_form"].fields["assignee_contact"].queryset)
    assert choices == [contact]

    due = (date.today() + timedelta(days=3)).isoformat()
    data = {
        "due_on": due,
        "text": "Termin bestätigen",
        "assignee": "",
        "assignee_contact": contact.pk,
    }
    assert client.post(reverse("case_follow_up", args=[case.reference]), data).status_code == 302
    follow_up = FollowUp.objects.get(case=case)
    assert (follow_up.assignee, follow_up.assignee_contact) == (None, contact)

    refused = client.post(
        reverse("case_follow_up", args=[case.reference]),
        {**data, "assignee_contact": stranger.pk},
    )
    assert refused.status_code == 400
    nobody = client.post(
        reverse("case_follow_up", args=[case.reference]), {**data, "assignee_contact": ""}
    )
    assert nobody.status_code == 400
    assert "assignee" in nobody.context["follow_up_form"].errors


def test_the_list_costs_the_same_queries_with_few_and_many(
    wednesday: Any, lotse: User, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    client = client_for(lotse)

    def queries() -> int:
        with django_assert_max_num_queries(12) as captured:
            client.get(reverse("follow_up_list"))
        return len(captured)

    _due(lotse, date(2026, 11, 20), "eins")
    few = queries()
    for day in range(20, 30):
        for _ in range(3):
            _due(lotse, date(2026, 11, day), "viele")
    assert queries() == few
