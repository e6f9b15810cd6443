"""The figures in the browser (issue 8): the head opens the statistics, changes the period from
this month to a custom range over last month and this month, sees the tables and the SVG
charts change, then opens the ESF+ report for the same range and downloads its XLSX, which
openpyxl reads back. axe-core checks the statistics page for both periods and the ESF+ page.

The figures' strings are not all translated yet; the names a test looks for are what the
German catalogue says today (`de`), so the test holds before and after the translation pass.

The data set, by hand (M = this month, P = last month; every date relative to today):
- A: female, 40, Ukrainian, unemployed, ISCED 5-8. A1 housing opened in M, still open.
- B: male, 25, Polish (EU), employed, ISCED 3-4. B1 work opened in P, closed in M; left in M
  employed, with a qualification.
- C: female, 60, Syrian, unemployed, ISCED 0-2. C1 language opened and closed in P; left in P
  not employed, in education.
- D: diverse, birth date not known, Indian, self-employed. D1 recognition opened and closed in
  M; left in M self-employed.
- E: gender not stated, Vietnamese. E1 other, opened four months ago and still open: advised
  in both periods, entering in neither.

This month: advised A B D E (4), new A D (2), cases opened A1 D1 (2), closed B1 D1 (2).
P and M:    advised A-E (5), new A-D (4), opened A1-D1 (4), closed B1 C1 D1 (3).
ESF+ over P and M (total, female, male, diverse, not stated): entering A-D [4, 2, 1, 1, 0];
leaving B C D [3, 1, 1, 1, 0]; in employment B D [2, 0, 1, 1, 0]; of whom self-employed D
[1, 0, 0, 1, 0]; in education C [1, 1, 0, 0, 0]; gained a qualification B [1, 0, 1, 0, 0].
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from cases.models import Case, Category, Outcome, Status
from figures.esf import COLUMNS, ENTRY_INDICATORS, EXIT_INDICATORS
from figures.exports import XLSX_TYPE
from figures.models import EmploymentOnLeaving, ExitQuestionnaire
from migrants.models import EducationLevel, EmploymentStatus, Gender, Newcomer
from tests.e2e.helpers import assert_no_axe_violations, assert_unique_ids, screenshot
from tests.factories import CaseFactory, HeadFactory, LotseFactory, NewcomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LogIn = Callable[[Page, User], None]


def de(message: str) -> str:
    """What the German page shows for one of the portal's messages (English until the
    catalogue has it)."""
    with translation.override("de"):
        return translation.gettext(message)


def named(message: str) -> re.Pattern[str]:
    """An accessible name that starts with the message (a chart's name goes on with its
    description; label text keeps the template's leading white space)."""
    return re.compile(rf"^\s*{re.escape(de(message))}")


@dataclass
class Center:
    head: User
    this_month: date  # its first day
    last_month: date  # its first day


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def center(password: str) -> Center:
    this_month = timezone.localdate().replace(day=1)
    last_month = this_month - relativedelta(months=1)
    year = timezone.localdate().year
    head = HeadFactory.create(
        password=password, email="heike.leitner@welcome-center.example", full_name="Heike Leitner"
    )
    lotse = LotseFactory.create(full_name="Lena Lotz")

    def newcomer(
        gender: str, born: int | None, country: str, employment: str, isced: str
    ) -> Newcomer:
        return NewcomerFactory.create(
            gender=gender,
            birth_date=date(born, 1, 1) if born else None,
            nationality=country,
            country_of_origin=country,
            employment_status_on_entry=employment,
            education_level=isced,
        )

    def case(
        who: Newcomer, category: str, opened: datetime, closed: datetime | None = None
    ) -> Case:
        return CaseFactory.create(
            newcomer=who,
            category=category,
            owner=lotse,
            opened_at=opened,
            last_activity_at=closed or opened,
            status=Status.CLOSED if closed else Status.IN_PROGRESS,
            closed_at=closed,
            outcome=Outcome.ACHIEVED if closed else "",
        )

    def left(who: Newcomer, on: datetime, employment: str, **results: bool) -> None:
        ExitQuestionnaire.objects.create(
            newcomer=who, left_on=timezone.localdate(on), employment=employment, **results
        )

    unemployed, not_stated = EmploymentStatus.UNEMPLOYED, EducationLevel.NOT_STATED
    a = newcomer(Gender.FEMALE, year - 40, "UA", unemployed, EducationLevel.ISCED_5_8)
    b = newcomer(Gender.MALE, year - 25, "PL", EmploymentStatus.EMPLOYED, EducationLevel.ISCED_3_4)
    c = newcomer(Gender.FEMALE, year - 60, "SY", unemployed, EducationLevel.ISCED_0_2)
    d = newcomer(Gender.DIVERSE, None, "IN", EmploymentStatus.SELF_EMPLOYED, not_stated)
    e = newcomer(Gender.NOT_STATED, year - 30, "VN", EmploymentStatus.NOT_STATED, not_stated)

    case(a, Category.HOUSING, at(this_month, 9))
    case(b, Category.WORK, at(last_month, 9), closed=at(this_month, 11))
    left(b, at(this_month, 11), EmploymentOnLeaving.EMPLOYED, qualification_gained=True)
    case(c, Category.LANGUAGE, at(last_month, 10), closed=at(last_month + timedelta(days=1), 10))
    left(
        c,
        at(last_month + timedelta(days=1), 10),
        EmploymentOnLeaving.NOT_EMPLOYED,
        in_education_or_training=True,
    )
    case(d, Category.RECOGNITION, at(this_month, 10), closed=at(this_month, 12))
    left(d, at(this_month, 12), EmploymentOnLeaving.SELF_EMPLOYED)
    case(e, Category.OTHER, at(this_month - relativedelta(months=4), 9))
    return Center(head, this_month, last_month)


def table_rows(table: Locator) -> dict[str, list[str]]:
    """A data table's body as {row header: [cell, ...]}, as a screen reader reads it."""
    rows: list[list[str]] = table.evaluate(
        """table => [...table.querySelectorAll("tbody tr")]
            .filter(row => row.querySelector("th[scope=row]"))
            .map(row => [...row.cells].map(cell => cell.textContent.trim()))"""
    )
    return {row[0]: row[1:] for row in rows}


def section(page: Page, title: str) -> Locator:
    return page.get_by_role("region", name=de(title), exact=True)


def bars(chart: Locator) -> int:
    return chart.locator("rect.chart-bar").count()


def assert_chart_labels_inside(page: Page) -> None:
    """No chart cuts off a label: every text of an SVG lies within the SVG's box (an SVG
    hides what overflows it, as the rotated month names and long labels once were)."""
    cut = page.evaluate(
        """() => [...document.querySelectorAll("main svg")].flatMap(svg => {
            const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll("text")].filter(text => {
                const r = text.getBoundingClientRect();
                return r.left < box.left - 1 || r.top < box.top - 1
                    || r.right > box.right + 1 || r.bottom > box.bottom + 1;
            }).map(text => text.textContent);
        })"""
    )
    assert not cut, f"chart labels cut off: {cut}"


def check_accessibility(page: Page, name: str) -> None:
    screenshot(page, name)
    assert_no_axe_violations(page)
    assert_unique_ids(page)


def test_head_changes_the_period_and_downloads_the_esf_report(
    page: Page, live_server: LiveServer, log_in: LogIn, center: Center, tmp_path: Path
) -> None:
    with translation.override("de"):
        this_month = date_format(center.this_month, "YEAR_MONTH_FORMAT")
        last_month = date_format(center.last_month, "YEAR_MONTH_FORMAT")
        range_start = date_format(center.last_month, "SHORT_DATE_FORMAT")
    last_day = center.this_month + relativedelta(months=1) - timedelta(days=1)
    log_in(page, center.head)

    # This month, the page's default.
    page.get_by_role("navigation", name=de("Main navigation")).get_by_role(
        "link", name=de("Figures"), exact=True
    ).click()
    expect(page).to_have_url(live_server.url + reverse("figures_statistics"))
    expect(page.get_by_role("heading", level=1)).to_have_text(de("Statistics"))
    key_figures = page.get_by_role("table", name=de("Key figures"), exact=True)
    figures = table_rows(key_figures)
    assert figures[de("Newcomers advised")] == ["4"]
    assert figures[de("of whom new")] == ["2"]
    assert figures[de("Cases opened")] == ["2"]
    assert figures[de("Cases closed")] == ["2"]

    # Each chart is an SVG image named by its title, with the numbers in a table under it.
    months = section(page, "By month")
    month_chart = months.get_by_role("img", name=named("By month"))
    expect(month_chart).to_be_visible()
    expect(months.get_by_role("table", name=de("By month"), exact=True)).to_be_visible()
    assert table_rows(months.get_by_role("table")) == {this_month: ["2", "2", "2"]}
    origins = section(page, "Newcomers by country of origin")
    origin_chart = origins.get_by_role("img", name=named("Newcomers by country of origin"))
    assert table_rows(origins.get_by_role("table")) == {
        "Indien": ["1"],
        "Polen": ["1"],
        "Ukraine": ["1"],
        "Vietnam": ["1"],
    }
    assert (bars(month_chart), bars(origin_chart)) == (1, 4)
    month_svg = month_chart.inner_html()
    assert_chart_labels_inside(page)
    check_accessibility(page, "statistics-this-month")

    # A custom range over last month and this month, through the page's own form.
    form = page.get_by_role("form", name=de("Choose the period"))
    form.get_by_label(named("Period")).select_option("custom")
    form.get_by_label(named("From")).fill(center.last_month.isoformat())
    form.get_by_label(named("To")).fill(last_day.isoformat())
    form.get_by_role("button", name=de("Show"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"period=custom&from={center.last_month}&to={last_day}$"))
    expect(page.get_by_test_id("period")).to_contain_text(range_start)

    figures = table_rows(key_figures)
    assert figures[de("Newcomers advised")] == ["5"]
    assert figures[de("of whom new")] == ["4"]
    assert figures[de("Cases opened")] == ["4"]
    assert figures[de("Cases closed")] == ["3"]
    assert table_rows(months.get_by_role("table")) == {
        last_month: ["2", "1", "2"],
        this_month: ["2", "2", "2"],
    }
    assert table_rows(origins.get_by_role("table"))["Syrien"] == ["1"]
    assert (bars(month_chart), bars(origin_chart)) == (2, 5)
    assert month_chart.inner_html() != month_svg
    assert_chart_labels_inside(page)
    check_accessibility(page, "statistics-custom-range")

    # The ESF+ report for the same range, and its XLSX.
    page.get_by_role("link", name=de("ESF+ indicator report"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(de("ESF+ indicator report"))
    expect(page).to_have_url(re.compile(rf"period=custom&from={center.last_month}"))
    esf = table_rows(page.get_by_role("table"))
    assert esf[de("Participants entering")] == ["4", "2", "1", "1", "0"]
    assert esf[de("Participants leaving")] == ["3", "1", "1", "1", "0"]
    check_accessibility(page, "esf-custom-range")

    export = re.compile(re.escape(reverse("figures_esf_export", args=["xlsx"])))
    with page.expect_response(export) as answering, page.expect_download() as downloading:
        page.get_by_role("link", name=de("ESF+ report (XLSX)"), exact=True).click()
    response = answering.value
    assert response.status == 200
    assert response.headers["content-type"] == XLSX_TYPE
    download = downloading.value
    assert download.failure() is None
    assert download.suggested_filename == f"esf_{center.last_month}_{last_day}.xlsx"
    saved = tmp_path / "esf.xlsx"
    # Saved under its own name: openpyxl refuses a path without .xlsx, such as download.path().
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"  # a zip (XLSX), not an HTML error page
    assert_esf_xlsx_totals(saved)


def assert_esf_xlsx_totals(path: Path) -> None:
    sheet = load_workbook(path, read_only=True).active
    # The indicators start under the header row: label, total, then one column per gender.
    values = {
        row[0]: list(row[1 : len(COLUMNS) + 1])
        for row in sheet.iter_rows(min_row=7, values_only=True)
        if row[0] is not None and row[1] is not None
    }
    with translation.override("de"):
        label = {ind.key: str(ind.label) for ind in ENTRY_INDICATORS + EXIT_INDICATORS}
    # Columns: total, female, male, diverse, not stated.
    assert values[label["participants"]] == [4, 2, 1, 1, 0]
    assert values[label["age_18_29"]] == [1, 0, 1, 0, 0]
    assert values[label["age_30_54"]] == [1, 1, 0, 0, 0]
    assert values[label["age_55_plus"]] == [1, 1, 0, 0, 0]
    assert values[label["age_unknown"]] == [1, 0, 0, 1, 0]
    assert values[label["employment_unemployed"]] == [2, 2, 0, 0, 0]
    assert values[label["third_country"]] == [3, 2, 0, 1, 0]
    assert values[label["leavers"]] == [3, 1, 1, 1, 0]
    assert values[label["in_employment"]] == [2, 0, 1, 1, 0]
    assert values[label["self_employed"]] == [1, 0, 0, 1, 0]
    assert values[label["in_education"]] == [1, 1, 0, 0, 0]
    assert values[label["qualification"]] == [1, 0, 1, 0, 0]
