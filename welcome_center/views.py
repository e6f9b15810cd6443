"""Project-level pages: the home page that each role lands on, and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from cases.views import staff_dashboard
from companies.views import company_home
from partners.views import partner_home


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """One address for everyone; what it shows depends on who asks."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home_public.html")
    if user.is_center_staff:
        return staff_dashboard(request)
    if user.role == Role.PARTNER:
        return partner_home(request)
    if user.role == Role.COMPANY:
        return company_home(request)
    return render(request, "home_public.html")
