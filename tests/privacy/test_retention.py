"""Retention: the head sets the period; the nightly beat job anonymises who is past it, tested by
travelling in time; the head sees beforehand who is due within the next month."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail, User
from cases.models import Case
from migrants.models import Newcomer
from privacy import tasks
from privacy.models import RetentionPolicy
from privacy.services import due_for_erasure
from tests import factories

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
CLOSED = datetime(2024, 3, 15, 11, 0, tzinfo=BERLIN)


def _closed_case(newcomer: Newcomer, at: datetime) -> Case:
    return factories.CaseFactory.create(
        newcomer=newcomer, status="closed", closed_at=at, outcome="achieved", opened_at=at
    )


@pytest.fixture
def closed_in_march_2024() -> Newcomer:
    newcomer = factories.NewcomerFactory.create(first_name="Olena", created_at=CLOSED)
    _closed_case(newcomer, CLOSED - timedelta(days=200))
    _closed_case(newcomer, CLOSED)  # the last case counts
    return newcomer


def test_the_default_period_is_24_months() -> None:
    assert RetentionPolicy.current().months == 24


def test_the_nightly_job_anonymises_once_the_period_has_passed(
    closed_in_march_2024: Newcomer,
) -> None:
    with time_machine.travel(datetime(2026, 3, 14, 2, 30, tzinfo=BERLIN)):
        assert tasks.apply_retention() == 0
    closed_in_march_2024.refresh_from_db()
    assert closed_in_march_2024.anonymised_at is None

    with time_machine.travel(datetime(2026, 3, 16, 2, 30, tzinfo=BERLIN)):
        assert tasks.apply_retention() == 1
        # A second run finds nobody: nothing is done twice.
        assert tasks.apply_retention() == 0
    closed_in_march_2024.refresh_from_db()
    assert closed_in_march_2024.anonymised_at is not None
    assert closed_in_march_2024.first_name == ""


def test_an_open_case_or_a_recent_one_keeps_the_data(closed_in_march_2024: Newcomer) -> None:
    still_open = factories.NewcomerFactory.create(created_at=CLOSED - timedelta(days=900))
    factories.CaseFactory.create(newcomer=still_open, opened_at=CLOSED - timedelta(days=900))
    recent = factories.NewcomerFactory.create(created_at=CLOSED)
    _closed_case(recent, CLOSED - timedelta(days=400))
    _closed_case(recent, datetime(2025, 9, 1, tzinfo=BERLIN))

    with time_machine.travel(datetime(2026, 6, 1, 2, 30, tzinfo=BERLIN)):
        assert set(due_for_erasure()) == {closed_in_march_2024}
        tasks.apply_retention()

    assert Newcomer.objects.filter(anonymised_at__isnull=True).count() == 2


def test_a_newcomer_who_never_had_a_case_counts_from_the_intake() -> None:
    newcomer = factories.NewcomerFactory.create(created_at=CLOSED)
    with time_machine.travel(CLOSED + timedelta(days=740)):
        assert list(due_for_erasure()) == [newcomer]


def test_a_longer_period_set_by_the_head_postpones_it(
    closed_in_march_2024: Newcomer, head: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(head).post(reverse("retention"), {"months": "36"})
    assert response.status_code == 302
    policy = RetentionPolicy.current()
    assert (policy.months, policy.updated_by) == (36, head)

    with time_machine.travel(datetime(2026, 6, 1, 2, 30, tzinfo=BERLIN)):
        assert tasks.apply_retention() == 0
    with time_machine.travel(datetime(2027, 3, 16, 2, 30, tzinfo=BERLIN)):
        assert tasks.apply_retention() == 1


@pytest.mark.parametrize("months", ["0", "121", "zwei", ""])
def test_an_impossible_period_is_refused_with_a_message(
    head: User, client_for: Callable[[User | None], Client], months: str
) -> None:
    response = client_for(head).post(reverse("retention"), {"months": months})

    assert response.status_code == 400
    assert response.context["form"].errors["months"]
    assert RetentionPolicy.current().months == 24


def test_the_head_sees_who_is_due_within_the_next_month(
    closed_in_march_2024: Newcomer, head: User, client_for: Callable[[User | None], Client]
) -> None:
    later = factories.NewcomerFactory.create(created_at=CLOSED)
    _closed_case(later, CLOSED + timedelta(days=60))

    with time_machine.travel(datetime(2026, 2, 20, 10, 0, tzinfo=BERLIN)):
        page = client_for(head).get(reverse("retention"))

    rows = page.context["rows"]
    assert [newcomer for newcomer, _due in rows] == [closed_in_march_2024]
    assert rows[0][1].date() == datetime(2026, 3, 15).date()
    assert later.reference not in page.content.decode()


def test_the_job_deletes_sent_mail_after_90_days() -> None:
    old = timezone.now() - timedelta(days=91)
    sent = OutgoingEmail.objects.create(
        to="a@example.org",
        subject="s",
        body_text="b",
        template="t",
        language="de",
        created_at=old,
        sent_at=old,
    )
    pending = OutgoingEmail.objects.create(
        to="b@example.org",
        subject="s",
        body_text="b",
        template="t",
        language="de",
        created_at=old,
    )
    tasks.apply_retention()
    assert not OutgoingEmail.objects.filter(pk=sent.pk).exists()
    assert OutgoingEmail.objects.filter(pk=pending.pk).exists()  # never lose unsent mail


def test_beat_runs_the_job_every_night() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "privacy.tasks.apply_retention"
    assert entry["schedule"].hour == {2}
    assert settings.CELERY_TIMEZONE == "Europe/Berlin"
