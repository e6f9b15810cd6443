"""The cookies a visitor gets carry the flags production needs (wapiti's cookieflags module
asks for them): Secure behind HTTPS, HttpOnly wherever no script needs to read the cookie.
settings.py is read once per process, so a fresh process runs with HTTPS=true."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

COOKIE_FLAGS = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
response = Client().post(
    "/i18n/setlang/", {"language": "en"}, secure=True, HTTP_X_FORWARDED_PROTO="https",
    HTTP_HOST="localhost",
)
cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
print(json.dumps({
    "language": [bool(cookie["secure"]), bool(cookie["httponly"])],
    "session": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
    "csrf": [settings.CSRF_COOKIE_SECURE],
}))
"""


@pytest.mark.parametrize("https", ["true", "false"])
def test_cookies_are_secure_behind_https_and_http_only(https: str, tmp_path: object) -> None:
    env = {
        **os.environ,
        "HTTPS": https,
        "DJANGO_SETTINGS_MODULE": "welcome_center.settings",
        "VAR_DIR": str(tmp_path),
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", COOKIE_FLAGS],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    secure = https == "true"
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "language": [secure, True],
        "session": [secure, True],
        "csrf": [secure],
    }
