"""Cases and their timelines: statuses walked as cases.TRANSITIONS allows, referrals to
partners and their answers, follow-ups, notes, each with the timeline entry the services write."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from accounts.models import User
from cases.models import (
    OPEN_STATUSES,
    Case,
    Category,
    EventKind,
    FollowUp,
    Outcome,
    Referral,
    Status,
)
from partners.models import PartnerContact

from .people import Person
from .region import (
    ANSWERED_REFERRAL,
    ANSWERS,
    DECLINE_REASONS,
    DONE_FOLLOW_UPS,
    EXTRA_REFERRAL_SHARE,
    NOTE_COUNT,
    NOTES,
    OUTCOMES,
    PRIORITIES,
    STATUS_BY_AGE,
    SUMMARIES,
    TASKS,
)
from .world import DAY, Batch, CaseRow, FollowUpRow, NewcomerRow, ReferralRow, World


def _add_working_days(day: date, days: int) -> date:
    # Weekends only: a demo answer-by date need not know Saxony's public holidays.
    while days > 0:
        day += DAY
        days -= day.weekday() < 5
    return day


class Timeline:
    """One case's timeline entries; keeps the case's last activity in step with them."""

    def __init__(self, batch: Batch, case: CaseRow, owner: User | None) -> None:
        self.events = batch.events
        self.batch = batch
        self.case = case
        self.owner = owner
        self.contacts: list[PartnerContact] = []

    @property
    def lotse(self) -> User:
        """The owner, for the steps only an owned case takes."""
        if self.owner is None:
            raise ValueError(f"case {self.case.id} has no owner")
        return self.owner

    def add(
        self,
        kind: str,
        at: datetime,
        actor: User | None,
        *,
        text: str = "",
        old: str = "",
        new: str = "",
        referral: ReferralRow | None = None,
        follow_up: FollowUpRow | None = None,
    ) -> None:
        """A CaseEvent row: (case_id, kind, actor_id, created_at, text, old_value, new_value,
        referral_id, follow_up_id)."""
        case = self.case
        self.events.append((
            case.id, kind, actor.id if actor else None, at, text, old, new,
            referral.id if referral else None, follow_up.id if follow_up else None,
        ))  # fmt: skip
        if at > case.last_activity_at:
            case.last_activity_at = at


def add_cases(w: World, batch: Batch, person: Person) -> None:
    triaged = person.newcomer.triaged_at or person.intake_at
    for i, category in enumerate(_categories(w.rng, person)):
        if i == 0:  # the concern named in the intake form
            _add_case(w, batch, person, category, person.intake_at, first=True)
            continue
        # Further concerns come up in the first weeks and months.
        since_triage = (w.now - triaged) / DAY
        delay = min(w.rng.expovariate(1 / 30), since_triage * w.rng.random())
        _add_case(w, batch, person, category, triaged + delay * DAY, first=False)


def _categories(rng: random.Random, person: Person) -> list[str]:
    weights = _category_weights(person)
    picked = []
    for _ in range(person.plan.n_cases):
        if not any(weights.values()):
            weights = _category_weights(person)
        category = rng.choices(list(weights), weights=list(weights.values()))[0]
        picked.append(category)
        weights[category] = 0
    return picked


def _category_weights(person: Person) -> dict[str, float]:
    return {
        Category.HOUSING: 18,
        Category.RECOGNITION: 25 if person.needs_recognition else 2,
        Category.LANGUAGE: 20 if person.german < "B2" else 3,
        Category.CHILDCARE: 25 if person.young_kids else 0,
        Category.SCHOOL: 20 if person.school_kids else 0,
        Category.AUTHORITIES: 30 if person.third_country else 10,
        Category.WORK: 16,
        Category.SOCIAL: 8,
        Category.OTHER: 3,
    }


def _summary(rng: random.Random, person: Person, category: str) -> str:
    profession = person.profession
    kids = person.young_kids if category == Category.CHILDCARE else person.school_kids
    return rng.choice(SUMMARIES[category]).format(
        town=person.newcomer.target_place,
        occupation=(profession.reference_occupation or profession.name)
        if profession
        else "Fachkraft",
        child=rng.choice(kids) if kids else "",
    )


def _add_case(
    w: World, batch: Batch, person: Person, category: str, opened_at: datetime, *, first: bool
) -> None:
    rng, nc = w.rng, person.newcomer
    owner = None
    if not person.plan.awaiting_triage:
        owner = person.owner if rng.random() < 0.9 else rng.choice(w.lotsen)
    case = CaseRow(
        id=next(w.keys[Case]), newcomer_id=nc.id, category=category,
        owner_id=owner.id if owner else None, priority=PRIORITIES.pick(rng),
        summary=_summary(rng, person, category), opened_at=opened_at, last_activity_at=opened_at,
    )  # fmt: skip
    _link_company(w, person, case)
    batch.cases.append(case)
    timeline = Timeline(batch, case, owner)
    # The intake opens the first case on its own; a Lotse opens the others.
    timeline.add(EventKind.OPENED, opened_at, None if first else owner,
                 text=w.intake_note if first else "")  # fmt: skip
    if owner is None:
        return
    start = opened_at
    if first and nc.triaged_at:
        start = nc.triaged_at
        assigner = w.head if rng.random() < 0.2 else owner
        timeline.add(EventKind.ASSIGNMENT, start, assigner, new=owner.full_name)
    steps, end = _walk_statuses(w, timeline, start)
    _add_referrals(w, timeline, steps, end)
    _add_follow_ups(w, timeline, nc, start, end)
    for _ in range(NOTE_COUNT.pick(rng)):
        at = start + (end - start) * rng.random()
        timeline.add(EventKind.NOTE, at, owner, text=rng.choice(NOTES).format(first=nc.first_name))


def _link_company(w: World, person: Person, case: CaseRow) -> None:
    related = (Category.WORK, Category.RECOGNITION, Category.AUTHORITIES)
    if person.company and case.category in related and w.rng.random() < 0.6:
        case.company_id = person.company.pk
        needs = w.needs.get(person.company.pk)
        if needs and w.rng.random() < 0.5:
            case.need_id = w.rng.choice(needs).pk


def _walk_statuses(
    w: World, timeline: Timeline, start: datetime
) -> tuple[list[tuple[datetime, str]], datetime]:
    """Move the case to a status that fits its age, with a timeline entry for every step.
    Returns the steps and the end of the case's activity (its closing time if closed)."""
    rng, case = w.rng, timeline.case
    age = (w.now - start) / DAY
    final = next(pick for limit, pick in STATUS_BY_AGE if limit is None or age < limit).pick(rng)
    outcome = OUTCOMES.pick(rng) if final == Status.CLOSED else ""
    path = _status_path(rng, final, outcome)
    if final in (Status.RESOLVED, Status.CLOSED):
        end = start + min(rng.uniform(3, 150), age * 0.95) * DAY
    else:  # open cases mostly saw activity lately; a few have stalled for weeks
        back = rng.expovariate(1 / 6)
        end = start + (age - back if back < age else age * rng.random()) * DAY
    case.status = final
    if final == Status.CLOSED:
        case.closed_at, case.outcome = end, outcome
    steps = list(zip(_step_times(rng, path, start, end), path, strict=True))
    for (at, new), old in zip(steps, [Status.NEW, *path], strict=False):
        timeline.add(EventKind.STATUS, at, timeline.lotse, old=w.labels[old], new=w.labels[new])
    return steps, end


def _step_times(
    rng: random.Random, path: list[str], start: datetime, end: datetime
) -> list[datetime]:
    """A Lotse takes up a case within days; the last step (a closing, a wait) is at the end."""
    if not path:
        return []
    first = start + min(rng.expovariate(1 / 2) * DAY, end - start)
    if len(path) == 1:
        return [end if path[0] == Status.CLOSED else first]
    middle = sorted(first + (end - first) * rng.random() for _ in path[2:])
    return [first, *middle, end]


def _status_path(rng: random.Random, final: str, outcome: str) -> list[str]:
    """The statuses a case passed through after "new", each allowed by cases.TRANSITIONS."""
    if final == Status.NEW:
        return []
    if outcome == Outcome.DUPLICATE:
        return [Status.CLOSED]
    path: list[str] = [Status.IN_PROGRESS]
    if final in (Status.RESOLVED, Status.CLOSED):
        if rng.random() < 0.25:
            path += [Status.WAITING_PARTNER, Status.IN_PROGRESS]
        # Many cases are closed straight from work; "resolved" is a pause to confirm first.
        straight = outcome in (Outcome.WITHDRAWN, Outcome.LEFT_REGION) or rng.random() < 0.6
        if final == Status.CLOSED and straight:
            return [*path, Status.CLOSED]
        path.append(Status.RESOLVED)
        if final == Status.CLOSED:
            path.append(Status.CLOSED)
            if rng.random() < 0.03:  # reopened once, then finished for good
                path += [Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
    elif final != Status.IN_PROGRESS:
        path.append(final)
    return path


def _add_referrals(
    w: World, timeline: Timeline, steps: list[tuple[datetime, str]], end: datetime
) -> None:
    rng = w.rng
    waits = [i for i, (_, status) in enumerate(steps) if status == Status.WAITING_PARTNER]
    for i in waits:  # the partner answered when the case moved on
        answered = steps[i + 1][0] if i + 1 < len(steps) else None
        _refer(w, timeline, steps[i][0], answered)
    if not waits and steps and rng.random() < EXTRA_REFERRAL_SHARE:
        sent = steps[0][0] + (end - steps[0][0]) * rng.uniform(0, 0.6)
        limit = w.now if timeline.case.status in OPEN_STATUSES else end
        answered = sent + rng.uniform(1, 15) * DAY
        _refer(w, timeline, sent, answered if answered <= limit else None)


def _refer(w: World, timeline: Timeline, sent_at: datetime, answered_at: datetime | None) -> None:
    rng, case = w.rng, timeline.case
    partner = rng.choice(w.partners_for[case.category])
    contact = w.primary_contact[partner.pk]
    lotse = timeline.lotse
    referral = ReferralRow(
        id=next(w.keys[Referral]), case_id=case.id, partner_id=partner.pk, contact_id=contact.pk,
        created_by_id=lotse.id, sent_at=sent_at,
        request=f"Bitte um Unterstützung: {case.summary}. Rückfragen gern an "
        f"{lotse.full_name} im Welcome Center.",
        answer_by=_add_working_days(w.localdate(sent_at), partner.response_days),
    )  # fmt: skip
    timeline.batch.referrals.append(referral)
    timeline.contacts.append(contact)
    timeline.add(EventKind.REFERRAL, sent_at, lotse, text=referral.request,
                 new=w.labels[referral.status], referral=referral)  # fmt: skip
    # A partner without a login answers by phone or mail, and the Lotse notes it.
    answerer = contact.user or lotse
    if answered_at is None:
        _await_answer(w, timeline, referral, answerer)
    else:
        _answer(w, timeline, referral, answered_at, answerer)


def _await_answer(w: World, timeline: Timeline, referral: ReferralRow, answerer: User) -> None:
    """Still open: sent (overdue once answer_by has passed), or accepted and being worked on."""
    rng = w.rng
    if rng.random() < 0.7:
        if rng.random() < 0.5:
            referral.opened_at = referral.sent_at + (w.now - referral.sent_at) * rng.random()
        return
    at = referral.sent_at + (w.now - referral.sent_at) * rng.uniform(0.2, 0.8)
    referral.status, referral.opened_at, referral.answered_at = Referral.Status.ACCEPTED, at, at
    referral.answer = rng.choice(ANSWERS[:2])
    timeline.add(EventKind.REFERRAL, at, answerer, text=referral.answer,
                 old=w.labels[Referral.Status.SENT], new=w.labels[referral.status],
                 referral=referral)  # fmt: skip


def _answer(
    w: World, timeline: Timeline, referral: ReferralRow, at: datetime, answerer: User
) -> None:
    rng = w.rng
    referral.status = ANSWERED_REFERRAL.pick(rng)
    actor = timeline.lotse  # who withdraws it
    if referral.status != Referral.Status.WITHDRAWN:
        actor = answerer
        referral.opened_at = referral.sent_at + (at - referral.sent_at) * 0.3
        referral.answered_at = referral.closed_at = at
        if referral.status == Referral.Status.DECLINED:
            referral.decline_reason = rng.choice(DECLINE_REASONS)
        else:
            referral.answer = rng.choice(ANSWERS)
    timeline.add(EventKind.REFERRAL, at, actor, text=referral.answer or referral.decline_reason,
                 old=w.labels[Referral.Status.SENT], new=w.labels[referral.status],
                 referral=referral)  # fmt: skip


def _add_follow_ups(
    w: World, timeline: Timeline, nc: NewcomerRow, start: datetime, end: datetime
) -> None:
    rng, case = w.rng, timeline.case
    for _ in range(0 if case.status == Status.NEW else DONE_FOLLOW_UPS.pick(rng)):
        created = start + (end - start) * rng.random()
        due = w.localdate(created) + timedelta(days=rng.randint(2, 14))
        follow_up = _follow_up(w, timeline, nc, created, due)
        follow_up.done_at = created + (end - created) * rng.random()
        follow_up.done_by_id = timeline.lotse.id  # the assignee, or the Lotse for a partner
        # Done with one click, which shows on the timeline as cases.services writes it.
        timeline.add(EventKind.FOLLOW_UP, follow_up.done_at, timeline.lotse,
                     text=follow_up.text, old=due.isoformat(), new="done",
                     follow_up=follow_up)  # fmt: skip
    if case.status in OPEN_STATUSES and rng.random() < 0.85:
        roll = rng.random()  # due today, overdue, or ahead
        offset = 0 if roll < 0.2 else -rng.randint(1, 10) if roll < 0.45 else rng.randint(1, 21)
        soon_after_start = start + (w.now - start) * rng.uniform(0.05, 0.5)
        created = max(soon_after_start, w.ago(rng.uniform(1, 14) + max(0, -offset)))
        due = max(w.today + timedelta(days=offset), w.localdate(created))
        _follow_up(w, timeline, nc, created, due)


def _follow_up(
    w: World, timeline: Timeline, nc: NewcomerRow, created: datetime, due: date
) -> FollowUpRow:
    rng, case, lotse = w.rng, timeline.case, timeline.lotse
    # Sometimes the task is for the partner's contact person; never for both.
    contact = rng.choice(timeline.contacts) if timeline.contacts and rng.random() < 0.2 else None
    follow_up = FollowUpRow(
        id=next(w.keys[FollowUp]), case_id=case.id, due_on=due,
        text=rng.choice(TASKS[case.category]).format(first=nc.first_name),
        assignee_id=None if contact else lotse.id, assignee_contact_id=contact.pk if contact else None,
        created_by_id=lotse.id, created_at=created,
    )  # fmt: skip
    timeline.batch.follow_ups.append(follow_up)
    timeline.add(EventKind.FOLLOW_UP, created, lotse, text=follow_up.text,
                 new=due.isoformat(), follow_up=follow_up)  # fmt: skip
    return follow_up
