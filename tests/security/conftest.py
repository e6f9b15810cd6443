"""Fixtures of the attack tests: uploads in a tmp directory (documents are stored and
downloaded there, never in var/uploads) and a CSRF failure view that says it was the CSRF check
that refused, so that a refusal cannot be mistaken for a permission's 403."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponseForbidden
from pytest_django.fixtures import Settings

CSRF_REFUSED = "csrf-check-refused-this-request"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    return HttpResponseForbidden(f"{CSRF_REFUSED}: {reason}")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Settings, tmp_path: Path) -> Path:
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
def csrf_marked(settings: Settings) -> str:
    settings.CSRF_FAILURE_VIEW = "tests.security.conftest.csrf_failure"
    return CSRF_REFUSED
