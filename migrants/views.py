from dataclasses import dataclass
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import require_center_staff
from cases.models import Case
from migrants import history, ratelimit, services
from migrants.consent import RETENTION_MONTHS
from migrants.forms import (
    HouseholdMemberForm,
    IntakeForm,
    LanguageSkillForm,
    NewcomerForm,
    QualificationForm,
    ResidencePermitForm,
)
from migrants.models import (
    ArrivalChecklistEntry,
    HouseholdMember,
    IntakeLanguage,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
)
from welcome_center import audit

INTAKE_SCOPE = "intake"
CONFIRMATION_SALT = "migrants.intake_done"
CONFIRMATION_MAX_AGE = 24 * 60 * 60


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
    require_center_staff(request)
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
    user = require_center_staff(request)
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user).awaiting_triage(), pk=pk)
    owner = user
    if "owner" in request.POST:
        if not user.is_head:
            raise PermissionDenied
        # A person's id or nothing: junk would make the lookup itself fail (a 500).
        owner_pk = request.POST.get("owner", "")
        owner = get_object_or_404(
            User.objects.center_staff(), pk=owner_pk if owner_pk.isdecimal() else 0
        )
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
    user = require_center_staff(request)
    newcomer = get_object_or_404(
        Newcomer.objects.visible_to(user).filter(possible_duplicate_of__isnull=False), pk=pk
    )
    original = newcomer.possible_duplicate_of
    return render(request, "migrants/duplicate.html", {"newcomer": newcomer, "original": original})


@require_POST
def duplicate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_center_staff(request)
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
    user = require_center_staff(request)
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user), pk=pk)
    services.dismiss_duplicate(newcomer)
    messages.success(request, _("Marked as not a duplicate."))
    return redirect("triage")


# ---- the newcomer file --------------------------------------------------------------------


def _get_newcomer(request: HttpRequest, pk: int, *, edit: bool = False) -> tuple[User, Newcomer]:
    user = require_center_staff(request)
    newcomers = Newcomer.objects.visible_to(user).select_related(
        "possible_duplicate_of", "target_company"
    )
    if edit:
        # An anonymised record stays anonymous: nobody writes personal data into it again.
        newcomers = newcomers.not_anonymised()
    return user, get_object_or_404(newcomers, pk=pk)


def newcomer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, newcomer = _get_newcomer(request, pk)
    audit.record_read(newcomer, by=user)
    context = {
        "newcomer": newcomer,
        "cases": newcomer.cases.select_related("owner").order_by("-opened_at"),
        "household": newcomer.household.all(),
        "languages": newcomer.languages.all(),
        "qualifications": newcomer.qualifications.select_related("competent_authority"),
        "permits": newcomer.residence_permits.all(),
        "checklist": newcomer.checklist.select_related("done_by"),
        "consents": newcomer.consents.select_related("recorded_by"),
        "documents": newcomer.documents.all(),
    }
    return render(request, "migrants/newcomer_detail.html", context)


# The rows that make up a newcomer's file: their changes are the file's history.
FILE_PARTS = (
    Newcomer,
    HouseholdMember,
    LanguageSkill,
    Qualification,
    ResidencePermit,
    ArrivalChecklistEntry,
)


def newcomer_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what in the newcomer's file, from what to what: the record itself and the
    rows that hang off it (household, languages, qualifications, permits, checklist ticks).
    Rows the intake stored are not changes; rows a Lotse added or removed are."""
    user, newcomer = _get_newcomer(request, pk)
    audit.record_read(newcomer, by=user)
    parts = ContentType.objects.get_for_models(*FILE_PARTS)
    entries = (
        # additional_data holds the newcomer of every entry (an indexed lookup): see
        # Newcomer.get_additional_data.
        LogEntry.objects.filter(
            additional_data__newcomer=newcomer.pk, content_type__in=parts.values()
        )
        .filter(
            Q(action=LogEntry.Action.UPDATE)
            | Q(action__in=[LogEntry.Action.CREATE, LogEntry.Action.DELETE], actor__isnull=False)
        )
        # The record's own creation is the intake (or the Lotse's entry), not a change.
        .exclude(action=LogEntry.Action.CREATE, content_type=parts[Newcomer])
        # changes_display_dict reads each entry's content type: joined, not one query per row.
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    history.attach_changes(page.object_list)
    return render(request, "migrants/newcomer_history.html", {"newcomer": newcomer, "page": page})


def newcomer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, newcomer = _get_newcomer(request, pk, edit=True)
    form = NewcomerForm(request.POST or None, instance=newcomer)
    if request.method == "GET":
        audit.record_read(newcomer, by=user)  # the form shows the whole record
    if request.method == "POST":
        if form.is_valid():
            services.update_newcomer(form.instance, by=user)
            messages.success(request, _("Changes saved."))
            return redirect("newcomer_detail", pk=newcomer.pk)
        return render(
            request, "migrants/newcomer_form.html", {"form": form, "newcomer": newcomer}, status=400
        )
    return render(request, "migrants/newcomer_form.html", {"form": form, "newcomer": newcomer})


@dataclass(frozen=True)
class FilePart:
    """A kind of row that belongs to a newcomer's file and is edited on a page of its own."""

    rows: str  # the newcomer's related manager
    form: type[ModelForm]
    title: Promise
    anchor: str  # the file's section to go back to


HOUSEHOLD = FilePart(
    "household", HouseholdMemberForm, gettext_lazy("Household member"), "household"
)
LANGUAGES = FilePart("languages", LanguageSkillForm, gettext_lazy("Language"), "languages")
PERMITS = FilePart(
    "residence_permits", ResidencePermitForm, gettext_lazy("Residence permit"), "residence"
)
QUALIFICATIONS = FilePart(
    "qualifications",
    QualificationForm,
    gettext_lazy("Qualification and recognition"),
    "recognition",
)


def _edit_row(request: HttpRequest, pk: int, row_pk: int | None, part: FilePart) -> HttpResponse:
    """Add (row_pk None) or change one row of a newcomer's file; the row is looked up among the
    newcomer's own, so another newcomer's id is a 404. The audit trail keeps who changed what
    from what to what."""
    user, newcomer = _get_newcomer(request, pk, edit=True)
    rows = getattr(newcomer, part.rows)
    instance = (
        rows.model(newcomer=newcomer) if row_pk is None else get_object_or_404(rows, pk=row_pk)
    )
    form = part.form(request.POST or None, instance=instance)
    context = {"form": form, "newcomer": newcomer, "title": part.title}
    if request.method != "POST":
        if row_pk is not None:
            audit.record_read(newcomer, by=user)  # the form shows one of their rows
        return render(request, "migrants/related_form.html", context)
    if not form.is_valid():
        return render(request, "migrants/related_form.html", context, status=400)
    try:
        with transaction.atomic():
            form.save()
            if part is HOUSEHOLD:
                # A child added or born in another year: the Kita or school item follows.
                services.ensure_checklist(newcomer)
    except IntegrityError:
        # A colleague stored the same row (the same language) a moment earlier.
        form.add_error(None, _("This was just entered by someone else. Please check the file."))
        return render(request, "migrants/related_form.html", context, status=400)
    messages.success(request, _("Saved."))
    return redirect(f"{reverse('newcomer_detail', args=[newcomer.pk])}#{part.anchor}")


def household_member_edit(
    request: HttpRequest, pk: int, member_pk: int | None = None
) -> HttpResponse:
    return _edit_row(request, pk, member_pk, HOUSEHOLD)


def language_skill_edit(request: HttpRequest, pk: int, skill_pk: int | None = None) -> HttpResponse:
    return _edit_row(request, pk, skill_pk, LANGUAGES)


def residence_permit_edit(
    request: HttpRequest, pk: int, permit_pk: int | None = None
) -> HttpResponse:
    return _edit_row(request, pk, permit_pk, PERMITS)


def qualification_edit(
    request: HttpRequest, pk: int, qualification_pk: int | None = None
) -> HttpResponse:
    return _edit_row(request, pk, qualification_pk, QUALIFICATIONS)


@require_POST
def checklist_tick(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    user, newcomer = _get_newcomer(request, pk, edit=True)
    entry = get_object_or_404(newcomer.checklist, pk=entry_pk)
    services.tick_checklist_item(entry, done=request.POST.get("done") == "1", by=user)
    return redirect(f"{reverse('newcomer_detail', args=[newcomer.pk])}#checklist")
