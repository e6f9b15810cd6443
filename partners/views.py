"""Partner pages. The partner user's home (partner_home) lists their organisation's referrals;
the directory, for Lotsen and the head, lists the partners, shows one with its contacts and
response times, and creates and edits partners and contacts.

Every directory view starts with require_center_staff (partner and company users get a 403,
they never see the directory, not even their own entry) and fetches through
`visible_to(user)`, so a miss is a 404. Every change is a POST that calls one service, says
what happened and redirects back to the partner page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import require_center_staff
from cases.models import Referral
from partners import services
from partners.figures import NO_FIGURES, response_figures
from partners.filters import PartnerFilter
from partners.forms import ContactForm, PartnerForm
from partners.models import Partner, PartnerContact

PARTNERS_PER_PAGE = 25
# The partner page lists this many open referrals; the case list has the rest.
OPEN_REFERRALS_SHOWN = 50


def partner_home(request: HttpRequest) -> HttpResponse:
    """A partner user's home: the referrals sent to their organisation that await an answer."""
    user: User = request.user  # type: ignore[assignment]
    referrals = (
        Referral.objects.visible_to(user)
        .awaiting_answer()
        .select_related("case", "case__newcomer")
        .order_by("answer_by")[:50]
    )
    return render(request, "partners/home.html", {"partner": user.partner, "referrals": referrals})


# ---- the directory --------------------------------------------------------------------------


def partner_list(request: HttpRequest) -> HttpResponse:
    user = require_center_staff(request)
    partners = (
        Partner.objects.visible_to(user)
        .with_open_referrals()
        .prefetch_related("services")
        .order_by("name")
    )
    partner_filter = PartnerFilter(request.GET, queryset=partners)
    if not partner_filter.is_valid():
        refused: dict[str, object] = {"filter": partner_filter, "page": None, "headers": {}}
        return render(request, "partners/partner_list.html", refused, status=400)
    # The primary key breaks ties, so that paging through equal values is stable.
    rows = partner_filter.qs.order_by(*partner_filter.qs.query.order_by, "pk")
    page = Paginator(rows, PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
    figures = response_figures(partner.pk for partner in page.object_list)
    for partner in page.object_list:
        partner.figures = figures.get(partner.pk, NO_FIGURES)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, object] = {
        "filter": partner_filter,
        "page": page,
        "query": query.urlencode(),
        "headers": _sort_headers(request.GET),
    }
    return render(request, "partners/partner_list.html", context)


SORT_COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("city", gettext_lazy("City")),
    ("response", gettext_lazy("Expected response time")),
    ("open", gettext_lazy("Open referrals")),
]


def _sort_headers(params: QueryDict) -> dict[str, dict[str, str]]:
    """For each sortable column: the address that sorts by it (a second click reverses) and
    the current direction for aria-sort."""
    current = params.get("sort", "")
    headers = {}
    for column, label in SORT_COLUMNS:
        query = params.copy()
        query.pop("page", None)
        query["sort"] = f"-{column}" if current == column else column
        direction = {column: "ascending", f"-{column}": "descending"}.get(current, "")
        headers[column] = {
            "label": str(label),
            "url": f"?{query.urlencode()}",
            "direction": direction,
        }
    return headers


def _get_partner(request: HttpRequest, pk: int) -> tuple[User, Partner]:
    user = require_center_staff(request)
    return user, get_object_or_404(Partner.objects.visible_to(user), pk=pk)


def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, partner = _get_partner(request, pk)
    open_referrals = (
        Referral.objects.visible_to(user)
        .filter(partner=partner)
        .awaiting_answer()
        .select_related("case", "case__newcomer", "contact")
        .order_by("answer_by", "pk")
    )
    context = {
        "partner": partner,
        "services": partner.services.all(),
        "contacts": partner.contacts.select_related("user"),
        "open_referrals": list(open_referrals[:OPEN_REFERRALS_SHOWN]),
        "open_referral_count": open_referrals.count(),
        "figures": response_figures([partner.pk]).get(partner.pk, NO_FIGURES),
        "today": timezone.localdate(),
    }
    return render(request, "partners/partner_detail.html", context)


def partner_add(request: HttpRequest) -> HttpResponse:
    user = require_center_staff(request)
    form = PartnerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            partner = services.save_partner(form, by=user)
            messages.success(request, _("Partner %(name)s added.") % {"name": partner.name})
            return redirect("partner_detail", pk=partner.pk)
        return render(request, "partners/partner_form.html", {"form": form}, status=400)
    return render(request, "partners/partner_form.html", {"form": form})


def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, partner = _get_partner(request, pk)
    form = PartnerForm(request.POST or None, instance=partner)
    context = {"form": form, "partner": partner}
    if request.method == "POST":
        if form.is_valid():
            services.save_partner(form, by=user)
            messages.success(request, _("Changes saved."))
            return redirect("partner_detail", pk=partner.pk)
        return render(request, "partners/partner_form.html", context, status=400)
    return render(request, "partners/partner_form.html", context)


@require_POST
def partner_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user, partner = _get_partner(request, pk)
    active = request.POST.get("active") == "1"
    services.set_partner_active(partner, active, by=user)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": partner.name})
    else:
        messages.success(
            request,
            _(
                "%(name)s is deactivated: it no longer shows in the directory by default. "
                "Its referrals stay as they are."
            )
            % {"name": partner.name},
        )
    return redirect("partner_detail", pk=partner.pk)


# ---- contacts -------------------------------------------------------------------------------


def _get_contact(request: HttpRequest, pk: int, contact_pk: int) -> tuple[User, PartnerContact]:
    user, partner = _get_partner(request, pk)
    return user, get_object_or_404(partner.contacts.select_related("partner"), pk=contact_pk)


def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, partner = _get_partner(request, pk)
    return _contact_form(request, user, PartnerContact(partner=partner))


def contact_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    user, contact = _get_contact(request, pk, contact_pk)
    return _contact_form(request, user, contact)


def _contact_form(request: HttpRequest, user: User, contact: PartnerContact) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=contact)
    context = {"form": form, "partner": contact.partner, "contact": contact}
    if request.method == "POST":
        if form.is_valid():
            is_new = contact.pk is None
            contact = services.save_contact(form, by=user)
            text = _("Contact %(name)s added.") if is_new else _("Contact %(name)s saved.")
            messages.success(request, text % {"name": contact.name})
            return redirect("partner_detail", pk=contact.partner_id)
        return render(request, "partners/contact_form.html", context, status=400)
    return render(request, "partners/contact_form.html", context)


@require_POST
def contact_set_primary(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    user, contact = _get_contact(request, pk, contact_pk)
    services.set_primary_contact(contact, by=user)
    messages.success(
        request, _("%(name)s now receives referrals by default.") % {"name": contact.name}
    )
    return redirect("partner_detail", pk=contact.partner_id)


@require_POST
def contact_invite(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    user, contact = _get_contact(request, pk, contact_pk)
    try:
        login = services.invite_contact(contact, by=user)
    except services.InvitationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _(
                "Invitation sent to %(email)s. %(name)s sets a password through the link and "
                "then sets up two-factor login."
            )
            % {"email": login.email, "name": contact.name},
        )
    return redirect("partner_detail", pk=contact.partner_id)
