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
