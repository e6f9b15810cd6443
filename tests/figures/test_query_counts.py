"""Query counts of every report, pinned at two data sizes: the same number of queries for a
small and a ten times larger center (an N+1 would show as a difference)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from figures.periods import MONTH, preset
from tests.cases.factories_extra import bulk_cases, bulk_newcomers
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

# The user and the navigation's unread notifications (2; sessions live in the cache), then
# statistics 11 (cases opened and closed by month and category 1, newcomers 2, cases 3,
# referrals 1, companies 3, check-ins 1); ESF+ 2 (entries, leavers) and the recent exports 1.
# Without percentile_cont (SQLite) the referrals' medians take a query of their own.
PAGES = {
    "figures_statistics": 13 + (connection.vendor != "postgresql"),
    "figures_esf": 5,
}


def grow(lotse: User, size: int, partner_seed: int) -> None:
    newcomers = bulk_newcomers(size, prefix=f"Q{partner_seed}")
    cases = bulk_cases(newcomers, owner=lotse, prefix=f"Q{partner_seed}")
    for case in cases[:: max(1, size // 5)]:
        ReferralFactory.create(case=case)


@pytest.mark.parametrize(("name", "queries"), PAGES.items())
def test_report_query_counts_do_not_grow_with_the_data(
    name: str,
    queries: int,
    head: User,
    lotse: User,
    client_for: Callable[[User | None], Client],
    django_assert_num_queries: Any,
) -> None:
    url = reverse(name) + "?" + preset(MONTH).query()
    for user, seeds in ((head, (1, 2)), (lotse, (3, 4))):
        client = client_for(user)
        for size, seed in zip((10, 100), seeds, strict=True):
            grow(lotse, size, seed)
            client.get(url)  # warm-up (content types, session)
            with django_assert_num_queries(queries):
                assert client.get(url).status_code == 200


def test_exports_cost_what_their_page_costs(
    head: User,
    lotse: User,
    client_for: Callable[[User | None], Client],
    django_assert_num_queries: Any,
) -> None:
    client = client_for(head)
    query = "?" + preset(MONTH).query()
    for size, seed in ((10, 1), (100, 2)):
        grow(lotse, size, seed)
        # A table costs only the parts it shows: the summary the user and all but the
        # referrals (counts 1, newcomers 2, cases 3, companies 3, check-ins 1); the
        # categories the user, the counts and the other 3 of the cases.
        with django_assert_num_queries(11):
            client.get(reverse("figures_statistics_export", args=["summary", "csv"]) + query)
        with django_assert_num_queries(5):
            client.get(reverse("figures_statistics_export", args=["categories", "xlsx"]) + query)
        with django_assert_num_queries(3):  # the user, entries, leavers
            client.get(reverse("figures_esf_export", args=["xlsx"]) + query)
