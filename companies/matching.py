"""Matching newcomers and skilled-worker needs, ranked in the database.

For one need, every eligible newcomer gets a score; for one newcomer, every open need. The
score is a weighted sum of the criteria below, each an annotated boolean (plus a graded
similarity of the occupation), so PostgreSQL sorts and pages without loading anyone into
Python. The same booleans are the reasons shown beside each match.

| criterion  | meaning                                                            | weight |
|------------|--------------------------------------------------------------------|--------|
| occupation | the need's occupation (or its ISCO-08 title) is similar to the     | 35     |
|            | newcomer's profession or to a qualification's title, profession or |        |
|            | German reference occupation (pg_trgm `%`; contains on SQLite)      |        |
| similarity | how close the profession is (trigram similarity 0..1, PostgreSQL)  | 15 x s |
| german     | German at or above the level the need asks for (CEFR)              | 20     |
| available  | arrived, or arriving, on or before the start date                  | 10     |
| place      | lives in, or will move to, the place of work                       | 10     |
| education  | education level suits the qualification level asked for            | 5      |
| kind       | the kind of arrival suits the kind of position                     | 5      |

Eligible newcomers: not anonymised, with a consent to processing that is not withdrawn (without
a lawful basis the center may not offer the profile to anyone). Eligible needs: open or in
progress, of an approved company.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from companies.models import (
    Company,
    Introduction,
    NeedKind,
    Occupation,
    QualificationLevel,
    SkilledWorkerNeed,
)
from migrants.models import (
    ConsentRecord,
    ConsentScope,
    EducationLevel,
    KindOfArrival,
    Newcomer,
    Qualification,
)

WEIGHTS: dict[str, int] = {
    "occupation": 35,
    "similarity": 15,
    "german": 20,
    "available": 10,
    "place": 10,
    "education": 5,
    "kind": 5,
}
CRITERIA = ("occupation", "german", "available", "place", "education", "kind")

# Conditions that are always false or true, for criteria a newcomer cannot meet or always
# meets (a primary key is never NULL).
NEVER = Q(pk__isnull=True)
ALWAYS = Q(pk__isnull=False)

# pg_trgm's default similarity threshold, the one its `%` operator (and index) uses.
SIMILARITY_THRESHOLD = 0.3

# Education levels that suit each qualification level a need asks for.
EDUCATION_FOR: dict[str, tuple[str, ...]] = {
    QualificationLevel.UNSKILLED: tuple(EducationLevel.values),
    QualificationLevel.VOCATIONAL: (EducationLevel.ISCED_3_4, EducationLevel.ISCED_5_8),
    QualificationLevel.MASTER: (EducationLevel.ISCED_5_8,),
    QualificationLevel.DEGREE: (EducationLevel.ISCED_5_8,),
}

# Kinds of arrival that suit each kind of position: apprentices and students train, interns
# and students do internships, people who come to stay take permanent jobs; seasonal work
# suits anyone who can come for a season.
_STAYING = (
    KindOfArrival.ABROAD_EU,
    KindOfArrival.ABROAD_THIRD_COUNTRY,
    KindOfArrival.RETURNEE,
    KindOfArrival.COMMUTER,
    KindOfArrival.DOMESTIC,
    KindOfArrival.FAMILY,
)
ARRIVALS_FOR: dict[str, tuple[str, ...]] = {
    NeedKind.PERMANENT: _STAYING,
    NeedKind.APPRENTICESHIP: (KindOfArrival.APPRENTICE, KindOfArrival.STUDENT, *_STAYING),
    NeedKind.INTERNSHIP: (KindOfArrival.INTERN, KindOfArrival.STUDENT),
    NeedKind.SEASONAL: (*_STAYING, KindOfArrival.STUDENT, KindOfArrival.INTERN),
}

REASON_LABELS = {
    "occupation": (_("occupation or qualification fits"), _("occupation does not fit")),
    "german": (_("German at the level required"), _("German below the level required")),
    "available": (_("available by the start date"), _("not available by the start date")),
    "place": (_("lives in or moves to the place of work"), _("lives elsewhere")),
    "education": (_("education suits the qualification level"), _("education level lower")),
    "kind": (_("kind of arrival suits the position"), _("kind of arrival does not suit")),
}

# "Mechatroniker/in", "Koch (m/w/d)": the gender forms are not part of the occupation.
_GENDER_FORMS = re.compile(r"/-?in\b|\(m/w/d\)|\(w/m/d\)|/frau\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reason:
    key: str
    met: bool
    label: str


def reasons(match: Newcomer | SkilledWorkerNeed) -> list[Reason]:
    """The criteria of one ranked row (annotated by the functions below), met ones first."""
    result = []
    for key in CRITERIA:
        met = bool(getattr(match, f"fits_{key}"))
        yes, no = REASON_LABELS[key]
        result.append(Reason(key, met, str(yes if met else no)))
    return sorted(result, key=lambda reason: not reason.met)


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _score(conditions: dict[str, Q], similarity: Expression) -> Expression:
    score: Expression = ExpressionWrapper(
        similarity * Value(float(WEIGHTS["similarity"])), output_field=FloatField()
    )
    for key, condition in conditions.items():
        score = score + Case(
            When(condition, then=Value(float(WEIGHTS[key]))),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return score


def _core_words(title: str) -> list[str]:
    """The words a contains-match looks for on SQLite: "Mechatroniker/in" -> ["Mechatroniker"]."""
    words = re.split(r"[\s,;()/-]+", _GENDER_FORMS.sub(" ", title))
    return [word for word in words if len(word) >= 4]


def _any(conditions: list[Q]) -> Q:
    # Not NEVER | ...: an "id IS NULL OR" in front keeps PostgreSQL from using the index.
    return reduce(operator.or_, conditions) if conditions else NEVER


def _contains_any(field: str, titles: list[str]) -> Q:
    words = sorted({word for title in titles for word in _core_words(title)})
    return _any([Q(**{f"{field}__icontains": word}) for word in words])


def _similar_to_any(field: str, titles: list[str]) -> Q:
    """PostgreSQL: `field % title` for any title, which the trigram index answers."""
    return _any([Q(**{f"{field}__trigram_similar": title}) for title in titles])


# ---- one need: which newcomers ---------------------------------------------------------------


def need_titles(need: SkilledWorkerNeed) -> list[str]:
    """What a newcomer's occupation is compared with: the need's own words and, with an
    ISCO-08 code, the occupation's German and English titles."""
    titles = [_GENDER_FORMS.sub("", need.occupation).strip()]
    if need.occupation_code:
        occupation = Occupation.objects.filter(code=need.occupation_code).first()
        if occupation is not None:
            titles += [occupation.title_de, occupation.title_en]
    return [title for title in dict.fromkeys(titles) if title]


def eligible_newcomers() -> QuerySet[Newcomer]:
    consenting = ConsentRecord.objects.filter(
        scope=ConsentScope.PROCESSING, withdrawn_at__isnull=True
    ).values("newcomer_id")
    return Newcomer.objects.not_anonymised().filter(pk__in=consenting)


# The columns a need's occupation is compared with: (model, field).
VOCABULARY: dict[str, tuple[type[Model], str]] = {
    "profession": (Newcomer, "profession"),
    "title": (Qualification, "title"),
    "qualification_profession": (Qualification, "profession"),
    "reference_occupation": (Qualification, "reference_occupation"),
}


def similar_values(titles: list[str]) -> dict[str, list[str]]:
    """For each column of VOCABULARY, its distinct values that are trigram-similar (pg_trgm
    `%`) to any title: a few words, not people. Professions and qualification titles repeat a
    lot (hundreds of distinct values among 50,000 rows), so comparing each distinct value once
    rather than every row is what keeps a need against 50,000 newcomers fast; the ranking then
    probes these lists per row. One query; the ORM cannot filter after a DISTINCT."""
    found: dict[str, list[str]] = {key: [] for key in VOCABULARY}
    if not titles:
        return found
    similar = " OR ".join(["v %% %s"] * len(titles))
    parts, params = [], []
    for key, (model, field) in VOCABULARY.items():
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.get_field(field).column)
        # OFFSET 0 keeps PostgreSQL from pushing the `%` down into the DISTINCT, which would
        # compare every row again.
        parts.append(
            f"SELECT %s, v FROM (SELECT DISTINCT {column} AS v FROM {table} "  # noqa: S608
            f"WHERE {column} <> '' OFFSET 0) AS d WHERE {similar}"
        )
        params += [key, *titles]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for key, value in cursor.fetchall():
            found[key].append(value)
    return found


def _occupation_conditions(titles: list[str]) -> tuple[Q, Q]:
    """(by profession, by a qualification's title, profession or reference occupation)."""
    if not titles:
        return NEVER, NEVER
    if _on_postgresql():
        values = similar_values(titles)
        by_profession = Q(profession__in=values["profession"]) if values["profession"] else NEVER
        by_qualification = Qualification.objects.filter(
            _any(
                [
                    Q(**{f"{field}__in": values[key]})
                    for key, (model, field) in VOCABULARY.items()
                    if model is Qualification and values[key]
                ]
            )
        )
    else:
        by_profession = _contains_any("profession", titles)
        by_qualification = Qualification.objects.filter(
            _contains_any("title", titles)
            | _contains_any("profession", titles)
            | _contains_any("reference_occupation", titles)
        )
    return by_profession, Q(pk__in=by_qualification.values("newcomer_id"))


def newcomers_for(need: SkilledWorkerNeed) -> QuerySet[Newcomer]:
    """Eligible newcomers for `need`, best first, each with `score`, `fits_<criterion>`,
    `german_level` and `introduced` (already in a running introduction to this need)."""
    titles = need_titles(need)
    by_profession, by_qualification = _occupation_conditions(titles)
    conditions = {
        "occupation": by_profession | by_qualification,
        # A join (one German skill per newcomer at most), not a set to probe: see below.
        "german": Q(german__level__gte=need.german_level),
        "available": Q(arrival_date__lte=need.start_date)
        | Q(arrival_date__isnull=True, arrival_is_planned=False),
        "place": Q(current_place__iexact=need.place) | Q(target_place__iexact=need.place),
        "education": Q(education_level__in=EDUCATION_FOR[need.qualification_level]),
        "kind": Q(kind_of_arrival__in=ARRIVALS_FOR[need.kind]),
    }
    similarity: Expression = Value(0.0)
    if _on_postgresql() and titles:
        from django.contrib.postgres.search import TrigramSimilarity

        # Graded only where the profession fits: few rows, so few similarities to compute.
        similarity = Case(
            When(
                by_profession,
                then=Greatest(
                    *[TrigramSimilarity("profession", title) for title in titles], Value(0.0)
                ),
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    running = need.introductions.filter(
        status__in=[
            Introduction.Status.PROPOSED,
            Introduction.Status.INTERESTED,
            Introduction.Status.AGREED,
        ]
    )
    return (
        eligible_newcomers()
        .alias(german=FilteredRelation("languages", condition=Q(languages__language="de")))
        .annotate(
            **{f"fits_{key}": _flag(condition) for key, condition in conditions.items()},
            score=_score(conditions, similarity),
            german_level=F("german__level"),
            introduced=_flag(Q(pk__in=running.values("newcomer_id"))),
        )
        .order_by("-score", "pk")
    )


# ---- one newcomer: which needs ---------------------------------------------------------------


def newcomer_titles(newcomer: Newcomer) -> list[str]:
    titles = [newcomer.profession]
    for qualification in newcomer.qualifications.all():
        titles += [qualification.title, qualification.profession]
        titles.append(qualification.reference_occupation)
    return [title for title in dict.fromkeys(titles) if title.strip()]


def open_needs() -> QuerySet[SkilledWorkerNeed]:
    return SkilledWorkerNeed.objects.open().filter(company__status=Company.Status.APPROVED)


def _occupation_similarity(titles: list[str]) -> Expression:
    """PostgreSQL: the best similarity of the need's occupation (or its ISCO-08 titles) with
    any of the newcomer's titles. A few hundred open needs: computed for each."""
    from django.contrib.postgres.search import TrigramSimilarity

    isco = Occupation.objects.filter(code=OuterRef("occupation_code"))
    need_sides: list[Expression] = [
        F("occupation"),
        Coalesce(Subquery(isco.values("title_de")[:1]), Value("")),
        Coalesce(Subquery(isco.values("title_en")[:1]), Value("")),
    ]
    parts = [TrigramSimilarity(side, title) for side in need_sides for title in titles]
    return Greatest(*parts, Value(0.0)) if parts else Value(0.0)


def needs_for(newcomer: Newcomer) -> QuerySet[SkilledWorkerNeed]:
    """Open needs of approved companies for `newcomer`, best first, each with `score`,
    `fits_<criterion>` and `introduced`. The criteria are the same as in newcomers_for, seen
    from the other side: the newcomer's facts are constants, the need's fields columns."""
    titles = newcomer_titles(newcomer)
    german_skill = newcomer.languages.filter(language="de").first()
    places = [place for place in (newcomer.current_place, newcomer.target_place) if place]
    similarity: Expression = Value(0.0)
    needs = open_needs()
    if _on_postgresql():
        similarity = _occupation_similarity(titles)
        needs = needs.alias(similarity=similarity)
        occupation = Q(similarity__gte=SIMILARITY_THRESHOLD)
        similarity = F("similarity")
    else:
        isco = Occupation.objects.filter(
            _contains_any("title_de", titles) | _contains_any("title_en", titles)
        )
        occupation = _contains_any("occupation", titles) | Q(
            occupation_code__in=isco.values("code")
        )
    conditions = {
        "occupation": occupation,
        "german": Q(german_level__lte=german_skill.level) if german_skill else NEVER,
        "available": _available_for(newcomer),
        "place": _any_place(places),
        "education": Q(
            qualification_level__in=[
                level for level, suits in EDUCATION_FOR.items() if newcomer.education_level in suits
            ]
        ),
        "kind": Q(
            kind__in=[
                kind for kind, suits in ARRIVALS_FOR.items() if newcomer.kind_of_arrival in suits
            ]
        ),
    }
    running = newcomer.introductions.filter(
        status__in=[
            Introduction.Status.PROPOSED,
            Introduction.Status.INTERESTED,
            Introduction.Status.AGREED,
        ]
    )
    return (
        needs.select_related("company")
        .annotate(
            **{f"fits_{key}": _flag(condition) for key, condition in conditions.items()},
            score=_score(conditions, similarity),
            introduced=_flag(Q(pk__in=running.values("need_id"))),
        )
        .order_by("-score", "start_date", "pk")
    )


def _available_for(newcomer: Newcomer) -> Q:
    if newcomer.arrival_date is not None:
        return Q(start_date__gte=newcomer.arrival_date)
    # No date: here already, unless the arrival is still being planned.
    return NEVER if newcomer.arrival_is_planned else ALWAYS


def _any_place(places: list[str]) -> Q:
    return _any([Q(place__iexact=place) for place in places])
