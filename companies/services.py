"""Workflows of the company side: registration, the Lotse's decision, colleagues, needs and
service requests. Each is one transaction that writes the company's timeline (CompanyEvent)
and queues its e-mails in the outbox. Rows are saved one by one so that django-auditlog
(companies/apps.py) records each with the actor of the request.

Timeline texts written by the portal itself are in the center's language (German), like the
center's other records; what a person types is kept as typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Notification, Role, User
from accounts.services import invitation_url
from cases.models import Case
from companies.models import (
    Company,
    CompanyContact,
    CompanyEvent,
    ServiceRequest,
    SkilledWorkerNeed,
)
from welcome_center import emails

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

Status = SkilledWorkerNeed.Status

# Which status a need may move to, and who may move it there. Companies withdraw a need, say
# it is filled or open it again; "in progress" is the center's word for "we are on it".
NEED_TRANSITIONS: dict[str, set[str]] = {
    Status.OPEN: {Status.IN_PROGRESS, Status.FILLED, Status.WITHDRAWN},
    Status.IN_PROGRESS: {Status.OPEN, Status.FILLED, Status.WITHDRAWN},
    Status.FILLED: {Status.OPEN},
    Status.WITHDRAWN: {Status.OPEN},
}
COMPANY_MAY_SET = {Status.OPEN, Status.FILLED, Status.WITHDRAWN}
EDITABLE = {Status.OPEN, Status.IN_PROGRESS}

RequestStatus = ServiceRequest.Status
CLOSED_REQUEST = {RequestStatus.DONE, RequestStatus.DECLINED}


class Refused(ValueError):
    """The step is not allowed; the message says why, for the person who tried."""


def _center_text(message: StrPromise, **values: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % values


def _notify_staff(text: str, url: str) -> None:
    """An in-app notification for every Lotse and the head (a handful of people)."""
    Notification.objects.bulk_create(
        Notification(recipient=user, text=text[:300], url=url)
        for user in User.objects.center_staff()
    )


# ---- registration and decision -------------------------------------------------------------


@transaction.atomic
def register_company(
    *,
    full_name: str,
    position: str,
    email: str,
    password: str,
    language: str,
    company: dict[str, Any],
) -> User:
    """A company registers: its user (role company), the company (pending), the contact that
    links them, the first timeline entry; the applicant is told what happens next and the
    center is notified."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, role=Role.COMPANY, language=language
    )
    registered = Company.objects.create(**company, status=Company.Status.PENDING)
    CompanyContact.objects.create(
        company=registered, user=user, name=full_name, position=position, email=user.email
    )
    CompanyEvent.objects.create(
        company=registered,
        kind=CompanyEvent.Kind.REGISTERED,
        actor=user,
        shared=True,
        text=_center_text(gettext_lazy("Registered by %(name)s."), name=full_name),
    )
    emails.company_registered(user, registered)
    _notify_staff(
        _center_text(gettext_lazy("New company registration: %(name)s"), name=registered.name),
        reverse("company_detail", args=[registered.pk]),
    )
    return user


def tell_existing_account(email: str) -> None:
    """Someone registered with an address that has a login: its owner hears of it by e-mail
    (the page says nothing, so nobody learns which addresses have an account)."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        emails.company_signup_existing(user)


@transaction.atomic
def decide_company(company: Company, *, approve: bool, reason: str = "", by: User) -> Company:
    """Approve or reject a pending registration; every contact with a login is told by
    e-mail, in their language."""
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if locked.status != Company.Status.PENDING:
        raise Refused(_("This registration was decided already."))
    locked.status = Company.Status.APPROVED if approve else Company.Status.REJECTED
    locked.rejection_reason = "" if approve else reason.strip()
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.save()
    text = (
        _center_text(gettext_lazy("Registration approved."))
        if approve
        else _center_text(
            gettext_lazy("Registration rejected: %(reason)s"), reason=locked.rejection_reason
        )
    )
    CompanyEvent.objects.create(
        company=locked, kind=CompanyEvent.Kind.DECISION, actor=by, shared=True, text=text
    )
    for user in User.objects.filter(company_contact__company=locked):
        emails.company_decision(user, locked)
    return locked


# ---- colleagues ----------------------------------------------------------------------------


@transaction.atomic
def invite_colleague(
    company: Company, *, name: str, email: str, position: str, by: User
) -> CompanyContact:
    """A company user invites a colleague: a new company login linked by a contact, and an
    e-mail with the link to choose a password (allauth's password-reset key)."""
    if User.objects.filter(email__iexact=email).exists():
        raise Refused(
            _(
                "The address %(email)s already has a login to the portal, so no second one "
                "was made. If it belongs to your colleague, please ask the Welcome Center."
            )
            % {"email": email}
        )
    user = User.objects.create_user(
        email=email, password=None, full_name=name, role=Role.COMPANY, language=by.language
    )
    contact = CompanyContact.objects.create(
        company=company, user=user, name=name, position=position, email=user.email
    )
    CompanyEvent.objects.create(
        company=company,
        kind=CompanyEvent.Kind.CONTACT,
        actor=by,
        shared=True,
        text=_center_text(gettext_lazy("%(by)s invited %(name)s."), by=by.full_name, name=name),
    )
    emails.company_invitation(user, company, url=invitation_url(user), by=by)
    return contact


# ---- needs ---------------------------------------------------------------------------------


@transaction.atomic
def save_need(need: SkilledWorkerNeed, *, by: User) -> SkilledWorkerNeed:
    """Save a new or edited need (validated by NeedForm) and note it on the timeline."""
    is_new = need.pk is None
    if not is_new and need.status not in EDITABLE:
        raise Refused(_("A filled or withdrawn need cannot be changed. Open it again first."))
    need.save()
    text = (
        gettext_lazy("%(occupation)s: need added.")
        if is_new
        else gettext_lazy("%(occupation)s: need changed.")
    )
    CompanyEvent.objects.create(
        company=need.company,
        kind=CompanyEvent.Kind.NEED,
        actor=by,
        need=need,
        shared=True,
        text=_center_text(text, occupation=need.occupation),
    )
    return need


def allowed_need_statuses(need: SkilledWorkerNeed, user: User) -> list[str]:
    allowed = NEED_TRANSITIONS[need.status]
    if not user.is_center_staff:
        allowed = allowed & COMPANY_MAY_SET
    return [value for value in Status.values if value in allowed]


@transaction.atomic
def change_need_status(need: SkilledWorkerNeed, status: str, *, by: User) -> SkilledWorkerNeed:
    locked = SkilledWorkerNeed.objects.select_for_update().get(pk=need.pk)
    if status not in allowed_need_statuses(locked, by):
        raise Refused(
            _("A need that is “%(old)s” cannot be set to “%(new)s”.")
            % {"old": locked.get_status_display(), "new": Status(status).label}
        )
    locked.status = status
    locked.save(update_fields=["status"])
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Status(status).label)
    CompanyEvent.objects.create(
        company=locked.company,
        kind=CompanyEvent.Kind.NEED,
        actor=by,
        need=locked,
        shared=True,
        text=_center_text(
            gettext_lazy("%(occupation)s: status now %(status)s."),
            occupation=locked.occupation,
            status=label,
        ),
    )
    return locked


# ---- service requests ----------------------------------------------------------------------


@transaction.atomic
def request_service(request: ServiceRequest, *, by: User) -> ServiceRequest:
    request.created_by = by
    request.save()
    CompanyEvent.objects.create(
        company=request.company,
        kind=CompanyEvent.Kind.SERVICE,
        actor=by,
        service_request=request,
        shared=True,
        text=_center_text(
            gettext_lazy("Service requested: %(kind)s."), kind=_center_label(request)
        ),
    )
    _notify_staff(
        _center_text(
            gettext_lazy("%(company)s asks for a service: %(kind)s"),
            company=request.company.name,
            kind=_center_label(request),
        ),
        reverse("service_request_detail", args=[request.pk]),
    )
    return request


def _center_label(request: ServiceRequest) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(request.get_kind_display())


@transaction.atomic
def update_service_request(
    request: ServiceRequest,
    *,
    status: str,
    owner: User | None,
    case: Case | None,
    text: str,
    by: User,
) -> ServiceRequest:
    """A Lotse's work on a request. The message, and any change of status, show on the
    company's page; who owns it and the linked case are for the center."""
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if owner is not None and not owner.is_center_staff:
        raise Refused(_("Only a Lotse or the head can own a request."))
    old_status = locked.status
    locked.owner, locked.case, locked.status = owner, case, status
    if status in CLOSED_REQUEST and locked.closed_at is None:
        locked.closed_at = timezone.now()
    elif status not in CLOSED_REQUEST:
        locked.closed_at = None
    locked.save()
    parts = []
    if status != old_status:
        with translation.override(settings.LANGUAGE_CODE):
            parts.append(_("Status now %(status)s.") % {"status": locked.get_status_display()})
    if text.strip():
        parts.append(text.strip())
    if parts:
        CompanyEvent.objects.create(
            company=locked.company,
            kind=CompanyEvent.Kind.SERVICE,
            actor=by,
            service_request=locked,
            shared=True,
            text="\n".join(parts),
        )
    return locked


@transaction.atomic
def take_on_service_request(request: ServiceRequest, *, by: User) -> ServiceRequest:
    """One click for "I do this": the Lotse owns it and it is in progress."""
    status = RequestStatus.IN_PROGRESS if request.status == RequestStatus.NEW else request.status
    return update_service_request(
        request, status=status, owner=by, case=request.case, text="", by=by
    )


# ---- notes ---------------------------------------------------------------------------------


def add_note(company: Company, *, text: str, shared: bool, by: User) -> CompanyEvent:
    return CompanyEvent.objects.create(
        company=company, kind=CompanyEvent.Kind.NOTE, actor=by, shared=shared, text=text.strip()
    )
