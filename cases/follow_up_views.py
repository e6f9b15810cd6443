"""A Lotse's own follow-ups across all cases: overdue, today, the rest of this week."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import require_center_staff
from cases import services
from cases.forms import MoveFollowUpForm
from cases.models import FollowUp
from cases.views import _back

# More than this in one section means the list is a backlog, not a day's work: the rest is
# reached from the case list's "overdue follow-up" filter.
SECTION_LIMIT = 100


def follow_up_list(request: HttpRequest) -> HttpResponse:
    user = require_center_staff(request)
    return _render_list(request, user)


def _render_list(
    request: HttpRequest,
    user: User,
    *,
    failed: FollowUp | None = None,
    form: MoveFollowUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    end_of_week = today + timedelta(days=6 - today.weekday())
    mine = (
        FollowUp.objects.visible_to(user)
        .pending()
        .filter(assignee=user, due_on__lte=end_of_week)
        .select_related("case__newcomer")
        .order_by("due_on", "pk")
    )
    sections = [
        ("overdue", _("Overdue"), list(mine.filter(due_on__lt=today)[:SECTION_LIMIT])),
        ("today", _("Today"), list(mine.filter(due_on=today)[:SECTION_LIMIT])),
        (
            "week",
            _("Later this week"),
            list(mine.filter(due_on__gt=today)[:SECTION_LIMIT]),
        ),
    ]
    return render(
        request,
        "cases/follow_up_list.html",
        {"sections": sections, "today": today, "failed": failed, "failed_form": form},
        status=status,
    )


@require_POST
def follow_up_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_center_staff(request)
    follow_up = get_object_or_404(FollowUp.objects.visible_to(user).select_related("case"), pk=pk)
    form = MoveFollowUpForm(request.POST)
    if not form.is_valid():
        # The list again, the error at the follow-up's own date field.
        return _render_list(request, user, failed=follow_up, form=form, status=400)
    if services.move_follow_up(follow_up, form.cleaned_data["due_on"], by=user):
        messages.success(
            request,
            _("Follow-up moved to %(date)s.")
            % {"date": formats.date_format(follow_up.due_on, "SHORT_DATE_FORMAT")},
        )
    else:
        messages.error(request, _("This follow-up is already done."))
    return _back(request, reverse("follow_up_list"))
