"""The pages, downloads and the exit questionnaire, through the test client."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import User
from figures.esf import ENTRY_INDICATORS, EXIT_INDICATORS
from figures.models import ExitQuestionnaire
from tests import factories
from tests.figures.conftest import MARCH, Center

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
MARCH_QUERY = f"?{MARCH.query()}"


def test_statistics_page_shows_charts_with_tables_and_no_inline_style(
    center: Center, head: User, client_for: ClientFor
) -> None:
    page = client_for(head).get(reverse("figures_statistics") + MARCH_QUERY).content.decode()
    assert page.count("<svg") == 5  # months, origins, arrival, categories, referrals
    assert 'id="chart-origins-title"' in page
    assert 'id="table-origins"' in page
    assert "style=" not in page.split("<main", 1)[1]
    assert "Ukraine" in page


def test_a_lotse_is_told_the_page_shows_their_own_caseload(
    center: Center, client_for: ClientFor
) -> None:
    page = client_for(center.lotse).get(reverse("figures_statistics") + MARCH_QUERY)
    assert page.context["stats"].newcomers.total == 3  # A, B, D (see test_reports)


def test_an_invalid_custom_range_falls_back_to_this_month_and_says_why(
    head: User, client_for: ClientFor
) -> None:
    url = reverse("figures_statistics") + "?period=custom&from=2026-03-31&to=2026-03-01"
    response = client_for(head).get(url)
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert response.context["period"].kind == "month"


def test_every_statistics_table_exports_as_csv_and_xlsx(
    center: Center, head: User, client_for: ClientFor
) -> None:
    client = client_for(head)
    for slug in ("summary", "months", "origins", "arrival", "categories", "open", "referrals"):
        url = reverse("figures_statistics_export", args=[slug, "csv"]) + MARCH_QUERY
        rows = list(
            csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";")
        )
        assert len(rows) > 1, slug
        url = reverse("figures_statistics_export", args=[slug, "xlsx"]) + MARCH_QUERY
        book = load_workbook(io.BytesIO(client.get(url).content))
        assert book.active.max_row >= 5, slug
    url = reverse("figures_statistics_export", args=["categories", "csv"]) + MARCH_QUERY
    text = client.get(url).content.decode("utf-8-sig")
    assert "10.0" in text  # housing's median days to close


def test_esf_xlsx_has_the_funders_layout(center: Center, head: User, client_for: ClientFor) -> None:
    response = client_for(head).get(reverse("figures_esf_export", args=["xlsx"]) + MARCH_QUERY)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == django_settings.CENTER_NAME
    assert sheet["B3"].value == "01.03.2026 \u2013 31.03.2026"
    assert sheet["B4"].value == "15.04.2026"  # created on the (frozen) day
    values = {row[0].value: [cell.value for cell in row[1:]] for row in sheet.iter_rows(min_row=7)}
    with translation.override("de"):
        labels = [str(indicator.label) for indicator in ENTRY_INDICATORS + EXIT_INDICATORS]
    assert values[labels[0]] == [2, 1, 0, 1, 0]  # entering: A (female) and C (diverse)
    assert values[labels[len(ENTRY_INDICATORS)]] == [2, 1, 1, 0, 0]  # leaving: D and B


def test_exit_questionnaire_after_the_last_case_closed(
    center: Center, client_for: ClientFor
) -> None:
    client = client_for(center.lotse)
    newcomer = center.newcomers["C"]  # anonymised; C1 closed on 1 Apr
    url = reverse("exit_questionnaire", args=[newcomer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"employment": "not_employed", "in_education_or_training": "on"})
    assert response.status_code == 302
    saved = ExitQuestionnaire.objects.get(newcomer=newcomer)
    assert (saved.left_on.isoformat(), saved.in_education_or_training) == ("2026-04-01", True)
    assert saved.filled_by == center.lotse


def test_no_exit_questionnaire_while_a_case_is_open(center: Center, client_for: ClientFor) -> None:
    newcomer = center.newcomers["A"]  # A2 still open
    response = client_for(center.lotse).get(reverse("exit_questionnaire", args=[newcomer.pk]))
    assert response.status_code == 302
    assert not ExitQuestionnaire.objects.filter(newcomer=newcomer).exists()


def test_the_newcomer_and_case_files_ask_for_the_questionnaire(
    lotse: User, client_for: ClientFor
) -> None:
    case = factories.CaseFactory.create(
        status="closed", closed_at="2026-01-05T10:00:00+01:00", outcome="achieved", owner=lotse
    )
    client = client_for(lotse)
    link = reverse("exit_questionnaire", args=[case.newcomer_id])
    assert link in client.get(reverse("newcomer_detail", args=[case.newcomer_id])).content.decode()
    assert link in client.get(reverse("case_detail", args=[case.reference])).content.decode()
