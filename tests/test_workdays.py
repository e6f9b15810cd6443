"""Working-day arithmetic across weekends and the public holidays of the center's state."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from welcome_center.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (date(2026, 11, 16), 1, date(2026, 11, 17), "Monday to Tuesday"),
        (date(2026, 11, 20), 1, date(2026, 11, 23), "Friday to Monday over the weekend"),
        # Buß- und Bettag (18 November) is a holiday in Saxony only.
        (date(2026, 11, 17), 1, date(2026, 11, 19), "over Buß- und Bettag in Saxony"),
        (date(2026, 12, 23), 2, date(2026, 12, 28), "over Christmas"),
        (date(2026, 4, 2), 1, date(2026, 4, 7), "over Good Friday and Easter Monday"),
        (date(2026, 10, 30), 1, date(2026, 11, 2), "over Reformation Day (a Saturday)"),
        (date(2026, 11, 23), -1, date(2026, 11, 20), "backwards over the weekend"),
        (date(2026, 11, 21), 0, date(2026, 11, 21), "zero days"),
    ],
)
def test_add_working_days(start: date, days: int, expected: date, why: str) -> None:
    assert add_working_days(start, days, state="SN") == expected, why


def test_the_state_matters() -> None:
    # Buß- und Bettag is a working day in Bavaria; Reformation Day 2025 (a Friday) in Bavaria too.
    assert not is_working_day(date(2026, 11, 18), state="SN")
    assert is_working_day(date(2026, 11, 18), state="BY")
    assert add_working_days(date(2025, 10, 30), 1, state="SN") == date(2025, 11, 3)
    assert add_working_days(date(2025, 10, 30), 1, state="BY") == date(2025, 10, 31)


@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    days=st.integers(min_value=0, max_value=40),
)
def test_adding_and_counting_agree(start: date, days: int) -> None:
    end = add_working_days(start, days, state="SN")
    assert working_days_between(start, end, state="SN") == days
    if days:
        assert is_working_day(end, state="SN")
        assert add_working_days(end, -days, state="SN") <= start
