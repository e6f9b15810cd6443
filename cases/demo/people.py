"""Newcomers as the intake and their Lotsen record them: who they are, when they come, family,
languages, qualifications, residence permits, consent and the arrival checklist."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from accounts.models import User
from companies.models import Company
from migrants.consent import CONSENT_TEXT_VERSION, consent_digest
from migrants.models import (
    FREE_MOVEMENT_COUNTRIES,
    CEFRLevel,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    EducationLevel,
    EmploymentStatus,
    ForeignBackground,
    Gender,
    HouseholdMember,
    KindOfArrival,
    Newcomer,
    RecognitionOutcome,
    ResidenceTitle,
)
from migrants.services import CHECKLIST_DUE_DAYS, checklist_items_for

from .copy import Row
from .region import (
    AGES,
    CHANNELS,
    GENDERS,
    GERMAN,
    GERMAN_DEFAULT,
    HOME_TOWNS,
    KIDS,
    MEASURES,
    ORIGIN_CHOICE,
    OTHER_LANGUAGE,
    PROFESSIONS,
    RECOGNITION_OUTCOMES,
    TRAINEES,
    Origin,
    Profession,
    ascii_name,
    mobile,
)
from .world import DAY, Batch, NewcomerRow, QualificationRow, World

CASES_PER_NEWCOMER = 2.5


@dataclass(frozen=True)
class PersonPlan:
    days_back: float
    n_cases: int
    awaiting_triage: bool


@dataclass
class Person:
    """A newcomer being built, with what their cases depend on."""

    newcomer: NewcomerRow
    origin: Origin
    profession: Profession | None
    owner: User
    plan: PersonPlan
    intake_at: datetime
    arrival: date
    born: int
    company: Company | None = None
    german: str = "A1"
    young_kids: list[int] = field(default_factory=list)
    school_kids: list[int] = field(default_factory=list)
    needs_recognition: bool = False

    @property
    def third_country(self) -> bool:
        return self.origin.country not in FREE_MOVEMENT_COUNTRIES


def plan_people(w: World, n_cases: int) -> list[PersonPlan]:
    rng = w.rng
    people = max(1, round(n_cases / CASES_PER_NEWCOMER))
    waiting = min(4 + people // 1000, people // 10)
    settled = people - waiting
    counts = [1] * people
    for i in rng.choices(range(settled), k=n_cases - people):
        counts[i] += 1
    # Skewed towards recent months: the center grows, and recent intakes still have open cases.
    ages = sorted((w.span_days * rng.random() ** 1.5 + 0.1 for _ in range(settled)), reverse=True)
    ages += sorted((rng.uniform(0.05, 1.5) for _ in range(waiting)), reverse=True)
    return [
        PersonPlan(age, n, i >= settled)
        for i, (age, n) in enumerate(zip(ages, counts, strict=True))
    ]


def add_person(w: World, batch: Batch, plan: PersonPlan) -> Person:
    rng = w.rng
    origin = ORIGIN_CHOICE.pick(rng)
    kind = origin.kinds.pick(rng)
    intake_at = w.ago(plan.days_back)
    triage_delay = min(timedelta(hours=rng.uniform(1, 30)), (w.now - intake_at) / 2)
    identity, arrival = _identity(w, origin, kind), _arrival(w, origin, kind, intake_at)
    newcomer = NewcomerRow(
        id=next(w.keys[Newcomer]),
        **identity,
        **arrival,
        intake_submitted_at=intake_at,
        triaged_at=None if plan.awaiting_triage else intake_at + triage_delay,
        created_at=intake_at,
        updated_at=w.saved_at,
    )
    profession = None if kind in TRAINEES else PROFESSIONS[rng.choice(origin.professions)]
    person = Person(
        newcomer, origin, profession, rng.choice(w.lotsen), plan, intake_at,
        arrival=newcomer.arrival_date, born=newcomer.birth_date.year,
    )  # fmt: skip
    _set_work(w, person)
    batch.newcomers.append(newcomer)
    batch.household += _household(w, person)
    batch.languages += _languages(w, person)
    batch.qualifications += _qualifications(w, person)
    batch.permits += _permits(w, person)
    batch.consents += _consents(w, person)
    batch.checklist += _checklist(w, person)
    return person


def _identity(w: World, origin: Origin, kind: str) -> dict[str, Any]:
    rng = w.rng
    gender = GENDERS.pick(rng)
    female = gender == Gender.FEMALE or (gender != Gender.MALE and rng.random() < 0.5)
    first, last, seen = _name(w, origin, female)
    young, old = AGES.get(kind, (22, 50))
    # Numbered from the second bearer of a name on: the intake flags equal e-mails as duplicates.
    local = f"{ascii_name(first)}.{ascii_name(last)}{seen + 1 if seen else ''}"
    mail = rng.choice(("mail.example", "post.example", "inbox.example"))
    return {
        "first_name": first,
        "last_name": last,
        "gender": gender,
        "birth_date": w.today - timedelta(days=rng.randint(young * 365, old * 365 + 364)),
        "email": f"{local}@{mail}" if rng.random() < 0.85 else "",
        "phone": mobile(rng) if rng.random() < 0.7 else "",
        "preferred_language": origin.intake_language,
        "preferred_channel": CHANNELS.pick(rng),
        "kind_of_arrival": kind,
        "country_of_origin": origin.country,
        "nationality": origin.country,
        "foreign_background": ForeignBackground.NO
        if origin.country == "DE"
        else ForeignBackground.YES,
    }


def _name(w: World, origin: Origin, female: bool) -> tuple[str, str, int]:
    """A first and last name, a new pair if a few tries find one (the small demo should not
    have two Volodymyr Shevchenkos), and how many bore it before."""
    for _ in range(5):
        first = w.rng.choice(origin.female if female else origin.male)
        last = w.rng.choice(origin.surnames)
        if "/" in last:
            last = last.split("/")[1 if female else 0]
        if (first, last) not in w.names:
            break
    seen = w.names[first, last]
    w.names[first, last] += 1
    return first, last, seen


def _arrival(w: World, origin: Origin, kind: str, intake_at: datetime) -> dict[str, Any]:
    rng = w.rng
    arrival = w.localdate(intake_at) + timedelta(days=rng.randint(-90, 120))
    arrived = arrival <= w.today
    home = rng.choice(HOME_TOWNS).name
    coming_from = rng.choice(origin.places)
    # Commuters keep living across the border; they work here.
    lives_here = arrived and kind != KindOfArrival.COMMUTER
    return {
        "arrival_date": arrival,
        "arrival_is_planned": not arrived,
        "coming_from": coming_from,
        "current_place": home if lives_here else coming_from,
        "target_place": home,
    }


def _set_work(w: World, person: Person) -> None:
    rng, nc, profession = w.rng, person.newcomer, person.profession
    kind = nc.kind_of_arrival
    nc.profession = profession.name if profession else rng.choice(TRAINEES[kind])
    nc.education_level = profession.level if profession else EducationLevel.ISCED_3_4
    # Trainees go wherever they are trained; a skilled worker to a firm of their trade.
    candidates = w.companies_by_sector.get(profession.sector, []) if profession else w.companies
    looking = kind not in (KindOfArrival.FAMILY, KindOfArrival.STUDENT)
    if candidates and looking and rng.random() < 0.55:
        person.company = rng.choice(candidates)
        nc.target_company_id = person.company.pk
        nc.target_company_name = person.company.name
    nc.employment_status_on_entry = _employment(rng, kind, person.company)
    if person.company and not nc.arrival_is_planned:
        start = person.arrival + timedelta(days=rng.randint(3, 30))
        nc.started_work_on = start if start <= w.today else None


def _employment(rng: random.Random, kind: str, company: Company | None) -> str:
    if kind in TRAINEES:
        return EmploymentStatus.IN_EDUCATION
    if company:
        return EmploymentStatus.EMPLOYED
    if kind == KindOfArrival.FAMILY:
        return rng.choice((EmploymentStatus.INACTIVE, EmploymentStatus.UNEMPLOYED))
    return rng.choice(
        (EmploymentStatus.UNEMPLOYED,) * 6
        + (EmploymentStatus.EMPLOYED,) * 2
        + (EmploymentStatus.SELF_EMPLOYED, EmploymentStatus.NOT_STATED)
    )


def _household(w: World, person: Person) -> list[Row]:
    """(newcomer_id, relation, first_name, birth_year, comes_along)"""
    rng, nc, origin = w.rng, person.newcomer, person.origin
    if rng.random() > 0.45:
        return []
    born, year = person.born, w.today.year
    partner_names = origin.male if nc.gender == Gender.FEMALE else origin.female
    members: list[Row] = [(
        nc.id, HouseholdMember.Relation.PARTNER, rng.choice(partner_names),
        born + rng.randint(-4, 4), rng.random() < 0.85,
    )]  # fmt: skip
    if 24 <= year - born <= 55 and rng.random() < 0.7:
        for _ in range(KIDS.pick(rng)):
            child = rng.randint(max(born + 20, year - 17), min(born + 42, year))
            name = rng.choice(origin.female + origin.male)
            members.append((nc.id, HouseholdMember.Relation.CHILD, name, child, True))
            (person.young_kids if year - child < 6 else person.school_kids).append(child)
    return members


def _languages(w: World, person: Person) -> list[Row]:
    """(newcomer_id, language, level)"""
    rng, nc, origin = w.rng, person.newcomer, person.origin
    if origin.native_language == "de":
        person.german = CEFRLevel.NATIVE
    else:
        person.german = GERMAN.get(nc.kind_of_arrival, GERMAN_DEFAULT).pick(rng)
    skills: list[Row] = [(nc.id, "de", person.german)]
    if origin.native_language not in ("", "de"):
        skills.append((nc.id, origin.native_language, CEFRLevel.NATIVE))
    if rng.random() < 0.7:
        skills.append((nc.id, origin.other_language, OTHER_LANGUAGE.pick(rng)))
    return skills


def _qualifications(w: World, person: Person) -> list[QualificationRow]:
    rng, nc, profession = w.rng, person.newcomer, person.profession
    if profession is None:
        return []
    foreign = person.origin.country != "DE"
    qualification = QualificationRow(
        newcomer_id=nc.id,
        title=profession.qualification
        if foreign
        else profession.reference_occupation or profession.name,
        profession=profession.name,
        country=person.origin.country,
        year=min(person.born + rng.randint(21, 27), w.today.year),
        education_level=profession.level,
        is_regulated=profession.regulated,
    )
    if foreign and (profession.regulated or rng.random() < 0.4):
        person.needs_recognition = True
        since = w.localdate(person.intake_at)
        _recognition_steps(w, qualification, profession, since)
    return [qualification]


def _recognition_steps(w: World, q: QualificationRow, profession: Profession, since: date) -> None:
    """Advice, documents, application, decision: as far as the time since intake allows."""
    rng = w.rng
    q.reference_occupation = profession.reference_occupation
    authority = w.authority.get(profession.authority)
    q.competent_authority_id = authority.pk if authority else None
    day = since + timedelta(days=rng.randint(7, 45))
    for step in ("documents_complete_on", "application_submitted_on", "decision_on"):
        if day > w.today or rng.random() < 0.12:
            return
        setattr(q, step, day)
        day += timedelta(days=rng.randint(10, 80))
    q.outcome = RECOGNITION_OUTCOMES.pick(rng)
    if q.outcome == RecognitionOutcome.PARTIAL:
        q.required_measure = rng.choice(MEASURES)


def _residence_title(rng: random.Random, person: Person) -> tuple[str, str]:
    kind = person.newcomer.kind_of_arrival
    if person.origin.country == "UA":
        return ResidenceTitle.OTHER, "§ 24 AufenthG (vorübergehender Schutz)"
    if kind == KindOfArrival.FAMILY:
        return ResidenceTitle.OTHER, "§ 30 AufenthG (Ehegattennachzug)"
    if kind == KindOfArrival.DOMESTIC:
        if rng.random() < 0.4:
            return ResidenceTitle.SETTLEMENT_18C, ""
        return ResidenceTitle.OTHER, "§ 25 Abs. 2 AufenthG"
    if kind == KindOfArrival.APPRENTICE:
        return ResidenceTitle.TRAINING_16A, ""
    if kind == KindOfArrival.STUDENT:
        return ResidenceTitle.STUDY_16B, ""
    if kind == KindOfArrival.INTERN:
        return ResidenceTitle.OTHER, "Praktikum nach § 15 BeschV"
    if person.needs_recognition and rng.random() < 0.5:
        return ResidenceTitle.RECOGNITION_16D, "Anpassungsmaßnahme"
    if person.profession:
        return person.profession.title, ""
    return ResidenceTitle.CHANCENKARTE_20A, ""


def _permits(w: World, person: Person) -> list[Row]:
    """(newcomer_id, title, issued_on, expires_on, renewal_applied_on, notes)"""
    if not person.third_country:
        return []
    rng, nc, today = w.rng, person.newcomer, w.today
    if nc.arrival_is_planned:
        issued = today - timedelta(days=rng.randint(1, 30))
        return [(nc.id, ResidenceTitle.VISA, issued, person.arrival + 90 * DAY, None, "")]
    title, notes = _residence_title(rng, person)
    # The title is issued a few weeks after entering on a visa.
    issued = min(person.arrival + timedelta(days=rng.randint(14, 60)), today)
    if title == ResidenceTitle.SETTLEMENT_18C:
        return [(nc.id, title, issued, None, None, notes)]
    expires = issued + timedelta(days=365 * rng.randint(1, 3))
    while expires < today:  # renewed since: the current title runs on from the old one
        issued, expires = expires, expires + timedelta(days=730)
    if rng.random() < 0.2:  # so the 90- and 30-day renewal reminders have something to do
        expires = today + timedelta(days=rng.randint(5, 90))
        issued = min(issued, expires)
    renewal_applied = None
    if (expires - today).days < 90 and rng.random() < 0.35:
        renewal_applied = max(issued, today - timedelta(days=rng.randint(0, 20)))
    return [(nc.id, title, issued, expires, renewal_applied, notes)]


def _consents(w: World, person: Person) -> list[Row]:
    """(id, newcomer_id, scope, text_version, text_digest, language, method, given_at,
    recorded_by_id, company_id): what the intake form records, with the fingerprint of the
    consent text in the newcomer's language."""
    nc = person.newcomer
    language = nc.preferred_language
    digest = w.consent_digests.get(language)
    if digest is None:  # rendering the text takes a template: once per language
        digest = w.consent_digests[language] = consent_digest(language)
    return [
        (next(w.keys[ConsentRecord]), nc.id, scope, CONSENT_TEXT_VERSION, digest, language,
         ConsentMethod.INTAKE_FORM, person.intake_at, None, None)
        for scope in (ConsentScope.PROCESSING, ConsentScope.SHARE_WITH_PARTNERS)
    ]  # fmt: skip


# CHECKLIST_DUE_DAYS by the items' plain values, as checklist_items_for's list[str] has them.
DUE_DAYS = {str(item): days for item, days in CHECKLIST_DUE_DAYS.items()}
# How likely an item is ticked off, by how long ago it fell due: most are done in time, some
# late, a few forgotten (the dashboard's "checklist overdue").
CHECKLIST_DONE = ((60, 0.95), (0, 0.6), (None, 0.35))


def _checklist(w: World, person: Person) -> list[Row]:
    """(newcomer_id, item, due_on, done_on, done_by_id): the items the intake puts on the
    checklist (migrants.services.ensure_checklist), ticked off by the newcomer's Lotse as far
    as the time since arrival makes likely."""
    rng, nc, today = w.checklist_rng, person.newcomer, w.today
    children = (*person.young_kids, *person.school_kids)
    ages = tuple(sorted(today.year - year for year in children))
    # checklist_items_for looks at the children's ages and may look at the kind of arrival or
    # the nationality: asked once per combination, not once per newcomer.
    key = (nc.kind_of_arrival, nc.nationality, ages)
    items = w.checklists.get(key)
    if items is None:
        sample = Newcomer(kind_of_arrival=nc.kind_of_arrival, nationality=nc.nationality)
        items = w.checklists[key] = checklist_items_for(sample, list(ages))
    # Nothing is ticked before arrival, nor before a Lotse has taken the newcomer on.
    triaged = nc.triaged_at
    if triaged is None or nc.arrival_is_planned:
        return [(nc.id, item, nc.arrival_date + DUE_DAYS[item] * DAY, None, None)
                for item in items]  # fmt: skip
    since = max(w.localdate(triaged), nc.arrival_date)
    lotse = person.owner.pk
    rows: list[Row] = []
    for item in items:
        due = nc.arrival_date + DUE_DAYS[item] * DAY
        overdue_days = (today - due).days
        share = next(p for limit, p in CHECKLIST_DONE if limit is None or overdue_days > limit)
        if rng.random() < share:
            done = due + rng.randint(-10, 10) * DAY
            if done > today:  # not yet due, but already done
                done = since + (today - since) * rng.random()
            rows.append((nc.id, item, due, max(done, since), lotse))
        else:
            rows.append((nc.id, item, due, None, None))
    return rows
