from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from cases.models import OPEN_STATUSES, Case, FollowUp, Referral, Status
from migrants.models import Newcomer


def staff_dashboard(request: HttpRequest) -> HttpResponse:
    """The Lotse's home page: their open cases by status and what waits for the center.
    The head sees the same and each Lotse's caseload, so work can be rebalanced."""
    user: User = request.user  # type: ignore[assignment]
    mine = Case.objects.visible_to(user).open().owned_by(user)
    by_status = dict(mine.values_list("status").annotate(n=Count("pk")).order_by())
    context = {
        "my_cases_by_status": [
            (label, by_status[value]) for value, label in Status.choices if value in by_status
        ],
        "my_open_total": sum(by_status.values()),
        "follow_ups_due": FollowUp.objects.visible_to(user).due().filter(assignee=user).count(),
        "awaiting_triage": Newcomer.objects.visible_to(user).awaiting_triage().count(),
        "overdue_referrals": Referral.objects.visible_to(user)
        .overdue()
        .filter(case__owner=user)
        .count(),
    }
    if user.is_head:
        context["caseload"] = User.objects.center_staff().annotate(
            open_cases=Count("owned_cases", filter=Q(owned_cases__status__in=OPEN_STATUSES))
        )
    return render(request, "cases/dashboard.html", context)
