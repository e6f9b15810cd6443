"""The Lotsen's matching pages: newcomers for a need, needs for a newcomer, ranked with reasons
(companies/matching.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import require_center_staff
from companies import matching
from companies.introductions import RUNNING
from companies.models import Company, SkilledWorkerNeed
from migrants.models import Newcomer
from welcome_center import audit

MATCHES_PER_PAGE = 25


def need_matches(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_center_staff(request)
    need = get_object_or_404(
        SkilledWorkerNeed.objects.visible_to(user).select_related("company"), pk=pk
    )
    page = Paginator(matching.newcomers_for(need), MATCHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    prefetch_related_objects(rows, "qualifications")
    introductions = need.introductions.select_related("newcomer").order_by("-proposed_at")
    return render(
        request,
        "companies/matching_need.html",
        {
            "need": need,
            "page": page,
            "rows": [(row, matching.reasons(row)) for row in rows],
            "introductions": introductions,
            "can_propose": _open_for_proposals(need),
        },
    )


def newcomer_matches(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_center_staff(request)
    newcomer = get_object_or_404(
        Newcomer.objects.visible_to(user).prefetch_related("qualifications"), pk=pk
    )
    audit.record_read(newcomer, by=user)
    eligible = matching.eligible_newcomers().filter(pk=newcomer.pk).exists()
    needs = matching.needs_for(newcomer) if eligible else SkilledWorkerNeed.objects.none()
    page = Paginator(needs, MATCHES_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    return render(
        request,
        "companies/matching_newcomer.html",
        {
            "newcomer": newcomer,
            "eligible": eligible,
            "page": page,
            "rows": [(row, matching.reasons(row)) for row in rows],
            "introductions": newcomer.introductions.filter(status__in=RUNNING).select_related(
                "need__company"
            ),
        },
    )


def _open_for_proposals(need: SkilledWorkerNeed) -> bool:
    return need.company.status == Company.Status.APPROVED and need.status in (
        SkilledWorkerNeed.Status.OPEN,
        SkilledWorkerNeed.Status.IN_PROGRESS,
    )
