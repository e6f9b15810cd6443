"""The pages: "my reminders" for every logged-in user, and the head's reminder rules (validated,
audited). Query counts pinned at two sizes, as in tests/cases/test_query_counts.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import User
from reminders.models import Reminder, ReminderRules, Rule
from tests import factories

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
SMALL, LARGE = 5, 130  # LARGE spans three pages of 50
MAX_QUERIES = 8


def give(user: User, count: int, *, rule: Rule = Rule.FOLLOW_UP) -> None:
    """`count` reminder items for `user`, written in one INSERT."""
    newcomer = factories.NewcomerFactory.create()
    start = Reminder.objects.count()
    Reminder.objects.bulk_create(
        Reminder(
            rule=rule,
            object_id=start + n,
            period="2026-03-10",
            recipient_user=user,
            language="de",
            newcomer=newcomer,
            reference=f"WC-2026-{start + n:05d}",
            due_on=date(2026, 3, 10) - timedelta(days=n % 20),
        )
        for n in range(count)
    )


@pytest.fixture
def measure(django_assert_max_num_queries: Any) -> Callable[[Client, str], int]:
    def run(client: Client, url: str) -> int:
        client.get(url)  # warm-up: per-process caches are not the page's cost
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    return run


# My reminders ------------------------------------------------------------------------------


def test_my_reminders_lists_mine_only_with_links(
    lotse: User, other_lotse: User, client_for: ClientFor
) -> None:
    give(lotse, 2)
    give(lotse, 1, rule=Rule.PERMIT)
    give(other_lotse, 1)
    mine = Reminder.objects.filter(recipient_user=lotse)

    response = client_for(lotse).get(reverse("my_reminders"))

    assert response.status_code == 200
    page = response.content.decode()
    assert len(response.context["page"].object_list) == 3
    other = Reminder.objects.get(recipient_user=other_lotse)
    assert other.reference not in page
    follow_up = mine.filter(rule=Rule.FOLLOW_UP).first()
    permit = mine.get(rule=Rule.PERMIT)
    assert follow_up is not None
    assert reverse("case_detail", args=[follow_up.reference]) in page
    assert reverse("newcomer_detail", args=[permit.newcomer_id]) in page


def test_a_partner_user_sees_references_without_links(
    partner_user: User, client_for: ClientFor
) -> None:
    give(partner_user, 1, rule=Rule.REFERRAL)
    page = client_for(partner_user).get(reverse("my_reminders")).content.decode()
    item = Reminder.objects.get()
    assert item.reference in page
    assert reverse("case_detail", args=[item.reference]) not in page


def test_my_reminders_costs_the_same_queries_at_two_sizes(
    lotse: User, client_for: ClientFor, measure: Callable[[Client, str], int]
) -> None:
    client = client_for(lotse)
    give(lotse, SMALL)
    small = measure(client, reverse("my_reminders"))
    give(lotse, LARGE - SMALL)
    large = measure(client, reverse("my_reminders"))
    last_page = measure(client, reverse("my_reminders") + "?page=3")
    assert small == large == last_page


# Reminder rules ----------------------------------------------------------------------------


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "follow_ups": "on",
        "referrals": "on",
        "escalations": "on",
        "escalation_working_days": "3",
        "permits": "on",
        "permit_warning_days": "90, 30",
        "intakes": "on",
        "inactive_cases": "on",
        "inactivity_days": "14",
        "check_ins": "on",
        "check_in_months": "1, 3, 6",
        "procedures_81a": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_head_changes_the_rules_and_the_change_is_audited(
    head: User, client_for: ClientFor
) -> None:
    response = client_for(head).post(
        reverse("reminder_settings"),
        form_data(
            permits=None,
            permit_warning_days="30;60 ,  90",
            escalation_working_days="5",
            check_in_months="6,1",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(reverse("reminder_settings"), 302)]
    with translation.override("de"):  # the page speaks German, the default
        assert gettext("The reminder rules are saved.") in response.content.decode()
    rules = ReminderRules.current()
    assert (rules.permits, rules.permit_warning_days, rules.escalation_working_days) == (
        False,
        "90, 60, 30",  # one spelling, largest first
        5,
    )
    assert rules.check_in_months == "1, 6"
    assert rules.updated_by == head
    entry = LogEntry.objects.get(object_pk="1", content_type__model="reminderrules")
    assert entry.actor == head
    assert entry.changes_dict == {
        "permits": ["True", "False"],
        "permit_warning_days": ["90, 30", "90, 60, 30"],
        "escalation_working_days": ["3", "5"],
        "check_in_months": ["1, 3, 6", "1, 6"],
    }


def test_saving_unchanged_rules_writes_no_audit_entry(head: User, client_for: ClientFor) -> None:
    client_for(head).post(reverse("reminder_settings"), form_data())
    assert not LogEntry.objects.filter(content_type__model="reminderrules").exists()


@pytest.mark.parametrize(
    ("field", "typed", "code"),
    [
        ("permit_warning_days", "90, dreißig", "invalid"),
        ("permit_warning_days", "400", "invalid"),
        ("permit_warning_days", "30, 30", "duplicate"),
        ("permit_warning_days", "", "required"),
        ("check_in_months", "0, 3", "invalid"),
        ("escalation_working_days", "0", "min_value"),
        ("inactivity_days", "abc", "invalid"),
    ],
)
def test_bad_rules_are_refused_with_a_message_and_what_was_typed_kept(
    field: str, typed: str, code: str, head: User, client_for: ClientFor
) -> None:
    response = client_for(head).post(reverse("reminder_settings"), form_data(**{field: typed}))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert [error.code for error in errors.as_data()[field]] == [code]
    page = response.content.decode()
    assert escape(errors[field][0]) in page  # the message is shown at the field
    if typed:
        assert f'value="{escape(typed)}"' in page
    assert ReminderRules.current().permit_warning_days == "90, 30"
    assert not LogEntry.objects.filter(content_type__model="reminderrules").exists()


def test_the_rules_page_costs_the_same_queries_at_two_sizes(
    head: User, lotse: User, client_for: ClientFor, measure: Callable[[Client, str], int]
) -> None:
    client = client_for(head)
    ReminderRules.objects.create(pk=1, updated_by=head)
    give(lotse, SMALL)
    small = measure(client, reverse("reminder_settings"))
    give(lotse, LARGE)
    factories.LotseFactory.create_batch(10)
    large = measure(client, reverse("reminder_settings"))
    assert small == large
