"""The deployment files: docker-compose.yml (Docker cannot run here, so the file is parsed and
checked), .env.example against the variables settings.py reads, `check --deploy` with
production-like environment variables, and the shell scripts' syntax."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "welcome_center" / "settings.py"
ENV_EXAMPLE = ROOT / ".env.example"
COMPOSE = ROOT / "docker-compose.yml"
DJANGO_SERVICES = ["web", "worker", "beat"]

# env("NAME", ...), env_bool("NAME"), env_int(...), env_list(...), and os.environ / os.getenv
# in case someone reads a variable directly.
ENV_CALL = re.compile(
    r"""\b(?:env|env_bool|env_int|env_list|os\.getenv|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
# "NAME=value" or "# NAME=..." (listed, but unset by default).
EXAMPLE_LINE = re.compile(r"^\s*(?:#\s*)?([A-Z][A-Z0-9_]*)=", re.MULTILINE)
# Listed in .env.example for docker compose, not read by settings.py.
COMPOSE_ONLY = {"POSTGRES_PASSWORD"}


def variables_read_by_settings() -> set[str]:
    return set(ENV_CALL.findall(SETTINGS.read_text()))


def variables_in_env_example() -> set[str]:
    return set(EXAMPLE_LINE.findall(ENV_EXAMPLE.read_text()))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    # safe_load resolves the `<<: *django` merge keys, so each service shows what it really gets.
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def anchor(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["x-django"]


def command_text(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


# .env.example -------------------------------------------------------------------------------


def test_the_settings_variable_pattern_still_finds_variables() -> None:
    # Guards the guard: if settings.py changed how it reads the environment, the regex above
    # would find nothing and the next test would pass vacuously.
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= variables_read_by_settings()


def test_every_variable_settings_reads_is_in_env_example() -> None:
    missing = variables_read_by_settings() - variables_in_env_example()
    assert not missing, f"add to .env.example (with default and comment): {sorted(missing)}"


def test_env_example_lists_no_variable_that_nothing_reads() -> None:
    stale = variables_in_env_example() - variables_read_by_settings() - COMPOSE_ONLY
    assert not stale, f"remove from .env.example (or read it in settings.py): {sorted(stale)}"


def test_every_variable_in_env_example_has_a_comment() -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines):
        if EXAMPLE_LINE.match(line):
            previous = lines[number - 1].strip() if number else ""
            assert previous.startswith("#"), f"no comment above {line!r} in .env.example"


# docker-compose.yml -------------------------------------------------------------------------


def test_compose_has_the_five_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) >= {"postgres", "redis", "web", "worker", "beat"}


@pytest.mark.parametrize("name", DJANGO_SERVICES)
def test_django_services_share_the_anchor(
    compose: dict[str, Any], anchor: dict[str, Any], name: str
) -> None:
    service = compose["services"][name]
    for key in ("build", "image", "environment", "env_file", "depends_on"):
        assert service.get(key) == anchor[key], f"{name}.{key} differs from x-django"


def test_anchor_configures_a_production_stack(anchor: dict[str, Any]) -> None:
    environment = anchor["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY"), "the key must come from .env"
    assert str(environment["DEBUG"]).lower() == "false"
    assert str(environment["HTTPS"]).lower() == "true"
    assert environment["ALLOWED_HOSTS"]


def test_anchor_sets_only_variables_settings_reads(anchor: dict[str, Any]) -> None:
    unknown = set(anchor["environment"]) - variables_read_by_settings()
    assert not unknown, f"settings.py does not read {sorted(unknown)}"


def test_worker_runs_a_celery_worker(compose: dict[str, Any]) -> None:
    assert re.search(r"\bcelery\b.*\bworker\b", command_text(compose["services"]["worker"]))


def test_beat_runs_celery_beat(compose: dict[str, Any]) -> None:
    assert re.search(r"\bcelery\b.*\bbeat\b", command_text(compose["services"]["beat"]))


def test_web_migrates_then_runs_gunicorn(compose: dict[str, Any]) -> None:
    command = command_text(compose["services"]["web"])
    assert "manage.py migrate" in command
    assert "gunicorn welcome_center.wsgi" in command
    assert command.index("migrate") < command.index("gunicorn")


@pytest.mark.parametrize("name", ["postgres", "redis"])
def test_backing_services_have_healthchecks_the_django_services_wait_for(
    compose: dict[str, Any], anchor: dict[str, Any], name: str
) -> None:
    assert compose["services"][name]["healthcheck"]["test"]
    assert anchor["depends_on"][name]["condition"] == "service_healthy"


def test_postgres_and_redis_keep_their_data_on_volumes(compose: dict[str, Any]) -> None:
    for name in ("postgres", "redis"):
        volume = compose["services"][name]["volumes"][0].split(":")[0]
        assert volume in compose["volumes"], f"{name} stores its data in the container"


def test_dockerfile_runs_as_non_root_and_collects_static_files() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    assert "requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)


# check --deploy ------------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    # A clean environment, as in production: nothing from the test run (e.g. conftest's
    # DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly rejects) leaks in. Nothing
    # connects to the database or Redis during the checks, so the hosts need not exist.
    environment = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
        "DATABASE_URL": "postgres://welcome_center:secret@postgres.invalid:5432/welcome_center",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "VAR_DIR": str(tmp_path),  # settings create directories there; keep var/ untouched
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Scripts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", [".ci/run", "bin/run-dev"])
def test_scripts_are_executable_bash_without_syntax_errors(script: str) -> None:
    path = ROOT / script
    assert os.access(path, os.X_OK), f"chmod +x {script}"
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
