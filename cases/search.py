"""Finding cases by what a Lotse remembers: a reference, a name, an e-mail, a phone number or
a word from a note.

On PostgreSQL names, e-mails and phones are matched with trigram indexes (any part of a word,
case-insensitive) and notes with German full-text search (so "Wohnungen" finds "Wohnung");
the indexes are created by cases/migrations/0002_search_indexes.py. On SQLite the same queries
fall back to plain contains-matching without indexes, which is fine for a laptop's demo data.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper

from cases.models import Case, CaseEvent, EventKind
from migrants.models import Newcomer

REFERENCE = re.compile(r"^\s*(WC-\d{4}-\d{5})\s*$", re.IGNORECASE)
NEWCOMER_FIELDS = ("first_name", "last_name", "email", "phone")


def exact_reference(query: str) -> str | None:
    match = REFERENCE.match(query)
    return match.group(1).upper() if match else None


def _needle(term: str) -> str:
    # Phones are stored as E.164 (+493711234567): a local "0371..." matches without its 0.
    if term.isdigit() and term.startswith("0"):
        return term.lstrip("0")
    return term.upper()


def _newcomer_matches(terms: list[str]) -> QuerySet[Newcomer]:
    # Every term must appear in some field: "amina haddad" finds Amina Haddad.
    newcomers = Newcomer.objects.alias(
        **{f"upper_{field}": Upper(field) for field in NEWCOMER_FIELDS}
    )
    for term in terms:
        needle = _needle(term)
        in_any_field = Q()
        for field in NEWCOMER_FIELDS:
            in_any_field |= Q(**{f"upper_{field}__contains": needle})
        newcomers = newcomers.filter(in_any_field)
    return newcomers


def _note_matches(query: str) -> QuerySet[CaseEvent]:
    notes = CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.NOTE)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # Not "document": CaseEvent has a field of that name.
        return notes.alias(note_vector=SearchVector("text", config="german")).filter(
            note_vector=SearchQuery(query, config="german", search_type="websearch")
        )
    return notes.filter(text__icontains=query)


def search_cases(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    terms = query.split()
    if not terms:
        return cases
    return cases.filter(
        Q(newcomer__in=_newcomer_matches(terms))
        | Q(reference__icontains=query.strip())
        | Exists(_note_matches(query))
    )
