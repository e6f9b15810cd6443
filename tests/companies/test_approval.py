"""A Lotse or the head approves or rejects a pending registration: a reason is required for a
rejection, the applicant is written to in their language, the decision is on the company's
timeline and on the audit trail, and a decided registration cannot be decided again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from accounts.models import OutgoingEmail, User
from companies.models import Company, CompanyEvent

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


@pytest.fixture
def pending(pending_company_user: User) -> Company:
    company = pending_company_user.company
    assert company is not None
    return company


def decide(client: Client, company: Company, **data: str) -> object:
    return client.post(reverse("company_decide", args=[company.pk]), data)


def test_the_head_approves_and_the_applicant_is_told(
    client_for: ClientFor, head: User, pending: Company, pending_company_user: User
) -> None:
    response = decide(client_for(head), pending, decision="approve")

    assert response.status_code == 302  # type: ignore[attr-defined]
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Company.Status.APPROVED, head)
    assert pending.decided_at is not None
    email = OutgoingEmail.objects.get(template="company-approved")
    assert (email.to, email.language) == (pending_company_user.email, "de")
    assert CompanyEvent.objects.filter(company=pending, kind="decision", shared=True).exists()
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Company),
        object_pk=str(pending.pk),
        action=LogEntry.Action.UPDATE,
    )
    assert entry.actor == head
    assert entry.changes_dict["status"] == ["pending", "approved"]
    # The applicant now has the company's pages.
    assert client_for(pending_company_user).get(reverse("need_add")).status_code == 200


def test_a_rejection_needs_a_reason(client_for: ClientFor, lotse: User, pending: Company) -> None:
    response = decide(client_for(lotse), pending, decision="reject", reason="  ")

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "reason" in response.context["decision_form"].errors  # type: ignore[attr-defined]
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING
    assert not OutgoingEmail.objects.exists()


def test_a_rejection_with_a_reason_is_mailed_in_the_applicants_language(
    client_for: ClientFor, lotse: User, pending: Company, pending_company_user: User
) -> None:
    pending_company_user.language = "en"
    pending_company_user.save()

    decide(client_for(lotse), pending, decision="reject", reason="Not in our region.")

    pending.refresh_from_db()
    assert (pending.status, pending.rejection_reason) == (
        Company.Status.REJECTED,
        "Not in our region.",
    )
    email = OutgoingEmail.objects.get(template="company-rejected")
    assert email.language == "en"
    assert "Not in our region." in email.body_text
    assert "Not in our region." in email.body_html


def test_a_decided_registration_is_not_decided_again(
    client_for: ClientFor, lotse: User, pending: Company
) -> None:
    client = client_for(lotse)
    decide(client, pending, decision="approve")
    decide(client, pending, decision="reject", reason="Zu spät.")

    pending.refresh_from_db()
    assert pending.status == Company.Status.APPROVED
    assert OutgoingEmail.objects.count() == 1


def test_companies_cannot_decide(
    client_for: ClientFor, company_user: User, pending_company_user: User, pending: Company
) -> None:
    for user in (company_user, pending_company_user):
        assert decide(client_for(user), pending, decision="approve").status_code == 403  # type: ignore[attr-defined]
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING
