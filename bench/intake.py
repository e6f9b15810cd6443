"""Benchmark of the public intake (issue 3): SQL statements per submission, and submissions per
second through gunicorn on PostgreSQL, driven by wrk on the same machine.

Run by `make bench` (bench/run.sh). Prints figures; it is not a test and fails on no target.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = os.environ.get("BENCH_DURATION", "20s")
# gunicorn's advice is 2 x cores + 1: a worker waiting for PostgreSQL's commit leaves its core
# to another. The production image runs 3 (Dockerfile).
WORKERS = os.environ.get("BENCH_WORKERS", "3")


def statements_per_submission() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welcome_center.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tests.migrants.intake_data import valid_intake

    setup_test_environment()
    client = Client()
    client.post("/intake/", valid_intake(email="warm-up@example.org"))
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/intake/", valid_intake(email=f"q{time.time()}@example.org"))
    assert response.status_code == 302, response.status_code
    return len(queries.captured_queries)


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not answer")


def newcomer_count() -> int:
    from migrants.models import Newcomer

    return Newcomer.objects.count()


def main() -> None:
    env = {
        **os.environ,
        "INTAKE_RATE_LIMIT": "100000000",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
    }
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/intake.py needs DATABASE_URL=postgres://...")
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True
    )
    queries = statements_per_submission()
    print(f"intake: {queries} SQL statements per submission (target: at most 15)")
    before = newcomer_count()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "welcome_center.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(f"http://127.0.0.1:{PORT}/intake/")
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                "-c8",
                f"-d{DURATION}",
                "--latency",
                "-s",
                str(ROOT / "bench/intake_post.lua"),
                f"http://127.0.0.1:{PORT}/intake/",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    stored = newcomer_count() - before
    seconds = float(re.sub(r"[^0-9.]", "", DURATION))
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    tail = [line for line in result.stdout.splitlines() if "latency" in line or "requests:" in line]
    print("\n".join(tail))
    print(
        f"intake: {float(rate.group(1)) if rate else 0:.0f} requests/s answered by wrk; "
        f"{stored} intakes stored in {DURATION} = {stored / seconds:.0f} submissions/s "
        "(target: at least 100/s on this 2-core machine, wrk sharing the cores)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
