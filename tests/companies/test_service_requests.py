"""Service requests: a company asks, the center is notified, a Lotse takes it on, moves its
status, links a case and writes updates; the company sees the status and the updates meant
for it, never the center's internal notes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, User
from companies.models import CompanyEvent, ServiceRequest
from tests.factories import CaseFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def test_a_company_asks_for_a_training_and_the_center_is_notified(
    client_for: ClientFor, company_user: User, lotse: User
) -> None:
    response = client_for(company_user).post(
        reverse("service_request_add"),
        {"kind": "training", "description": "Workshop für das Pflegeteam im März."},
    )
    request = ServiceRequest.objects.get()
    assert response["Location"] == reverse("service_request_detail", args=[request.pk])
    assert (request.company, request.created_by, request.status) == (
        company_user.company,
        company_user,
        "new",
    )
    assert Notification.objects.filter(recipient=lotse).exists()


def test_an_empty_request_comes_back_with_the_form(
    client_for: ClientFor, company_user: User
) -> None:
    response = client_for(company_user).post(reverse("service_request_add"), {"kind": "81a"})
    assert response.status_code == 400
    assert "description" in response.context["form"].errors


def test_a_lotse_takes_it_on_links_a_case_and_the_company_sees_the_progress(
    client_for: ClientFor, lotse: User, company_user: User
) -> None:
    request = ServiceRequestFactory.create(company=company_user.company, kind="81a")
    case = CaseFactory.create(owner=lotse)
    staff = client_for(lotse)
    url = reverse("service_request_update", args=[request.pk])

    staff.post(url, {"action": "take"})
    request.refresh_from_db()
    assert (request.owner, request.status) == (lotse, "in_progress")

    staff.post(
        url,
        {
            "status": "done",
            "owner": lotse.pk,
            "case_reference": case.reference.lower(),
            "text": "Vorabzustimmung liegt vor.",
        },
    )
    request.refresh_from_db()
    assert (request.status, request.case) == ("done", case)
    assert request.closed_at is not None
    staff.post(reverse("company_note", args=[request.company_id]), {"text": "Intern: zahlt spät."})

    page = client_for(company_user).get(reverse("service_request_detail", args=[request.pk]))
    text = page.content.decode()
    assert "Vorabzustimmung liegt vor." in text
    assert "Intern" not in text
    assert case.reference not in text  # the case is the center's
    assert page.context["form"] is None
    home = client_for(company_user).get(reverse("home")).content.decode()
    assert "Intern" not in home


def test_an_unknown_case_reference_is_refused(client_for: ClientFor, lotse: User) -> None:
    request = ServiceRequestFactory.create()
    response = client_for(lotse).post(
        reverse("service_request_update", args=[request.pk]),
        {"status": "in_progress", "case_reference": "WC-1999-00001"},
    )
    assert response.status_code == 400
    assert "case_reference" in response.context["form"].errors


def test_a_company_cannot_update_its_request(client_for: ClientFor, company_user: User) -> None:
    request = ServiceRequestFactory.create(company=company_user.company)
    response = client_for(company_user).post(
        reverse("service_request_update", args=[request.pk]), {"status": "done"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "new"
    assert not CompanyEvent.objects.exists()
