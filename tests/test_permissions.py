"""The permission matrix: every URL of the URLconf x every role -> the expected answer.

The URLs are collected by walking the URLconf (integreat-cms tests/cms/views/view_config.py), so
a new view without a row in EXPECTED fails `test_every_url_has_an_expected_answer` instead of
going untested. The admin's URLs follow one rule instead of a row each: only the head gets in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from accounts.models import Notification, OutgoingEmail, User
from cases.models import AcceleratedProcedure, Case, Document, FollowUp, Referral
from cases.referrals import make_token
from companies.models import Company, SkilledWorkerNeed
from figures.models import ExportJob, export_dir
from migrants.models import Newcomer
from partners.models import Partner
from tests import factories

# A pending company's applicant is a role of its own here: logged in, yet to see nothing but
# their home page until a Lotse approves the registration.
ROLES = ("anonymous", "lotse", "head", "partner_user", "company_user", "pending_company_user")
SIGNED_IN = ROLES[1:]


@dataclass(frozen=True)
class Redirect:
    """A 302 to the URL named `to`; with `next`, back to the requested page after login."""

    to: str
    next: bool = False

    def __repr__(self) -> str:
        return f"302->{self.to}{'?next' if self.next else ''}"


Expected = int | Redirect

LOGIN = Redirect("account_login", next=True)  # the portal's login page
ADMIN_LOGIN = Redirect("admin:login", next=True)
HOME = Redirect("home")


def roles(anonymous: Expected, signed_in: Expected) -> dict[str, Expected]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in)}


def head_only(anonymous: Expected = ADMIN_LOGIN) -> dict[str, Expected]:
    return {**roles(anonymous, ADMIN_LOGIN), "head": 200}


def center_staff(allowed: Expected, refused: Expected = 403) -> dict[str, Expected]:
    return {**roles(LOGIN, refused), "lotse": allowed, "head": allowed}


def head_page(allowed: Expected) -> dict[str, Expected]:
    """The data-protection pages and user administration: the head of center only."""
    return {**roles(LOGIN, 403), "head": allowed}


def company_page(allowed: Expected, *, staff: Expected = 403) -> dict[str, Expected]:
    """A page of an approved company's users (their own data); `staff` for Lotsen and the
    head where they use it too. Pending and rejected companies are refused."""
    return {**roles(LOGIN, 403), "company_user": allowed, "lotse": staff, "head": staff}


def with_mfa(with_app: Expected, without_app: Expected) -> dict[str, Expected]:
    """Head, Lotsen and partner users have an authenticator app (settings.MFA_REQUIRED_ROLES);
    company users need none."""
    return {
        **roles(LOGIN, with_app),
        "company_user": without_app,
        "pending_company_user": without_app,
    }


# GET of every named URL. Keys are full names with namespace.
EXPECTED: dict[str, dict[str, Expected]] = {
    "home": roles(200, 200),
    # Switching language is a POST (see POST_EXPECTED); a GET just goes back.
    "set_language": roles(HOME, HOME),
    "notifications": roles(LOGIN, 200),
    "notifications_read": roles(LOGIN, 405),
    # migrants: the public intake and the staff's triage queue
    "intake": roles(200, 200),
    "intake_done": roles(Redirect("intake"), Redirect("intake")),  # nothing submitted yet
    "triage": center_staff(200),
    "triage_claim": roles(LOGIN, 405),
    "duplicate_compare": center_staff(200),
    "duplicate_merge": roles(LOGIN, 405),
    "duplicate_dismiss": roles(LOGIN, 405),
    "newcomer_detail": center_staff(200),
    "newcomer_edit": center_staff(200),
    "newcomer_history": center_staff(200),
    "household_member_add": center_staff(200),
    "household_member_edit": center_staff(200),
    "language_skill_add": center_staff(200),
    "language_skill_edit": center_staff(200),
    "residence_permit_add": center_staff(200),
    "residence_permit_edit": center_staff(200),
    "qualification_add": center_staff(200),
    "qualification_edit": center_staff(200),
    "checklist_tick": roles(LOGIN, 405),
    # cases: the workspace of Lotsen and the head
    "case_list": center_staff(Redirect("case_list")),  # to the default filters: mine, open
    "case_bulk": roles(LOGIN, 405),
    "case_detail": center_staff(200),
    "case_status": roles(LOGIN, 405),
    "case_reassign": roles(LOGIN, 405),
    "case_note": roles(LOGIN, 405),
    "case_follow_up": roles(LOGIN, 405),
    "case_document": roles(LOGIN, 405),
    "follow_up_done": roles(LOGIN, 405),
    "document_download": center_staff(200),
    "case_referral": center_staff(200),
    "follow_up_list": center_staff(200),
    "follow_up_move": roles(LOGIN, 405),
    "referral_answer": roles(LOGIN, 405),
    "referral_withdraw": roles(LOGIN, 405),
    "procedure_start": roles(LOGIN, 405),
    "procedure_edit": center_staff(200),
    # partners: the answer to a referral by signed link (no login) or by the partner's account
    "referral_by_link": roles(200, 200),
    "partner_referrals": {**roles(LOGIN, 403), "partner_user": 200},
    "partner_referral_detail": {**roles(LOGIN, 403), "partner_user": 200},
    # partners: the directory of Lotsen and the head; partner users never see it, not even
    # their own entry (their home page is their organisation's referrals)
    "partner_list": center_staff(200),
    "partner_add": center_staff(200),
    "partner_detail": center_staff(200),
    "partner_edit": center_staff(200),
    "partner_set_active": roles(LOGIN, 405),
    "contact_add": center_staff(200),
    "contact_edit": center_staff(200),
    "contact_set_primary": roles(LOGIN, 405),
    "contact_invite": roles(LOGIN, 405),
    # companies: the page after registration (public); a company's own pages; the Lotse's
    # company list and file. Pending companies have their home page only.
    "company_registration_sent": roles(200, 200),
    "need_add": company_page(200),
    "service_request_add": company_page(200),
    "colleague_invite": company_page(200),
    "need_edit": company_page(200, staff=200),
    "need_status": roles(LOGIN, 405),
    "service_request_detail": company_page(200, staff=200),
    "service_request_update": roles(LOGIN, 405),
    "occupation_search": company_page(200, staff=200),
    "company_list": center_staff(200),
    "company_detail": center_staff(200),
    "company_decide": roles(LOGIN, 405),
    "company_note": roles(LOGIN, 405),
    "company_need_add": center_staff(200),
    # privacy: the audit trail, the newcomers' rights, retention; accounts: users and their MFA
    "audit_trail": head_page(200),
    "audit_trail_csv": head_page(200),
    "retention": head_page(200),
    "processing_register": head_page(200),
    "newcomer_export": center_staff(200),
    "newcomer_erase": head_page(200),
    "consent_withdraw": roles(LOGIN, 405),
    "user_list": head_page(200),
    # figures: the head sees the whole center, a Lotse their own caseload; nobody else
    "figures_statistics": center_staff(200),
    "figures_statistics_export": center_staff(200),
    "figures_esf": center_staff(200),
    "figures_esf_export": center_staff(200),
    "figures_participants": roles(LOGIN, 405),
    # An export belongs to whoever asked for it (here the head persona): others get a 404.
    "figures_export": {**center_staff(404), "head": 200},
    "figures_export_download": {**center_staff(404), "head": 200},
    "exit_questionnaire": center_staff(200),
    "user_mfa_reset": roles(LOGIN, 405),
    # reminders: each person's list; the rules are the head's
    "my_reminders": roles(LOGIN, 200),
    "reminder_settings": head_page(200),
    # companies: matching and introductions (Lotsen), introductions to a company's needs
    "need_matches": center_staff(200),
    "newcomer_matches": center_staff(200),
    "introduction_propose": center_staff(200),
    "introduction_detail": center_staff(200),
    "introduction_agreement": roles(LOGIN, 405),
    "introduction_hire": roles(LOGIN, 405),
    "introduction_withdraw": roles(LOGIN, 405),
    "company_introductions": {**roles(LOGIN, 403), "company_user": 200},
    "company_introduction_interest": roles(LOGIN, 405),
    "company_introduction_decline": roles(LOGIN, 405),
    # allauth
    "account_login": roles(200, HOME),
    "account_logout": roles(HOME, 200),  # a confirmation page; the logout itself is a POST
    "account_inactive": roles(200, 200),
    "account_signup": roles(200, HOME),  # shows "sign-up closed" (accounts.adapters)
    "account_reauthenticate": roles(LOGIN, 200),
    "account_email": roles(LOGIN, 200),
    "account_email_verification_sent": roles(200, 200),
    "account_confirm_email": roles(200, 200),  # an unknown key: "link expired or invalid"
    "account_change_password": roles(LOGIN, 200),
    "account_set_password": roles(LOGIN, Redirect("account_change_password")),
    "account_reset_password": roles(200, 200),
    "account_reset_password_done": roles(200, 200),
    "account_reset_password_from_key": roles(200, 200),  # a bad token: "link invalid"
    "account_reset_password_from_key_done": roles(200, 200),
    "account_confirm_login_code": roles(Redirect("account_login"), HOME),  # no login by code
    "mfa_index": roles(LOGIN, 200),
    "mfa_authenticate": roles(Redirect("account_login"), HOME),  # no login in progress
    # Reauthenticating asks for the code of the app; without an app, for the password.
    "mfa_reauthenticate": with_mfa(200, Redirect("account_reauthenticate")),
    "mfa_activate_totp": roles(LOGIN, Redirect("account_reauthenticate", next=True)),
    # Switching it off is refused to those who must have it (accounts.adapters.MFAAdapter),
    # after the reauthentication every change of the second factor asks for first.
    "mfa_deactivate_totp": with_mfa(Redirect("account_reauthenticate", next=True), 404),
    "mfa_view_recovery_codes": roles(LOGIN, 404),
    "mfa_generate_recovery_codes": roles(LOGIN, Redirect("account_reauthenticate", next=True)),
    "mfa_download_recovery_codes": roles(LOGIN, 404),
    # The admin site's own pages (its model pages follow admin_model_rule below).
    "admin:index": head_only(),
    "admin:app_list": head_only(),
    # The admin's own login form knows no second factor: the portal's login instead.
    "admin:login": {**roles(LOGIN, 200), "head": Redirect("admin:index")},
    "admin:logout": {**roles(ADMIN_LOGIN, Redirect("admin:index")), "head": 405},  # POST only
    "admin:password_change": head_only(),
    "admin:password_change_done": head_only(),
    "admin:autocomplete": {**head_only(), "head": 403},  # without its query parameters
    "admin:jsi18n": head_only(),
    "admin:view_on_site": {**head_only(), "head": 404},  # no model has get_absolute_url
}

# POST of the views that change something and answer only (or differently) to POST.
POST_EXPECTED: dict[str, dict[str, Expected]] = {
    "notifications_read": roles(LOGIN, Redirect("notifications")),
    "triage_claim": center_staff(Redirect("triage")),
    "duplicate_merge": center_staff(Redirect("triage")),
    "duplicate_dismiss": center_staff(Redirect("triage")),
    "checklist_tick": center_staff(Redirect("newcomer_detail")),
    "case_bulk": center_staff(Redirect("case_list")),
    "case_status": center_staff(Redirect("case_detail")),
    "case_reassign": center_staff(Redirect("case_detail")),
    "case_note": center_staff(Redirect("case_detail")),
    "case_follow_up": center_staff(Redirect("case_detail")),
    "case_document": center_staff(Redirect("case_detail")),
    "follow_up_done": center_staff(Redirect("case_detail")),
    "partner_add": center_staff(Redirect("partner_detail")),
    "partner_edit": center_staff(Redirect("partner_detail")),
    "partner_set_active": center_staff(Redirect("partner_detail")),
    "contact_add": center_staff(Redirect("partner_detail")),
    "contact_edit": center_staff(Redirect("partner_detail")),
    "contact_set_primary": center_staff(Redirect("partner_detail")),
    "contact_invite": center_staff(Redirect("partner_detail")),
    "consent_withdraw": center_staff(Redirect("newcomer_detail")),
    "case_referral": center_staff(Redirect("case_detail")),
    "follow_up_move": center_staff(Redirect("follow_up_list")),
    "referral_answer": center_staff(Redirect("case_detail")),
    "referral_withdraw": center_staff(Redirect("case_detail")),
    "referral_by_link": roles(Redirect("referral_by_link"), Redirect("referral_by_link")),
    "partner_referral_detail": {
        **roles(LOGIN, 403),
        "partner_user": Redirect("partner_referral_detail"),
    },
    "newcomer_erase": head_page(Redirect("newcomer_detail")),
    "need_add": company_page(Redirect("home")),
    "need_status": company_page(Redirect("home"), staff=Redirect("company_detail")),
    "service_request_add": company_page(Redirect("service_request_detail")),
    "service_request_update": center_staff(Redirect("service_request_detail")),
    "colleague_invite": company_page(Redirect("home")),
    "company_decide": center_staff(Redirect("company_detail")),
    "company_note": center_staff(Redirect("company_detail")),
    "company_need_add": center_staff(Redirect("company_detail")),
    "user_mfa_reset": head_page(Redirect("user_list")),
    "reminder_settings": head_page(Redirect("reminder_settings")),
    "procedure_start": center_staff(Redirect("procedure_edit")),
    "procedure_edit": center_staff(Redirect("case_detail")),
    "introduction_propose": center_staff(Redirect("introduction_detail")),
    "introduction_agreement": center_staff(Redirect("introduction_detail")),
    "introduction_hire": center_staff(Redirect("introduction_detail")),
    "introduction_withdraw": center_staff(Redirect("introduction_detail")),
    "company_introduction_interest": {
        **roles(LOGIN, 403),
        "company_user": Redirect("company_introductions"),
    },
    "company_introduction_decline": {
        **roles(LOGIN, 403),
        "company_user": Redirect("company_introductions"),
    },
    "figures_participants": center_staff(200),  # a short list downloads at once
    "exit_questionnaire": center_staff(Redirect("newcomer_detail")),
    "set_language": roles(HOME, HOME),
    "account_logout": roles(HOME, HOME),
    "admin:logout": {**roles(ADMIN_LOGIN, Redirect("admin:index")), "head": HOME},
}


@dataclass
class Sample:
    """What a URL needs: its arguments and, for a POST, a form that the view accepts."""

    kwargs: dict[str, Any] | None = None
    data: dict[str, Any] = field(default_factory=dict)


def possible_duplicate() -> Sample:
    """A fresh intake, awaiting triage, that looks like an earlier newcomer."""
    original = factories.NewcomerFactory.create()
    duplicate = factories.NewcomerFactory.create(
        intake_submitted_at=timezone.now(), possible_duplicate_of=original
    )
    factories.CaseFactory.create(newcomer=duplicate, owner=None)
    return Sample({"pk": duplicate.pk})


def newcomer_file(part: str = "") -> Callable[[], Sample]:
    """A newcomer's file, with the permit, qualification or checklist entry named by `part`."""

    def build() -> Sample:
        newcomer = factories.NewcomerFactory.create()
        kwargs: dict[str, Any] = {"pk": newcomer.pk}
        if part == "permit_pk":
            kwargs[part] = newcomer.residence_permits.create(title="18b").pk
        elif part == "member_pk":
            kwargs[part] = newcomer.household.create(relation="child", birth_year=2020).pk
        elif part == "skill_pk":
            kwargs[part] = newcomer.languages.create(language="de", level="A2").pk
        elif part == "qualification_pk":
            kwargs[part] = newcomer.qualifications.create(title="Bachelor of Nursing").pk
        elif part == "entry_pk":
            kwargs[part] = newcomer.checklist.create(item="tax_id", due_on=timezone.localdate()).pk
        return Sample(kwargs)

    return build


def case_file() -> Sample:
    """A new case and one form with the fields of every case action (each view takes its own)."""
    case = factories.CaseFactory.create()
    return Sample(
        {"reference": case.reference},
        {
            "status": "in_progress",
            "owner": case.owner.pk,
            "text": "Called the newcomer; viewing on Monday.",
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "assignee": case.owner.pk,
            "kind": Document.Kind.CV,
            "file": SimpleUploadedFile("cv.pdf", b"%PDF-1.4 a CV", "application/pdf"),
        },
    )


def cases_in_bulk() -> Sample:
    case = factories.CaseFactory.create()
    return Sample(data={"cases": [case.pk], "action": "priority", "priority": "3"})


def follow_up() -> Sample:
    return Sample({"pk": factories.FollowUpFactory.create().pk})


def stored_document() -> Sample:
    newcomer = factories.NewcomerFactory.create()
    document = Document.objects.create(
        newcomer=newcomer,
        file=ContentFile(b"%PDF-1.4 a CV", name="cv.pdf"),
        original_name="Lebenslauf.pdf",
        content_type="application/pdf",
        size=13,
    )
    return Sample({"pk": document.pk})


def referral_of_case() -> Sample:
    """A case whose newcomer agreed to sharing, and a form that refers it."""
    case = factories.CaseFactory.create()
    case.newcomer.consents.create(
        scope="partners", text_version="2026-11", language="de", method="intake_form"
    )
    partner = factories.PartnerFactory.create()
    return Sample(
        {"reference": case.reference},
        {"partner": partner.pk, "request": "Please advise on the recognition of a degree."},
    )


def open_referral() -> Sample:
    referral = factories.ReferralFactory.create()
    return Sample(
        {"reference": referral.case.reference, "pk": referral.pk},
        {"text": "Yes, the certificate is translated."},
    )


def referral_link() -> Sample:
    referral = factories.ReferralFactory.create()
    return Sample({"token": make_token(referral)}, {"action": "accept"})


def referral_to_persona() -> Sample:
    """A referral to the partner of the partner_user persona when it exists (the others must
    be refused it either way)."""
    persona = User.objects.filter(email="abh@partner.example").first()
    partner = persona.partner if persona else factories.PartnerFactory.create()
    referral = factories.ReferralFactory.create(partner=partner)
    return Sample({"pk": referral.pk}, {"action": "accept"})


def persona_company() -> Company:
    """The company_user persona's company when that persona is logged in, so that the page
    shows its own data; another approved company otherwise (the others are refused either
    way, or are staff who see every company)."""
    persona = User.objects.filter(email="hr@metallbau.example").first()
    company = persona.company if persona else None
    return company or factories.CompanyFactory.create()


def need_form_data() -> dict[str, Any]:
    return {
        "occupation": "Mechatroniker/in",
        "headcount": "1",
        "qualification_level": "vocational",
        "german_level": "B1",
        "start_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "place": "Aue",
        "kind": "permanent",
        "description": "Ein Workshop für das Team.",
        "name": "Max Meister",
        "email": "max@metallbau.example",
        "status": "withdrawn",
        "decision": "approve",
        "text": "Telefoniert.",
    }


def company_need() -> Sample:
    need = factories.SkilledWorkerNeedFactory.create(company=persona_company())
    return Sample({"pk": need.pk}, need_form_data())


def company_service_request() -> Sample:
    request = factories.ServiceRequestFactory.create(company=persona_company())
    return Sample({"pk": request.pk}, {"status": "in_progress", "text": "Wir sind dran."})


def company_file(*, pending: bool = False) -> Callable[[], Sample]:
    def build() -> Sample:
        status = Company.Status.PENDING if pending else Company.Status.APPROVED
        company = factories.CompanyFactory.create(status=status)
        return Sample({"pk": company.pk}, need_form_data())

    return build


def service_request_form() -> Sample:
    return Sample(data={"kind": "training", "description": "Ein Workshop für das Team."})


def erasable_newcomer() -> Sample:
    newcomer = factories.NewcomerFactory.create()
    return Sample(
        {"pk": newcomer.pk},
        {"understood": "on", "reference": newcomer.reference, "reason": "request"},
    )


def consent() -> Sample:
    newcomer = factories.NewcomerFactory.create()
    record = newcomer.consents.create(
        scope="partners", text_version="2026-11", language="de", method="intake_form"
    )
    return Sample({"pk": newcomer.pk, "consent_pk": record.pk})


def export_of_head(*, done: bool = False) -> Callable[[], Sample]:
    """An export job of the head persona when it exists (the others must get a 404)."""

    def build() -> Sample:
        head = User.objects.filter(email="leitung@welcome-center.example").first()
        job = ExportJob.objects.create(
            requested_by=head or factories.HeadFactory.create(),
            kind="participants",
            format="csv",
            start=timezone.localdate(),
            end=timezone.localdate(),
            expires_at=timezone.now() + timedelta(days=1),
        )
        if done:
            export_dir().mkdir(parents=True, exist_ok=True)
            (export_dir() / f"{job.pk}.csv").write_text("Reference\n")
            ExportJob.objects.filter(pk=job.pk).update(status="done", file_name=f"{job.pk}.csv")
        return Sample({"pk": job.pk})

    return build


def newcomer_after_last_case() -> Sample:
    case = factories.CaseFactory.create(
        status="closed", closed_at=timezone.now(), outcome="achieved"
    )
    return Sample(
        {"pk": case.newcomer_id}, {"employment": "employed", "qualification_gained": "on"}
    )


def directory_partner(*, contact: bool = False) -> Callable[[], Sample]:
    """A partner (and one of its contacts), with one form holding the fields of every
    directory action (each view takes its own)."""

    def build() -> Sample:
        partner = factories.PartnerFactory.create()
        kwargs: dict[str, Any] = {"pk": partner.pk}
        if contact:
            kwargs["contact_pk"] = factories.PartnerContactFactory.create(partner=partner).pk
        return Sample(
            kwargs,
            {
                "name": "Kita Sonnenschein",
                "type": "kita",
                "categories": ["childcare"],
                "response_days": "5",
                "email": "sonnenschein@kita.example",
                "language": "de",
                "active": "0",
            },
        )

    return build


def reminder_rules() -> Sample:
    """The rules as they are: a valid form that the head's page saves."""
    return Sample(
        data={
            "follow_ups": "on",
            "escalation_working_days": "3",
            "permit_warning_days": "90, 30",
            "inactivity_days": "14",
            "check_in_months": "1, 3, 6",
        }
    )


def case_with_procedure() -> Sample:
    case = factories.CaseFactory.create()
    AcceleratedProcedure.objects.create(case=case)
    signed = (timezone.localdate() - timedelta(days=3)).isoformat()
    return Sample({"reference": case.reference}, {"power_of_attorney_on": signed})


def matchable_newcomer() -> Newcomer:
    newcomer = factories.NewcomerFactory.create(profession="Mechatroniker")
    newcomer.consents.create(
        scope="processing", text_version="2026-11", language="de", method="intake_form"
    )
    return newcomer


def proposal() -> Sample:
    """A need and a newcomer who agreed to share their profile with the need's company."""
    need = factories.SkilledWorkerNeedFactory.create()
    newcomer = matchable_newcomer()
    newcomer.consents.create(
        scope="company", company=need.company, text_version="2026-11", language="de",
        method="intake_form",
    )  # fmt: skip
    return Sample({"pk": need.pk, "newcomer_pk": newcomer.pk}, {"note_to_company": ""})


def introduction(status: str) -> Callable[[], Sample]:
    """An introduction at `status`, with a form for the step that follows it."""

    def build() -> Sample:
        agreed = timezone.now() if status in ("agreed", "hired") else None
        intro = factories.IntroductionFactory.create(status=status, agreed_at=agreed)
        start = (timezone.localdate() + timedelta(days=30)).isoformat()
        return Sample({"pk": intro.pk}, {"start": start, "reason": "Position filled"})

    return build


def introduction_to_persona() -> Sample:
    """A proposed introduction to a need of the company_user persona's company when it exists
    (everyone else must be refused it either way)."""
    persona = User.objects.filter(email="hr@metallbau.example").first()
    company = persona.company if persona else factories.CompanyFactory.create()
    need = factories.SkilledWorkerNeedFactory.create(company=company)
    intro = factories.IntroductionFactory.create(need=need)
    return Sample({"pk": intro.pk}, {"reason": "Not the right time"})


# Sample arguments and forms for URLs that need them (admin object URLs: see url_for).
SAMPLES: dict[str, Callable[[], Sample]] = {
    "account_confirm_email": lambda: Sample({"key": "MQ:1tT8Xs:not-a-real-key"}),
    "account_reset_password_from_key": lambda: Sample({"uidb36": "1", "key": "not-a-real-key"}),
    "set_language": lambda: Sample(data={"language": "en"}),
    "triage_claim": possible_duplicate,
    "duplicate_compare": possible_duplicate,
    "duplicate_merge": possible_duplicate,
    "duplicate_dismiss": possible_duplicate,
    "newcomer_detail": newcomer_file(),
    "newcomer_edit": newcomer_file(),
    "newcomer_history": newcomer_file(),
    "household_member_add": newcomer_file(),
    "household_member_edit": newcomer_file("member_pk"),
    "language_skill_add": newcomer_file(),
    "language_skill_edit": newcomer_file("skill_pk"),
    "residence_permit_add": newcomer_file(),
    "residence_permit_edit": newcomer_file("permit_pk"),
    "qualification_add": newcomer_file(),
    "qualification_edit": newcomer_file("qualification_pk"),
    "checklist_tick": newcomer_file("entry_pk"),
    "case_bulk": cases_in_bulk,
    "case_detail": case_file,
    "case_status": case_file,
    "case_reassign": case_file,
    "case_note": case_file,
    "case_follow_up": case_file,
    "case_document": case_file,
    "follow_up_done": follow_up,
    "document_download": stored_document,
    "newcomer_export": newcomer_file(),
    "newcomer_erase": erasable_newcomer,
    "consent_withdraw": consent,
    "user_mfa_reset": lambda: Sample({"pk": factories.LotseFactory.create().pk}),
    "case_referral": referral_of_case,
    "follow_up_move": lambda: Sample(
        {"pk": factories.FollowUpFactory.create().pk},
        {"due_on": (timezone.localdate() + timedelta(days=3)).isoformat()},
    ),
    "referral_answer": open_referral,
    "referral_withdraw": open_referral,
    "referral_by_link": referral_link,
    "partner_referral_detail": referral_to_persona,
    "partner_add": lambda: Sample(data=directory_partner()().data),
    "partner_detail": directory_partner(),
    "partner_edit": directory_partner(),
    "partner_set_active": directory_partner(),
    "contact_add": directory_partner(),
    "contact_edit": directory_partner(contact=True),
    "contact_set_primary": directory_partner(contact=True),
    "contact_invite": directory_partner(contact=True),
    "reminder_settings": reminder_rules,
    "procedure_start": case_file,
    "procedure_edit": case_with_procedure,
    "need_matches": lambda: Sample({"pk": factories.SkilledWorkerNeedFactory.create().pk}),
    "newcomer_matches": lambda: Sample({"pk": matchable_newcomer().pk}),
    "introduction_propose": proposal,
    "introduction_detail": introduction("proposed"),
    "introduction_agreement": introduction("interested"),
    "introduction_hire": introduction("agreed"),
    "introduction_withdraw": introduction("proposed"),
    "company_introduction_interest": introduction_to_persona,
    "company_introduction_decline": introduction_to_persona,
    "need_add": lambda: Sample(data=need_form_data()),
    "need_edit": company_need,
    "need_status": company_need,
    "service_request_add": service_request_form,
    "service_request_detail": company_service_request,
    "service_request_update": company_service_request,
    "colleague_invite": lambda: Sample(data=need_form_data()),
    "company_detail": company_file(),
    "company_decide": company_file(pending=True),
    "company_note": company_file(),
    "company_need_add": company_file(),
    "figures_statistics_export": lambda: Sample({"table": "summary", "fmt": "csv"}),
    "figures_esf_export": lambda: Sample({"fmt": "xlsx"}),
    "figures_participants": lambda: Sample(data={"format": "csv"}),
    "figures_export": export_of_head(),
    "figures_export_download": export_of_head(done=True),
    "exit_questionnaire": newcomer_after_last_case,
}


ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    """Every named URL of the URLconf, with its namespace (e.g. "admin:index")."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def admin_model_urls() -> dict[str, tuple[type[Model], str]]:
    """admin:<app>_<model>_<view> -> (model, view), for every model registered in the admin."""
    urls = {}
    for model in admin.site._registry:
        for view in ADMIN_MODEL_VIEWS:
            urls[f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"] = (model, view)
    urls["admin:auth_user_password_change"] = (User, "password")
    return urls


def admin_model_rule() -> dict[str, Expected]:
    # ModelAdmin pages do not name the admin login for Django's LoginRequiredMiddleware, so an
    # anonymous visitor goes to the portal's login page; other roles are refused by the admin.
    return head_only(anonymous=LOGIN)


# Where a model's admin is read-only by design, even the head is refused the change pages.
ADMIN_EXCEPTIONS: dict[str, dict[str, Expected]] = {
    "admin:auditlog_logentry_add": {"head": 403},  # the audit trail is never written by hand
    "admin:auditlog_logentry_delete": {"head": 403},
}


ADMIN_MODEL_URLS = admin_model_urls()
ALL_URL_NAMES = sorted(set(url_names()))


def expected_for(name: str) -> dict[str, Expected] | None:
    if name in ADMIN_MODEL_URLS:
        return {**admin_model_rule(), **ADMIN_EXCEPTIONS.get(name, {})}
    return EXPECTED.get(name)


def sample_object(model: type[Model]) -> Model:
    """One row of each model the admin shows, so that its list and change pages render data."""
    lotse = factories.LotseFactory.create
    builders: dict[type[Model], Callable[[], Model]] = {
        Group: lambda: Group.objects.create(name="Lotsen"),
        EmailAddress: lambda: EmailAddress.objects.create(
            user=lotse(), email="mail@welcome-center.example", verified=True, primary=True
        ),
        Authenticator: lambda: Authenticator.objects.create(
            user=lotse(),
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": "00", "used_mask": 0},
        ),
        User: lotse,
        Notification: lambda: Notification.objects.create(recipient=lotse(), text="A new intake"),
        OutgoingEmail: lambda: OutgoingEmail.objects.create(
            to="x@example.org", subject="Hello", body_text="Hi", template="t", language="de"
        ),
        Newcomer: factories.NewcomerFactory.create,
        Partner: factories.PartnerFactory.create,
        Company: factories.CompanyFactory.create,
        SkilledWorkerNeed: factories.SkilledWorkerNeedFactory.create,
        Case: factories.CaseFactory.create,
        Referral: factories.ReferralFactory.create,
        FollowUp: factories.FollowUpFactory.create,
        LogEntry: lambda: LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Partner),
            object_pk="1",
            object_id=1,
            object_repr="Jobcenter Erzgebirge",
            action=LogEntry.Action.UPDATE,
            changes={"response_days": ["5", "10"]},
        ),
        Document: lambda: Document.objects.create(
            newcomer=factories.NewcomerFactory.create(),
            file="documents/2026/01/0123abcd",
            original_name="Lebenslauf.pdf",
            content_type="application/pdf",
            size=48_000,
        ),
    }
    assert model in builders, f"Add a sample {model.__name__} to sample_object() for its admin."
    return builders[model]()


def sample_for(name: str, role: str) -> Sample:
    if name in ADMIN_MODEL_URLS:
        model, view = ADMIN_MODEL_URLS[name]
        # Everyone but the head is turned away before the admin looks the object up, so only
        # the head needs one; the others ask for an id that need not exist.
        pk = sample_object(model).pk if role == "head" else 1
        if view == "password":
            return Sample({"id": pk})
        if view in ("change", "history", "delete"):
            return Sample({"object_id": pk})
        return Sample()
    if name == "admin:app_list":
        return Sample({"app_label": "cases"})
    if name == "admin:view_on_site":
        partner = factories.PartnerFactory.create()
        content_type = ContentType.objects.get_for_model(Partner)
        return Sample({"content_type_id": content_type.pk, "object_id": partner.pk})
    return SAMPLES[name]() if name in SAMPLES else Sample()


def check(response: HttpResponseBase, expected: Expected, url: str) -> None:
    if isinstance(expected, int):
        assert response.status_code == expected, response.get("Location", "")
        return
    assert response.status_code == 302, f"expected {expected!r}, got {response.status_code}"
    location = urlsplit(response["Location"])
    assert resolve(location.path).view_name == expected.to, response["Location"]
    if expected.next:
        assert parse_qs(location.query).get("next") == [url], response["Location"]


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Settings, upload_dir: Path) -> None:
    # Documents are stored and downloaded here, not in var/uploads.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": upload_dir, "base_url": None},
        },
    }


def client_as(role: str, request: pytest.FixtureRequest) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


MATRIX = [
    (name, role)
    for name in ALL_URL_NAMES
    if (answers := expected_for(name)) is not None
    for role in answers
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), MATRIX)
def test_get(name: str, role: str, request: pytest.FixtureRequest) -> None:
    client = client_as(role, request)
    url = reverse(name, kwargs=sample_for(name, role).kwargs)
    expected = expected_for(name)
    assert expected is not None
    check(client.get(url), expected[role], url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "role"), [(name, role) for name, answers in POST_EXPECTED.items() for role in answers]
)
def test_post(name: str, role: str, request: pytest.FixtureRequest) -> None:
    client = client_as(role, request)
    sample = sample_for(name, role)
    url = reverse(name, kwargs=sample.kwargs)
    check(client.post(url, sample.data), POST_EXPECTED[name][role], url)


def test_every_url_has_an_expected_answer() -> None:
    missing = [name for name in ALL_URL_NAMES if expected_for(name) is None]
    assert not missing, f"Add these URL names to EXPECTED in {__name__}: {missing}"


def test_every_expected_answer_is_for_a_url_that_exists() -> None:
    stale = (set(EXPECTED) | set(POST_EXPECTED) | set(SAMPLES) | set(ADMIN_EXCEPTIONS)) - set(
        ALL_URL_NAMES
    )
    assert not stale, f"These URL names are gone from the URLconf: {sorted(stale)}"


def test_every_url_is_asked_of_every_role() -> None:
    for name in ALL_URL_NAMES:
        answers = expected_for(name) or {}
        assert set(answers) == set(ROLES), name
    for name, answers in POST_EXPECTED.items():
        assert set(answers) == set(ROLES), name


def test_every_model_in_the_admin_is_covered_by_the_rule() -> None:
    names = set(ALL_URL_NAMES)
    for name in ADMIN_MODEL_URLS:
        assert name in names, f"{name} is not in the URLconf: has the admin changed its names?"
