"""The Lotsen's workspace: dashboard, case list, case file and its actions.

Every view fetches through `visible_to(request.user)` (a miss is a 404) and every change is a
POST to a small view that calls one service, says what happened and redirects back. The case
file's status, note, follow-up and reassignment forms also carry hx-post: with JavaScript, htmx
sends them in the background and swaps in the case file of the answer (the page after the
redirect, or the refused form with its errors, status 400), so the page is not reloaded and the
same views serve both; without JavaScript they are plain forms."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import require_center_staff
from cases import services
from cases.filters import (
    DEFAULT_FILTERS,
    UNASSIGNED,
    CaseFilter,
    expiring_permits,
    overdue_checklist_items,
)
from cases.forms import (
    BulkForm,
    DocumentForm,
    FollowUpForm,
    NoteForm,
    ReassignForm,
    StatusForm,
    staff_choices,
)
from cases.models import (
    Case,
    Document,
    EventKind,
    FollowUp,
    Referral,
    Status,
)
from cases.search import exact_reference
from migrants.models import Newcomer
from partners.models import PartnerContact
from welcome_center import audit
from welcome_center.queries import counts

CASES_PER_PAGE = 50
EVENTS_PER_PAGE = 50


# ---- dashboard ------------------------------------------------------------------------------


def staff_dashboard(request: HttpRequest) -> HttpResponse:
    """The Lotse's home page: their open cases by status and what is due. The head sees the
    same for the whole center, and each Lotse's share of every count (the caseload), so work
    can be rebalanced."""
    user = require_center_staff(request)
    today = timezone.localdate()
    cases = Case.objects.visible_to(user).open()
    always = {
        "awaiting_triage": Newcomer.objects.visible_to(user).awaiting_triage(),
        # What "My follow-ups" lists as overdue and today: follow-ups assigned to this person,
        # on their own cases or a colleague's (the counts above are of their own cases).
        "assigned_due": FollowUp.objects.visible_to(user)
        .pending()
        .filter(assignee=user, due_on__lte=today),
    }
    if user.is_head:
        context = {**_center_overview(cases, today), **counts(**always)}
    else:
        mine = cases.owned_by(user)
        counted = counts(**always, **_attention(mine, today))
        by_status = dict(mine.values_list("status").annotate(n=Count("pk")).order_by())
        context = {"whole_center": False, **counted, **_by_status(by_status)}
    return render(request, "cases/dashboard.html", context)


# The counts of the dashboard in the order of the head's caseload table: name, the case list's
# filter that lists what it counts, column heading.
ATTENTION = (
    ("follow_ups_today", "due_today", gettext_lazy("Follow-ups due today")),
    ("follow_ups_overdue", "overdue", gettext_lazy("Follow-ups overdue")),
    ("overdue_referrals", "referral_overdue", gettext_lazy("Partner's answer overdue")),
    ("expiring_permits", "permit_expiring", gettext_lazy("Permit expires within 90 days")),
    ("checklist_overdue", "checklist_overdue", gettext_lazy("Checklist item overdue")),
)


def _attention(cases: QuerySet[Case], today: date) -> dict[str, QuerySet[Case]]:
    """The cases behind each "needs attention" count, as the list behind its link shows them
    (same conditions as cases.filters): a case with two overdue follow-ups counts once,
    nothing on a closed case or a colleague's case counts."""
    return {name: cases.filter(condition) for name, condition in _conditions(today).items()}


def _conditions(today: date) -> dict[str, Q]:
    """Each condition is "the case (or its newcomer) is among the ids of the few due rows",
    read from partial indexes that hold those ids; PostgreSQL hashes each set once. A
    correlated EXISTS per open case would cost seconds for the head at 100,000 cases."""
    pending = FollowUp.objects.pending()
    return {
        "follow_ups_today": Q(pk__in=pending.filter(due_on=today).values("case_id")),
        "follow_ups_overdue": Q(pk__in=pending.filter(due_on__lt=today).values("case_id")),
        "overdue_referrals": Q(pk__in=Referral.objects.overdue(today).values("case_id")),
        "expiring_permits": Q(newcomer__in=expiring_permits(today).values("newcomer_id")),
        "checklist_overdue": Q(newcomer__in=overdue_checklist_items(today).values("newcomer_id")),
    }


def _center_overview(open_cases: QuerySet[Case], today: date) -> dict[str, Any]:
    """The head's page from one grouped query: the open cases by owner and status, each group
    with its five counts (one pass over the open cases, each condition a hashed subplan). The
    center's figures are the sums of the groups."""
    groups = list(
        open_cases.order_by()
        .values("owner", "status")
        .annotate(
            open_cases=Count("pk"),
            **{
                name: Count("pk", filter=condition)
                for name, condition in _conditions(today).items()
            },
        )
    )
    names = ["open_cases", *(name for name, _filter, _label in ATTENTION)]
    by_owner: dict[int | None, dict[str, int]] = {}
    totals = dict.fromkeys(names, 0)
    by_status: dict[str, int] = {}
    for group in groups:
        row = by_owner.setdefault(group["owner"], dict.fromkeys(names, 0))
        for name in names:
            row[name] += group[name]
            totals[name] += group[name]
        by_status[group["status"]] = by_status.get(group["status"], 0) + group["open_cases"]
    totals.pop("open_cases")
    return {
        "whole_center": True,
        **totals,
        **_by_status(by_status),
        "caseload_headings": [_("Open cases"), *(label for _n, _f, label in ATTENTION)],
        "caseload": _caseload(by_owner),
    }


def _by_status(by_status: dict[str, int]) -> dict[str, Any]:
    return {
        "by_status": [
            (value, label, by_status[value])
            for value, label in Status.choices
            if value in by_status
        ],
        "open_total": sum(by_status.values()),
    }


def _caseload(by_owner: dict[int | None, dict[str, int]]) -> list[dict[str, Any]]:
    """A row per person of the center's staff (a handful, joined here in Python), even without
    open cases, and one for the cases nobody owns yet: each count with the query of the case
    list that shows its cases."""
    people: list[tuple[int | None, str, str]] = [
        (person.pk, person.full_name, person.get_role_display())
        for person in User.objects.center_staff()
    ]
    # Cases of someone no longer on the staff list (deactivated) still count above: a row of
    # their own, so the rows add up to the center's figures and the head sees what to hand on.
    former = set(by_owner) - {pk for pk, _name, _role in people} - {None}
    people += [
        (person.pk, person.full_name, _("no longer active"))
        for person in User.objects.filter(pk__in=former).order_by("full_name")
    ]
    if None in by_owner:
        people.append((None, _("nobody (not yet triaged)"), ""))
    columns = [("open_cases", ""), *((name, filter_name) for name, filter_name, _l in ATTENTION)]
    rows = []
    for pk, name, role in people:
        counted = by_owner.get(pk, {})
        owner = UNASSIGNED if pk is None else pk
        cells = [
            (
                counted.get(column, 0),
                f"status=open{f'&{filter_name}=on' if filter_name else ''}&owner={owner}",
            )
            for column, filter_name in columns
        ]
        rows.append({"name": name, "role": role, "cells": cells})
    return rows


# ---- case list --------------------------------------------------------------------------------


def _case_rows(user: User) -> QuerySet[Case]:
    next_follow_up = (
        FollowUp.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(first=Min("due_on"))
        .values("first")
    )
    return (
        Case.objects.visible_to(user)
        .select_related("newcomer", "owner")
        # The columns the list and its CSV show: a newcomer row is forty columns (with its
        # search text), a user's includes the password hash; fifty of each add up.
        .only(*LIST_FIELDS)
        .annotate(next_follow_up=Subquery(next_follow_up))
        .order_by("-opened_at", "-pk")
    )


LIST_FIELDS = (
    "reference",
    "category",
    "status",
    "priority",
    "opened_at",
    "newcomer__reference",
    "newcomer__first_name",
    "newcomer__last_name",
    "owner__full_name",
    "owner__email",
)


def case_list(request: HttpRequest) -> HttpResponseBase:
    user = require_center_staff(request)
    if not request.GET:
        # "My open cases" is the default, spelled out in the address so it can be shared.
        query = QueryDict(mutable=True)
        query.update(DEFAULT_FILTERS)
        return redirect(f"{reverse('case_list')}?{query.urlencode()}")
    reference = exact_reference(request.GET.get("q", ""))
    if reference:
        case = Case.objects.visible_to(user).filter(reference=reference).first()
        if case:
            return redirect("case_detail", reference=case.reference)
    staff = staff_choices()
    case_filter = CaseFilter(request.GET, queryset=_case_rows(user), user=user, staff=staff)
    if not case_filter.is_valid():
        # The panel opens too, in case the value to correct is in it.
        context = {"filter": case_filter, "page": None, "more_filters_open": True}
        return render(request, "cases/case_list.html", context, status=400)
    # The primary key breaks ties, so that paging through equal values is stable.
    cases = case_filter.qs.order_by(*case_filter.qs.query.order_by, "-pk")
    if request.GET.get("format") == "csv":
        return _csv_response(cases)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": case_filter,
        "page": page,
        "query": query.urlencode(),
        "bulk_form": BulkForm(user=user, staff=staff),
        "headers": _sort_headers(request.GET),
        "more_filters_open": _more_filters_set(case_filter),
    }
    return render(request, "cases/case_list.html", context)


# The filters the list shows above "More filters"; every other filter of CaseFilter is under
# it, and the panel opens when one of those is set, so that a list reached from a dashboard
# count (…&overdue=on) shows why it holds what it holds.
MAIN_FILTERS = {"q", "status", "owner", "sort"}


def _more_filters_set(case_filter: CaseFilter) -> bool:
    for name in case_filter.form.fields.keys() - MAIN_FILTERS:
        # What the widget read from the address: a checkbox's bool, a select's value, the
        # two dates of a range.
        value = case_filter.form[name].data
        if any(value) if isinstance(value, list | tuple) else value:
            return True
    return False


# The list's columns, each sortable, and the CSV export's, in the same order.
COLUMNS = [
    ("reference", gettext_lazy("Reference")),
    ("newcomer", gettext_lazy("Newcomer")),
    ("category", gettext_lazy("Category")),
    ("status", gettext_lazy("Status")),
    ("owner", gettext_lazy("Owner")),
    ("priority", gettext_lazy("Priority")),
    ("opened", gettext_lazy("Opened")),
    ("next_follow_up", gettext_lazy("Next follow-up")),
]


def _sort_headers(params: QueryDict) -> list[dict[str, str]]:
    """For each sortable column: its label, the address that sorts by it (a second click
    reverses), and the current direction for aria-sort."""
    current = params.get("sort", "")
    headers = []
    for column, label in COLUMNS:
        query = params.copy()
        query.pop("page", None)
        query["sort"] = f"-{column}" if current == column else column
        direction = {column: "ascending", f"-{column}": "descending"}.get(current, "")
        headers.append(
            {"label": str(label), "url": f"?{query.urlencode()}", "direction": direction}
        )
    return headers


class _Echo:
    def write(self, value: str) -> str:
        return value


# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"), and
# names come from the public intake form: such cells get a leading apostrophe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def _csv_rows(cases: QuerySet[Case]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([str(label) for _key, label in COLUMNS])
    for case in cases.iterator(chunk_size=2000):
        yield writer.writerow(
            _cell(value)
            for value in [
                case.reference,
                str(case.newcomer),
                case.category_label,
                case.status_label,
                str(case.owner or ""),
                case.priority_label,
                timezone.localtime(case.opened_at).date().isoformat(),
                case.next_follow_up.isoformat() if case.next_follow_up else "",
            ]
        )


def _csv_response(cases: QuerySet[Case]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_rows(cases), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="faelle.csv"'
    return response


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        # Not redirect(): it would take a bare word for a view name to reverse (a 500 when none).
        return HttpResponseRedirect(target)
    return redirect(fallback)


@require_POST
def case_bulk(request: HttpRequest) -> HttpResponse:
    user = require_center_staff(request)
    form = BulkForm(request.POST, user=user, staff=staff_choices())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, reverse("case_list"))
    if form.cleaned_data["whole_list"]:
        listed = _whole_list(user, form.cleaned_data["list_query"])
        if listed is None:
            messages.error(request, _("The list's filters are not valid: nothing was changed."))
            return _back(request, reverse("case_list"))
        cases = listed
    else:
        cases = list(form.cleaned_data["cases"])
    if form.cleaned_data["action"] == "reassign":
        owner = get_object_or_404(User.objects.center_staff(), pk=form.cleaned_data["owner"])
        count = services.reassign(cases, owner, by=user)
        text = ngettext(
            "%(count)d case reassigned to %(owner)s.",
            "%(count)d cases reassigned to %(owner)s.",
            count,
        )
        messages.success(request, text % {"count": count, "owner": owner})
    else:
        count = services.set_priority(cases, form.cleaned_data["priority"], by=user)
        text = ngettext(
            "Priority changed on %(count)d case.", "Priority changed on %(count)d cases.", count
        )
        messages.success(request, text % {"count": count})
    return _back(request, reverse("case_list"))


def _whole_list(user: User, list_query: str) -> list[Case] | None:
    """Every case of the list with these filters (all of its pages), or None if the filters
    are not valid. The same filters as the page, without its sorting, which changes nothing."""
    params = QueryDict(list_query, mutable=True)
    for ignored in ("sort", "page", "format"):
        params.pop(ignored, None)
    case_filter = CaseFilter(
        params,
        queryset=Case.objects.visible_to(user).select_related("owner").order_by("pk"),
        user=user,
        staff=staff_choices(),
    )
    if not case_filter.is_valid():
        return None
    return list(case_filter.qs)


# ---- case file ----------------------------------------------------------------------------------


def _get_case(request: HttpRequest, reference: str) -> tuple[User, Case]:
    user = require_center_staff(request)
    if "\x00" in reference:  # PostgreSQL cannot even compare such a string: no case has one
        raise Http404
    case = get_object_or_404(
        Case.objects.visible_to(user).select_related("newcomer", "owner"), reference=reference
    )
    return user, case


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _get_case(request, reference)
    audit.record_read(case, by=user)
    return render(request, "cases/case_detail.html", _case_context(request, case))


def _case_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    kind = request.GET.get("kind", "")
    events = case.events.select_related("actor", "follow_up", "document", "referral__partner")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    follow_ups = list(case.follow_ups.pending().select_related("assignee", "assignee_contact"))
    staff = staff_choices()
    return {
        "case": case,
        "age_days": (timezone.now() - case.opened_at).days,
        "next_follow_up": follow_ups[0] if follow_ups else None,
        "follow_ups": follow_ups,
        "referrals": case.referrals.select_related("partner").prefetch_related("messages"),
        "events": Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page")),
        "kind": kind,
        "kinds": EventKind.choices,
        "timeline_query": f"kind={kind}" if kind in EventKind.values else "",
        "status_form": forms.get("status_form") or StatusForm(case=case),
        "reassign_form": forms.get("reassign_form")
        or ReassignForm(initial={"owner": case.owner_id}, staff=staff),
        "note_form": forms.get("note_form") or NoteForm(),
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(
            initial={"assignee": case.owner_id or request.user.pk},
            staff=staff,
            contacts=referred_contacts(case),
        ),
        "document_form": forms.get("document_form") or DocumentForm(),
    }


def referred_contacts(case: Case) -> QuerySet[PartnerContact]:
    """Contact persons a follow-up of this case may be for: those of the partners it was
    referred to."""
    return PartnerContact.objects.filter(
        partner__in=case.referrals.values("partner")
    ).select_related("partner")


def _invalid(request: HttpRequest, case: Case, **forms: Any) -> HttpResponse:
    """A refused action: the case file again, with the form's errors and what was typed."""
    return render(
        request, "cases/case_detail.html", _case_context(request, case, **forms), status=400
    )


@require_POST
def case_status(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _get_case(request, reference)
    form = StatusForm(request.POST, case=case)
    if not form.is_valid():
        return _invalid(request, case, status_form=form)
    services.change_status(
        case,
        form.cleaned_data["status"],
        by=user,
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request, _("Status changed to %(status)s.") % {"status": case.get_status_display()}
    )
    return redirect("case_detail", reference=case.reference)


@require_POST
def case_reassign(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _get_case(request, reference)
    form = ReassignForm(request.POST, staff=staff_choices())
    if not form.is_valid():
        return _invalid(request, case, reassign_form=form)
    services.reassign([case], form.cleaned_data["owner"], by=user)
    messages.success(
        request, _("The case now belongs to %(owner)s.") % {"owner": form.cleaned_data["owner"]}
    )
    return redirect("case_detail", reference=case.reference)


@require_POST
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _get_case(request, reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, note_form=form)
    services.add_note(case, form.cleaned_data["text"], by=user)
    messages.success(request, _("Note added."))
    return redirect("case_detail", reference=case.reference)


@require_POST
def case_follow_up(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _get_case(request, reference)
    form = FollowUpForm(request.POST, staff=staff_choices(), contacts=referred_contacts(case))
    if not form.is_valid():
        return _invalid(request, case, follow_up_form=form)
    services.schedule_follow_up(
        case,
        due_on=form.cleaned_data["due_on"],
        text=form.cleaned_data["text"],
        assignee=form.cleaned_data["assignee"],
        assignee_contact=form.cleaned_data.get("assignee_contact"),
        by=user,
    )
    messages.success(request, _("Follow-up scheduled."))
    return redirect("case_detail", reference=case.reference)


@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_center_staff(request)
    follow_up = get_object_or_404(FollowUp.objects.visible_to(user).select_related("case"), pk=pk)
    if services.complete_follow_up(follow_up, by=user):
        messages.success(request, _("Follow-up done."))
    return _back(request, reverse("case_detail", args=[follow_up.case.reference]))


@require_POST
def case_document(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _get_case(request, reference)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, case, document_form=form)
    upload = form.cleaned_data["file"]
    services.attach_document(
        case, upload, content_type=upload.sniffed_type, kind=form.cleaned_data["kind"], by=user
    )
    messages.success(request, _("Document uploaded."))
    return redirect("case_detail", reference=case.reference)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Files are personal data: served only here, after the permission check, as attachments,
    and each download is on the audit trail."""
    user = require_center_staff(request)
    document = get_object_or_404(Document.objects.visible_to(user), pk=pk)
    audit.record_read(document, by=user)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
