"""What the attack tests compare: the whole database before and after a request, and the body
of an answer (streamed or not) that must not show a secret."""

from __future__ import annotations

import io
import zipfile
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
    if response.get("Content-Type") == "application/zip":
        # An export: what it shows is inside its (compressed) files.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def finish_login(client: Any, response: HttpResponseBase, **extra: str) -> HttpResponseBase:
    """After a correct password, staff and partner users give the code of their authenticator
    app (allauth's second step): answer it as the app would, like a person logging in."""
    from django.urls import reverse

    from tests.factories import totp_code

    if response.status_code == 302 and response["Location"] == reverse("mfa_authenticate"):
        return client.post(reverse("mfa_authenticate"), {"code": totp_code()}, **extra)
    return response
