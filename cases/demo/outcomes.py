"""What came of a newcomer's time at the center: introductions to companies (with the consent
to share the profile that each needs) and the hires among them, and the exit questionnaire the
Lotse fills in once the newcomer's last case has closed. The figures and the ESF+ report
count these. All of it draws from `w.outcome_rng`, so the rest of the demo is as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from cases.models import Status
from companies.models import Company, Introduction, SkilledWorkerNeed
from migrants.models import ConsentMethod, ConsentRecord, ConsentScope, EmploymentStatus
from migrants.models import KindOfArrival as Kind

from .people import Person
from .region import (
    ENDED_INTRODUCTION,
    INTRODUCTION_DECLINES,
    INTRODUCTION_NOTES,
    LEAVING_EMPLOYED_ON_ENTRY,
    LEAVING_OTHERS,
    LEAVING_SELF_EMPLOYED,
    LEAVING_WORKING,
    RUNNING_INTRODUCTION,
)
from .world import DAY, Batch, CaseRow, IntroductionRow, World

IntroStatus = Introduction.Status
NeedStatus = SkilledWorkerNeed.Status
# Of the newcomers who came for a company of the region, this many were introduced to it by
# the center (the others found the job on their own).
INTRODUCED_SHARE = 0.6
# Newcomers still looking for work who were proposed once for a job that came to nothing.
UNSUCCESSFUL_SHARE = 0.2
# The Lotse fills in the exit questionnaire for most newcomers whose last case closed.
EXIT_QUESTIONNAIRE_SHARE = 0.9


def add_introductions(w: World, batch: Batch, person: Person) -> None:
    """The introduction to the company the newcomer works for (hired, or still running while
    they have not arrived), and now and then one to another company that came to nothing."""
    rng, nc = w.outcome_rng, person.newcomer
    triaged = nc.triaged_at
    if triaged is None:
        return
    company = person.company
    if company and rng.random() < INTRODUCED_SHARE:
        if nc.started_work_on is not None:
            start = datetime.combine(nc.started_work_on, time(8), tzinfo=w.zone)
            if start - triaged >= 14 * DAY:  # else they had the job before the center knew them
                _hired(w, batch, person, company, triaged, start)
        elif nc.arrival_is_planned:
            _running(w, batch, person, company, triaged)
    looking = nc.kind_of_arrival not in (Kind.FAMILY, Kind.STUDENT)
    if looking and rng.random() < UNSUCCESSFUL_SHARE:
        # Skilled workers in their trade; trainees wherever they would be trained.
        pool = (
            w.companies_by_sector.get(person.profession.sector, [])
            if person.profession
            else w.companies
        )
        other = rng.choice(pool) if pool else None
        if other is not None and other is not company:
            _unsuccessful(w, batch, person, other, triaged)


def _need(w: World, company: Company, statuses: Sequence[str]) -> SkilledWorkerNeed | None:
    needs = w.needs.get(company.pk, [])
    fitting = [need for need in needs if need.status in statuses]
    return w.outcome_rng.choice(fitting or needs) if needs else None


def _introduce(
    w: World, batch: Batch, person: Person, need: SkilledWorkerNeed, status: str, at: datetime
) -> IntroductionRow:
    """The introduction and the consent it rests on: taken orally by the Lotse shortly before
    proposing (introductions.record_oral_consent)."""
    rng, nc, lotse = w.outcome_rng, person.newcomer, person.owner
    triaged = nc.triaged_at or at
    given_at = at - min(at - triaged, DAY) * rng.random()
    consent_id = next(w.keys[ConsentRecord])
    batch.consents.append((
        consent_id, nc.id, ConsentScope.SHARE_WITH_COMPANY, "oral", "", nc.preferred_language,
        ConsentMethod.ORAL, given_at, lotse.pk, need.company.pk,
    ))  # fmt: skip
    introduction = IntroductionRow(
        need_id=need.pk, newcomer_id=nc.id, status=status, consent_id=consent_id,
        proposed_by_id=lotse.pk, proposed_at=at, note_to_company=rng.choice(INTRODUCTION_NOTES),
    )  # fmt: skip
    batch.introductions.append(introduction)
    return introduction


def _hired(
    w: World, batch: Batch, person: Person, company: Company, triaged: datetime, start: datetime
) -> None:
    rng = w.outcome_rng
    need = _need(w, company, (NeedStatus.FILLED, NeedStatus.IN_PROGRESS))
    if need is None:
        return
    proposed = triaged + (start - triaged) * rng.uniform(0.05, 0.4)
    introduction = _introduce(w, batch, person, need, IntroStatus.HIRED, proposed)
    introduction.interested_at = proposed + (start - proposed) * rng.uniform(0.05, 0.3)
    agreed = introduction.interested_at + (start - introduction.interested_at) * rng.uniform(
        0.1, 0.4
    )
    introduction.agreed_at, introduction.agreement_recorded_by_id = agreed, person.owner.pk
    # The hire is recorded before the first working day (introductions.record_hire).
    introduction.closed_at = min(agreed + (start - agreed) * rng.uniform(0.3, 0.9), w.now)
    introduction.hired_on = person.newcomer.started_work_on


def _running(w: World, batch: Batch, person: Person, company: Company, triaged: datetime) -> None:
    rng = w.outcome_rng
    need = _need(w, company, (NeedStatus.OPEN, NeedStatus.IN_PROGRESS))
    if need is None:
        return
    proposed = triaged + (w.now - triaged) * rng.uniform(0.1, 0.6)
    status = RUNNING_INTRODUCTION.pick(rng)
    introduction = _introduce(w, batch, person, need, status, proposed)
    if status != IntroStatus.PROPOSED:
        introduction.interested_at = proposed + (w.now - proposed) * rng.uniform(0.1, 0.5)
    if status == IntroStatus.AGREED and introduction.interested_at:
        since = introduction.interested_at
        introduction.agreed_at = since + (w.now - since) * rng.uniform(0.1, 0.8)
        introduction.agreement_recorded_by_id = person.owner.pk


def _unsuccessful(
    w: World, batch: Batch, person: Person, company: Company, triaged: datetime
) -> None:
    """Declined by the company or withdrawn; proposed only lately, still waiting."""
    rng = w.outcome_rng
    need = _need(w, company, (NeedStatus.OPEN, NeedStatus.IN_PROGRESS))
    if need is None:
        return
    proposed = triaged + (w.now - triaged) * rng.uniform(0.05, 0.9)
    if w.now - proposed < 21 * DAY:
        _introduce(w, batch, person, need, IntroStatus.PROPOSED, proposed)
        return
    status = ENDED_INTRODUCTION.pick(rng)
    introduction = _introduce(w, batch, person, need, status, proposed)
    introduction.closed_at = proposed + rng.uniform(3, 20) * DAY
    introduction.decline_reason = rng.choice(INTRODUCTION_DECLINES)


def add_exit_questionnaire(
    w: World, batch: Batch, person: Person, cases: Sequence[CaseRow]
) -> None:
    """Once every case of the newcomer is closed: left on the day the last one closed
    (figures.services.last_case_closed_on), filled in by its Lotse within days."""
    rng, nc = w.outcome_rng, person.newcomer
    if not cases or any(case.status != Status.CLOSED for case in cases):
        return
    if rng.random() >= EXIT_QUESTIONNAIRE_SHARE:
        return
    last = max(cases, key=lambda case: case.closed_at or w.now)
    closed_at = last.closed_at or w.now
    left_on = w.localdate(closed_at)
    if nc.started_work_on is not None and nc.started_work_on <= left_on:
        weights = LEAVING_WORKING
    elif nc.employment_status_on_entry == EmploymentStatus.SELF_EMPLOYED:
        weights = LEAVING_SELF_EMPLOYED
    elif nc.employment_status_on_entry == EmploymentStatus.EMPLOYED:
        weights = LEAVING_EMPLOYED_ON_ENTRY
    else:
        weights = LEAVING_OTHERS
    training = nc.employment_status_on_entry == EmploymentStatus.IN_EDUCATION
    batch.exits.append((
        nc.id, left_on, weights.pick(rng), rng.random() < (0.8 if training else 0.1),
        rng.random() < (0.45 if person.needs_recognition else 0.08), last.owner_id,
        min(closed_at + rng.uniform(0, 7) * DAY, w.now),
    ))  # fmt: skip
