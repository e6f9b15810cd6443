"""Finding cases by what a Lotse remembers: a reference, a name, an e-mail, a phone number or
a word from a note.

On PostgreSQL names, e-mails and phones are matched with trigram indexes (any part of a word
from three characters on, the start of a word for one or two, case-insensitive) and notes with
German full-text search (so "Wohnungen" finds "Wohnung");
the indexes are created by cases/migrations/0002_search_indexes.py. On SQLite the same queries
fall back to plain contains-matching without indexes, which is fine for a laptop's demo data.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet

from cases.models import Case, CaseEvent, EventKind
from migrants.models import Newcomer

REFERENCE = re.compile(r"^\s*(WC-\d{4}-\d{5})\s*$", re.IGNORECASE)
# A trigram index finds a part of a word only from three characters on; shorter terms would
# make PostgreSQL read every row (30 ms for "Vu" at 40,000 newcomers and 100,000 cases).
TRIGRAM = 3
# Where a word starts in the search text: after a space, or after a hyphen ("Nguyen-Vu").
WORD_STARTS = (" ", "-")


def exact_reference(query: str) -> str | None:
    match = REFERENCE.match(query)
    return match.group(1).upper() if match else None


def _needle(term: str) -> str:
    # Phones are stored as E.164 (+493711234567): a local "0371..." matches without its 0.
    if term.isdigit() and term.startswith("0"):
        return term.lstrip("0")
    return term.upper()


def _newcomer_matches(terms: list[str]) -> QuerySet[Newcomer]:
    # Every term must appear somewhere: "amina haddad" finds Amina Haddad.
    newcomers = Newcomer.objects.order_by()
    needles = [needle for needle in map(_needle, terms) if needle]
    if not needles:  # only zeros ("0"): nothing to look for
        return newcomers.none()
    for needle in needles:
        if len(needle) >= TRIGRAM:
            newcomers = newcomers.filter(search_text__contains=needle)
        else:
            # A short name ("Vu", "Li", "Ng") is found where a word starts: what a Lotse
            # means by it, and the index serves it (the trigram of a word's start, " VU").
            starts = Q(search_text__startswith=needle)
            for before in WORD_STARTS:
                starts |= Q(search_text__contains=f"{before}{needle}")
            newcomers = newcomers.filter(starts)
    return newcomers


def _note_matches(query: str) -> QuerySet[CaseEvent]:
    notes = CaseEvent.objects.filter(kind=EventKind.NOTE)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # Not "document": CaseEvent has a field of that name.
        return notes.alias(note_vector=SearchVector("text", config="german")).filter(
            note_vector=SearchQuery(query, config="german", search_type="websearch")
        )
    return notes.filter(text__icontains=query)


def search_cases(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """Cases whose newcomer, reference or notes match. The three matches are collected
    separately, each through its own index, and united: one OR across three tables would make
    PostgreSQL test every case row by row."""
    terms = query.split()
    if not terms:
        return cases
    cases_only = Case.objects.order_by()
    by_newcomer = cases_only.filter(newcomer__in=_newcomer_matches(terms)).values("pk")
    by_note = _note_matches(query).order_by().values("case_id")
    fragment = query.strip()
    if len(fragment) < TRIGRAM:
        # One or two characters of a reference ("WC", "42") are in thousands: no search.
        return cases.filter(pk__in=by_newcomer.union(by_note))
    by_reference = cases_only.filter(reference__icontains=fragment).values("pk")
    return cases.filter(pk__in=by_newcomer.union(by_reference, by_note))
