"""Newcomers and what a Lotse needs to know about them (DOMAIN.md, "Newcomers")."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Upper
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

if TYPE_CHECKING:
    from accounts.models import User

# EU, EEA and Switzerland: their citizens need no residence title (freedom of movement), and the
# funder counts everyone else as a third-country national.
FREE_MOVEMENT_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "IS",
        "LI",
        "NO",
        "CH",
    ]
)


# Language names by code, untranslated (Django's own catalogs translate them).
LANGUAGE_NAMES = dict(ALL_LANGUAGES)


class IntakeLanguage(models.TextChoices):
    """The languages the public intake speaks; the newcomer's preferred language is one of them."""

    GERMAN = "de", "Deutsch"
    ENGLISH = "en", "English"
    UKRAINIAN = "uk", "Українська"
    ARABIC = "ar", "العربية"
    RUSSIAN = "ru", "Русский"
    TURKISH = "tr", "Türkçe"
    POLISH = "pl", "Polski"
    ROMANIAN = "ro", "Română"


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    DIVERSE = "diverse", _("diverse")
    NOT_STATED = "not_stated", _("not stated")


class KindOfArrival(models.TextChoices):
    ABROAD_EU = "abroad_eu", _("from abroad (EU citizen)")
    ABROAD_THIRD_COUNTRY = "abroad_third", _("from abroad (third-country national)")
    RETURNEE = "returnee", _("returnee")
    COMMUTER = "commuter", _("commuter")
    DOMESTIC = "domestic", _("move from elsewhere in Germany")
    INTERN = "intern", _("intern from abroad")
    APPRENTICE = "apprentice", _("apprentice")
    STUDENT = "student", _("student")
    FAMILY = "family", _("accompanying family member")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    MESSENGER = "messenger", _("messenger (e.g. WhatsApp, Signal)")
    IN_PERSON = "in_person", _("in person")


class CEFRLevel(models.TextChoices):
    # The values sort in order of ability (A1 < ... < C2 < NATIVE), so "at least B1" is a plain
    # `level__gte="B1"` in SQL.
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "NATIVE", _("native language")


class EducationLevel(models.TextChoices):
    """The ISCED groups of the ESF+ indicators."""

    ISCED_0_2 = "isced_0_2", _("primary or lower secondary (ISCED 0-2)")
    ISCED_3_4 = "isced_3_4", _("upper secondary or vocational training (ISCED 3-4)")
    ISCED_5_8 = "isced_5_8", _("university, master craftsman or technician (ISCED 5-8)")
    NOT_STATED = "not_stated", _("not stated")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("employed")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    UNEMPLOYED = "unemployed", _("unemployed, looking for work")
    IN_EDUCATION = "in_education", _("in school, training or studies")
    INACTIVE = "inactive", _("not working and not looking (e.g. parental leave)")
    NOT_STATED = "not_stated", _("not stated")


class ForeignBackground(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    NOT_STATED = "not_stated", _("not stated")


class ResidenceTitle(models.TextChoices):
    EU_FREE_MOVEMENT = "eu", _("EU freedom of movement (no title needed)")
    TRAINING_16A = "16a", _("§ 16a vocational training")
    STUDY_16B = "16b", _("§ 16b study")
    RECOGNITION_16D = "16d", _("§ 16d measures for recognition")
    SKILLED_VOCATIONAL_18A = "18a", _("§ 18a skilled worker with vocational training")
    SKILLED_DEGREE_18B = "18b", _("§ 18b skilled worker with a degree")
    SETTLEMENT_18C = "18c", _("§ 18c settlement permit (no expiry)")
    BLUE_CARD_18G = "18g", _("§ 18g EU Blue Card")
    OTHER_EMPLOYMENT_19C = "19c", _("§ 19c other employment")
    CHANCENKARTE_20A = "20a", _("§ 20a Chancenkarte (job search)")
    VISA = "visa", _("national visa")
    OTHER = "other", _("other title")


class NewcomerQuerySet(models.QuerySet["Newcomer"]):
    def visible_to(self, user: User) -> NewcomerQuerySet:
        """Lotsen and the head see every newcomer of the center. Partners see a referral's
        minimum through the referral, companies an introduced profile through the
        introduction; neither ever gets the newcomer record itself."""
        if user.is_authenticated and user.is_center_staff:
            return self.all()
        return self.none()

    def awaiting_triage(self) -> NewcomerQuerySet:
        return self.filter(intake_submitted_at__isnull=False, triaged_at__isnull=True)

    def not_anonymised(self) -> NewcomerQuerySet:
        return self.filter(anonymised_at__isnull=True)


class Newcomer(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.NOT_STATED
    )
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=IntakeLanguage.choices,
        default=IntakeLanguage.GERMAN,
    )
    preferred_channel = models.CharField(
        _("preferred channel"),
        max_length=16,
        choices=ContactChannel.choices,
        default=ContactChannel.EMAIL,
    )
    kind_of_arrival = models.CharField(
        _("kind of arrival"), max_length=16, choices=KindOfArrival.choices
    )
    country_of_origin = CountryField(_("country of origin"), blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    foreign_background = models.CharField(
        _("foreign background"),
        max_length=16,
        choices=ForeignBackground.choices,
        default=ForeignBackground.NOT_STATED,
    )
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    arrival_is_planned = models.BooleanField(_("arrival still planned"), default=False)
    coming_from = models.CharField(_("coming from"), max_length=150, blank=True)
    current_place = models.CharField(_("current place of residence"), max_length=150, blank=True)
    target_place = models.CharField(_("target place in the region"), max_length=150, blank=True)
    employment_status_on_entry = models.CharField(
        _("employment status on entry"),
        max_length=16,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.NOT_STATED,
    )
    education_level = models.CharField(
        _("highest education level"),
        max_length=16,
        choices=EducationLevel.choices,
        default=EducationLevel.NOT_STATED,
    )
    profession = models.CharField(_("profession"), max_length=150, blank=True)
    target_company = models.ForeignKey(
        "companies.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="prospective_newcomers",
        verbose_name=_("employer or target company"),
    )
    target_company_name = models.CharField(
        _("employer or target company (as given)"), max_length=150, blank=True
    )
    # The first working day in the region; the check-ins after 1, 3 and 6 months count from it.
    started_work_on = models.DateField(_("started work on"), null=True, blank=True)
    intake_submitted_at = models.DateTimeField(_("intake submitted"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="possible_duplicates",
        verbose_name=_("possible duplicate of"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # What the case search matches a name, e-mail or phone against: one column with one
    # trigram index on PostgreSQL (cases/migrations/0003), computed by the database.
    search_text = models.GeneratedField(
        expression=Upper(
            Concat(
                "first_name",
                Value(" "),
                "last_name",
                Value(" "),
                "email",
                Value(" "),
                "phone",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = NewcomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("newcomer")
        verbose_name_plural = _("newcomers")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="newcomer_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind_of_arrival__in=KindOfArrival.values),
                name="newcomer_kind_of_arrival_valid",
            ),
            models.CheckConstraint(
                condition=Q(triaged_at__isnull=True) | Q(intake_submitted_at__isnull=False),
                name="newcomer_triaged_only_after_intake",
            ),
            models.CheckConstraint(
                condition=~Q(possible_duplicate_of=models.F("pk")),
                name="newcomer_not_duplicate_of_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="newcomer_name_idx"),
            models.Index(fields=["email"], name="newcomer_email_idx"),
            # Few newcomers name a known company or look like a duplicate: only those are
            # indexed, so an intake does not write two index entries for nothing.
            models.Index(
                fields=["target_company"],
                condition=Q(target_company__isnull=False),
                name="newcomer_target_company_idx",
            ),
            models.Index(
                fields=["possible_duplicate_of"],
                condition=Q(possible_duplicate_of__isnull=False),
                name="newcomer_duplicate_of_idx",
            ),
            # The duplicate check of every intake: same e-mail, or same name and birth date,
            # both compared case-insensitively.
            models.Index(Upper("email"), name="newcomer_email_upper_idx"),
            models.Index(
                Upper("last_name"),
                Upper("first_name"),
                "birth_date",
                name="newcomer_name_birth_upper_idx",
            ),
            models.Index(fields=["country_of_origin"], name="newcomer_origin_idx"),
            models.Index(fields=["kind_of_arrival"], name="newcomer_arrival_kind_idx"),
            models.Index(
                fields=["intake_submitted_at"],
                condition=Q(intake_submitted_at__isnull=False, triaged_at__isnull=True),
                name="newcomer_awaiting_triage_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.reference

    @property
    def full_name(self) -> str:
        return str(self)

    def get_additional_data(self) -> dict[str, int]:
        # django-auditlog stores this with every entry, so the trail of one newcomer (their
        # record and everything that hangs off it) is one indexed lookup, even for rows that
        # were deleted since (privacy/migrations/0002).
        return {"newcomer": self.pk}

    @property
    def is_third_country_national(self) -> bool:
        return bool(self.nationality) and self.nationality.code not in FREE_MOVEMENT_COUNTRIES


class HouseholdMember(models.Model):
    class Relation(models.TextChoices):
        PARTNER = "partner", pgettext_lazy("life partner", "partner")
        CHILD = "child", _("child")
        OTHER = "other", _("other relative")

    newcomer = models.ForeignKey(
        Newcomer, on_delete=models.CASCADE, related_name="household", verbose_name=_("newcomer")
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    # A year, not a date: it is all a Kita or school case needs.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    comes_along = models.BooleanField(_("lives or will live in the region"), default=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["newcomer", "relation", "birth_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(relation__in=["partner", "child", "other"]),
                name="household_relation_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="household_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        born = f" ({self.birth_year})" if self.birth_year else ""
        return f"{self.get_relation_display()}{born}"

    def get_additional_data(self) -> dict[str, int]:
        return {"newcomer": self.newcomer_id}


class LanguageSkill(models.Model):
    newcomer = models.ForeignKey(
        Newcomer, on_delete=models.CASCADE, related_name="languages", verbose_name=_("newcomer")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=[(code, _(name)) for code, name in ALL_LANGUAGES]
    )
    level = models.CharField(_("level (CEFR)"), max_length=8, choices=CEFRLevel.choices)

    class Meta:
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        ordering = ["newcomer", "language"]
        constraints = [
            models.UniqueConstraint(fields=["newcomer", "language"], name="languageskill_unique"),
            models.CheckConstraint(
                condition=Q(level__in=CEFRLevel.values), name="languageskill_level_valid"
            ),
        ]
        indexes = [models.Index(fields=["language", "level"], name="languageskill_level_idx")]

    def __str__(self) -> str:
        # One catalogue lookup: get_language_display() would translate all hundred names to
        # find one (the intake's audit trail names every language skill it stores).
        language = LANGUAGE_NAMES.get(self.language)
        name = gettext(language) if language else self.language
        return f"{name} {self.get_level_display()}"

    def get_additional_data(self) -> dict[str, int]:
        return {"newcomer": self.newcomer_id}


class RecognitionOutcome(models.TextChoices):
    FULL = "full", _("full equivalence")
    PARTIAL = "partial", _("partial equivalence")
    NONE = "none", _("no equivalence")


class Qualification(models.Model):
    """A degree or vocational qualification, with the state of its recognition in Germany."""

    newcomer = models.ForeignKey(
        Newcomer,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("newcomer"),
    )
    title = models.CharField(_("degree or qualification"), max_length=150)
    profession = models.CharField(_("profession"), max_length=150, blank=True)
    country = CountryField(_("country where obtained"), blank=True)
    year = models.PositiveSmallIntegerField(_("year obtained"), null=True, blank=True)
    education_level = models.CharField(
        _("level"), max_length=16, choices=EducationLevel.choices, default=EducationLevel.NOT_STATED
    )
    reference_occupation = models.CharField(
        _("German reference occupation"), max_length=150, blank=True
    )
    is_regulated = models.BooleanField(_("regulated profession"), null=True, blank=True)
    competent_authority = models.ForeignKey(
        "partners.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("competent authority"),
    )
    documents_complete_on = models.DateField(_("documents complete on"), null=True, blank=True)
    application_submitted_on = models.DateField(
        _("application submitted on"), null=True, blank=True
    )
    decision_on = models.DateField(_("decision on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=RecognitionOutcome.choices, blank=True
    )
    required_measure = models.CharField(
        _("required measure (adaptation course, exam)"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["newcomer", "-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1940, year__lte=2100),
                name="qualification_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(decision_on__isnull=False),
                name="qualification_outcome_needs_decision_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, int]:
        return {"newcomer": self.newcomer_id}

    @property
    def is_decision_overdue(self) -> bool:
        """By law the authority decides within three months of complete documents."""
        if self.decision_on or not self.documents_complete_on:
            return False
        today = timezone.localdate()
        return self.documents_complete_on < today - relativedelta(months=3)


class ResidencePermit(models.Model):
    newcomer = models.ForeignKey(
        Newcomer,
        on_delete=models.CASCADE,
        related_name="residence_permits",
        verbose_name=_("newcomer"),
    )
    title = models.CharField(_("residence title"), max_length=16, choices=ResidenceTitle.choices)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    renewal_applied_on = models.DateField(_("renewal applied on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("residence permit")
        verbose_name_plural = _("residence permits")
        ordering = ["newcomer", "-expires_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(title__in=ResidenceTitle.values), name="residencepermit_title_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="residencepermit_expires_after_issue",
            ),
        ]
        indexes = [
            # INCLUDE: the dashboard reads whose permits expire from the index alone.
            models.Index(
                fields=["expires_on"],
                include=["newcomer"],
                condition=Q(expires_on__isnull=False, renewal_applied_on__isnull=True),
                name="residencepermit_expiry_idx",
            )
        ]

    def __str__(self) -> str:
        return self.get_title_display()

    def get_additional_data(self) -> dict[str, int]:
        return {"newcomer": self.newcomer_id}

    @property
    def expires_soon(self) -> bool:
        """Highlighted from 90 days before expiry until the renewal has been applied for."""
        if not self.expires_on or self.renewal_applied_on:
            return False
        return self.expires_on <= timezone.localdate() + timedelta(days=90)


class ConsentScope(models.TextChoices):
    PROCESSING = "processing", _("processing of my data by the Welcome Center")
    SHARE_WITH_PARTNERS = "partners", _("sharing name, contact and request with partner agencies")
    # With one company (ConsentRecord.company): first an anonymised profile, then, once the
    # newcomer agrees to an introduction, name and contact.
    SHARE_WITH_COMPANY = "company", _("sharing my profile with a company looking for staff")


class ConsentMethod(models.TextChoices):
    INTAKE_FORM = "intake_form", _("intake form")
    ORAL = "oral", _("oral, recorded by a Lotse")
    WRITTEN = "written", _("written, on paper")


class ConsentRecord(models.Model):
    """The lawful basis: what exactly the newcomer agreed to (text version and language), when,
    and how. Withdrawal is a date on the record, never a deletion."""

    newcomer = models.ForeignKey(
        Newcomer, on_delete=models.CASCADE, related_name="consents", verbose_name=_("newcomer")
    )
    scope = models.CharField(_("scope"), max_length=16, choices=ConsentScope.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    # SHA-256 of the exact text shown, so the wording consented to can be proven later.
    text_digest = models.CharField(_("digest of the text shown"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=IntakeLanguage.choices)
    method = models.CharField(_("method"), max_length=16, choices=ConsentMethod.choices)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # For consent to share with one company: which one.
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("company"),
    )

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["newcomer", "-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=ConsentScope.values), name="consent_scope_valid"
            ),
            # Consent a Lotse took down orally or on paper names the Lotse who did.
            models.CheckConstraint(
                condition=Q(method="intake_form") | Q(recorded_by__isnull=False),
                name="consent_non_form_has_recorder",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(scope="company", company__isnull=False)
                | (~Q(scope="company") & Q(company__isnull=True)),
                name="consent_company_scope_names_company",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.text_version}, {self.language})"

    def get_additional_data(self) -> dict[str, int]:
        return {"newcomer": self.newcomer_id}


class ChecklistItem(models.TextChoices):
    ADDRESS_REGISTERED = "address", _("address registered (Anmeldung)")
    TAX_ID = "tax_id", _("tax ID received")
    HEALTH_INSURANCE = "health_insurance", _("health insurance")
    BANK_ACCOUNT = "bank_account", _("bank account")
    KITA_APPLIED = "kita", _("Kita place applied for")
    SCHOOL_REGISTERED = "school", _("school registration")


class ArrivalChecklistEntry(models.Model):
    """One item of the arrival checklist, due a fixed number of days after arrival."""

    newcomer = models.ForeignKey(
        Newcomer, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("newcomer")
    )
    item = models.CharField(_("item"), max_length=20, choices=ChecklistItem.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        verbose_name = _("arrival checklist item")
        verbose_name_plural = _("arrival checklist items")
        ordering = ["newcomer", "due_on", "item"]
        constraints = [
            models.UniqueConstraint(fields=["newcomer", "item"], name="checklist_item_unique"),
        ]
        indexes = [
            # INCLUDE: the dashboard reads whose items are overdue from the index alone.
            models.Index(
                fields=["due_on"],
                include=["newcomer"],
                condition=Q(done_on__isnull=True),
                name="checklist_open_idx",
            )
        ]

    def __str__(self) -> str:
        return self.get_item_display()

    def get_additional_data(self) -> dict[str, int]:
        return {"newcomer": self.newcomer_id}

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()
