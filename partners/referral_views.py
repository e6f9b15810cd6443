"""The partner's side of a referral: the same page and actions by signed link (no account)
or, for partner users, from their own organisation's list. The partner sees the newcomer's
name, contact details and the request, never the rest of the file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from cases import referrals
from cases.forms import CompleteForm, DeclineForm, QuestionForm
from cases.models import Referral

ACTIONS = ("accept", "decline", "complete", "question")


def _forms(data: Any = None, action: str = "") -> dict[str, Form]:
    """One form per action; only the submitted one is bound."""
    return {
        "decline_form": DeclineForm(data if action == "decline" else None, prefix="decline"),
        "complete_form": CompleteForm(data if action == "complete" else None, prefix="complete"),
        "question_form": QuestionForm(data if action == "question" else None, prefix="question"),
    }


def _answer_page(
    request: HttpRequest,
    referral: Referral,
    *,
    by: User | None,
    name: str,
    back_url: str,
) -> HttpResponse:
    """GET shows the referral (and marks it opened); POST takes one action."""
    if request.method != "POST":
        referrals.mark_opened(referral, by=by, name=name)
        return _render(request, referral, _forms())
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return _render(request, referral, _forms(), status=400)
    forms = _forms(request.POST, action)
    form = forms.get(f"{action}_form")
    if form is not None and not form.is_valid():
        return _render(request, referral, forms, status=400)
    try:
        if action == "accept":
            referrals.accept(referral, by=by, name=name)
            messages.success(request, _("Thank you: the referral is accepted."))
        elif action == "decline":
            referrals.decline(referral, form.cleaned_data["reason"], by=by, name=name)  # type: ignore[union-attr]
            messages.success(request, _("The referral is declined. Thank you for telling us."))
        elif action == "complete":
            referrals.complete(referral, form.cleaned_data["answer"], by=by, name=name)  # type: ignore[union-attr]
            messages.success(request, _("Thank you: the referral is completed."))
        else:
            referrals.ask_question(referral, form.cleaned_data["text"], by=by, name=name)  # type: ignore[union-attr]
            messages.success(request, _("Your question was sent to the Welcome Center."))
    except referrals.ReferralClosed:
        messages.error(request, _("This referral is already closed; nothing was changed."))
        return _render(request, referral, _forms(), status=409)
    return redirect(back_url)


def _render(
    request: HttpRequest, referral: Referral, forms: dict[str, Form], status: int = 200
) -> HttpResponse:
    referral.refresh_from_db()
    context = {
        "referral": referral,
        "case": referral.case,
        "newcomer": referral.case.newcomer,
        "lotse": referral.case.owner or referral.created_by,
        "thread": referral.messages.select_related("author"),
        "is_open": referral.status in referrals.OPEN,
        **forms,
    }
    return render(request, "partners/referral_answer.html", context, status=status)


@login_not_required
def referral_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the link in the e-mail: works for that one referral, for a limited
    time, and only while the referral is open."""
    try:
        referral = referrals.referral_for_token(token)
    except referrals.LinkExpired:
        return render(
            request, "partners/referral_link_refused.html", {"reason": "expired"}, status=410
        )
    except referrals.LinkInvalid:
        return render(
            request, "partners/referral_link_refused.html", {"reason": "invalid"}, status=404
        )
    if referral.status not in referrals.OPEN or referral.case.newcomer.anonymised_at:
        # Closed: nothing more to do, and nothing more to show of the newcomer.
        return render(
            request,
            "partners/referral_link_refused.html",
            {"reason": "closed", "referral": referral},
            status=410,
        )
    name = referral.contact.name if referral.contact else referral.partner.name
    by = (
        request.user
        if request.user.is_authenticated and request.user.partner == referral.partner
        else None
    )
    return _answer_page(request, referral, by=by, name=name, back_url=request.path)


def _partner_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.partner is None:
        raise PermissionDenied
    return user


def partner_referrals(request: HttpRequest) -> HttpResponse:
    """A partner user's referrals: their own organisation's only, open ones first."""
    user = _partner_user(request)
    show = request.GET.get("show", "open")
    referrals_of_partner = Referral.objects.visible_to(user).select_related("case")
    if show == "closed":
        referrals_of_partner = referrals_of_partner.exclude(status__in=referrals.OPEN).order_by(
            "-closed_at", "-pk"
        )
    else:
        show = "open"
        referrals_of_partner = referrals_of_partner.filter(status__in=referrals.OPEN).order_by(
            "answer_by", "pk"
        )
    page = Paginator(referrals_of_partner, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/referral_list.html",
        {"page": page, "show": show, "partner": user.partner, "query": f"show={show}"},
    )


def partner_referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _partner_user(request)
    referral = get_object_or_404(
        Referral.objects.visible_to(user).select_related(
            "case__newcomer", "case__owner", "partner", "contact", "created_by"
        ),
        pk=pk,
    )
    if referral.case.newcomer.anonymised_at:
        raise PermissionDenied
    if referral.status not in referrals.OPEN and request.method == "POST":
        messages.error(request, _("This referral is already closed; nothing was changed."))
        return _render(request, referral, _forms(), status=409)
    return _answer_page(request, referral, by=user, name=str(user), back_url=request.path)
