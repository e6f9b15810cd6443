"""Skilled-worker needs: a company user (or a Lotse on the company's behalf) adds, edits and
withdraws them; each rule of the form gives a clear message and a 400 with the form; status
moves only along the allowed transitions; the ISCO-08 code is searched without JavaScript (the
form posts the search) and with htmx (results only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from companies.models import Company, CompanyEvent, SkilledWorkerNeed
from tests.factories import SkilledWorkerNeedFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
TODAY = date(2026, 11, 23)


def need_data(**changes: Any) -> dict[str, Any]:
    data = {
        "occupation": "Schweißer/in (MAG)",
        "occupation_code": "7212",
        "headcount": "2",
        "qualification_level": "vocational",
        "german_level": "B1",
        "other_languages": "Englisch B1",
        "start_date": (TODAY + timedelta(days=30)).isoformat(),
        "place": "Aue-Bad Schlema",
        "kind": "permanent",
        "remarks": "Schichtarbeit",
        "action": "save",
    }
    return {**data, **changes}


@time_machine.travel(TODAY, tick=False)
def test_a_company_user_adds_a_need(client_for: ClientFor, company_user: User) -> None:
    response = client_for(company_user).post(reverse("need_add"), need_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    need = SkilledWorkerNeed.objects.get()
    assert (need.company, need.occupation_code, need.headcount, need.status) == (
        company_user.company,
        "7212",
        2,
        "open",
    )
    assert CompanyEvent.objects.filter(need=need, kind="need", shared=True).exists()
    assert LogEntry.objects.filter(object_pk=str(need.pk), actor=company_user).exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        # The message in the company user's language: German, or English untranslated.
        ({"headcount": "0"}, "headcount", "at least one person|mindestens eine Person"),
        ({"headcount": "501"}, "headcount", "at most 500|höchstens 500"),
        (
            {"start_date": (TODAY - timedelta(days=1)).isoformat()},
            "start_date",
            "in the past|in der Vergangenheit",
        ),
        (
            {"occupation_code": "9999"},
            "occupation_code",
            "not an ISCO-08 code|keine ISCO-08-Kennziffer",
        ),
        ({"occupation": ""}, "occupation", ""),
        ({"german_level": "D1"}, "german_level", ""),
    ],
)
def test_a_bad_need_comes_back_with_a_clear_message(
    client_for: ClientFor, company_user: User, changes: dict[str, str], field: str, message: str
) -> None:
    response = client_for(company_user).post(reverse("need_add"), need_data(**changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert any(wording in str(errors[field]) for wording in message.split("|")), errors[field]
    assert not SkilledWorkerNeed.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_occupation_code_error_is_tied_to_the_choice(
    client_for: ClientFor, company_user: User
) -> None:
    response = client_for(company_user).post(reverse("need_add"), need_data(occupation_code="9999"))
    assert 'id="occupation-code-error"' in response.content.decode()


def test_a_need_whose_start_has_passed_can_still_be_edited_without_moving_it(
    client_for: ClientFor, company_user: User
) -> None:
    with time_machine.travel(TODAY, tick=False):
        need = SkilledWorkerNeedFactory.create(
            company=company_user.company, start_date=TODAY + timedelta(days=5)
        )
    with time_machine.travel(TODAY + timedelta(days=10), tick=False):
        data = need_data(start_date=need.start_date.isoformat(), headcount="3")
        response = client_for(company_user).post(reverse("need_edit", args=[need.pk]), data)
        assert response.status_code == 302
        moved = need_data(start_date=(TODAY + timedelta(days=6)).isoformat())
        response = client_for(company_user).post(reverse("need_edit", args=[need.pk]), moved)
        assert response.status_code == 400
    need.refresh_from_db()
    assert (need.headcount, need.start_date) == (3, TODAY + timedelta(days=5))


@time_machine.travel(TODAY, tick=False)
def test_a_lotse_adds_a_need_on_behalf_of_a_company(
    client_for: ClientFor, lotse: User, company: Company
) -> None:
    response = client_for(lotse).post(reverse("company_need_add", args=[company.pk]), need_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("company_detail", args=[company.pk])
    assert SkilledWorkerNeed.objects.get().company == company


def set_status(client: Client, need: SkilledWorkerNeed, status: str) -> str:
    client.post(reverse("need_status", args=[need.pk]), {"status": status})
    need.refresh_from_db()
    return need.status


def test_a_company_withdraws_fills_and_reopens_but_does_not_set_in_progress(
    client_for: ClientFor, company_user: User
) -> None:
    need = SkilledWorkerNeedFactory.create(company=company_user.company)
    client = client_for(company_user)

    assert set_status(client, need, "in_progress") == "open"
    assert set_status(client, need, "withdrawn") == "withdrawn"
    assert set_status(client, need, "filled") == "withdrawn"  # not from withdrawn
    assert set_status(client, need, "open") == "open"
    assert set_status(client, need, "filled") == "filled"
    events = CompanyEvent.objects.filter(need=need, kind="need").count()
    assert events == 3


def test_a_lotse_sets_a_need_in_progress(client_for: ClientFor, lotse: User) -> None:
    need = SkilledWorkerNeedFactory.create()
    assert set_status(client_for(lotse), need, "in_progress") == "in_progress"


def test_a_withdrawn_need_cannot_be_edited(client_for: ClientFor, company_user: User) -> None:
    need = SkilledWorkerNeedFactory.create(company=company_user.company, status="withdrawn")
    response = client_for(company_user).post(
        reverse("need_edit", args=[need.pk]),
        need_data(start_date=(timezone.localdate() + timedelta(days=9)).isoformat()),
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.occupation == "Mechatroniker/in"


# ---- the ISCO-08 search ---------------------------------------------------------------------


def test_the_occupation_list_ships_with_all_436_unit_groups(django_db_setup: None) -> None:
    from companies.models import Occupation

    assert Occupation.objects.count() == 436
    welder = Occupation.objects.get(code="7212")
    assert welder.title_en == "Welders and flamecutters"
    assert welder.title_de


def test_the_search_without_javascript_keeps_the_form_and_lists_choices(
    client_for: ClientFor, company_user: User
) -> None:
    data = need_data(action="search", occupation_query="Schweiß", occupation_code="")
    response = client_for(company_user).post(reverse("need_add"), data)

    assert response.status_code == 200
    assert not SkilledWorkerNeed.objects.exists()
    page = response.content.decode()
    assert 'value="7212"' in page
    assert 'value="Schweißer/in (MAG)"' in page  # what was typed stays
    assert "is-invalid" not in page


def test_the_search_with_htmx_returns_the_choices_only(
    client_for: ClientFor, company_user: User
) -> None:
    response = client_for(company_user).get(
        reverse("occupation_search"), {"occupation_query": "nurs"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert 'name="occupation_code" value="2221"' in page
    assert 'name="occupation_code" value="3221"' in page


def test_the_search_page_finds_by_code_and_by_every_word(
    client_for: ClientFor, lotse: User
) -> None:
    client = client_for(lotse)
    by_code = client.get(reverse("occupation_search"), {"q": "721"}).context["occupations"]
    assert [o.code for o in by_code] == ["7211", "7212", "7213", "7214", "7215"]
    by_words = client.get(reverse("occupation_search"), {"q": "Kraftfahrzeug mechaniker"})
    assert [o.code for o in by_words.context["occupations"]] == ["7231"]
    nothing = client.get(reverse("occupation_search"), {"q": "Astronautin"})
    assert nothing.context["occupations"] == []
