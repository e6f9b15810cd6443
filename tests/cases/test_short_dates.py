"""The case list writes its dates through one strftime pattern per page; it must write them
exactly as Django's localised SHORT_DATE_FORMAT does, in every staff language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from cases.templatetags import case_list
from cases.templatetags.case_list import _short_date, short_date_formatter

VALUES = [
    date(2026, 1, 5),
    date(2026, 12, 31),
    # 23:30 UTC is already the next day in Berlin: both must convert before formatting.
    datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
    datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_fast_short_date_equals_djangos(language: str) -> None:
    with translation.override(language):
        short_date = short_date_formatter()
        assert short_date is not _short_date  # the fast path is taken for de and en
        for value in VALUES:
            assert short_date(value) == _short_date(value), value
        assert short_date(date(2026, 1, 5)) == date_format(date(2026, 1, 5), "SHORT_DATE_FORMAT")
        assert short_date(None) == ""


def test_other_formats_fall_back_to_date_format(monkeypatch: pytest.MonkeyPatch) -> None:
    # A textual month, a day without zero, an escaped letter: nothing strftime writes alike.
    for django_format in ("j. N Y", "d.m.Y \\r", "D d.m."):
        monkeypatch.setattr(case_list, "get_format", lambda name, f=django_format: f)
        assert short_date_formatter() is _short_date, django_format
