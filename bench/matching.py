"""Benchmark of matching (issue 7): one need against every newcomer of the scaled demo data
(`seed_demo --scale 125000` gives 50,000 newcomers), on PostgreSQL. Measures the ranking query
of the first page and the count behind the pagination (companies/matching.newcomers_for), the
whole Lotse page `/needs/<pk>/matches/` through Django's request handling, and the other way
round (needs for a newcomer). Prints p50/p95 and the query plan of the ranking.

Run by `make bench` (bench/run.sh) after the scaled seed. Prints figures; it is not a test.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
TARGET_MS = 300


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(name: str, run: Callable[[], object]) -> None:
    run()  # warm caches, as a Lotse's second page view would be
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"{name:<34} p50 {statistics.median(samples):6.1f} ms   "
        f"p95 {percentile(samples, 0.95):6.1f} ms   (target p95 <= {TARGET_MS} ms)"
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welcome_center.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # The demo Lotse has no authenticator app; the pages, not the second factor, are measured.
    os.environ.setdefault("MFA_REQUIRED", "false")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from companies import matching
    from companies.models import SkilledWorkerNeed
    from migrants.models import Newcomer

    if connection.vendor != "postgresql":
        raise SystemExit("bench/matching.py needs DATABASE_URL=postgres://...")
    eligible = matching.eligible_newcomers().count()
    print(f"matching: {Newcomer.objects.count()} newcomers, {eligible} eligible, {ROUNDS} rounds")
    # The need whose occupation the most newcomers share: the heaviest ranking.
    top = (
        Newcomer.objects.exclude(profession="")
        .values("profession")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    need = (
        matching.open_needs().filter(occupation__icontains=top["profession"][:8]).first()
        if top
        else None
    ) or matching.open_needs().first()
    if need is None:
        raise SystemExit("No open need in the database: run seed_demo --scale first.")
    print(f"need: {need.occupation!r} ({need.german_level}, {need.place})")

    ranked = matching.newcomers_for(need)
    # Both queries of a ranking: the similar professions and titles, then the first page.
    measure("match: first page of 25", lambda: list(matching.newcomers_for(need)[:25]))
    measure("rank: count for the pagination", ranked.count)
    lotse = User.objects.get(email="lotse@demo.welcome-center.example")
    client = Client()
    client.force_login(lotse)

    def page(url: str) -> Callable[[], object]:
        def fetch() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: status {response.status_code}")
            return response

        return fetch

    measure("page /needs/<pk>/matches/", page(f"/needs/{need.pk}/matches/"))
    newcomer = ranked[0]
    measure("page /newcomers/<pk>/matches/", page(f"/newcomers/{newcomer.pk}/matches/"))
    print(f"open needs: {SkilledWorkerNeed.objects.open().count()}")
    # Figures on a shared machine mean little without how busy it was.
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))

    sql, params = ranked[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\nplan of the ranking query (first page):")
        for (line,) in cursor.fetchall():
            print("  " + line)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
