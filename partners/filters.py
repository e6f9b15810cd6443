"""The directory's filters, all in the URL so that a list can be bookmarked and shared."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Category
from partners.models import Partner, PartnerService, PartnerType

INACTIVE, ALL = "inactive", "all"

# Columns the directory can be sorted by: URL name -> ORDER BY field.
SORTABLE = {
    "name": "name",
    "city": "city",
    "response": "response_days",
    "open": "open_referrals",
}


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), field_name="name", lookup_expr="icontains", max_length=200
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=PartnerType.choices, empty_label=_("any")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category served"),
        choices=Category.choices,
        method="filter_category",
        empty_label=_("any"),
    )
    # Empty means active partners only: deactivated ones are kept for their referrals'
    # history, not offered for new work.
    show = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[(INACTIVE, _("deactivated partners")), (ALL, _("all partners"))],
        method="filter_show",
        empty_label=_("active partners"),
    )
    sort = django_filters.OrderingFilter(
        fields=[(field, name) for name, field in SORTABLE.items()], label=_("Sort by")
    )

    class Meta:
        model = Partner
        fields: list[str] = []

    def filter_category(
        self, queryset: QuerySet[Partner], name: str, value: str
    ) -> QuerySet[Partner]:
        # EXISTS rather than a join: a join could repeat rows and would skew the annotations.
        serves = PartnerService.objects.filter(partner=OuterRef("pk"), category=value)
        return queryset.filter(Exists(serves))

    def filter_show(self, queryset: QuerySet[Partner], name: str, value: str) -> QuerySet[Partner]:
        return queryset.filter(is_active=False) if value == INACTIVE else queryset

    def filter_queryset(self, queryset: QuerySet[Partner]) -> Any:
        # django-filter skips a filter whose value is empty, so the default is applied here.
        if not self.form.cleaned_data.get("show"):
            queryset = queryset.filter(is_active=True)
        return super().filter_queryset(queryset)
