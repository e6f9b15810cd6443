"""Fixtures of the workspace tests: a tmp upload storage and a frozen clock for date rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django.fixtures import Settings

BERLIN = ZoneInfo("Europe/Berlin")
# A Tuesday morning in spring: far from midnight, month ends and daylight-saving switches.
TODAY = datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def upload_storage(settings: Settings, tmp_path: Path) -> Path:
    """Uploads go to a fresh directory, not to var/uploads shared with other test runs."""
    location = tmp_path / "uploads"
    location.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@pytest.fixture
def frozen_today() -> Iterator[time_machine.Traveller]:
    """The clock starts at TODAY and keeps ticking, so timestamps stay in order."""
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller
