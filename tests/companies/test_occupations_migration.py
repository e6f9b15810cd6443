"""The data migration of the ISCO-08 list: all 436 unit groups, four-digit codes, both titles;
running it again changes nothing, reversing it removes exactly its rows."""

from __future__ import annotations

import csv
from importlib import import_module

import pytest
from django.apps import apps

from companies.models import Occupation

pytestmark = pytest.mark.django_db

migration = import_module("companies.migrations.0003_occupations")


def test_the_file_holds_436_unit_groups_with_both_titles() -> None:
    rows = migration.read_rows()
    assert len(rows) == 436
    assert len({row["code"] for row in rows}) == 436
    assert all(len(row["code"]) == 4 and row["code"].isdigit() for row in rows)
    assert all(row["title_en"].strip() and row["title_de"].strip() for row in rows)
    with migration.DATA.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ["code", "title_en", "title_de"]


def test_loading_again_changes_nothing_and_repairs_a_changed_title() -> None:
    Occupation.objects.filter(code="2221").update(title_de="falsch")
    migration.load(apps, None)
    migration.load(apps, None)
    assert Occupation.objects.count() == 436
    assert Occupation.objects.get(code="2221").title_de != "falsch"


def test_reversing_removes_the_list_and_keeps_other_codes() -> None:
    Occupation.objects.create(code="X001", title_en="Local", title_de="Lokal")
    migration.unload(apps, None)
    assert list(Occupation.objects.values_list("code", flat=True)) == ["X001"]
    migration.load(apps, None)
    assert Occupation.objects.count() == 437
