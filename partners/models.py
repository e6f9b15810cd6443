"""Partner agencies and their contact persons (DOMAIN.md, "Partners")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from accounts.models import StaffLanguage
from cases.models import Category, Referral

if TYPE_CHECKING:
    from accounts.models import User


class PartnerType(models.TextChoices):
    FOREIGNERS_AUTHORITY = "foreigners_authority", _("foreigners authority (Ausländerbehörde)")
    EMPLOYMENT_AGENCY = "employment_agency", _("employment agency")
    JOB_CENTRE = "job_centre", _("job centre")
    IQ_NETWORK = "iq_network", _("IQ Netzwerk (recognition advice)")
    HWK = "hwk", _("chamber of crafts (HWK)")
    IHK = "ihk", _("chamber of industry and commerce (IHK)")
    RECOGNITION_AUTHORITY = "recognition_authority", _("recognition authority")
    LANGUAGE_SCHOOL = "language_school", _("language course provider")
    KITA = "kita", _("Kita")
    YOUTH_WELFARE = "youth_welfare", _("youth welfare office")
    SCHOOL_AUTHORITY = "school_authority", _("school authority")
    HOUSING = "housing", _("housing company or landlord")
    MIGRATION_ADVICE = "migration_advice", _("migration advice service (MBE)")
    HEALTH_INSURER = "health_insurer", _("health insurer")
    CLUB = "club", _("club or association")
    CHURCH = "church", _("church or cultural group")
    ABROAD = "abroad", _("partner abroad")
    OTHER = "other", _("other")


class PartnerQuerySet(models.QuerySet["Partner"]):
    def visible_to(self, user: User) -> PartnerQuerySet:
        """Staff see the directory; a partner user sees their own organisation only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_center_staff:
            return self.all()
        if user.partner is not None:
            return self.filter(pk=user.partner.pk)
        return self.none()

    def active(self) -> PartnerQuerySet:
        return self.filter(is_active=True)

    def serving(self, category: str) -> PartnerQuerySet:
        return self.filter(services__category=category)

    def with_open_referrals(self) -> PartnerQuerySet:
        """Annotate `open_referrals`: referrals sent to the partner that still await an answer
        (a subquery, so that it neither multiplies with other joins nor groups the list)."""
        open_count = (
            Referral.objects.awaiting_answer()
            .filter(partner=OuterRef("pk"))
            .order_by()
            .values("partner")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(open_referrals=Coalesce(Subquery(open_count), 0))


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=PartnerType.choices)
    street = models.CharField(_("street"), max_length=150, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Working days the partner usually needs to answer a referral; the answer-by date of a new
    # referral defaults to today plus this.
    response_days = models.PositiveSmallIntegerField(
        _("expected response time (working days)"), default=5
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=PartnerType.values), name="partner_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(response_days__gte=1, response_days__lte=60),
                name="partner_response_days_range",
            ),
        ]
        indexes = [models.Index(fields=["type", "name"], name="partner_type_idx")]

    def __str__(self) -> str:
        return self.name


class PartnerService(models.Model):
    """A case category a partner serves (a partner usually serves one to three)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="services", verbose_name=_("partner")
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)

    class Meta:
        verbose_name = _("category served")
        verbose_name_plural = _("categories served")
        ordering = ["partner", "category"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "category"], name="partnerservice_unique"),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="partnerservice_category_valid"
            ),
        ]
        indexes = [models.Index(fields=["category", "partner"], name="partnerservice_category_idx")]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_category_display()}"


class PartnerContact(models.Model):
    """A person at a partner agency. Referrals go to a contact by e-mail; the few contacts who
    log in have a user account."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_contact",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = PhoneNumberField(_("phone"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=StaffLanguage.choices, default=StaffLanguage.GERMAN
    )
    is_primary = models.BooleanField(_("receives referrals by default"), default=False)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["partner", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"], condition=Q(is_primary=True), name="partnercontact_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"
