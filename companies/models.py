"""Companies of the region, their contact persons and their skilled-worker needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from migrants.models import CEFRLevel

if TYPE_CHECKING:
    from accounts.models import User


class Sector(models.TextChoices):
    CRAFTS = "crafts", _("crafts (Handwerk)")
    INDUSTRY = "industry", _("industry and manufacturing")
    CARE = "care", _("health and care")
    LOGISTICS = "logistics", _("logistics")
    HOSPITALITY = "hospitality", _("hospitality and tourism")
    IT = "it", _("IT and services")
    TRADE = "trade", _("trade")
    PUBLIC = "public", _("public sector and education")
    OTHER = "other", _("other")


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1 to 9 employees")
    SMALL = "10-49", _("10 to 49 employees")
    MEDIUM = "50-249", _("50 to 249 employees")
    LARGE = "250+", _("250 or more employees")


class Chamber(models.TextChoices):
    HWK = "hwk", _("chamber of crafts (HWK)")
    IHK = "ihk", _("chamber of industry and commerce (IHK)")
    NONE = "none", _("none")


class CompanyQuerySet(models.QuerySet["Company"]):
    def visible_to(self, user: User) -> CompanyQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_center_staff:
            return self.all()
        if user.company is not None:
            return self.filter(pk=user.company.pk)
        return self.none()

    def approved(self) -> CompanyQuerySet:
        return self.filter(status=Company.Status.APPROVED)


class Company(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=50, blank=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    size_band = models.CharField(_("size"), max_length=8, choices=SizeBand.choices)
    street = models.CharField(_("street"), max_length=150, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100)
    chamber = models.CharField(
        _("chamber"), max_length=8, choices=Chamber.choices, default=Chamber.NONE
    )
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("approved or rejected"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="company_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="company_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "name"], name="company_status_idx")]

    def __str__(self) -> str:
        return self.name


class CompanyContact(models.Model):
    """A person at a company; the ones who log in have a user account."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("company")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="company_contact",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = PhoneNumberField(_("phone"), blank=True)

    class Meta:
        verbose_name = _("company contact")
        verbose_name_plural = _("company contacts")
        ordering = ["company", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})"


class QualificationLevel(models.TextChoices):
    UNSKILLED = "unskilled", _("no formal qualification")
    VOCATIONAL = "vocational", _("vocational training")
    MASTER = "master", _("master craftsman or technician")
    DEGREE = "degree", _("university degree")


class NeedKind(models.TextChoices):
    PERMANENT = "permanent", _("permanent job")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    INTERNSHIP = "internship", _("internship")
    SEASONAL = "seasonal", _("seasonal work")


class SkilledWorkerNeedQuerySet(models.QuerySet["SkilledWorkerNeed"]):
    def visible_to(self, user: User) -> SkilledWorkerNeedQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_center_staff:
            return self.all()
        if user.company is not None:
            return self.filter(company=user.company)
        return self.none()

    def open(self) -> SkilledWorkerNeedQuerySet:
        return self.filter(
            status__in=[SkilledWorkerNeed.Status.OPEN, SkilledWorkerNeed.Status.IN_PROGRESS]
        )


class SkilledWorkerNeed(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        FILLED = "filled", _("filled")
        WITHDRAWN = "withdrawn", _("withdrawn")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="needs", verbose_name=_("company")
    )
    occupation = models.CharField(_("occupation"), max_length=150)
    # KldB 2010 (five digits) or ISCO-08 (four digits).
    occupation_code = models.CharField(
        _("occupation code (KldB 2010 or ISCO-08)"), max_length=10, blank=True
    )
    headcount = models.PositiveSmallIntegerField(_("number of people"), default=1)
    qualification_level = models.CharField(
        _("qualification level"), max_length=16, choices=QualificationLevel.choices
    )
    german_level = models.CharField(
        _("German level required"), max_length=8, choices=CEFRLevel.choices
    )
    other_languages = models.CharField(_("other languages"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    place = models.CharField(_("place of work"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=NeedKind.choices)
    remarks = models.TextField(_("remarks"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = SkilledWorkerNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("skilled-worker need")
        verbose_name_plural = _("skilled-worker needs")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=1, headcount__lte=500), name="need_headcount_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "filled", "withdrawn"]),
                name="need_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(german_level__in=CEFRLevel.values), name="need_german_level_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_date"], name="need_status_start_idx"),
            models.Index(fields=["occupation_code"], name="need_occupation_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} ({self.company})"


class Occupation(models.Model):
    """An ISCO-08 unit group (four digits), the searchable list a need's occupation code is
    chosen from. Loaded from companies/data/isco08.csv by a data migration."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_de = models.CharField(_("title (German)"), max_length=200)

    class Meta:
        verbose_name = _("occupation (ISCO-08)")
        verbose_name_plural = _("occupations (ISCO-08)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title_de}"


class ServiceKind(models.TextChoices):
    INTERCULTURAL_TRAINING = "training", _("intercultural training for our staff")
    ACCELERATED_PROCEDURE = "81a", _("help with a § 81a accelerated procedure")
    ONBOARDING = "onboarding", _("onboarding of a new hire")
    OTHER = "other", _("other")


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def visible_to(self, user: User) -> ServiceRequestQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_center_staff:
            return self.all()
        if user.company is not None:
            return self.filter(company=user.company)
        return self.none()

    def open(self) -> ServiceRequestQuerySet:
        return self.filter(
            status__in=[ServiceRequest.Status.NEW, ServiceRequest.Status.IN_PROGRESS]
        )


class ServiceRequest(models.Model):
    """A company asks the Welcome Center for a service. A Lotse takes it on; the company sees
    its status and the updates the Lotse writes for it. Where a newcomer is concerned (a § 81a
    procedure, an onboarding) the work runs in that newcomer's case, linked here."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DECLINED = "declined", _("declined")

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="service_requests",
        verbose_name=_("company"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ServiceKind.choices)
    description = models.TextField(_("what is needed"), max_length=3000)
    need = models.ForeignKey(
        SkilledWorkerNeed,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("skilled-worker need"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_service_requests",
        verbose_name=_("Lotse"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("case"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ServiceKind.values), name="servicerequest_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "in_progress", "done", "declined"]),
                name="servicerequest_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["new", "in_progress"]),
                name="servicerequest_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.get_kind_display()}"


class CompanyEvent(models.Model):
    """One entry on a company's timeline (registration, approval, need, request, match,
    introduction, hire, note). `shared` entries are shown to the company too."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("registered")
        DECISION = "decision", _("approval or rejection")
        NEED = "need", _("skilled-worker need")
        SERVICE = "service", _("service request")
        INTRODUCTION = "introduction", _("introduction of a newcomer")
        HIRE = "hire", _("hire")
        NOTE = "note", _("note")
        CONTACT = "contact", _("contact person")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="events", verbose_name=_("company")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("text"), max_length=3000, blank=True)
    shared = models.BooleanField(_("shown to the company"), default=False)
    need = models.ForeignKey(
        SkilledWorkerNeed,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("need"),
    )
    service_request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("service request"),
    )

    class Meta:
        verbose_name = _("company timeline entry")
        verbose_name_plural = _("company timeline entries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "registered",
                        "decision",
                        "need",
                        "service",
                        "introduction",
                        "hire",
                        "note",
                        "contact",
                    ]
                ),
                name="companyevent_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["company", "-created_at"], name="companyevent_company_idx")]

    def __str__(self) -> str:
        return f"{self.company}: {self.get_kind_display()}"


class IntroductionQuerySet(models.QuerySet["Introduction"]):
    def visible_to(self, user: User) -> IntroductionQuerySet:
        """Staff see all; a company only the introductions to its own needs (and through
        them, until the newcomer agrees, an anonymised profile only)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_center_staff:
            return self.all()
        if user.company is not None:
            return self.filter(need__company=user.company)
        return self.none()


class Introduction(models.Model):
    """A Lotse proposes a newcomer for a need. The steps, in this order:

    1. proposed: the newcomer consented to share an anonymised profile with this company
       (`consent`); the company sees the profile without name or contact data;
    2. interested: the company shows interest;
    3. agreed: the newcomer agreed to be introduced by name (recorded by the Lotse): the
       company now sees name and contact;
    4. hired (with the start date, which feeds the check-in reminders) or declined/withdrawn.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        INTERESTED = "interested", _("company interested")
        AGREED = "agreed", _("newcomer agreed to be introduced")
        HIRED = "hired", _("hired")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    need = models.ForeignKey(
        SkilledWorkerNeed,
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("skilled-worker need"),
    )
    newcomer = models.ForeignKey(
        "migrants.Newcomer",
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("newcomer"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    consent = models.ForeignKey(
        "migrants.ConsentRecord",
        on_delete=models.PROTECT,
        related_name="introductions",
        verbose_name=_("consent to share the profile"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    note_to_company = models.CharField(
        _("note to the company (no personal data)"), max_length=1000, blank=True
    )
    interested_at = models.DateTimeField(_("company interested"), null=True, blank=True)
    interested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interest shown by"),
    )
    agreed_at = models.DateTimeField(_("newcomer agreed"), null=True, blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement recorded by"),
    )
    hired_on = models.DateField(_("start of work"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "proposed",
                        "interested",
                        "agreed",
                        "hired",
                        "declined",
                        "withdrawn",
                    ]
                ),
                name="introduction_status_valid",
            ),
            # One running introduction per newcomer and need.
            models.UniqueConstraint(
                fields=["need", "newcomer"],
                condition=Q(status__in=["proposed", "interested", "agreed"]),
                name="introduction_one_open_per_need",
            ),
            # Name and contact only after the newcomer agreed; a hire has a start date.
            models.CheckConstraint(
                condition=~Q(status__in=["agreed", "hired"]) | Q(agreed_at__isnull=False),
                name="introduction_agreed_before_disclosure",
            ),
            models.CheckConstraint(
                condition=~Q(status="hired") | Q(hired_on__isnull=False),
                name="introduction_hire_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need} ← {self.newcomer.reference}"

    @property
    def discloses_identity(self) -> bool:
        return self.status in (self.Status.AGREED, self.Status.HIRED)

    def get_additional_data(self) -> dict[str, int]:
        # The newcomer the entry concerns: see migrants.models.Newcomer.get_additional_data.
        return {"newcomer": self.newcomer_id}
