"""The case list's filters, all in the URL so a list can be bookmarked and shared."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import User
from cases.models import OPEN_STATUSES, Case, Category, FollowUp, Priority, Referral, Status
from cases.search import search_cases
from migrants.models import ArrivalChecklistEntry, KindOfArrival, Newcomer, ResidencePermit
from partners.models import Partner
from welcome_center.widgets import Select

PERMIT_WARNING_DAYS = 90
OPEN = "open"
STATUS_CHOICES = [(OPEN, _("all open")), *Status.choices]
MINE = "me"
UNASSIGNED = "none"

# Columns a list can be sorted by: URL name -> ORDER BY field(s).
SORTABLE = {
    "reference": "reference",
    "newcomer": "newcomer__last_name",
    "category": "category",
    "status": "status",
    "owner": "owner__full_name",
    "priority": "priority",
    "opened": "opened_at",
    "activity": "last_activity_at",
    "next_follow_up": "next_follow_up",
}


# What needs attention on a case. The list's filters and the dashboard's counts use the same
# conditions, so that a count and the list behind its link always agree.
def follow_up_due_on(day: date) -> Exists:
    return Exists(FollowUp.objects.pending().filter(case=OuterRef("pk"), due_on=day))


def follow_up_overdue(today: date) -> Exists:
    return Exists(FollowUp.objects.pending().filter(case=OuterRef("pk"), due_on__lt=today))


def referral_overdue(today: date) -> Exists:
    return Exists(Referral.objects.overdue(today).filter(case=OuterRef("pk")))


def expiring_permits(today: date) -> QuerySet[ResidencePermit]:
    return ResidencePermit.objects.filter(
        renewal_applied_on__isnull=True,
        expires_on__range=(today, today + timedelta(days=PERMIT_WARNING_DAYS)),
    )


def overdue_checklist_items(today: date) -> QuerySet[ArrivalChecklistEntry]:
    return ArrivalChecklistEntry.objects.filter(done_on__isnull=True, due_on__lt=today)


def permit_expiring(today: date) -> Exists:
    return Exists(expiring_permits(today).filter(newcomer=OuterRef("newcomer")))


def checklist_overdue(today: date) -> Exists:
    return Exists(overdue_checklist_items(today).filter(newcomer=OuterRef("newcomer")))


class CaseOrdering(django_filters.OrderingFilter):
    """Sorting by the next follow-up (an annotation of the list's rows) puts the cases without
    one last in both directions: nothing is due on them, and SQLite and PostgreSQL would
    otherwise disagree on where they go."""

    def get_ordering_value(self, param: str) -> str | OrderBy:  # type: ignore[override]
        value: str = super().get_ordering_value(param)
        if value.lstrip("-") != "next_follow_up":
            return value
        if value.startswith("-"):
            return F("next_follow_up").desc(nulls_last=True)
        return F("next_follow_up").asc(nulls_last=True)


class CaseFilter(django_filters.FilterSet):
    # The selects use welcome_center.widgets.Select: same markup as Django's, rendered in
    # Python, because the list renders them on every page.
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    status = django_filters.ChoiceFilter(
        widget=Select,
        label=_("Status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=_("any"),
    )
    category = django_filters.ChoiceFilter(
        widget=Select, label=_("Category"), choices=Category.choices, empty_label=_("any")
    )
    owner = django_filters.ChoiceFilter(
        widget=Select, label=_("Owner"), method="filter_owner", empty_label=_("anyone")
    )
    partner = django_filters.ModelChoiceFilter(
        widget=Select,
        label=_("Referred to partner"),
        # The names are all the select shows; whole rows would parse every phone number.
        queryset=Partner.objects.only("name"),
        method="filter_partner",
        empty_label=_("any"),
    )
    due_today = django_filters.BooleanFilter(
        label=_("Follow-up due today"),
        method="filter_due_today",
        widget=forms.CheckboxInput,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Follow-up overdue"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    referral_overdue = django_filters.BooleanFilter(
        label=_("Partner's answer overdue"),
        method="filter_referral_overdue",
        widget=forms.CheckboxInput,
    )
    permit_expiring = django_filters.BooleanFilter(
        label=_("Residence permit expires within 90 days"),
        method="filter_permit_expiring",
        widget=forms.CheckboxInput,
    )
    checklist_overdue = django_filters.BooleanFilter(
        label=_("Arrival checklist item overdue"),
        method="filter_checklist_overdue",
        widget=forms.CheckboxInput,
    )
    priority = django_filters.ChoiceFilter(
        widget=Select, label=_("Priority"), choices=Priority.choices, empty_label=_("any")
    )
    opened = django_filters.DateFromToRangeFilter(
        label=_("Opened between"),
        field_name="opened_at__date",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    kind_of_arrival = django_filters.ChoiceFilter(
        widget=Select,
        label=_("Kind of arrival"),
        field_name="newcomer__kind_of_arrival",
        choices=KindOfArrival.choices,
        empty_label=_("any"),
    )
    country = django_filters.ChoiceFilter(
        widget=Select,
        label=_("Country of origin"),
        field_name="newcomer__country_of_origin",
        choices=lambda: origin_country_choices(),
        empty_label=_("any"),
    )
    sort = CaseOrdering(
        fields=[(field, name) for name, field in SORTABLE.items()],
        label=_("Sort by"),
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, user: User, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        """`staff` is cases.forms.staff_choices(), which the view reads once for this filter
        and the list's bulk form."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["owner"].extra["choices"] = [
            (MINE, _("me")),
            (UNASSIGNED, _("nobody (not yet triaged)")),
            *[(str(pk), full_name) for pk, full_name in staff],
        ]

    def filter_search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return search_cases(queryset, value)

    def filter_status(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_owner(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == MINE:
            return queryset.filter(owner=self.user)
        if value == UNASSIGNED:
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner_id=value)

    def filter_partner(self, queryset: QuerySet[Case], name: str, value: Partner) -> QuerySet[Case]:
        return queryset.filter(Exists(Referral.objects.filter(case=OuterRef("pk"), partner=value)))

    def filter_due_today(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        return queryset.filter(follow_up_due_on(timezone.localdate())) if value else queryset

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        return queryset.filter(follow_up_overdue(timezone.localdate())) if value else queryset

    def filter_referral_overdue(
        self, queryset: QuerySet[Case], name: str, value: bool
    ) -> QuerySet[Case]:
        return queryset.filter(referral_overdue(timezone.localdate())) if value else queryset

    def filter_permit_expiring(
        self, queryset: QuerySet[Case], name: str, value: bool
    ) -> QuerySet[Case]:
        return queryset.filter(permit_expiring(timezone.localdate())) if value else queryset

    def filter_checklist_overdue(
        self, queryset: QuerySet[Case], name: str, value: bool
    ) -> QuerySet[Case]:
        return queryset.filter(checklist_overdue(timezone.localdate())) if value else queryset


ORIGINS_CACHE_SECONDS = 10 * 60


def origin_country_choices() -> list[tuple[str, str]]:
    """The countries newcomers come from, not all 250: a shorter list to scan, and a page that
    renders far faster. The codes are cached for a few minutes (an index-only scan each)."""
    codes = cache.get_or_set(
        "cases:origin-countries",
        lambda: sorted(
            Newcomer.objects.order_by()
            .exclude(country_of_origin="")
            .values_list("country_of_origin", flat=True)
            .distinct()
        ),
        ORIGINS_CACHE_SECONDS,
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


# What an empty list address means: the Lotse's own open cases.
DEFAULT_FILTERS = {"owner": MINE, "status": OPEN}
