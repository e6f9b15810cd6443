"""The sweep's guarantees: one e-mail per person and sweep, in their language; at most once
when beat fires twice, when two sweeps run at the same time or when a worker dies mid-sweep;
nothing lost when the broker is down."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection

from accounts.models import Notification, OutgoingEmail, User
from accounts.services import deliver_pending_emails
from cases.referrals import referral_for_token
from partners.models import Partner
from reminders import services, tasks
from reminders.models import Reminder
from reminders.services import DIGEST_ITEMS, SweepResult
from tests import factories
from tests.brokers import UNREACHABLE, broker
from tests.reminders.conftest import digests, morning

Sweep = Callable[[date], SweepResult]
TODAY = date(2026, 3, 10)  # a Tuesday


def due_follow_ups(owner: User, count: int) -> None:
    case = factories.CaseFactory.create(owner=owner)
    for n in range(count):
        factories.FollowUpFactory.create(case=case, due_on=TODAY - timedelta(days=n))


# One e-mail per person ---------------------------------------------------------------------


@pytest.mark.django_db
def test_one_digest_and_one_notification_per_person_not_per_item(
    lotse: User, other_lotse: User, partner: Partner, sweep_on: Sweep
) -> None:
    due_follow_ups(lotse, 3)
    factories.ReferralFactory.create(
        case__owner=lotse, partner=partner, answer_by=TODAY - timedelta(days=10)
    )
    due_follow_ups(other_lotse, 1)

    result = sweep_on(TODAY)

    # The lotse: three follow-ups and the escalated referral; the partner: the referral.
    assert result == SweepResult(items=6, emails=3, notifications=2)
    by_address = {email.to: email for email in digests()}
    assert set(by_address) == {lotse.email, other_lotse.email, partner.email}
    assert by_address[lotse.email].body_text.count("WC-") == 4
    note = Notification.objects.get(recipient=lotse)
    assert note.url == "/reminders/"
    assert "4" in note.text


@pytest.mark.django_db
def test_a_partner_without_an_account_gets_the_link_to_answer_the_referral(
    lotse: User, partner: Partner, sweep_on: Sweep
) -> None:
    referral = factories.ReferralFactory.create(
        case__owner=lotse, partner=partner, answer_by=TODAY - timedelta(days=10)
    )
    sweep_on(TODAY)  # the partner is reminded, the owner told of the escalation
    email = OutgoingEmail.objects.get(to=partner.email)
    token = re.search(r"/r/([^/\s]+)/", email.body_text)
    assert token, email.body_text
    with time_machine.travel(morning(TODAY)):  # the link is signed at the sweep's time
        assert referral_for_token(token.group(1)) == referral
    # The Lotse's own digest links to the portal instead.
    assert "/r/" not in OutgoingEmail.objects.get(to=lotse.email).body_text


@pytest.mark.django_db
def test_the_digest_lists_fifty_and_links_to_the_rest(lotse: User, sweep_on: Sweep) -> None:
    due_follow_ups(lotse, DIGEST_ITEMS + 7)
    sweep_on(TODAY)
    [email] = digests()
    assert email.body_text.count("WC-") == DIGEST_ITEMS
    assert "7" in email.body_text.split("WC-")[-1]  # "... and 7 more"
    assert f"{django_settings.SITE_URL}/reminders/" in email.body_text
    assert 'href="http' in email.body_html


@pytest.mark.django_db
def test_each_digest_is_in_the_recipients_language(
    lotse: User, other_lotse: User, partner: Partner, sweep_on: Sweep
) -> None:
    User.objects.filter(pk=other_lotse.pk).update(language="en")
    due_follow_ups(lotse, 1)
    due_follow_ups(other_lotse, 1)
    contact = factories.PartnerContactFactory.create(partner=partner, language="en")
    factories.FollowUpFactory.create(due_on=TODAY, assignee=None, assignee_contact=contact)

    sweep_on(TODAY)

    by_address = {email.to: email for email in digests()}
    german, english = by_address[lotse.email], by_address[other_lotse.email]
    assert (german.language, english.language, by_address[contact.email].language) == (
        "de",
        "en",
        "en",
    )
    # Dates are written the recipient's way.
    assert "10.03.2026" in german.body_text
    assert "03/10/2026" in english.body_text
    assert "03/10/2026" in by_address[contact.email].body_text
    # A partner contact without an account gets no link to a page they cannot open.
    assert "/reminders/" not in by_address[contact.email].body_text


# At most once ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_beat_firing_twice_sends_once(lotse: User, sweep_on: Sweep) -> None:
    due_follow_ups(lotse, 2)
    assert sweep_on(TODAY).emails == 1
    assert sweep_on(TODAY) == SweepResult(items=0, emails=0, notifications=0)
    assert len(digests()) == 1
    assert Notification.objects.count() == 1

    deliver_pending_emails()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_worker_dying_mid_sweep_leaves_nothing_and_the_next_run_sends(
    lotse: User, sweep_on: Sweep, monkeypatch: pytest.MonkeyPatch
) -> None:
    due_follow_ups(lotse, 2)

    def die(*args: Any, **kwargs: Any) -> None:
        # After the items and the outbox rows were inserted, before the commit.
        assert Reminder.objects.count() == 2
        assert len(digests()) == 1
        raise SystemExit("worker killed")

    with monkeypatch.context() as patched:
        patched.setattr(Notification.objects, "bulk_create", die)
        with pytest.raises(SystemExit):
            sweep_on(TODAY)

    assert Reminder.objects.count() == 0  # rolled back: nothing claimed, nothing sent
    assert digests() == []

    # The redelivered task (acks_late) or the next beat run sends everything.
    assert sweep_on(TODAY) == SweepResult(items=2, emails=1, notifications=1)


def test_the_task_is_acknowledged_late() -> None:
    assert tasks.send_reminders.acks_late is True


@pytest.mark.django_db
def test_the_task_runs_the_sweep(lotse: User) -> None:
    due_follow_ups(lotse, 1)
    with time_machine.travel(morning(TODAY), tick=False):
        assert tasks.send_reminders() == 1
        assert tasks.send_reminders() == 0


def test_beat_runs_the_sweep_every_morning_at_seven_berlin_time() -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert entry["task"] == "reminders.tasks.send_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert django_settings.CELERY_TIMEZONE == "Europe/Berlin"


# Nothing lost ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_the_broker_down_the_digest_waits_in_the_outbox(
    lotse: User, sweep_on: Sweep, django_capture_on_commit_callbacks: Any
) -> None:
    due_follow_ups(lotse, 1)
    with broker(broker_url=UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        assert sweep_on(TODAY).emails == 1

    [email] = digests()
    assert email in OutgoingEmail.objects.pending()
    assert mail.outbox == []

    assert deliver_pending_emails() == 1  # the outbox sweep, once the broker is back
    assert [m.to for m in mail.outbox] == [[lotse.email]]
    assert sweep_on(TODAY).emails == 0  # and the reminder sweep does not send it again


# Concurrent sweeps (PostgreSQL: threads with their own connections) ------------------------


def in_threads(*targets: Callable[[], object]) -> list[object]:
    """Run each target in its own thread (so with its own database connection)."""
    results: list[object] = [None] * len(targets)
    errors: list[BaseException] = []

    def run(index: int, target: Callable[[], object]) -> None:
        try:
            results[index] = target()
        except BaseException as error:  # reported in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite has one writer at a time)")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_two_sweeps_at_the_same_time_send_once(lotse: User, other_lotse: User) -> None:
    due_follow_ups(lotse, 3)
    due_follow_ups(other_lotse, 2)
    start = threading.Barrier(2)

    def sweep() -> SweepResult:
        start.wait()
        return services.send_reminders(now=morning(TODAY))

    results = in_threads(sweep, sweep)

    assert sorted(r.emails for r in results) == [0, 2]  # type: ignore[attr-defined]
    assert Reminder.objects.count() == 5
    assert len(digests()) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_the_unique_constraint_alone_keeps_concurrent_sweeps_apart(
    lotse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the advisory lock: the second sweep's INSERT waits on the first's uncommitted
    rows and, once they commit, skips them (ON CONFLICT DO NOTHING)."""
    due_follow_ups(lotse, 3)
    monkeypatch.setattr(services, "_wait_for_other_sweeps", lambda: None)
    first_inserted, release_first = threading.Event(), threading.Event()
    tell = services._tell_recipients

    def tell_slowly(rows: list[tuple[object, ...]]) -> SweepResult:
        if rows:  # the first sweep holds its inserted rows uncommitted for a while
            first_inserted.set()
            release_first.wait(timeout=30)
        return tell(rows)

    monkeypatch.setattr(services, "_tell_recipients", tell_slowly)

    def first() -> SweepResult:
        return services.send_reminders(now=morning(TODAY))

    def second() -> SweepResult:
        first_inserted.wait(timeout=30)
        timer = threading.Timer(1.0, release_first.set)  # the second is blocked by then
        timer.start()
        return services.send_reminders(now=morning(TODAY))

    first_result, second_result = in_threads(first, second)

    assert first_result == SweepResult(items=3, emails=1, notifications=1)
    assert second_result == SweepResult(items=0, emails=0, notifications=0)
    assert len(digests()) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_a_sweep_waiting_on_one_that_dies_sends_what_the_dead_one_could_not(
    lotse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    due_follow_ups(lotse, 2)
    first_inserted = threading.Event()
    tell = services._tell_recipients
    calls = {"n": 0}

    def die_once(rows: list[tuple[object, ...]]) -> SweepResult:
        calls["n"] += 1
        if calls["n"] == 1:
            first_inserted.set()
            threading.Event().wait(1.0)  # the second sweep is waiting on the lock by now
            raise SystemExit("worker killed")
        return tell(rows)

    monkeypatch.setattr(services, "_tell_recipients", die_once)

    def first() -> SweepResult | None:
        try:
            return services.send_reminders(now=morning(TODAY))
        except SystemExit:
            return None

    def second() -> SweepResult:
        first_inserted.wait(timeout=30)
        return services.send_reminders(now=morning(TODAY))

    first_result, second_result = in_threads(first, second)

    assert first_result is None
    assert second_result == SweepResult(items=2, emails=1, notifications=1)
    assert len(digests()) == 1
