"""A company sees its own data and what was shared with it, nothing else: company A tries
company B's ids on every company URL that takes one (404, and nothing changes), and a pending
company reaches nothing but its home page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from companies.models import Company, CompanyEvent, ServiceRequest, SkilledWorkerNeed
from tests.factories import IntroductionFactory, ServiceRequestFactory, SkilledWorkerNeedFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


@pytest.fixture
def theirs(other_company: Company) -> dict[str, int]:
    need = SkilledWorkerNeedFactory.create(company=other_company, occupation="Pflegefachkraft")
    request = ServiceRequestFactory.create(company=other_company)
    CompanyEvent.objects.create(
        company=other_company, kind="note", shared=True, text="Nur für das Pflegeheim"
    )
    IntroductionFactory.create(need=need)
    return {"need": need.pk, "request": request.pk, "company": other_company.pk}


def test_company_a_gets_404_on_every_id_of_company_b(
    client_for: ClientFor, company_user: User, theirs: dict[str, int]
) -> None:
    client = client_for(company_user)
    gets = [
        reverse("need_edit", args=[theirs["need"]]),
        reverse("service_request_detail", args=[theirs["request"]]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    assert client.post(gets[0], {"occupation": "x"}).status_code == 404
    status = reverse("need_status", args=[theirs["need"]])
    assert client.post(status, {"status": "withdrawn"}).status_code == 404
    assert SkilledWorkerNeed.objects.get(pk=theirs["need"]).status == "open"
    # The staff pages of a company are refused outright, whichever company.
    for name in ("company_detail", "company_need_add"):
        assert client.get(reverse(name, args=[theirs["company"]])).status_code == 403
    update = reverse("service_request_update", args=[theirs["request"]])
    assert client.post(update, {"status": "done"}).status_code == 403
    assert ServiceRequest.objects.get(pk=theirs["request"]).status == "new"


def test_the_home_page_shows_nothing_of_another_company(
    client_for: ClientFor, company_user: User, theirs: dict[str, int]
) -> None:
    page = client_for(company_user).get(reverse("home")).content.decode()
    assert "Pflegefachkraft" not in page
    assert "Nur für das Pflegeheim" not in page


def test_a_need_form_does_not_offer_another_companys_needs_for_a_request(
    client_for: ClientFor, company_user: User, theirs: dict[str, int]
) -> None:
    client = client_for(company_user)
    form = client.get(reverse("service_request_add")).context["form"]
    assert theirs["need"] not in [need.pk for need in form.fields["need"].queryset]
    response = client.post(
        reverse("service_request_add"),
        {"kind": "onboarding", "need": theirs["need"], "description": "Bitte"},
    )
    assert response.status_code == 400
    assert not ServiceRequest.objects.filter(company=company_user.company).exists()


def test_a_pending_company_reaches_only_its_home(
    client_for: ClientFor, pending_company_user: User, theirs: dict[str, int]
) -> None:
    company = pending_company_user.company
    assert company is not None
    own_need = SkilledWorkerNeedFactory.create(company=company)
    client = client_for(pending_company_user)
    assert client.get(reverse("home")).status_code == 200
    refused = [
        reverse("need_add"),
        reverse("service_request_add"),
        reverse("colleague_invite"),
        reverse("occupation_search"),
        reverse("need_edit", args=[own_need.pk]),
        reverse("need_edit", args=[theirs["need"]]),
        reverse("service_request_detail", args=[theirs["request"]]),
        reverse("company_list"),
        reverse("company_detail", args=[company.pk]),
    ]
    for url in refused:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("need_status", args=[own_need.pk]), {"status": "withdrawn"}).status_code
        == 403
    )
