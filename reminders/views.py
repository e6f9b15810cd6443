"""Each person's reminders, and the head's page for the rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import require_head
from reminders import services
from reminders.forms import ReminderRulesForm
from reminders.models import Reminder, ReminderRules

PAGE_SIZE = 50


def my_reminders(request: HttpRequest) -> HttpResponse:
    """Every logged-in user: the reminders the sweep sent them, newest first."""
    reminders = Reminder.objects.for_user(request.user).only(
        "rule", "period", "newcomer_id", "reference", "due_on", "created_at"
    )
    page = Paginator(reminders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reminders/my_reminders.html", {"page": page})


def reminder_settings(request: HttpRequest) -> HttpResponse:
    user = require_head(request)
    rules = ReminderRules.current()
    form = ReminderRulesForm(request.POST or None, instance=rules)
    if request.method == "POST":
        if form.is_valid():
            services.change_rules(form, by=user)
            messages.success(request, _("The reminder rules are saved."))
            return redirect("reminder_settings")
        messages.error(request, _("The rules were not saved. Please correct the marked fields."))
        status = 400
    else:
        status = 200
    return render(request, "reminders/settings.html", {"form": form, "rules": rules}, status=status)
