"""Loads the ISCO-08 unit groups (companies/data/isco08.csv) into Occupation.

Idempotent: a row is created or its titles brought up to date, so running it on a database that
already has some (or all) occupations changes nothing else. Reversing deletes exactly the codes
of the file."""

import csv
from pathlib import Path

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

DATA = Path(__file__).resolve().parent.parent / "data" / "isco08.csv"


def read_rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Occupation = apps.get_model("companies", "Occupation")
    rows = [Occupation(**row) for row in read_rows()]
    # One statement for all 436 rows; on a repeated run the titles are refreshed in place.
    Occupation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["title_en", "title_de"],
    )


def unload(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Occupation = apps.get_model("companies", "Occupation")
    Occupation.objects.filter(code__in=[row["code"] for row in read_rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("companies", "0002_occupations_services_introductions")]

    operations = [migrations.RunPython(load, unload, elidable=False)]
