"""Writing tables as CSV and XLSX (openpyxl), including the ESF+ report's fixed layout."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from figures.esf import COLUMNS, EsfReport
from figures.periods import Period
from figures.tables import Cell, Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def period_label(period: Period) -> str:
    start = date_format(period.start, "SHORT_DATE_FORMAT")
    end = date_format(period.end, "SHORT_DATE_FORMAT")
    return f"{start} \u2013 {end}"


def table_csv(table: Table) -> bytes:
    # A byte-order mark, so that Excel opens the UTF-8 file with its umlauts intact.
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return out.getvalue().encode()


def table_xlsx(table: Table, period: Period) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.slug[:31]
    sheet.append([table.title])
    sheet["A1"].font = BOLD
    sheet.append([settings.CENTER_NAME, period_label(period)])
    sheet.append([])
    sheet.append(list(table.columns))
    for cell in sheet[4]:
        cell.font = BOLD
    for row in table.rows:
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 45
    return _saved(book)


def esf_xlsx(report: EsfReport, *, created: date | None = None) -> bytes:
    """The funder's layout: title, the center, the period and the date of creation at the
    top; then one row per indicator with the total and one column per gender, each section
    under its heading, entries first and results on leaving after them."""
    created = created or timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = "ESF+"
    sheet.append([_("ESF+ indicators: participants and results on leaving")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Project"), settings.CENTER_NAME])
    sheet.append([_("Reporting period"), period_label(report.period)])
    sheet.append([_("Created on"), date_format(created, "SHORT_DATE_FORMAT")])
    sheet.append([])
    sheet.append([_("Indicator"), *(str(label) for _value, label in COLUMNS)])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True)
    for section, rows in report.sections():
        sheet.append([str(section)])
        sheet.cell(sheet.max_row, 1).font = BOLD
        for row in rows:
            sheet.append([str(row.indicator.label), *row.counts])
    sheet.column_dimensions["A"].width = 55
    for index in range(2, len(COLUMNS) + 2):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "B7"
    return _saved(book)


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_rows(
    path: Path,
    fmt: str,
    header: tuple[str, ...],
    rows: Iterable[tuple[Cell, ...]],
    *,
    every: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream rows into a CSV or XLSX file (openpyxl's write-only mode keeps memory flat),
    calling `progress(rows written)` every `every` rows. Returns the number of rows."""
    written = 0

    def tick() -> None:
        if progress and written % every == 0:
            progress(written)

    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                written += 1
                tick()
        return written
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
        written += 1
        tick()
    book.save(path)
    return written
