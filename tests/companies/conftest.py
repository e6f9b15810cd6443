"""The ISCO-08 list comes from a data migration; browser tests (transactional) empty every
table after them, so the tests that choose a code load it again first (idempotent)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from companies.models import Occupation


def ensure_occupations() -> None:
    if not Occupation.objects.exists():
        import_module("companies.migrations.0003_occupations").load(apps, None)


@pytest.fixture(autouse=True)
def _occupations(db: None) -> None:
    ensure_occupations()
