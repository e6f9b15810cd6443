"""Introductions: consent before anything is shared, the steps in order (each once), what each
side is told, and isolation: a company sees only introductions to its own needs, never a name
before the newcomer agreed, and nothing of other companies (the tests try the ids)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, OutgoingEmail, User
from companies import introductions
from companies.models import Company, CompanyEvent, Introduction, SkilledWorkerNeed
from migrants.models import ConsentScope, Newcomer
from tests import factories
from tests.matching.helpers import newcomer

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
Status = Introduction.Status


@pytest.fixture
def need(company: Company, company_user: User) -> SkilledWorkerNeed:
    return factories.SkilledWorkerNeedFactory.create(company=company, occupation="Mechatroniker/in")


@pytest.fixture
def amina() -> Newcomer:
    return newcomer(
        first_name="Amina", last_name="Haddad", email="amina@example.org", phone="+4937331234",
        profession="Mechatronikerin", german="B2", target_place="Aue-Bad Schlema",
        birth_date=timezone.localdate() - timedelta(days=30 * 365),
        qualifications=[{"title": "Diploma in Mechatronics", "reference_occupation": "Mechatroniker/in"}],
    )  # fmt: skip


def propose(need: SkilledWorkerNeed, person: Newcomer, lotse: User) -> Introduction:
    return introductions.propose(need, person, by=lotse, oral_consent_at=timezone.now())


# ---- consent -------------------------------------------------------------------------------


def test_nothing_is_proposed_without_consent_to_share_with_the_company(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User
) -> None:
    with pytest.raises(introductions.ConsentMissing):
        introductions.propose(need, amina, by=lotse)
    assert not Introduction.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_oral_consent_is_recorded_for_that_company_with_who_and_when(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User
) -> None:
    given = timezone.now() - timedelta(hours=2)
    introduction = introductions.propose(need, amina, by=lotse, oral_consent_at=given)
    consent = introduction.consent
    assert (consent.scope, consent.company, consent.method) == (
        ConsentScope.SHARE_WITH_COMPANY,
        need.company,
        "oral",
    )
    assert (consent.recorded_by, consent.given_at) == (lotse, given)


def test_consent_on_record_for_the_company_is_used(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User
) -> None:
    record = amina.consents.create(
        scope=ConsentScope.SHARE_WITH_COMPANY, company=need.company, text_version="2026-11",
        language="de", method="written", recorded_by=lotse,
    )  # fmt: skip
    assert introductions.propose(need, amina, by=lotse).consent == record


def test_consent_for_another_company_or_withdrawn_does_not_count(
    need: SkilledWorkerNeed, other_company: Company, amina: Newcomer, lotse: User
) -> None:
    amina.consents.create(
        scope=ConsentScope.SHARE_WITH_COMPANY, company=other_company, text_version="2026-11",
        language="de", method="written", recorded_by=lotse,
    )  # fmt: skip
    amina.consents.create(
        scope=ConsentScope.SHARE_WITH_COMPANY, company=need.company, text_version="2026-11",
        language="de", method="written", recorded_by=lotse, given_at=timezone.now() - timedelta(days=2), withdrawn_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(introductions.ConsentMissing):
        introductions.propose(need, amina, by=lotse)


def test_anonymised_or_unconsenting_newcomers_and_closed_needs_cannot_be_proposed(
    need: SkilledWorkerNeed, company: Company, lotse: User
) -> None:
    now = timezone.now()
    with pytest.raises(introductions.NotEligible):
        propose(need, newcomer(anonymised_at=now), lotse)
    with pytest.raises(introductions.NotEligible):
        propose(need, newcomer(consent=False), lotse)
    closed = factories.SkilledWorkerNeedFactory.create(
        company=company, status=SkilledWorkerNeed.Status.FILLED
    )
    with pytest.raises(introductions.NotEligible):
        propose(closed, newcomer(), lotse)
    pending = factories.SkilledWorkerNeedFactory.create(
        company=factories.CompanyFactory.create(status=Company.Status.PENDING)
    )
    with pytest.raises(introductions.NotEligible):
        propose(pending, newcomer(), lotse)


# ---- the steps -----------------------------------------------------------------------------


def test_the_whole_way_to_a_hire(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User, company_user: User
) -> None:
    introduction = propose(need, amina, lotse)
    need.refresh_from_db()
    assert need.status == SkilledWorkerNeed.Status.IN_PROGRESS
    assert OutgoingEmail.objects.filter(to=company_user.email, template="introduction-step")

    introductions.show_interest(introduction, by=company_user)
    notification = Notification.objects.get(recipient=lotse)
    assert amina.reference in notification.text
    assert "Amina" not in notification.text

    introductions.record_agreement(introduction, by=lotse)
    start = timezone.localdate() + timedelta(days=30)
    introductions.record_hire(introduction, start=start, by=lotse)

    introduction.refresh_from_db()
    amina.refresh_from_db()
    need.refresh_from_db()
    assert (introduction.status, introduction.hired_on) == (Status.HIRED, start)
    assert amina.started_work_on == start  # the check-in reminders count from it
    assert need.status == SkilledWorkerNeed.Status.FILLED  # one person asked for, one hired
    events = CompanyEvent.objects.filter(company=need.company).order_by("pk")
    assert [event.kind for event in events] == ["introduction"] * 3 + ["hire"]
    assert all(event.shared and "Amina" not in event.text for event in events)
    assert OutgoingEmail.objects.filter(template="introduction-step").count() == 3
    changes = LogEntry.objects.get_for_object(introduction).filter(action=LogEntry.Action.UPDATE)
    assert changes.count() == 3  # interest, agreement, hire: each on the audit trail


def test_a_need_for_two_people_stays_open_after_the_first_hire(
    company: Company, lotse: User, company_user: User
) -> None:
    need = factories.SkilledWorkerNeedFactory.create(company=company, headcount=2)
    introduction = propose(need, newcomer(), lotse)
    introductions.show_interest(introduction, by=company_user)
    introductions.record_agreement(introduction, by=lotse)
    introductions.record_hire(introduction, start=timezone.localdate(), by=lotse)
    need.refresh_from_db()
    assert need.status == SkilledWorkerNeed.Status.IN_PROGRESS


def test_steps_out_of_order_or_twice_are_refused(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User, company_user: User
) -> None:
    introduction = propose(need, amina, lotse)
    with pytest.raises(introductions.IntroductionError):
        introductions.record_agreement(introduction, by=lotse)  # the company first
    introductions.show_interest(introduction, by=company_user)
    with pytest.raises(introductions.IntroductionError):
        introductions.show_interest(introduction, by=company_user)
    with pytest.raises(introductions.IntroductionError):
        introductions.record_hire(introduction, start=timezone.localdate(), by=lotse)
    introductions.decline(introduction, by=company_user, reason="Position filled internally")
    with pytest.raises(introductions.IntroductionError):
        introductions.withdraw(introduction, by=lotse)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.DECLINED


def test_the_same_newcomer_is_not_proposed_twice_for_a_need_while_running(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User
) -> None:
    introduction = propose(need, amina, lotse)
    with pytest.raises(introductions.NotEligible):
        propose(need, amina, lotse)
    introductions.withdraw(introduction, by=lotse)
    assert propose(need, amina, lotse).status == Status.PROPOSED


# ---- what the company sees, and isolation --------------------------------------------------


def test_the_company_sees_no_name_or_contact_before_the_newcomer_agreed(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User, company_user: User, client_for: ClientFor
) -> None:
    introduction = propose(need, amina, lotse)
    client = client_for(company_user)
    page = client.get(reverse("company_introductions")).content.decode()
    assert "Mechatronikerin" in page
    assert "Diploma in Mechatronics" in page
    assert "B2" in page
    for secret in ("Amina", "Haddad", "amina@example.org", "4937331234", amina.reference):
        assert secret not in page
    client.post(reverse("company_introduction_interest", args=[introduction.pk]))
    page = client.get(reverse("company_introductions")).content.decode()
    assert "Haddad" not in page

    introductions.record_agreement(Introduction.objects.get(pk=introduction.pk), by=lotse)
    page = client.get(reverse("company_introductions")).content.decode()
    assert "Amina Haddad" in page
    assert "amina@example.org" in page


def test_a_company_never_sees_another_companys_introductions(
    need: SkilledWorkerNeed,
    amina: Newcomer,
    lotse: User,
    other_company_user: User,
    client_for: ClientFor,
) -> None:
    introduction = propose(need, amina, lotse)
    introductions.show_interest(introduction, by=need.company.contacts.get().user)
    introductions.record_agreement(introduction, by=lotse)
    client = client_for(other_company_user)
    page = client.get(reverse("company_introductions")).content.decode()
    assert "Mechatronikerin" not in page
    assert "Haddad" not in page
    for name in ("company_introduction_interest", "company_introduction_decline"):
        response = client.post(reverse(name, args=[introduction.pk]))
        assert response.status_code == 404
    assert Introduction.objects.get(pk=introduction.pk).status == Status.AGREED


def test_company_users_reach_no_newcomer_page_and_no_staff_introduction_page(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User, company_user: User, client_for: ClientFor
) -> None:
    introduction = propose(need, amina, lotse)
    client = client_for(company_user)
    for url in (
        reverse("newcomer_detail", args=[amina.pk]),
        reverse("newcomer_matches", args=[amina.pk]),
        reverse("need_matches", args=[need.pk]),
        reverse("introduction_detail", args=[introduction.pk]),
    ):
        assert client.get(url).status_code == 403


def test_a_withdrawn_consent_hides_the_profile_from_the_company(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User, company_user: User, client_for: ClientFor
) -> None:
    introduction = propose(need, amina, lotse)
    introduction.consent.withdrawn_at = timezone.now()
    introduction.consent.save()
    page = client_for(company_user).get(reverse("company_introductions")).content.decode()
    assert "Mechatronikerin" not in page


def test_a_pending_company_sees_no_introductions(lotse: User, client_for: ClientFor) -> None:
    pending_user = factories.CompanyUserFactory.create(
        company_contact__company=factories.CompanyFactory.create(status=Company.Status.PENDING)
    )
    assert client_for(pending_user).get(reverse("company_introductions")).status_code == 403


# ---- the Lotse's pages ---------------------------------------------------------------------


def test_the_lotse_proposes_from_the_matches_with_oral_consent(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User, client_for: ClientFor
) -> None:
    client = client_for(lotse)
    page = client.get(reverse("need_matches", args=[need.pk])).content.decode()
    assert "Amina" in page
    assert reverse("introduction_propose", args=[need.pk, amina.pk]) in page
    url = reverse("introduction_propose", args=[need.pk, amina.pk])
    assert client.post(url, {"note_to_company": "Available at once"}).status_code == 400
    response = client.post(
        url,
        {
            "note_to_company": "Available at once",
            "oral_consent": "on",
            "oral_consent_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    introduction = Introduction.objects.get()
    assert response["Location"] == reverse("introduction_detail", args=[introduction.pk])
    assert introduction.consent.method == "oral"
    page = client.get(reverse("newcomer_matches", args=[amina.pk])).content.decode()
    assert need.company.name in page


def test_the_lotse_records_a_hire_with_a_plausible_date_only(
    need: SkilledWorkerNeed, amina: Newcomer, lotse: User, company_user: User, client_for: ClientFor
) -> None:
    introduction = propose(need, amina, lotse)
    introductions.show_interest(introduction, by=company_user)
    client = client_for(lotse)
    client.post(reverse("introduction_agreement", args=[introduction.pk]))
    url = reverse("introduction_hire", args=[introduction.pk])
    assert client.post(url, {"start": "1999-01-01"}).status_code == 400
    start = timezone.localdate() + timedelta(days=14)
    assert client.post(url, {"start": start.isoformat()}).status_code == 302
    amina.refresh_from_db()
    assert amina.started_work_on == start
