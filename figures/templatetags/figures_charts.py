"""Server-side SVG charts: bars drawn from a figures Table, with SVG presentation attributes
only (no style="" and no script, so the strict Content-Security-Policy holds). Each chart
names itself with <title> and <desc>; the data table under it carries the numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.translation import gettext as _

from figures.tables import Table

register = template.Library()

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, PLOT_WIDTH = 22, 8, 300, 380
COLUMN_WIDTH, COLUMN_GAP, PLOT_HEIGHT = 34, 14, 180
# Room left of the first column and under the baseline for the month labels, which are
# rotated by 35 degrees and end under their column ("September 2026" is about 90 px long).
COLUMN_LEFT, LABEL_DEPTH = 80, 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    x: float
    y: float
    width: float
    height: float


def _values(table: Table) -> list[tuple[str, float, str]]:
    rows = []
    for row in table.rows:
        value = row[table.chart_column]
        number = float(value) if isinstance(value, int | float) else 0.0
        rows.append((str(row[0]), number, "" if value is None else str(value)))
    return rows


@register.inclusion_tag("figures/_chart.html")
def chart(table: Table) -> dict[str, Any]:
    values = _values(table)
    biggest = max((value for _label, value, _shown in values), default=0.0) or 1.0
    if table.chart == "column":
        bars = [
            Bar(
                label,
                value,
                shown,
                x=COLUMN_LEFT + i * (COLUMN_WIDTH + COLUMN_GAP),
                y=20 + PLOT_HEIGHT * (1 - value / biggest),
                width=COLUMN_WIDTH,
                height=PLOT_HEIGHT * value / biggest,
            )
            for i, (label, value, shown) in enumerate(values)
        ]
        width = COLUMN_LEFT + 20 + len(values) * (COLUMN_WIDTH + COLUMN_GAP)
        height = 20 + PLOT_HEIGHT + LABEL_DEPTH
    else:
        bars = [
            Bar(
                label,
                value,
                shown,
                x=LABEL_WIDTH,
                y=10 + i * (BAR_HEIGHT + BAR_GAP),
                width=PLOT_WIDTH * value / biggest,
                height=BAR_HEIGHT,
            )
            for i, (label, value, shown) in enumerate(values)
        ]
        width, height = LABEL_WIDTH + PLOT_WIDTH + 60, 20 + len(values) * (BAR_HEIGHT + BAR_GAP)
    return {
        "table": table,
        "bars": bars,
        "column": table.chart == "column",
        "width": max(width, 320),
        "height": height,
        "baseline": 20 + PLOT_HEIGHT,
        "axis_start": COLUMN_LEFT - 4,
        "measure": table.columns[table.chart_column],
        "description": _("Bar chart of “%(measure)s”; the numbers are in the table below.")
        % {"measure": table.columns[table.chart_column]},
    }
