from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from cases.models import Referral


def partner_home(request: HttpRequest) -> HttpResponse:
    """A partner user's home: the referrals sent to their organisation that await an answer."""
    user: User = request.user  # type: ignore[assignment]
    referrals = (
        Referral.objects.visible_to(user)
        .awaiting_answer()
        .select_related("case", "case__newcomer")
        .order_by("answer_by")[:50]
    )
    return render(request, "partners/home.html", {"partner": user.partner, "referrals": referrals})
