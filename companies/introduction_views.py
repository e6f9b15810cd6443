"""Introductions: the Lotse's pages (propose, record agreement, record hire, withdraw) and the
company's list of introductions to its needs (show interest, decline). Every step is one
service call in companies/introductions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import require_center_staff
from companies import introductions
from companies.introduction_forms import HireForm, ProposeForm, ReasonForm
from companies.models import Company, Introduction, SkilledWorkerNeed
from migrants.models import LanguageSkill, Newcomer

# ---- the Lotse's side -----------------------------------------------------------------------


def introduction_propose(request: HttpRequest, pk: int, newcomer_pk: int) -> HttpResponse:
    """Propose a newcomer for the need `pk`; consent to share with the company comes first."""
    user = require_center_staff(request)
    need = get_object_or_404(
        SkilledWorkerNeed.objects.visible_to(user).select_related("company"), pk=pk
    )
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user), pk=newcomer_pk)
    consent = introductions.company_consent(newcomer, need.company)
    form = ProposeForm(request.POST or None, company=need.company, has_consent=consent is not None)
    context = {"need": need, "newcomer": newcomer, "consent": consent, "form": form}
    if request.method != "POST":
        return render(request, "companies/introduction_propose.html", context)
    if not form.is_valid():
        return render(request, "companies/introduction_propose.html", context, status=400)
    try:
        introduction = introductions.propose(
            need,
            newcomer,
            by=user,
            note=form.cleaned_data["note_to_company"],
            oral_consent_at=form.cleaned_data.get("oral_consent_at"),
        )
    except introductions.NotEligible:
        messages.error(
            request,
            _(
                "This newcomer cannot be proposed for this need (anonymised, no consent to "
                "processing, already proposed, or the need is closed)."
            ),
        )
        return redirect("need_matches", pk=need.pk)
    messages.success(
        request,
        _("Proposed to %(company)s. The company sees the profile without name or contact.")
        % {"company": need.company.name},
    )
    return redirect("introduction_detail", pk=introduction.pk)


def _staff_introduction(request: HttpRequest, pk: int) -> tuple[User, Introduction]:
    user = require_center_staff(request)
    introduction = get_object_or_404(
        Introduction.objects.visible_to(user).select_related(
            "need__company", "newcomer", "consent", "proposed_by"
        ),
        pk=pk,
    )
    return user, introduction


def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _user, introduction = _staff_introduction(request, pk)
    return render(
        request,
        "companies/introduction_detail.html",
        {
            "introduction": introduction,
            "hire_form": HireForm(initial={"start": introduction.need.start_date}),
            "reason_form": ReasonForm(),
        },
    )


def _step_refused(request: HttpRequest) -> None:
    messages.error(request, _("This step is not possible any more: the introduction moved on."))


@require_POST
def introduction_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    user, introduction = _staff_introduction(request, pk)
    try:
        introductions.record_agreement(introduction, by=user)
    except introductions.IntroductionError:
        _step_refused(request)
    else:
        messages.success(request, _("Agreement recorded: the company now sees name and contact."))
    return redirect("introduction_detail", pk=pk)


@require_POST
def introduction_hire(request: HttpRequest, pk: int) -> HttpResponse:
    user, introduction = _staff_introduction(request, pk)
    form = HireForm(request.POST)
    if not form.is_valid():
        context = {"introduction": introduction, "hire_form": form, "reason_form": ReasonForm()}
        return render(request, "companies/introduction_detail.html", context, status=400)
    try:
        introductions.record_hire(introduction, start=form.cleaned_data["start"], by=user)
    except introductions.IntroductionError:
        _step_refused(request)
    else:
        messages.success(request, _("Hire recorded."))
    return redirect("introduction_detail", pk=pk)


@require_POST
def introduction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user, introduction = _staff_introduction(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        introductions.withdraw(introduction, by=user, reason=reason)
    except introductions.IntroductionError:
        _step_refused(request)
    else:
        messages.success(request, _("The introduction is withdrawn."))
    return redirect("introduction_detail", pk=pk)


# ---- the company's side ---------------------------------------------------------------------


def _company_user(request: HttpRequest) -> tuple[User, Company]:
    """Users of an approved company; a pending company sees only its registration."""
    user: User = request.user  # type: ignore[assignment]
    company = user.company
    if company is None or company.status != Company.Status.APPROVED:
        raise PermissionDenied
    return user, company


def company_introductions(request: HttpRequest) -> HttpResponse:
    user, company = _company_user(request)
    shown = (
        introductions.shown_to_company(user)
        .select_related("need", "newcomer")
        .prefetch_related(
            Prefetch("newcomer__languages", queryset=LanguageSkill.objects.order_by("language")),
            "newcomer__qualifications",
        )
        .order_by("-proposed_at", "-pk")
    )
    rows = [
        (introduction, introductions.anonymised_profile(introduction)) for introduction in shown
    ]
    return render(
        request,
        "companies/introduction_list.html",
        {"company": company, "rows": rows, "reason_form": ReasonForm()},
    )


def _company_introduction(request: HttpRequest, pk: int) -> tuple[User, Introduction]:
    user, _company = _company_user(request)
    introduction = get_object_or_404(
        introductions.shown_to_company(user).select_related(
            "need__company", "newcomer", "proposed_by"
        ),
        pk=pk,
    )
    return user, introduction


@require_POST
def company_introduction_interest(request: HttpRequest, pk: int) -> HttpResponse:
    user, introduction = _company_introduction(request, pk)
    try:
        introductions.show_interest(introduction, by=user)
    except introductions.IntroductionError:
        _step_refused(request)
    else:
        messages.success(
            request,
            _(
                "Thank you. The Welcome Center asks the candidate; once they agree you see "
                "their name and contact here."
            ),
        )
    return redirect("company_introductions")


@require_POST
def company_introduction_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user, introduction = _company_introduction(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        introductions.decline(introduction, by=user, reason=reason)
    except introductions.IntroductionError:
        _step_refused(request)
    else:
        messages.success(request, _("You declined this profile. The Welcome Center is told."))
    return redirect("company_introductions")
