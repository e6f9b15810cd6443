from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from companies.models import SkilledWorkerNeed


def company_home(request: HttpRequest) -> HttpResponse:
    """A company user's home: their company's state and its skilled-worker needs."""
    user: User = request.user  # type: ignore[assignment]
    needs = SkilledWorkerNeed.objects.visible_to(user).order_by("start_date")[:50]
    return render(request, "companies/home.html", {"company": user.company, "needs": needs})
