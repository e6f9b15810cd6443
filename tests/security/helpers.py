"""What the attack tests compare: the whole database before and after a request, and the body
of an answer (streamed or not) that must not show a secret."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http.response import HttpResponseBase

# Every app whose rows a request could change: the portal's own, the audit trail, allauth's.
TRACKED_APPS = {
    *("accounts", "migrants", "cases", "partners", "companies"),
    *("auditlog", "account", "mfa", "auth"),
}


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every tracked model, in primary-key order."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in TRACKED_APPS
    }


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


def body(response: HttpResponseBase) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")
