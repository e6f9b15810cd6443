"""The rules: for a day, which items are due and for whom, as SELECTs built with the ORM.

Each rule gives a `Select` whose rows have the columns in COLUMNS; reminders.services turns it
into one INSERT ... SELECT ... ON CONFLICT DO NOTHING. Nothing here reads rows into Python:
the date arithmetic (working days, months) is done once per rule on the boundary dates, and the
database compares each row with those boundaries, using the partial indexes on open rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Case as CaseWhen
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Lower, TruncDate
from django.utils import timezone

from accounts.models import StaffLanguage, User
from cases.models import OPEN_STATUSES, AcceleratedProcedure, Case, FollowUp, Referral
from cases.procedure import TARGETS
from migrants.models import Newcomer, ResidencePermit
from reminders.models import ReminderRules, Rule
from welcome_center.workdays import add_working_days

# The columns every rule's SELECT yields, by name (services selects them by name, so their
# order in the ORM's SQL does not matter).
COLUMNS = (
    "r_rule",
    "r_object",
    "r_period",
    "r_user",  # a user, or NULL for an e-mail address only
    "r_email",  # the address of a partner contact without an account, else ""
    "r_language",  # the contact's language; a user's own is taken at insert time
    "r_newcomer",
    "r_reference",
    "r_due_on",
)
DEFAULT_LANGUAGE = StaffLanguage.GERMAN.value


@dataclass(frozen=True)
class Select:
    rule: Rule
    sql: str
    params: tuple[object, ...]


def _select(rule: Rule, queryset: models.QuerySet[models.Model]) -> Select:
    sql, params = queryset.order_by().values(*COLUMNS).query.sql_with_params()
    return Select(rule, sql, tuple(params))


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _no_email() -> Value:
    return _text("")


def _contact_language(path: str) -> Coalesce:
    return Coalesce(F(path), _text(DEFAULT_LANGUAGE), output_field=CharField())


# Date boundaries --------------------------------------------------------------------------


def latest_start_working_days(today: date, days: int) -> date:
    """The latest day d with add_working_days(d, days) <= today: everything dated on or before
    it has had `days` working days by today."""
    day = today
    while add_working_days(day, days) > today:
        day -= timedelta(days=1)
    return day


def latest_start_months(today: date, months: int) -> date:
    """The latest day d with d + `months` months <= today (month ends clamp: 31 Jan + 1 month
    is 28 Feb, so on 28 Feb everything up to 31 Jan is due)."""
    day = today - relativedelta(months=months)
    while day + timedelta(days=1) + relativedelta(months=months) <= today:
        day += timedelta(days=1)
    return day


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# The rules ---------------------------------------------------------------------------------


def follow_ups(today: date) -> Select:
    """Due today or overdue -> the assignee: a user; a partner contact's account, or its
    address when it has none; the case owner when the contact was removed."""
    contact_without_account = Q(
        assignee__isnull=True, assignee_contact__isnull=False, assignee_contact__user__isnull=True
    )
    queryset = (
        FollowUp.objects.due(today)
        .filter(case__newcomer__anonymised_at__isnull=True)
        .annotate(
            r_rule=_text(Rule.FOLLOW_UP),
            r_object=F("pk"),
            # Keyed on the due date: moving a follow-up arms its reminder again.
            r_period=Cast("due_on", CharField()),
            r_user=CaseWhen(
                When(assignee__isnull=False, then=F("assignee_id")),
                When(assignee_contact__isnull=False, then=F("assignee_contact__user_id")),
                default=F("case__owner_id"),
                output_field=models.BigIntegerField(),
            ),
            r_email=CaseWhen(
                When(contact_without_account, then=Lower("assignee_contact__email")),
                default=_no_email(),
                output_field=CharField(),
            ),
            r_language=_contact_language("assignee_contact__language"),
            r_newcomer=F("case__newcomer_id"),
            r_reference=F("case__reference"),
            r_due_on=F("due_on"),
        )
    )
    return _select(Rule.FOLLOW_UP, queryset)


def _unanswered_referrals() -> models.QuerySet[Referral]:
    return Referral.objects.filter(
        status=Referral.Status.SENT,
        answered_at__isnull=True,
        case__newcomer__anonymised_at__isnull=True,
    )


def _referral_columns(rule: Rule) -> dict[str, object]:
    return {
        "r_rule": _text(rule),
        "r_object": F("pk"),
        # Keyed on the answer-by date: a new date is a new deadline.
        "r_period": Cast("answer_by", CharField()),
        "r_newcomer": F("case__newcomer_id"),
        "r_reference": F("case__reference"),
        "r_due_on": F("answer_by"),
    }


def referrals(today: date) -> Select:
    """Not answered by its answer-by date -> the contact (their account, or their address), or
    the partner's address when the referral names no contact."""
    queryset = (
        _unanswered_referrals()
        .filter(answer_by__lt=today)
        .annotate(
            **_referral_columns(Rule.REFERRAL),
            r_user=F("contact__user_id"),
            r_email=CaseWhen(
                When(contact__isnull=True, then=Lower("partner__email")),
                When(contact__user__isnull=True, then=Lower("contact__email")),
                default=_no_email(),
                output_field=CharField(),
            ),
            r_language=_contact_language("contact__language"),
        )
    )
    return _select(Rule.REFERRAL, queryset)


def escalations(today: date, working_days: int) -> Select:
    """Still not answered `working_days` working days after the answer-by date -> the owner
    of the case."""
    queryset = (
        _unanswered_referrals()
        .filter(answer_by__lte=latest_start_working_days(today, working_days))
        .annotate(
            **_referral_columns(Rule.ESCALATION),
            r_user=F("case__owner_id"),
            r_email=_no_email(),
            r_language=_text(DEFAULT_LANGUAGE),
        )
    )
    return _select(Rule.ESCALATION, queryset)


def _latest_case_owner(newcomer: str, *, open_only: bool) -> Subquery:
    cases = Case.objects.filter(newcomer=OuterRef(newcomer), owner__isnull=False)
    if open_only:
        cases = cases.filter(status__in=OPEN_STATUSES)
    return Subquery(cases.order_by("-opened_at", "-pk").values("owner")[:1])


def permits(today: date, warning_days: list[int]) -> Iterator[Select]:
    """Expiring in `warning_days` (e.g. 90 and 30) days without a renewal applied for -> the
    owner of the newcomer's most recent open case. Each warning has its window up to the next
    one, so a permit entered 20 days before expiry gets the 30-day warning only, and a sweep
    that did not run one day catches up the next."""
    days = sorted(set(warning_days), reverse=True)
    for index, before in enumerate(days):
        after = days[index + 1] if index + 1 < len(days) else -1
        queryset = (
            ResidencePermit.objects.filter(
                renewal_applied_on__isnull=True,
                expires_on__gt=today + timedelta(days=after),
                expires_on__lte=today + timedelta(days=before),
                newcomer__anonymised_at__isnull=True,
            )
            .annotate(
                r_rule=_text(Rule.PERMIT),
                r_object=F("pk"),
                r_period=_text(str(before)),
                r_newcomer=F("newcomer_id"),
                r_reference=F("newcomer__reference"),
                r_due_on=F("expires_on"),
                r_email=_no_email(),
                r_language=_text(DEFAULT_LANGUAGE),
            )
            .annotate(r_user=_latest_case_owner("newcomer_id", open_only=True))
            .filter(r_user__isnull=False)
        )
        yield _select(Rule.PERMIT, queryset)


def intakes(today: date) -> Select:
    """Not triaged within one working day of the intake -> every active Lotse and the head.
    One SELECT of the intakes, cross-joined with the (few) staff in SQL."""
    # Due when the next working day after the intake's day has passed.
    last_day = latest_start_working_days(today - timedelta(days=1), 1)
    newcomers = (
        Newcomer.objects.awaiting_triage()
        .not_anonymised()
        .filter(intake_submitted_at__lt=_start_of(last_day + timedelta(days=1)))
        .annotate(
            r_rule=_text(Rule.INTAKE),
            r_object=F("pk"),
            r_period=_text("triage"),
            r_email=_no_email(),
            r_language=_text(DEFAULT_LANGUAGE),
            r_newcomer=F("pk"),
            r_reference=F("reference"),
            r_due_on=TruncDate("intake_submitted_at"),
        )
        .order_by()
        .values(*(c for c in COLUMNS if c != "r_user"))
    )
    staff = User.objects.center_staff().order_by().values(r_user=F("pk"))
    newcomer_sql, newcomer_params = newcomers.query.sql_with_params()
    staff_sql, staff_params = staff.query.sql_with_params()
    columns = ", ".join(f"n.{c}" if c != "r_user" else "s.r_user" for c in COLUMNS)
    sql = f"SELECT {columns} FROM ({newcomer_sql}) n CROSS JOIN ({staff_sql}) s"  # noqa: S608
    return Select(Rule.INTAKE, sql, (*newcomer_params, *staff_params))


def inactive_cases(now: datetime, days: int) -> Select:
    """Open and without activity for `days` days -> the owner. Keyed on last_activity_at, so
    each fresh period of inactivity is a new reminder."""
    queryset = (
        Case.objects.open()
        .filter(
            owner__isnull=False,
            last_activity_at__lt=now - timedelta(days=days),
            newcomer__anonymised_at__isnull=True,
        )
        .annotate(
            r_rule=_text(Rule.INACTIVE),
            r_object=F("pk"),
            r_period=Cast("last_activity_at", CharField()),
            r_user=F("owner_id"),
            r_email=_no_email(),
            r_language=_text(DEFAULT_LANGUAGE),
            r_newcomer=F("newcomer_id"),
            r_reference=F("reference"),
            r_due_on=TruncDate("last_activity_at"),
        )
    )
    return _select(Rule.INACTIVE, queryset)


def check_ins(today: date, months: list[int]) -> Iterator[Select]:
    """1, 3 and 6 months (as set) after a newcomer started work -> the owner of their most
    recent case. Each check-in is due until the next one is, the last for one month, so that
    turning the rule on does not remind of everyone who started work years ago."""
    ordered = sorted(set(months))
    for index, after in enumerate(ordered):
        until = ordered[index + 1] if index + 1 < len(ordered) else after + 1
        queryset = (
            Newcomer.objects.not_anonymised()
            .filter(
                started_work_on__lte=latest_start_months(today, after),
                started_work_on__gt=latest_start_months(today, until),
            )
            .annotate(
                r_rule=_text(Rule.CHECK_IN),
                r_object=F("pk"),
                r_period=_text(f"{after}m"),
                r_email=_no_email(),
                r_language=_text(DEFAULT_LANGUAGE),
                r_newcomer=F("pk"),
                r_reference=F("reference"),
                r_due_on=F("started_work_on"),
            )
            .annotate(r_user=_latest_case_owner("pk", open_only=False))
            .filter(r_user__isnull=False)
        )
        yield _select(Rule.CHECK_IN, queryset)


def procedure_steps(today: date) -> Iterator[Select]:
    """A step of a § 81a procedure past its legal target (cases.procedure.TARGETS), on an open
    case -> the case owner; once per procedure and step."""
    for target in TARGETS.values():
        queryset = AcceleratedProcedure.objects.filter(
            **{f"{target.step}__isnull": True, f"{target.after}__lt": today - target.period},
            case__closed_at__isnull=True,
            case__owner__isnull=False,
            case__newcomer__anonymised_at__isnull=True,
        ).annotate(
            r_rule=_text(Rule.PROCEDURE_81A),
            r_object=F("pk"),
            r_period=_text(target.step),
            r_user=F("case__owner_id"),
            r_email=_no_email(),
            r_language=_text(DEFAULT_LANGUAGE),
            r_newcomer=F("case__newcomer_id"),
            r_reference=F("case__reference"),
            r_due_on=F(target.after),
        )
        yield _select(Rule.PROCEDURE_81A, queryset)


def due(rules: ReminderRules, now: datetime) -> Iterator[Select]:
    """Every rule the head has switched on, for the day of `now` in the center's time zone."""
    today = timezone.localdate(now)
    if rules.follow_ups:
        yield follow_ups(today)
    if rules.referrals:
        yield referrals(today)
    if rules.escalations:
        yield escalations(today, rules.escalation_working_days)
    if rules.permits:
        yield from permits(today, rules.permit_days)
    if rules.intakes:
        yield intakes(today)
    if rules.inactive_cases:
        yield inactive_cases(now, rules.inactivity_days)
    if rules.check_ins:
        yield from check_ins(today, rules.months_after_start)
    if rules.procedures_81a:
        yield from procedure_steps(today)
