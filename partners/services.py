"""Workflows of the partner directory: saving a partner with its categories, contacts and the
one primary contact, deactivation, and inviting a contact to log in.

Each is one transaction. The audit trail (django-auditlog, partners/apps.py) records every
row saved here with the actor that AuditlogMiddleware takes from the request, so each row is
saved one by one (a bulk write would send no signals and leave no trace)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import invitation_url
from partners.forms import ContactForm, PartnerForm
from partners.models import Partner, PartnerContact, PartnerService
from welcome_center import emails


class InvitationRefused(ValueError):
    """The contact cannot be invited; the message says why, for the Lotse."""


@transaction.atomic
def save_partner(form: PartnerForm, *, by: User) -> Partner:
    """Save a new or edited partner and make its categories served those ticked."""
    partner: Partner = form.save()
    wanted = set(form.cleaned_data["categories"])
    current = {service.category: service for service in partner.services.all()}
    for category in wanted - current.keys():
        PartnerService.objects.create(partner=partner, category=category)
    for category in current.keys() - wanted:
        current[category].delete()
    return partner


@transaction.atomic
def save_contact(form: ContactForm, *, by: User) -> PartnerContact:
    """Save a new or edited contact; "receives referrals by default" moves to it if ticked."""
    contact: PartnerContact = form.save(commit=False)
    if not form.cleaned_data["make_primary"]:
        contact.is_primary = False
        contact.save()
        return contact
    contact.save()
    return set_primary_contact(contact, by=by)


@transaction.atomic
def set_primary_contact(contact: PartnerContact, *, by: User) -> PartnerContact:
    """Make `contact` the one who receives the partner's referrals by default. The partner row
    is locked so that two Lotsen doing this at once cannot both clear and both set; the
    constraint partnercontact_one_primary would refuse the second anyway."""
    Partner.objects.select_for_update().filter(pk=contact.partner_id).first()
    for other in PartnerContact.objects.filter(partner=contact.partner_id, is_primary=True):
        if other.pk != contact.pk:
            other.is_primary = False
            other.save(update_fields=["is_primary"])
    if not contact.is_primary:
        contact.is_primary = True
        contact.save(update_fields=["is_primary"])
    return contact


@transaction.atomic
def set_partner_active(partner: Partner, active: bool, *, by: User) -> Partner:
    """Deactivate (or reactivate) a partner. A deactivated partner leaves the directory's
    default list; its referrals, open or not, stay as they are."""
    if partner.is_active != active:
        partner.is_active = active
        partner.save(update_fields=["is_active"])
    return partner


@transaction.atomic
def invite_contact(contact: PartnerContact, *, by: User) -> User:
    """Give a contact a partner login and e-mail them the link to set their password.

    A contact whose invitation was never used (no login yet) gets a fresh link, for the first
    one expires. Refused when the contact already logs in or their e-mail belongs to someone
    else's account: one address, one user."""
    user = contact.user
    if user is not None and user.last_login is not None:
        raise InvitationRefused(_already_logs_in(contact))
    if user is None:
        if User.objects.filter(email__iexact=contact.email).exists():
            raise InvitationRefused(_address_taken(contact))
        user = User.objects.create_user(
            email=contact.email,
            password=None,  # unusable until they set their own through the link
            full_name=contact.name,
            role=Role.PARTNER,
            language=contact.language,
        )
        contact.user = user
        contact.save(update_fields=["user"])
    emails.partner_invitation(contact, user, url=invitation_url(user), by=by)
    return user


def _already_logs_in(contact: PartnerContact) -> str:
    return _("%(name)s logs in already; nothing was sent.") % {"name": contact.name}


def _address_taken(contact: PartnerContact) -> str:
    return _(
        "The e-mail address %(email)s belongs to another account of the portal, so no login "
        "was created. Give this contact their own address, or ask the head of center."
    ) % {"email": contact.email}
