"""The ESF+ indicator report: participants entering in the period by the common output
indicators, and the results of those leaving in it, each broken down by gender.

Participants are counted once, at entry: a newcomer enters when their first case at the
center opens (for a Lotse: and they have a case of theirs in the period). Anonymised newcomers
count like everyone else: anonymisation keeps every field used here (README, "Figures").

Each table is one GROUP BY over every characteristic at once (a few hundred groups at most),
which the report then adds up into its cells: one query for the entries and one for the
leavers, whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from figures.models import EmploymentOnLeaving, ExitQuestionnaire
from figures.periods import Period
from figures.reports import Scope, first_cases
from migrants.models import (
    FREE_MOVEMENT_COUNTRIES,
    EducationLevel,
    EmploymentStatus,
    ForeignBackground,
    Gender,
)

# The columns of every table: all, then each gender option of the forms.
COLUMNS: tuple[tuple[str, Promise], ...] = (("total", _("total")), *Gender.choices)

Group = dict[str, Any]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    section: Promise
    applies: Callable[[Group], bool]


AGE_GROUPS = (
    ("under_18", _("under 18")),
    ("18_29", _("18 to 29")),
    ("30_54", _("30 to 54")),
    ("55_plus", _("55 and over")),
    ("unknown", _("date of birth not known")),
)


def _age_group() -> CaseWhen:
    """Full years between the date of birth and the entry (one less while the birthday is
    still to come in the entry's year), in the ESF+ age groups. An anonymised newcomer's
    birth date is 1 January of the year, which can make them a year older, never younger."""
    before_birthday = Q(entry_month__lt=F("birth_month")) | Q(
        entry_month=F("birth_month"), entry_day__lt=F("birth_day")
    )
    age = (
        F("entry_year")
        - F("birth_year")
        - CaseWhen(When(before_birthday, then=Value(1)), default=Value(0))
    )
    return CaseWhen(
        When(newcomer__birth_date__isnull=True, then=Value("unknown")),
        When(Q(age_years__lt=18), then=Value("under_18")),
        When(Q(age_years__lt=30), then=Value("18_29")),
        When(Q(age_years__lt=55), then=Value("30_54")),
        default=Value("55_plus"),
        output_field=CharField(),
    ), age


def entering(scope: Scope, period: Period) -> QuerySet[Case]:
    """One row per participant entering (their first case at the center), annotated with
    `age_group` and `third_country`."""
    group, age = _age_group()
    return (
        first_cases(scope, period)
        .annotate(
            entry_year=ExtractYear("opened_at"),
            entry_month=ExtractMonth("opened_at"),
            entry_day=ExtractDay("opened_at"),
            birth_year=ExtractYear("newcomer__birth_date"),
            birth_month=ExtractMonth("newcomer__birth_date"),
            birth_day=ExtractDay("newcomer__birth_date"),
        )
        .annotate(age_years=age)
        .annotate(
            age_group=group,
            third_country=CaseWhen(
                When(
                    ~Q(newcomer__nationality="")
                    & ~Q(newcomer__nationality__in=FREE_MOVEMENT_COUNTRIES),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def leaving(scope: Scope, period: Period) -> QuerySet[ExitQuestionnaire]:
    exits = ExitQuestionnaire.objects.order_by().filter(
        left_on__gte=period.start, left_on__lte=period.end
    )
    if not scope.whole_center:
        exits = exits.filter(Exists(scope.cases().filter(newcomer=OuterRef("newcomer_id"))))
    return exits


ENTRY_GROUPING = (
    "newcomer__gender",
    "age_group",
    "newcomer__employment_status_on_entry",
    "newcomer__education_level",
    "third_country",
    "newcomer__foreign_background",
)
EXIT_GROUPING = (
    "newcomer__gender",
    "employment",
    "in_education_or_training",
    "qualification_gained",
)

PARTICIPANTS = _("Participants")
AGE = _("Age at entry")
EMPLOYMENT = _("Employment status on entry")
EDUCATION = _("Education (ISCED)")
OTHER = _("Further characteristics")
RESULTS = _("Results on leaving")


def _equals(field: str, value: object) -> Callable[[Group], bool]:
    return lambda group: group[field] == value


IN_EMPLOYMENT = (EmploymentOnLeaving.EMPLOYED, EmploymentOnLeaving.SELF_EMPLOYED)

ENTRY_INDICATORS: tuple[Indicator, ...] = (
    Indicator("participants", _("Participants entering"), PARTICIPANTS, lambda group: True),
    *(
        Indicator(f"age_{value}", label, AGE, _equals("age_group", value))
        for value, label in AGE_GROUPS
    ),
    *(
        Indicator(
            f"employment_{value}",
            label,
            EMPLOYMENT,
            _equals("newcomer__employment_status_on_entry", value),
        )
        for value, label in EmploymentStatus.choices
    ),
    *(
        Indicator(
            f"education_{value}", label, EDUCATION, _equals("newcomer__education_level", value)
        )
        for value, label in EducationLevel.choices
    ),
    Indicator("third_country", _("third-country nationals"), OTHER, _equals("third_country", True)),
    *(
        Indicator(
            f"foreign_background_{value}",
            format_lazy("{}: {}", _("foreign background"), label),
            OTHER,
            _equals("newcomer__foreign_background", value),
        )
        for value, label in ForeignBackground.choices
    ),
)

EXIT_INDICATORS: tuple[Indicator, ...] = (
    Indicator("leavers", _("Participants leaving"), RESULTS, lambda group: True),
    Indicator(
        "in_employment",
        _("in employment, including self-employment"),
        RESULTS,
        lambda group: group["employment"] in IN_EMPLOYMENT,
    ),
    Indicator(
        "self_employed",
        _("of whom self-employed"),
        RESULTS,
        _equals("employment", EmploymentOnLeaving.SELF_EMPLOYED),
    ),
    Indicator(
        "in_education",
        _("in education or training"),
        RESULTS,
        _equals("in_education_or_training", True),
    ),
    Indicator(
        "qualification",
        _("gained a qualification"),
        RESULTS,
        _equals("qualification_gained", True),
    ),
)


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    counts: tuple[int, ...]  # one per COLUMNS entry

    @property
    def total(self) -> int:
        return self.counts[0]


@dataclass(frozen=True)
class EsfReport:
    period: Period
    entries: list[Row]
    exits: list[Row]

    def row(self, key: str) -> Row:
        return next(row for row in self.entries + self.exits if row.indicator.key == key)

    def sections(self) -> Iterator[tuple[Promise, list[Row]]]:
        """The rows grouped under their section headings, in order."""
        current: Promise | None = None
        rows: list[Row] = []
        for row in self.entries + self.exits:
            if current is not None and row.indicator.section != current:
                yield current, rows
                rows = []
            current = row.indicator.section
            rows.append(row)
        if current is not None:
            yield current, rows


def _cross_table(
    queryset: QuerySet[Any], grouping: tuple[str, ...], indicators: tuple[Indicator, ...]
) -> list[Row]:
    """Count each combination of `grouping` in SQL, then add the groups up into one cell per
    indicator and gender column."""
    groups = list(queryset.values(*grouping).annotate(n=Count("pk")).order_by())
    genders = [value for value, _label in COLUMNS[1:]]
    rows = []
    for indicator in indicators:
        cells = [0] * len(COLUMNS)
        for group in groups:
            if indicator.applies(group):
                cells[0] += group["n"]
                cells[1 + genders.index(group["newcomer__gender"])] += group["n"]
        rows.append(Row(indicator, tuple(cells)))
    return rows


def esf_report(scope: Scope, period: Period) -> EsfReport:
    return EsfReport(
        period=period,
        entries=_cross_table(entering(scope, period), ENTRY_GROUPING, ENTRY_INDICATORS),
        exits=_cross_table(leaving(scope, period), EXIT_GROUPING, EXIT_INDICATORS),
    )


PARTICIPANT_FIELDS = (
    "newcomer__reference",
    "opened_at",
    "newcomer__gender",
    "age_group",
    "newcomer__employment_status_on_entry",
    "newcomer__education_level",
    "third_country",
    "newcomer__foreign_background",
    "newcomer__exit_questionnaire__left_on",
    "newcomer__exit_questionnaire__employment",
    "newcomer__exit_questionnaire__in_education_or_training",
    "newcomer__exit_questionnaire__qualification_gained",
)


def participant_header() -> tuple[str, ...]:
    return tuple(
        str(label)
        for label in (
            _("Reference"),
            _("Entry"),
            _("Gender"),
            _("Age group"),
            _("Employment status on entry"),
            _("Education"),
            _("Third-country national"),
            _("Foreign background"),
            _("Left on"),
            _("Employment on leaving"),
            _("In education or training on leaving"),
            _("Qualification gained"),
        )
    )


def participants(scope: Scope, period: Period) -> QuerySet[Case]:
    """The participant list behind the entries table: one row per participant entering, by
    reference (no names), with their results on leaving where recorded."""
    return entering(scope, period).order_by("opened_at", "pk").values_list(*PARTICIPANT_FIELDS)
