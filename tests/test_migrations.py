"""The migrations guard: every model change comes with its migration (djangoproject.com's
djangoproject/tests.py)."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    output = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:  # pragma: no cover - only when a migration is missing
        pytest.fail(f"Missing migrations; run `manage.py makemigrations`:\n{output.getvalue()}")
