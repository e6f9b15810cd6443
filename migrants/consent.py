"""The consent text of the intake: versioned, rendered per language, and fingerprinted, so each
consent record proves exactly which wording the newcomer agreed to."""

from __future__ import annotations

import functools
import hashlib

from django.template.loader import render_to_string
from django.utils import translation

# Bump whenever the wording of templates/migrants/_consent_text.html changes in any language.
CONSENT_TEXT_VERSION = "2026-11"
RETENTION_MONTHS = 24


def consent_text(language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "migrants/_consent_text.html", {"retention_months": RETENTION_MONTHS}
        )


@functools.cache
def consent_digest(language: str) -> str:
    # The text only changes with a deployment (and then CONSENT_TEXT_VERSION changes too), so
    # each process renders and hashes it once per language.
    return hashlib.sha256(consent_text(language).encode()).hexdigest()
