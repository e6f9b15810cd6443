"""The Lotse's side of referrals: refer a case, answer a partner's question, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import referrals
from cases.forms import ReferralAnswerForm, ReferralForm
from cases.models import Referral
from cases.views import _get_case


def case_referral(request: HttpRequest, reference: str) -> HttpResponse:
    """Refer the case to a partner; without consent to share, the Lotse records oral consent."""
    user, case = _get_case(request, reference)
    if case.newcomer.anonymised_at is not None:
        messages.error(request, _("This newcomer is anonymised: nothing can be shared."))
        return redirect("case_detail", reference=case.reference)
    consent = referrals.sharing_consent(case.newcomer)
    form = ReferralForm(request.POST or None, case=case, has_consent=consent is not None)
    context = {"case": case, "form": form, "consent": consent}
    if request.method != "POST":
        return render(request, "cases/referral_form.html", context)
    if not form.is_valid():
        return render(request, "cases/referral_form.html", context, status=400)
    partner = form.cleaned_data["partner"]
    answer_by = form.cleaned_data["answer_by"] or referrals.default_answer_by(partner)
    referral = referrals.send_referral(
        case,
        partner=partner,
        contact=partner.contacts.filter(is_primary=True).first() or partner.contacts.first(),
        request=form.cleaned_data["request"],
        answer_by=answer_by,
        by=user,
        oral_consent_at=form.cleaned_data.get("oral_consent_at"),
    )
    messages.success(
        request,
        _("Referral sent to %(partner)s; answer expected by %(date)s.")
        % {
            "partner": referral.partner,
            "date": formats.date_format(referral.answer_by, "SHORT_DATE_FORMAT"),
        },
    )
    return redirect("case_detail", reference=case.reference)


def _get_referral(request: HttpRequest, reference: str, pk: int) -> tuple[object, Referral]:
    user, case = _get_case(request, reference)
    referral = get_object_or_404(
        Referral.objects.visible_to(user).select_related("case__owner", "partner", "contact"),
        pk=pk,
        case=case,
    )
    return user, referral


@require_POST
def referral_answer(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    user, referral = _get_referral(request, reference, pk)
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write an answer."))
        return redirect("case_detail", reference=reference)
    try:
        referrals.answer_question(referral, form.cleaned_data["text"], by=user)  # type: ignore[arg-type]
    except referrals.ReferralClosed:
        messages.error(request, _("This referral is closed."))
        return redirect("case_detail", reference=reference)
    messages.success(
        request, _("Your answer was sent to %(partner)s.") % {"partner": referral.partner}
    )
    return redirect("case_detail", reference=reference)


@require_POST
def referral_withdraw(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    user, referral = _get_referral(request, reference, pk)
    try:
        referrals.withdraw(referral, by=user)  # type: ignore[arg-type]
    except referrals.ReferralClosed:
        messages.error(request, _("This referral is closed."))
        return redirect("case_detail", reference=reference)
    messages.success(request, _("The referral is withdrawn."))
    return redirect("case_detail", reference=reference)
