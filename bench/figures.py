"""Benchmark of the figures (issue 8) on `seed_demo --scale 100000`: p50 and p95 server time
of the statistics page (the head for this year, this quarter and a custom range of two years;
a Lotse for their own caseload this year), the ESF+ page and its XLSX, and one table export as
CSV and as XLSX, measured in-process through Django's full request handling (middleware,
views, templates, database) on PostgreSQL. Target: 500 ms p95 for each.

For a report that misses its target, the plan of its slowest query is printed (EXPLAIN
ANALYZE); BENCH_EXPLAIN=1 prints it for every report.

Run by `make bench` (bench/run.sh) after the scaled seed. Prints figures; it is not a test.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
TARGET_MS = 500
EXPLAIN_ALL = bool(os.environ.get("BENCH_EXPLAIN"))


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(name: str, fetch: Callable[[], int]) -> bool:
    """Print p50 and p95 of `fetch`; True if p95 is within the target."""
    fetch()  # warm caches, as the head's second look at the page would be
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        status = fetch()
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{name}: status {status}")
    p95 = percentile(samples, 0.95)
    print(
        f"{name:<34} p50 {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms"
        f"   (target p95 <= {TARGET_MS} ms)"
    )
    return p95 <= TARGET_MS


def explain_slowest(name: str, fetch: Callable[[], int]) -> None:
    """Run `fetch` once with its queries captured and print the plan of the slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch()
    queries = [
        q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]
    total = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    print(f"\n{name}: {len(captured.captured_queries)} queries, {total:.0f} ms in the database")
    if not queries:
        return
    slowest = max(queries, key=lambda q: float(q["time"]))
    print(f"slowest ({float(slowest['time']) * 1000:.0f} ms):\n  {slowest['sql'][:2000]}")
    with connection.cursor() as cursor:
        # The logged SQL carries its parameters inlined (psycopg2's own rendering).
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
        print("plan:")
        for (line,) in cursor.fetchall():
            print("  " + line)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welcome_center.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # The pages, not the second factor, are measured.
    os.environ.setdefault("MFA_REQUIRED", "false")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from cases.models import Case
    from companies.models import Introduction
    from figures.models import ExitQuestionnaire

    if connection.vendor != "postgresql":
        raise SystemExit("bench/figures.py needs DATABASE_URL=postgres://...")
    print(
        f"figures: {Case.objects.count()} cases, {Introduction.objects.count()} introductions, "
        f"{ExitQuestionnaire.objects.count()} exit questionnaires, {ROUNDS} rounds per report"
    )
    head = User.objects.get(email="leitung@demo.welcome-center.example")
    lotse = User.objects.get(email="lotse@demo.welcome-center.example")
    head_client = Client()
    head_client.force_login(head)
    lotse_client = Client()
    lotse_client.force_login(lotse)

    today = timezone.localdate()
    year = urlencode({"period": "year"})
    quarter = urlencode({"period": "quarter"})
    # A funding period of two years up to today: twice the months of the year view.
    custom = urlencode({"period": "custom", "from": today - timedelta(days=730), "to": today})

    def get(client: Client, url: str) -> Callable[[], int]:
        def fetch() -> int:
            response = client.get(url)
            if response.streaming:  # read the body, as the browser would
                b"".join(response.streaming_content)
            else:
                assert response.content
            return response.status_code

        return fetch

    reports = [
        ("statistics, head, this year", get(head_client, f"/figures/?{year}")),
        ("statistics, head, this quarter", get(head_client, f"/figures/?{quarter}")),
        ("statistics, head, two years", get(head_client, f"/figures/?{custom}")),
        ("statistics, Lotse, this year", get(lotse_client, f"/figures/?{year}")),
        ("ESF+ page, head, this year", get(head_client, f"/figures/esf/?{year}")),
        ("ESF+ XLSX, head, this year", get(head_client, f"/figures/esf/export.xlsx?{year}")),
        (
            "export referrals.csv, this year",
            get(head_client, f"/figures/export/referrals.csv?{year}"),
        ),
        (
            "export categories.xlsx, this year",
            get(head_client, f"/figures/export/categories.xlsx?{year}"),
        ),
    ]
    missed = [(name, fetch) for name, fetch in reports if not measure(name, fetch)]
    # Figures on a shared machine mean little without how busy it was.
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    for name, fetch in reports if EXPLAIN_ALL else missed:
        explain_slowest(name, fetch)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
