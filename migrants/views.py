from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from cases.models import Case
from migrants import ratelimit, services
from migrants.consent import RETENTION_MONTHS
from migrants.forms import IntakeForm
from migrants.models import IntakeLanguage, Newcomer

INTAKE_SCOPE = "intake"
CONFIRMATION_SALT = "migrants.intake_done"
CONFIRMATION_MAX_AGE = 24 * 60 * 60


def _require_center_staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_center_staff:
        raise PermissionDenied
    return user


@login_not_required
def intake(request: HttpRequest) -> HttpResponse:
    """The public intake form: no account, in the newcomer's language, works without JS."""
    form = IntakeForm(request.POST or None, request.FILES or None)
    context = {"form": form, "retention_months": RETENTION_MONTHS}
    limit = settings.INTAKE_RATE_LIMIT
    if request.method == "POST" and ratelimit.is_limited(INTAKE_SCOPE, request, limit):
        # The form comes back filled in, so nothing typed is lost; only sending must wait.
        context["rate_limited"] = True
        return render(request, "migrants/intake.html", context, status=429)
    if request.method == "POST":
        if form.is_bot():
            # Look like success, store nothing: a bot learns nothing from the answer.
            ratelimit.count(INTAKE_SCOPE, request)
            return _redirect_to_confirmation("")
        if form.is_valid():
            newcomer = services.submit_intake(form, language=_intake_language())
            ratelimit.count(INTAKE_SCOPE, request)
            return _redirect_to_confirmation(newcomer.reference)
        status = 400
    else:
        status = 200
    return render(request, "migrants/intake.html", context, status=status)


def _intake_language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in IntakeLanguage.values else settings.LANGUAGE_CODE


def _redirect_to_confirmation(reference: str) -> HttpResponse:
    # The reference travels signed in the address rather than in a session: no session row for
    # an anonymous visitor, and nobody can make the page show a reference that is not theirs.
    token = signing.dumps(reference, salt=CONFIRMATION_SALT)
    return redirect(f"{reverse('intake_done')}?{urlencode({'t': token})}")


@login_not_required
def intake_done(request: HttpRequest) -> HttpResponse:
    try:
        reference = signing.loads(
            request.GET.get("t", ""), salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE
        )
    except signing.BadSignature:
        return redirect("intake")
    return render(request, "migrants/intake_done.html", {"reference": reference})


def triage(request: HttpRequest) -> HttpResponse:
    """Intakes no Lotse has taken yet, oldest first."""
    _require_center_staff(request)
    newcomers = (
        Newcomer.objects.visible_to(request.user)
        .awaiting_triage()
        .select_related("possible_duplicate_of")
        .prefetch_related(Prefetch("cases", queryset=Case.objects.order_by("category")))
        .order_by("intake_submitted_at", "pk")
    )
    page = Paginator(newcomers, 25).get_page(request.GET.get("page"))
    lotsen = User.objects.center_staff() if request.user.is_head else User.objects.none()
    return render(request, "migrants/triage.html", {"page": page, "lotsen": lotsen})


@require_POST
def triage_claim(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require_center_staff(request)
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user).awaiting_triage(), pk=pk)
    owner = user
    if "owner" in request.POST:
        if not user.is_head:
            raise PermissionDenied
        owner = get_object_or_404(User.objects.center_staff(), pk=request.POST.get("owner") or 0)
    count = services.assign_intake(newcomer, owner=owner, by=user)
    messages.success(
        request,
        ngettext(
            "%(owner)s now owns %(count)d case of %(reference)s.",
            "%(owner)s now owns %(count)d cases of %(reference)s.",
            count,
        )
        % {"owner": owner, "count": count, "reference": newcomer.reference},
    )
    return redirect("triage")


def duplicate_compare(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require_center_staff(request)
    newcomer = get_object_or_404(
        Newcomer.objects.visible_to(user).filter(possible_duplicate_of__isnull=False), pk=pk
    )
    original = newcomer.possible_duplicate_of
    return render(request, "migrants/duplicate.html", {"newcomer": newcomer, "original": original})


@require_POST
def duplicate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require_center_staff(request)
    newcomer = get_object_or_404(
        Newcomer.objects.visible_to(user).filter(possible_duplicate_of__isnull=False), pk=pk
    )
    original = services.merge_newcomers(newcomer, into=newcomer.possible_duplicate_of, by=user)
    messages.success(
        request,
        _("The records were merged into %(reference)s.") % {"reference": original.reference},
    )
    return redirect("triage")


@require_POST
def duplicate_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require_center_staff(request)
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user), pk=pk)
    services.dismiss_duplicate(newcomer)
    messages.success(request, _("Marked as not a duplicate."))
    return redirect("triage")
