"""Company pages. Company users see their own company only: its needs, service requests,
colleagues and what the center shared with it. Until a Lotse approves the registration (and
after a rejection) they see nothing but their home page, which says where things stand.
Lotsen and the head have the company list, the company file and every company's needs and
requests.

Who may open a page is decided first (require_center_staff, require_company or
require_staff_or_company: 403 otherwise); objects are then fetched through
`visible_to(user)`, so another company's id is a 404. Every change is a POST that calls one
service, says what happened and redirects; an invalid form comes back with status 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import require_center_staff
from cases.forms import staff_choices
from companies import services
from companies.filters import CompanyFilter, company_rows
from companies.forms import (
    ColleagueForm,
    CompanyNoteForm,
    DecisionForm,
    NeedForm,
    NeedStatusForm,
    ServiceRequestForm,
    ServiceUpdateForm,
)
from companies.models import (
    Company,
    Introduction,
    Occupation,
    ServiceRequest,
    SkilledWorkerNeed,
)

COMPANIES_PER_PAGE = 25
OCCUPATION_RESULTS = 15
EVENTS_SHOWN = 100


# ---- who may ------------------------------------------------------------------------------


def require_company(request: HttpRequest) -> tuple[User, Company]:
    """A user of an approved company (pending and rejected ones only have their home)."""
    user: User = request.user  # type: ignore[assignment]
    company = user.company
    if company is None or company.status != Company.Status.APPROVED:
        raise PermissionDenied
    return user, company


def require_staff_or_company(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.is_center_staff:
        return user
    return require_company(request)[0]


# ---- the company's own pages --------------------------------------------------------------


def company_home(request: HttpRequest) -> HttpResponse:
    """A company user's home: the state of the registration, or, once approved, the needs,
    service requests, colleagues and news from the center."""
    user: User = request.user  # type: ignore[assignment]
    company = user.company
    context: dict[str, Any] = {"company": company}
    if company is not None and company.status == Company.Status.APPROVED:
        context.update(
            needs=_with_next_statuses(company.needs.order_by("start_date", "pk"), user),
            service_requests=company.service_requests.select_related("owner")[:50],
            colleagues=company.contacts.select_related("user"),
            news=company.events.filter(shared=True).select_related("actor")[:10],
            introductions_url=_introductions_url(),
        )
    return render(request, "companies/home.html", context)


def _introductions_url() -> str | None:
    # The introductions pages come from the matching side of the issue; until they are
    # merged the link is left out rather than broken.
    try:
        return reverse("company_introductions")
    except NoReverseMatch:
        return None


@login_not_required
def registration_sent(request: HttpRequest) -> HttpResponse:
    """After the sign-up form, for a new and for a known address alike."""
    return render(request, "companies/registration_sent.html")


def colleague_invite(request: HttpRequest) -> HttpResponse:
    user, company = require_company(request)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                contact = services.invite_colleague(company, **form.cleaned_data, by=user)
            except services.Refused as refusal:
                form.add_error("email", str(refusal))
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": contact.email},
                )
                return redirect("home")
        return render(request, "companies/colleague_form.html", {"form": form}, status=400)
    return render(request, "companies/colleague_form.html", {"form": form})


# ---- needs --------------------------------------------------------------------------------


def need_add(request: HttpRequest) -> HttpResponse:
    user, company = require_company(request)
    return _need_form(request, user, SkilledWorkerNeed(company=company))


def company_need_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A Lotse adds a need on behalf of a company (on the phone, say)."""
    user = require_center_staff(request)
    company = get_object_or_404(Company.objects.visible_to(user).approved(), pk=pk)
    return _need_form(request, user, SkilledWorkerNeed(company=company))


def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_staff_or_company(request)
    need = get_object_or_404(
        SkilledWorkerNeed.objects.visible_to(user).select_related("company"), pk=pk
    )
    return _need_form(request, user, need)


def _need_form(request: HttpRequest, user: User, need: SkilledWorkerNeed) -> HttpResponse:
    context: dict[str, Any] = {
        "need": need,
        "company": need.company,
        "statuses": services.allowed_need_statuses(need, user) if need.pk else [],
        "back": _need_back(user, need),
    }
    if request.method == "POST" and request.POST.get("action") == "search":
        # Without JavaScript the occupation search submits the whole form: show the
        # results and keep what was typed, save nothing, and do not show errors yet.
        query = request.POST.get("occupation_query", "")
        form = NeedForm(initial=request.POST.dict(), instance=need)
        context.update(form=form, chosen=_chosen(form), query=query)
        context["occupations"] = search_occupations(query)
        return render(request, "companies/need_form.html", context)
    form = NeedForm(request.POST or None, instance=need)
    context.update(form=form, chosen=_chosen(form))
    if request.method == "POST":
        if form.is_valid():
            is_new = need.pk is None
            try:
                saved = services.save_need(form.save(commit=False), by=user)
            except services.Refused as refusal:
                messages.error(request, str(refusal))
                return redirect(context["back"])
            text = _("Need added: %(occupation)s.") if is_new else _("Need saved: %(occupation)s.")
            messages.success(request, text % {"occupation": saved.occupation})
            return redirect(_need_back(user, saved))
        return render(request, "companies/need_form.html", context, status=400)
    return render(request, "companies/need_form.html", context)


def _chosen(form: NeedForm) -> Occupation | None:
    return Occupation.objects.filter(code=form["occupation_code"].value() or "").first()


def _with_next_statuses(needs: Any, user: User) -> list[SkilledWorkerNeed]:
    """The status buttons each need shows to this user."""
    rows = list(needs)
    for need in rows:
        need.next_statuses = [  # type: ignore[attr-defined]
            (value, SkilledWorkerNeed.Status(value).label)
            for value in services.allowed_need_statuses(need, user)
        ]
    return rows


def _need_back(user: User, need: SkilledWorkerNeed) -> str:
    if user.is_center_staff:
        return reverse("company_detail", args=[need.company_id])
    return reverse("home")


@require_POST
def need_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_staff_or_company(request)
    need = get_object_or_404(
        SkilledWorkerNeed.objects.visible_to(user).select_related("company"), pk=pk
    )
    form = NeedStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            need = services.change_need_status(need, form.cleaned_data["status"], by=user)
        except services.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("%(occupation)s is now “%(status)s”.")
                % {"occupation": need.occupation, "status": need.get_status_display()},
            )
    return redirect(_need_back(user, need))


# ---- the ISCO-08 list ---------------------------------------------------------------------


def search_occupations(query: str) -> list[Occupation]:
    """Occupations whose code starts with, or whose German or English title contains, every
    word of the query."""
    words = query.split()[:5]
    if not words:
        return []
    occupations = Occupation.objects.all()
    for word in words:
        occupations = occupations.filter(
            Q(code__startswith=word) | Q(title_de__icontains=word) | Q(title_en__icontains=word)
        )
    return list(occupations.order_by("code")[:OCCUPATION_RESULTS])


@require_GET
def occupation_search(request: HttpRequest) -> HttpResponse:
    """The searchable ISCO-08 list. htmx asks for the results only (the need form's search
    box, as you type); without JavaScript it is a page of its own."""
    require_staff_or_company(request)
    query = (request.GET.get("q") or request.GET.get("occupation_query") or "")[:100]
    context = {"occupations": search_occupations(query), "query": query}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "companies/_occupation_results.html", context)
    return render(request, "companies/occupation_search.html", context)


# ---- service requests ---------------------------------------------------------------------


def service_request_add(request: HttpRequest) -> HttpResponse:
    user, company = require_company(request)
    form = ServiceRequestForm(
        request.POST or None, instance=ServiceRequest(company=company), company=company
    )
    if request.method == "POST":
        if form.is_valid():
            saved = services.request_service(form.save(commit=False), by=user)
            messages.success(
                request,
                _("Thank you. The Welcome Center has your request and will get back to you."),
            )
            return redirect("service_request_detail", pk=saved.pk)
        return render(request, "companies/service_request_form.html", {"form": form}, status=400)
    return render(request, "companies/service_request_form.html", {"form": form})


def _get_service_request(request: HttpRequest, pk: int) -> tuple[User, ServiceRequest]:
    user = require_staff_or_company(request)
    rows = ServiceRequest.objects.visible_to(user).select_related(
        "company", "owner", "case", "need"
    )
    return user, get_object_or_404(rows, pk=pk)


def service_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, service_request = _get_service_request(request, pk)
    return _service_request_page(request, user, service_request)


def _service_request_page(
    request: HttpRequest,
    user: User,
    service_request: ServiceRequest,
    form: ServiceUpdateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    events = service_request.events.select_related("actor")
    if not user.is_center_staff:
        events = events.filter(shared=True)
    if user.is_center_staff and form is None:
        form = ServiceUpdateForm(
            initial={
                "status": service_request.status,
                "owner": service_request.owner_id,
                "case_reference": service_request.case.reference if service_request.case else "",
            },
            staff=staff_choices(),
        )
    context = {"service_request": service_request, "events": events, "form": form}
    return render(request, "companies/service_request_detail.html", context, status=status)


@require_POST
def service_request_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_center_staff(request)
    service_request = _get_service_request(request, pk)[1]
    if request.POST.get("action") == "take":
        services.take_on_service_request(service_request, by=user)
        messages.success(request, _("You have taken on this request."))
        return redirect("service_request_detail", pk=pk)
    form = ServiceUpdateForm(request.POST, staff=staff_choices())
    if not form.is_valid():
        return _service_request_page(request, user, service_request, form, status=400)
    owner = (
        User.objects.filter(pk=form.cleaned_data["owner"]).first()
        if form.cleaned_data["owner"]
        else None
    )
    services.update_service_request(
        service_request,
        status=form.cleaned_data["status"],
        owner=owner,
        case=form.cleaned_data["case_reference"],
        text=form.cleaned_data["text"],
        by=user,
    )
    messages.success(request, _("Request updated."))
    return redirect("service_request_detail", pk=pk)


# ---- the Lotse's company list and file ----------------------------------------------------


def company_list(request: HttpRequest) -> HttpResponse:
    user = require_center_staff(request)
    company_filter = CompanyFilter(request.GET, queryset=company_rows(user))
    if not company_filter.is_valid():
        context: dict[str, Any] = {"filter": company_filter, "page": None}
        return render(request, "companies/company_list.html", context, status=400)
    page = Paginator(company_filter.qs, COMPANIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": company_filter, "page": page, "query": query.urlencode()}
    return render(request, "companies/company_list.html", context)


def _get_company(request: HttpRequest, pk: int) -> tuple[User, Company]:
    user = require_center_staff(request)
    return user, get_object_or_404(
        Company.objects.visible_to(user).select_related("decided_by"), pk=pk
    )


def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _user, company = _get_company(request, pk)
    return _company_page(request, company)


def _company_page(
    request: HttpRequest,
    company: Company,
    *,
    decision_form: DecisionForm | None = None,
    note_form: CompanyNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    introductions = (
        Introduction.objects.filter(need__company=company)
        .select_related("need", "newcomer")
        .order_by("-proposed_at", "-pk")
    )
    context = {
        "company": company,
        "contacts": company.contacts.select_related("user"),
        "needs": _with_next_statuses(
            company.needs.order_by("start_date", "pk"),
            request.user,  # type: ignore[arg-type]
        ),
        "service_requests": company.service_requests.select_related("owner", "case"),
        "introductions": introductions,
        "events": company.events.select_related("actor", "need", "service_request")[:EVENTS_SHOWN],
        "decision_form": decision_form or DecisionForm(),
        "note_form": note_form or CompanyNoteForm(),
    }
    return render(request, "companies/company_detail.html", context, status=status)


@require_POST
def company_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user, company = _get_company(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _company_page(request, company, decision_form=form, status=400)
    approve = form.cleaned_data["decision"] == DecisionForm.APPROVE
    try:
        services.decide_company(
            company, approve=approve, reason=form.cleaned_data["reason"], by=user
        )
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        text = _("%(name)s is approved.") if approve else _("%(name)s is rejected.")
        messages.success(
            request, (text % {"name": company.name}) + " " + _("The applicant is told by e-mail.")
        )
    return redirect("company_detail", pk=pk)


@require_POST
def company_note(request: HttpRequest, pk: int) -> HttpResponse:
    user, company = _get_company(request, pk)
    form = CompanyNoteForm(request.POST)
    if not form.is_valid():
        return _company_page(request, company, note_form=form, status=400)
    services.add_note(company, **form.cleaned_data, by=user)
    messages.success(request, _("Note added."))
    return redirect("company_detail", pk=pk)
