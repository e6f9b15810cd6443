"""welcome_center.queries.counts: several counts in one statement, equal to .count()."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, Outcome, Status
from tests import factories
from welcome_center.queries import counts

pytestmark = pytest.mark.django_db


def test_counts_equal_count_in_one_statement() -> None:
    lotse = factories.LotseFactory.create()
    factories.CaseFactory.create_batch(3, owner=lotse, status=Status.IN_PROGRESS)
    factories.CaseFactory.create_batch(
        2, status=Status.CLOSED, closed_at=timezone.now(), outcome=Outcome.ACHIEVED
    )
    querysets = {
        "all": Case.objects.all(),
        "open": Case.objects.open(),
        "mine": Case.objects.filter(owner=lotse, pk__in=Case.objects.open().values("pk")),
        "none": Case.objects.filter(reference="WC-1900-00000"),
    }
    with CaptureQueriesContext(connection) as queries:
        result = counts(**querysets)
    assert len(queries) == 1
    assert result == {name: queryset.count() for name, queryset in querysets.items()}
    assert result == {"all": 5, "open": 3, "mine": 3, "none": 0}


def test_no_querysets_no_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert counts() == {}
    assert len(queries) == 0
