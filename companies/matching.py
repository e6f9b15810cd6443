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

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
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
    LanguageSkill,
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


def _contains_any(field: str, titles: list[str]) -> Q:
    condition = NEVER
    for word in {word for title in titles for word in _core_words(title)}:
        condition |= Q(**{f"{field}__icontains": word})
    return condition


def _similar_to_any(field: str, titles: list[str]) -> Q:
    """PostgreSQL: `field % title` for any title, which the trigram index answers."""
    condition = NEVER
    for title in titles:
        condition |= Q(**{f"{field}__trigram_similar": title})
    return condition


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


def _occupation_fits_newcomer(titles: list[str]) -> Q:
    """Newcomers whose profession or any qualification fits. Each part is a set of ids that
    PostgreSQL builds once (through the trigram indexes) and probes per row."""
    if _on_postgresql():
        by_profession = Newcomer.objects.filter(_similar_to_any("profession", titles))
        by_qualification = Qualification.objects.filter(
            _similar_to_any("title", titles)
            | _similar_to_any("profession", titles)
            | _similar_to_any("reference_occupation", titles)
        )
    else:
        by_profession = Newcomer.objects.filter(_contains_any("profession", titles))
        by_qualification = Qualification.objects.filter(
            _contains_any("title", titles)
            | _contains_any("profession", titles)
            | _contains_any("reference_occupation", titles)
        )
    return Q(pk__in=by_profession.values("pk")) | Q(pk__in=by_qualification.values("newcomer_id"))


def newcomers_for(need: SkilledWorkerNeed) -> QuerySet[Newcomer]:
    """Eligible newcomers for `need`, best first, each with `score`, `fits_<criterion>`,
    `german_level` and `introduced` (already in a running introduction to this need)."""
    titles = need_titles(need)
    german = LanguageSkill.objects.filter(language="de", level__gte=need.german_level)
    conditions = {
        "occupation": _occupation_fits_newcomer(titles),
        "german": Q(pk__in=german.values("newcomer_id")),
        "available": Q(arrival_date__lte=need.start_date)
        | Q(arrival_date__isnull=True, arrival_is_planned=False),
        "place": Q(current_place__iexact=need.place) | Q(target_place__iexact=need.place),
        "education": Q(education_level__in=EDUCATION_FOR[need.qualification_level]),
        "kind": Q(kind_of_arrival__in=ARRIVALS_FOR[need.kind]),
    }
    similarity: Expression = Value(0.0)
    if _on_postgresql():
        from django.contrib.postgres.search import TrigramSimilarity

        # Graded only where the occupation fits, so the similarity of everyone else (most
        # rows) is never computed.
        similarity = Case(
            When(
                conditions["occupation"],
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
    de_level = LanguageSkill.objects.filter(newcomer=OuterRef("pk"), language="de")
    return (
        eligible_newcomers()
        .annotate(
            **{f"fits_{key}": _flag(condition) for key, condition in conditions.items()},
            score=_score(conditions, similarity),
            german_level=Subquery(de_level.values("level")[:1]),
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
    condition = NEVER
    for place in places:
        condition |= Q(place__iexact=place)
    return condition
