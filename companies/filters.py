"""The Lotse's company list: its rows and its filters, all in the URL so that a list can be
bookmarked and shared."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from companies.models import Company, Sector, ServiceRequest, SkilledWorkerNeed

OPEN_NEEDS = [SkilledWorkerNeed.Status.OPEN, SkilledWorkerNeed.Status.IN_PROGRESS]
OPEN_REQUESTS = [ServiceRequest.Status.NEW, ServiceRequest.Status.IN_PROGRESS]


def _count(model: type[SkilledWorkerNeed] | type[ServiceRequest], statuses: list[Any]) -> Coalesce:
    """A correlated COUNT per company: two of them do not multiply each other as two joins
    would."""
    rows = (
        model.objects.filter(company=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def company_rows(user: User) -> QuerySet[Company]:
    """Pending registrations first (they wait for a decision), then companies with open
    needs, then the rest; by name within each."""
    return (
        Company.objects.visible_to(user)
        .annotate(
            open_needs=_count(SkilledWorkerNeed, OPEN_NEEDS),
            open_requests=_count(ServiceRequest, OPEN_REQUESTS),
        )
        .annotate(
            rank=Case(
                When(status=Company.Status.PENDING, then=Value(0)),
                When(open_needs__gt=0, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "name", "pk")
    )


YES, NO = "yes", "no"


class CompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), field_name="name", lookup_expr="icontains", max_length=200
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Company.Status.choices, empty_label=_("any")
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=Sector.choices, empty_label=_("any")
    )
    open_needs = django_filters.ChoiceFilter(
        label=_("Open needs"),
        choices=[(YES, _("with open needs")), (NO, _("without open needs"))],
        method="filter_open_needs",
        empty_label=_("any"),
    )

    class Meta:
        model = Company
        fields: list[str] = []

    def filter_open_needs(
        self, queryset: QuerySet[Company], name: str, value: str
    ) -> QuerySet[Company]:
        if value == YES:
            return queryset.filter(open_needs__gt=0)  # type: ignore[misc]  # an annotation
        return queryset.filter(open_needs=0)  # type: ignore[misc]
