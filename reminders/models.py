"""Reminder items and the rules the head sets for them.

A `Reminder` row is the proof that one item was told to one person for one period: the
sweep inserts rows with ON CONFLICT DO NOTHING against the unique constraints below and
sends only what it inserted, so an item is never sent twice, whoever runs the sweep when.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up due")
    REFERRAL = "referral", _("Referral not answered")
    ESCALATION = "escalation", _("Referral still not answered")
    PERMIT = "permit", _("Residence permit expires")
    INTAKE = "intake", _("Intake not triaged")
    INACTIVE = "inactive", _("Case without activity")
    CHECK_IN = "check_in", _("Check-in after start of work")
    PROCEDURE_81A = "procedure_81a", _("§ 81a step overdue")


# Items about a case link to the case file; the others to the newcomer's file.
CASE_RULES = frozenset(
    {Rule.FOLLOW_UP, Rule.REFERRAL, Rule.ESCALATION, Rule.INACTIVE, Rule.PROCEDURE_81A}
)


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def for_user(self, user: Any) -> ReminderQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient_user=user)


class Reminder(models.Model):
    """One item told to one recipient: a user (e-mail and in-app) or, for a partner contact
    without an account, an e-mail address. It carries references and a date, never names."""

    rule = models.CharField(_("rule"), max_length=16, choices=Rule.choices)
    # The follow-up, referral, permit, newcomer or case the item is about (by rule).
    object_id = models.PositiveBigIntegerField(_("object"))
    # Which occurrence: the due date, "90"/"30" days before expiry, "1m"/"3m"/"6m", the time
    # of last activity... A new period is a new reminder; the same period never is.
    period = models.CharField(_("period"), max_length=40)
    # No foreign-key constraints in the database for these two: rows are only ever written by
    # the sweep's INSERT ... SELECT from the very rows they point at, so checking 200,000 keys
    # at the commit of a 100,000-item sweep (2 to 3 s of it, bench/reminders.py) would buy
    # nothing. Deletes still cascade, through the ORM.
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("recipient"),
        db_constraint=False,
    )
    recipient_email = models.EmailField(_("recipient e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    newcomer = models.ForeignKey(
        "migrants.Newcomer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("newcomer"),
        db_constraint=False,
    )
    reference = models.CharField(_("reference"), max_length=20)
    due_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="reminder_rule_valid"),
            # Exactly one recipient: a user, or an address for a contact without an account.
            models.CheckConstraint(
                condition=(Q(recipient_user__isnull=False) & Q(recipient_email=""))
                | (Q(recipient_user__isnull=True) & ~Q(recipient_email="")),
                name="reminder_one_recipient",
            ),
            # At most once per (rule, object, period, recipient). Two partial constraints
            # because NULLs never conflict in a plain UNIQUE.
            models.UniqueConstraint(
                fields=["rule", "object_id", "period", "recipient_user"],
                condition=Q(recipient_user__isnull=False),
                name="reminder_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["rule", "object_id", "period", "recipient_email"],
                condition=Q(recipient_user__isnull=True),
                name="reminder_once_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient_user", "-created_at"], name="reminder_user_time_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.reference}"

    @property
    def is_about_case(self) -> bool:
        return self.rule in CASE_RULES

    def describe(self) -> str:
        """One line in the active language, e.g. "Follow-up due on 10.03.2026: WC-2026-00042"."""
        return describe(self.rule, self.period, self.due_on, self.reference)


def describe(rule: str, period: str, due_on: date, reference: str) -> str:
    """The line of one item; a function, so that the sweep need not build a model instance
    for each line of a digest."""
    text = str(DESCRIPTIONS[Rule(rule)]) % {
        "date": formats.date_format(due_on, "SHORT_DATE_FORMAT"),
        "months": period.rstrip("m"),
    }
    return f"{text}: {reference}"


# What each item says (lazy: translated when a digest or the page is rendered, once per item).
DESCRIPTIONS = {
    Rule.FOLLOW_UP: _("Follow-up due on %(date)s"),
    Rule.REFERRAL: _("Referral: answer expected by %(date)s"),
    Rule.ESCALATION: _("Referral still not answered (expected by %(date)s)"),
    Rule.PERMIT: _("Residence permit expires on %(date)s"),
    Rule.INTAKE: _("Intake of %(date)s not yet triaged"),
    Rule.INACTIVE: _("Case without activity since %(date)s"),
    Rule.CHECK_IN: _("Check-in %(months)s months after the start of work on %(date)s"),
    Rule.PROCEDURE_81A: _("§ 81a procedure: a step is past its target (previous step on %(date)s)"),
}


@deconstructible
class NumberListValidator:
    """Whole numbers separated by commas, each from 1 to `maximum`, at most `count` of them."""

    def __init__(self, maximum: int, count: int = 6) -> None:
        self.maximum = maximum
        self.count = count

    def __call__(self, value: str) -> None:
        message = _(
            "Enter whole numbers from 1 to %(maximum)d, separated by commas (at most %(count)d)."
        )
        params = {"maximum": self.maximum, "count": self.count}
        try:
            numbers = parse_numbers(value)
        except ValueError:
            raise ValidationError(message, code="invalid", params=params) from None
        if not numbers or len(numbers) > self.count:
            raise ValidationError(message, code="invalid", params=params)
        if any(n < 1 or n > self.maximum for n in numbers):
            raise ValidationError(message, code="invalid", params=params)
        if len(set(numbers)) != len(numbers):
            raise ValidationError(_("Enter each number only once."), code="duplicate")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NumberListValidator) and (self.maximum, self.count) == (
            other.maximum,
            other.count,
        )


def parse_numbers(value: str) -> list[int]:
    """ "90, 30" -> [90, 30]. Raises ValueError on anything but whole numbers."""
    return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]


class ReminderRules(models.Model):
    """One row: which reminders the sweep sends and when. A row, not a setting, because the
    head decides it in the portal (and each change is audited)."""

    follow_ups = models.BooleanField(_("follow-ups due today or overdue"), default=True)
    referrals = models.BooleanField(_("referrals not answered by their date"), default=True)
    escalations = models.BooleanField(
        _("escalate unanswered referrals to the case owner"), default=True
    )
    escalation_working_days = models.PositiveSmallIntegerField(
        _("escalate after this many working days"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Counted from the answer-by date, without weekends and public holidays."),
    )
    permits = models.BooleanField(_("residence permits about to expire"), default=True)
    permit_warning_days = models.CharField(
        _("warn this many days before a permit expires"),
        max_length=40,
        default="90, 30",
        validators=[NumberListValidator(maximum=365)],
        help_text=_("Separated by commas, e.g. 90, 30."),
    )
    intakes = models.BooleanField(_("intakes not triaged within one working day"), default=True)
    inactive_cases = models.BooleanField(_("open cases without activity"), default=True)
    inactivity_days = models.PositiveSmallIntegerField(
        _("days without activity"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    check_ins = models.BooleanField(_("check-ins after a newcomer started work"), default=True)
    procedures_81a = models.BooleanField(
        _("overdue steps of § 81a accelerated procedures"), default=True
    )
    check_in_months = models.CharField(
        _("check in this many months after the start of work"),
        max_length=40,
        default="1, 3, 6",
        validators=[NumberListValidator(maximum=36)],
        help_text=_("Separated by commas, e.g. 1, 3, 6."),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("reminder rules")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation_working_days__gte=1, escalation_working_days__lte=30),
                name="reminderrules_escalation_range",
            ),
            models.CheckConstraint(
                condition=Q(inactivity_days__gte=1, inactivity_days__lte=365),
                name="reminderrules_inactivity_range",
            ),
            # A singleton: the primary key is always 1.
            models.CheckConstraint(condition=Q(pk=1), name="reminderrules_single_row"),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> ReminderRules:
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules

    @property
    def permit_days(self) -> list[int]:
        """Largest first: 90 days before expiry comes before 30."""
        return sorted(set(parse_numbers(self.permit_warning_days)), reverse=True)

    @property
    def months_after_start(self) -> list[int]:
        return sorted(set(parse_numbers(self.check_in_months)))
