"""Helpers of the directory tests: referrals sent and answered at chosen times."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone, translation

from cases.models import Case, Referral
from partners.models import Partner

SENT = timezone.make_aware(datetime(2026, 3, 2, 9, 0))  # a Monday, Europe/Berlin


def referral(
    case: Case,
    partner: Partner,
    *,
    answered_after: timedelta | None = None,
    answer_by: date | None = None,
    status: str = Referral.Status.SENT,
    sent_at: datetime = SENT,
) -> Referral:
    """A referral of `case` to `partner`, sent at `sent_at` and, with `answered_after`,
    answered that long after (accepted, unless `status` says otherwise)."""
    assert case.owner is not None, "the case needs an owner to send the referral"
    if answered_after is not None and status == Referral.Status.SENT:
        status = Referral.Status.ACCEPTED
    return Referral.objects.create(
        case=case,
        partner=partner,
        request="Bitte um Rückmeldung.",
        created_by=case.owner,
        sent_at=sent_at,
        answer_by=answer_by or (sent_at + timedelta(days=7)).date(),
        answered_at=None if answered_after is None else sent_at + answered_after,
        status=status,
        decline_reason="kein Platz" if status == Referral.Status.DECLINED else "",
    )


def german(message: str) -> str:
    """What the staff pages (German by default) show for `message`: its translation once the
    catalogue has one, else the English text itself."""
    with translation.override("de"):
        return translation.gettext(message)


def german_plural(singular: str, plural: str, number: int) -> str:
    with translation.override("de"):
        return translation.ngettext(singular, plural, number) % {"days": number}
