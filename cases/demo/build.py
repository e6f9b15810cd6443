"""Building the demo center: the directory first, then newcomers and their cases a chunk at a
time, each chunk written in one statement per table (COPY on PostgreSQL).

The small demo (about 150 cases over the last year) and load-test data (`--scale 100000`, over
three years) come from the same code; only the numbers differ. All randomness comes from
random.Random(seed) (and a second stream from the same seed for the arrival checklists), and
every date counts back from the last full hour, so a seed gives the same data on every run
within that hour.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from cases.models import ReferenceSequence, Referral, Status
from companies.models import Company
from partners.models import Partner

from .copy import Keys
from .directory import add_directory
from .outcomes import add_exit_questionnaire, add_introductions
from .people import add_person, plan_people
from .tables import foreign_keys_checked_once, indexes_built_once
from .timelines import add_cases
from .users import HEAD, LOTSEN, demo_users
from .world import BULK_MODELS, KEYED, Batch, Counts, Progress, World

# Newcomers built and written per round: large enough for bulk writes to pay off, small enough
# that memory stays flat at 100,000 cases.
CHUNK_NEWCOMERS = 2000
SMALL_HISTORY_DAYS = 365
SCALE_HISTORY_DAYS = 3 * 365

# The same message as migrants.services, so the demo's intake cases read like real ones.
INTAKE_NOTE = gettext_noop("Opened from the public intake form.")


def build_demo_center(
    *, n_cases: int, seed: int, password: str, span_days: int, progress: Progress
) -> Counts:
    """Build the demo center with `n_cases` cases spread over the last `span_days` days."""
    # Everything counts back from the last full hour, so that a seed gives the same data on
    # every run within that hour (and nothing lies in the future).
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    users = demo_users(password, since=now - timedelta(days=span_days + 30))
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not secrets)
    lotsen = [users[spec.email] for spec in LOTSEN]
    with foreign_keys_checked_once(), indexes_built_once(BULK_MODELS):
        keys = Keys(*KEYED)
        w = World(
            rng, now, timezone.localdate(), span_days, users, users[HEAD.email], lotsen, keys,
            saved_at=timezone.now(), zone=timezone.get_current_timezone(),
            # Its own stream, so that the checklist came without changing the rest of the demo.
            checklist_rng=random.Random(f"checklist-{seed}"),  # noqa: S311
            outcome_rng=random.Random(f"outcomes-{seed}"),  # noqa: S311
        )  # fmt: skip
        w.labels, w.intake_note = _labels()
        add_directory(w, n_cases=n_cases)
        partners, companies = w.counts[Partner], w.counts[Company]
        progress(f"  {len(users)} demo users, {partners} partners, {companies} companies")
        _add_newcomers_and_cases(w, n_cases, progress)
        keys.settle()
    return w.counts


def _labels() -> tuple[dict[str, str], str]:
    """Statuses as the services store them on the timeline (the raw values; each reader sees
    the label in their own language), and the intake's note in the center's language."""
    with translation.override(settings.LANGUAGE_CODE):
        choices = [*Status.choices, *Referral.Status.choices]
        return {value: str(value) for value, _label in choices}, gettext(INTAKE_NOTE)


def _add_newcomers_and_cases(w: World, n_cases: int, progress: Progress) -> None:
    plans = plan_people(w, n_cases)
    done = 0
    for start in range(0, len(plans), CHUNK_NEWCOMERS):
        batch = Batch()
        for plan in plans[start : start + CHUNK_NEWCOMERS]:
            person = add_person(w, batch, plan)
            first_case = len(batch.cases)
            add_cases(w, batch, person)
            add_introductions(w, batch, person)
            add_exit_questionnaire(w, batch, person, batch.cases[first_case:])
            done += plan.n_cases
        _number(w, batch.newcomers, "NC", lambda newcomer: newcomer.created_at)
        _number(w, batch.cases, "WC", lambda case: case.opened_at)
        batch.write(w.counts)
        progress(f"  {start + len(batch.newcomers):,} newcomers, {done:,} of {n_cases:,} cases")


def _number(w: World, rows: Sequence[Any], prefix: str, when: Callable[[Any], datetime]) -> None:
    """Give each row a reference of the year it was made, reserved in one query per year."""
    by_year: dict[int, list[Any]] = defaultdict(list)
    for row in sorted(rows, key=when):
        by_year[w.localdate(when(row)).year].append(row)
    for year, group in by_year.items():
        references = ReferenceSequence.next_reference(prefix, year=year, count=len(group))
        for row, reference in zip(group, references, strict=True):
            row.reference = reference
