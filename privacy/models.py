"""What the head decides about data protection: the retention period."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_RETENTION_MONTHS = 24


class RetentionPolicy(models.Model):
    """One row: how long a newcomer's data is kept after their last case closed.

    A row, not a setting, because the head decides it in the portal (and the change is
    audited), not the operator in the environment."""

    months = models.PositiveSmallIntegerField(
        _("retention period in months"),
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Newcomers are anonymised this many months after their last case was closed "
            "(or after the intake, if they never had a case)."
        ),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=120), name="retention_months_range"
            ),
            # A singleton: the primary key is always 1.
            models.CheckConstraint(condition=Q(pk=1), name="retention_single_row"),
        ]

    def __str__(self) -> str:
        return f"{self.months}"

    @classmethod
    def current(cls) -> RetentionPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
