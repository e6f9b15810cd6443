"""What personal data the portal holds and why: the basis of the record of processing
activities (Art. 30 GDPR), shown to the head on one page.

The fields are read from the models, so a field added later appears here by itself; a model
holding personal data that is missing here fails tests/privacy/test_register.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Activity:
    name: Promise
    purpose: Promise
    legal_basis: Promise
    subjects: Promise
    recipients: Promise
    retention: Promise
    models: tuple[str, ...]

    def data(self) -> list[tuple[str, list[str]]]:
        """(model name, [field names]) for each model of this activity."""
        result = []
        for label in self.models:
            model: type[Model] = apps.get_model(label)
            fields = [
                str(field.verbose_name)
                for field in model._meta.concrete_fields
                if field.name not in ("id", "search_text")
            ]
            result.append((str(model._meta.verbose_name_plural), fields))
        return result


RETENTION_AFTER_LAST_CASE = _(
    "Anonymised when the retention period set by the head has passed since the last case "
    "closed (default 24 months), or earlier on request or withdrawal of consent; figures for "
    "statistics stay without any personal reference."
)

ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        name=_("Advising and guiding newcomers"),
        purpose=_(
            "Support with arrival, housing, recognition of qualifications, language, "
            "childcare, school, authorities and work; follow-up of each case."
        ),
        legal_basis=_(
            "Consent (Art. 6(1)(a) GDPR), given in the intake form or recorded by a Lotse; "
            "for the funder report, the funding obligations (Art. 6(1)(c) and (e) GDPR)."
        ),
        subjects=_("Newcomers and their household members"),
        recipients=_(
            "Lotsen and the head of the Welcome Center; partner agencies only for a referral "
            "and only with consent to share (name, contact and the request); companies only "
            "an anonymised profile until the newcomer agrees to an introduction."
        ),
        retention=RETENTION_AFTER_LAST_CASE,
        models=(
            "migrants.Newcomer",
            "migrants.HouseholdMember",
            "migrants.LanguageSkill",
            "migrants.Qualification",
            "migrants.ResidencePermit",
            "migrants.ArrivalChecklistEntry",
            "cases.Case",
            "cases.CaseEvent",
            "cases.Referral",
            "cases.ReferralMessage",
            "cases.FollowUp",
            "cases.Document",
            "cases.AcceleratedProcedure",
            "companies.Introduction",
            "figures.ExitQuestionnaire",
        ),
    ),
    Activity(
        name=_("Proof of consent"),
        purpose=_("Proving which text, in which version and language, the newcomer agreed to."),
        legal_basis=_("Accountability (Art. 5(2) and Art. 7(1) GDPR)."),
        subjects=_("Newcomers"),
        recipients=_("Lotsen and the head of the Welcome Center."),
        retention=_(
            "As long as the newcomer's record exists; kept without name after anonymisation."
        ),
        models=("migrants.ConsentRecord",),
    ),
    Activity(
        name=_("Cooperation with partner agencies and companies"),
        purpose=_(
            "Contact persons of partner agencies and companies, and the companies' "
            "skilled-worker needs."
        ),
        legal_basis=_(
            "Legitimate interest and performance of the Welcome Center's tasks "
            "(Art. 6(1)(e) and (f) GDPR)."
        ),
        subjects=_("Contact persons of partner agencies and companies"),
        recipients=_("Lotsen and the head of the Welcome Center."),
        retention=_("Until the organisation or contact person is removed."),
        models=(
            "partners.Partner",
            "partners.PartnerService",
            "partners.PartnerContact",
            "companies.Company",
            "companies.CompanyContact",
            "companies.SkilledWorkerNeed",
            "companies.ServiceRequest",
            "companies.CompanyEvent",
        ),
    ),
    Activity(
        name=_("User accounts, notifications and e-mail"),
        purpose=_("Log-in, two-factor authentication, messages and e-mails of the portal."),
        legal_basis=_("Performance of the Welcome Center's tasks (Art. 6(1)(e) GDPR)."),
        subjects=_("Staff, partner and company users; recipients of e-mails"),
        recipients=_("The head of the Welcome Center (administration)."),
        retention=_(
            "Accounts until deactivated; sent e-mails are kept 90 days in the outbox, then deleted."
        ),
        models=(
            "accounts.User",
            "accounts.Notification",
            "accounts.OutgoingEmail",
            "reminders.Reminder",
        ),
    ),
    Activity(
        name=_("Audit trail"),
        purpose=_(
            "Accountability and security: who created, changed, deleted or read which "
            "personal data, when, with old and new values."
        ),
        legal_basis=_("Security of processing and accountability (Art. 5(2), Art. 32 GDPR)."),
        subjects=_("Newcomers (as the subject of entries) and staff (as actors)"),
        recipients=_("The head of the Welcome Center; the data-protection officer on request."),
        retention=_(
            "Append-only; the values in entries about a newcomer are blanked when that "
            "newcomer is anonymised, the fact of each access and change stays."
        ),
        models=("auditlog.LogEntry",),
    ),
)
