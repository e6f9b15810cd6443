"""CSRF on every address of the URLconf: a POST without the token, or with a token that does not
match the cookie, is refused by the CSRF check (403) and changes nothing; the same POST with the
right token passes the check. Generated from the URLconf with the permission matrix's samples
(tests/test_permissions.py), so a new view is covered as soon as the matrix knows it.

Each address is posted to by a role that may use it (the Lotse; the head on the admin) and, where
the page is public, anonymously. A POST is refused before any view runs, so the addresses that
answer only GET are covered too: none of them can be made to act by a forged POST either.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.helpers import body, changed_tables, database_state
from tests.test_permissions import (
    ADMIN_LOGIN,
    ALL_URL_NAMES,
    LOGIN,
    client_as,
    expected_for,
    sample_for,
)

# Well-formed secrets chosen by the test: the cookie holds one, a forged form the other.
COOKIE_SECRET = "Wc" * 16
OTHER_SECRET = "Xy" * 16


def roles_for(name: str) -> list[str]:
    roles = ["head" if name.startswith("admin:") else "lotse"]
    expected = expected_for(name) or {}
    if expected.get("anonymous") not in (LOGIN, ADMIN_LOGIN):
        roles.append("anonymous")
    return roles


CASES = [
    pytest.param(name, role, id=f"{name}-{role}")
    for name in ALL_URL_NAMES
    for role in roles_for(name)
]


def post(client: Client, url: str, data: dict[str, Any], token: str | None) -> Any:
    for value in data.values():  # an upload is read once per request
        if isinstance(value, SimpleUploadedFile):
            value.seek(0)
    form = dict(data) if token is None else {**data, "csrfmiddlewaretoken": token}
    return client.post(url, form)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES)
def test_a_post_without_the_right_csrf_token_is_refused_and_changes_nothing(
    name: str, role: str, request: pytest.FixtureRequest, csrf_marked: str
) -> None:
    sample = sample_for(name, role)
    url = reverse(name, kwargs=sample.kwargs)
    client = client_as(role, request)
    client.handler.enforce_csrf_checks = True
    client.cookies["csrftoken"] = COOKIE_SECRET
    before = database_state()
    for token in (None, OTHER_SECRET):
        response = post(client, url, sample.data, token)
        assert response.status_code == 403, f"token {token!r}: {response.status_code}"
        assert csrf_marked in body(response), f"token {token!r}: refused, but not by the CSRF check"
    assert changed_tables(before, database_state()) == []
    # The control: with the token the request gets past the check to the view.
    assert csrf_marked not in body(post(client, url, sample.data, COOKIE_SECRET))


def views(patterns: list[Any] | None = None) -> list[URLPattern]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += views(pattern.url_patterns)
        else:
            found.append(pattern)
    return found


def test_no_view_is_exempt_from_the_csrf_check() -> None:
    exempt = [str(p.pattern) for p in views() if getattr(p.callback, "csrf_exempt", False)]
    assert exempt == []
