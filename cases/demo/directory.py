"""The directory the demo's cases draw on: partner agencies and companies with their contact
people, services and skilled-worker needs. A few hundred rows at most, so plain model instances
written with bulk_create, which fills in their keys for the newcomers and cases to point at."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import models

from companies.models import (
    Company,
    CompanyContact,
    ServiceKind,
    ServiceRequest,
    SizeBand,
    SkilledWorkerNeed,
)
from partners.models import Partner, PartnerContact, PartnerService, PartnerType

from .copy import BATCH_SIZE
from .region import (
    COMPANIES,
    DEMO_COMPANY,
    DEMO_PARTNER,
    GENERATED_COMPANIES,
    GENERATED_PARTNERS,
    GERMAN_NAMES,
    HOME_TOWNS,
    NEED_STATUSES,
    OCCUPATIONS,
    PARTNERS,
    SERVICE_KINDS,
    SERVICE_REQUESTS,
    SERVICE_STATUS_BY_AGE,
    TOWN_BY_NAME,
    CompanySpec,
    PartnerSpec,
    ascii_name,
    landline,
    street,
)
from .users import COMPANY_USER, PARTNER_USER
from .world import DAY, World

Directory = defaultdict[type[models.Model], list[Any]]


def add_directory(w: World, *, n_cases: int) -> None:
    """Write the demo users, partners and companies, and index them for the builders."""
    objs: Directory = defaultdict(list)
    objs[type(w.head)] = list(w.users.values())
    _add_partners(w, objs, extra=n_cases // 5000)
    _add_companies(w, objs, total=max(len(COMPANIES), n_cases // 500))
    for model, instances in objs.items():  # parents first: bulk_create sets their keys
        model._default_manager.bulk_create(instances, batch_size=BATCH_SIZE)
        w.counts[model] += len(instances)
    _index_directory(w, objs)


def _contacts(text: str) -> list[tuple[str, str]]:
    return [
        (name.strip(), position.strip())
        for name, position in (item.split(",", 1) for item in text.split(";"))
    ]


def _contact_email(name: str, domain: str) -> str:
    first, *_, last = name.split()
    return f"{ascii_name(first)[0]}.{ascii_name(last)}@{domain}"


def _add_partners(w: World, objs: Directory, extra: int) -> None:
    for spec in (*PARTNERS, *_generated_partners(w.rng, extra)):
        town = TOWN_BY_NAME.get(spec.town)
        partner = Partner(
            name=spec.name, type=spec.type, city=spec.town,
            street=street(w.rng) if town else "", postcode=town.postcode if town else "",
            email=f"info@{spec.domain}", phone=landline(w.rng, town) if town else "",
            website=f"https://www.{spec.domain}/", response_days=spec.response_days,
        )  # fmt: skip
        objs[Partner].append(partner)
        objs[PartnerService] += [
            PartnerService(partner=partner, category=c) for c in spec.categories.split()
        ]
        for i, (name, position) in enumerate(_contacts(spec.contacts)):
            is_demo_user = spec.name == DEMO_PARTNER and i == 0
            user = w.users[PARTNER_USER.email] if is_demo_user else None
            objs[PartnerContact].append(PartnerContact(
                partner=partner, user=user, name=name, position=position, is_primary=i == 0,
                email=_contact_email(name, spec.domain),
                phone=landline(w.rng, town) if town else "",
            ))  # fmt: skip


def _german_name(rng: random.Random) -> str:
    names = GERMAN_NAMES
    return f"{rng.choice(names.female + names.male)} {rng.choice(names.surnames)}"


def _generated_partners(rng: random.Random, count: int) -> list[PartnerSpec]:
    specs = []
    for i in range(count):
        pattern, type_, categories = GENERATED_PARTNERS[i % len(GENERATED_PARTNERS)]
        town = HOME_TOWNS[i // len(GENERATED_PARTNERS) % len(HOME_TOWNS)]
        name = pattern.format(town=town.name)
        if lap := i // (len(GENERATED_PARTNERS) * len(HOME_TOWNS)):
            name = f"{name} ({lap + 1})"
        contacts = "; ".join(f"{_german_name(rng)}, Ansprechpartner/in" for _ in range(2))
        domain = f"{ascii_name(name)[:40].strip('-')}.example"
        specs.append(PartnerSpec(name, type_, town.name, categories, rng.randint(3, 10), domain,
                                 contacts))  # fmt: skip
    return specs


def _generated_companies(rng: random.Random, count: int) -> list[CompanySpec]:
    specs = []
    for i in range(count):
        pattern, legal_form, sector, chamber = GENERATED_COMPANIES[i % len(GENERATED_COMPANIES)]
        name = pattern.format(name=rng.choice(GERMAN_NAMES.surnames))
        town = rng.choice(HOME_TOWNS).name
        domain = f"{ascii_name(name)}-{i}.example"
        size = rng.choice((SizeBand.MICRO, SizeBand.SMALL, SizeBand.SMALL, SizeBand.MEDIUM))
        contacts = f"{_german_name(rng)}, Geschäftsführung; {_german_name(rng)}, Personal"
        specs.append(CompanySpec(name, legal_form, sector, size, town, chamber, domain, contacts))
    return specs


def _add_companies(w: World, objs: Directory, total: int) -> None:
    rng = w.rng
    for spec in (*COMPANIES, *_generated_companies(rng, total - len(COMPANIES))):
        town = TOWN_BY_NAME[spec.town]
        registered = w.ago(w.span_days * rng.uniform(0.6, 1.0) + 20)
        company = Company(
            name=spec.name, legal_form=spec.legal_form, sector=spec.sector,
            size_band=spec.size_band, street=street(rng), postcode=town.postcode,
            city=town.name, chamber=spec.chamber, website=f"https://www.{spec.domain}/",
            created_at=registered,
            status=Company.Status.PENDING if spec.pending else Company.Status.APPROVED,
            decided_at=None if spec.pending else registered + timedelta(days=rng.uniform(1, 5)),
            decided_by=None if spec.pending else w.head,
        )  # fmt: skip
        objs[Company].append(company)
        for i, (name, position) in enumerate(_contacts(spec.contacts)):
            is_demo_user = spec.name == DEMO_COMPANY and i == 0
            user = w.users[COMPANY_USER.email] if is_demo_user else None
            objs[CompanyContact].append(CompanyContact(
                company=company, user=user, name=name, position=position,
                email=_contact_email(name, spec.domain), phone=landline(rng, town),
            ))  # fmt: skip
        needs = _needs(w, company, registered)
        objs[SkilledWorkerNeed] += needs
        if company.status == Company.Status.APPROVED:
            objs[ServiceRequest] += _service_requests(w, company, registered, needs)


def _needs(w: World, company: Company, registered: datetime) -> list[SkilledWorkerNeed]:
    rng = w.rng
    needs = []
    for _ in range(rng.randint(1, 3)):
        occupation, code, level, german, kind = rng.choice(OCCUPATIONS[company.sector])
        needs.append(SkilledWorkerNeed(
            company=company, occupation=occupation, occupation_code=code,
            headcount=rng.choice((1, 1, 1, 2, 2, 3, 5)), qualification_level=level,
            german_level=german, other_languages=rng.choice(("", "", "Englisch")),
            start_date=w.today + timedelta(days=rng.randint(-120, 150)), place=company.city,
            kind=kind, remarks=rng.choice(("", "", "Unterkunft für die ersten Monate möglich.")),
            status="open" if company.status == Company.Status.PENDING else NEED_STATUSES.pick(rng),
            created_at=registered + timedelta(days=rng.uniform(1, 60)),
        ))  # fmt: skip
    return needs


def _service_requests(
    w: World, company: Company, registered: datetime, needs: list[SkilledWorkerNeed]
) -> list[ServiceRequest]:
    """A few requests per company over the years, taken on by a Lotse; recent ones still open.
    From `w.outcome_rng`, so that the directory is as it was before they came."""
    rng = w.outcome_rng
    requests = []
    for _ in range(rng.randint(0, 3)):
        created = registered + (w.now - registered) * rng.uniform(0.05, 1)
        age = (w.now - created) / timedelta(days=1)
        status = next(pick for limit, pick in SERVICE_STATUS_BY_AGE if limit is None or age < limit)
        status = status.pick(rng)
        kind = SERVICE_KINDS.pick(rng)
        about_a_need = kind in (ServiceKind.ONBOARDING, ServiceKind.ACCELERATED_PROCEDURE)
        finished = status in (ServiceRequest.Status.DONE, ServiceRequest.Status.DECLINED)
        requests.append(ServiceRequest(
            company=company, kind=kind, description=rng.choice(SERVICE_REQUESTS[kind]),
            need=rng.choice(needs) if about_a_need and rng.random() < 0.5 else None,
            status=status,
            owner=None if status == ServiceRequest.Status.NEW else rng.choice(w.lotsen),
            created_by=w.users[COMPANY_USER.email] if company.name == DEMO_COMPANY else None,
            created_at=created,
            closed_at=min(created + rng.uniform(3, 40) * DAY, w.now) if finished else None,
        ))  # fmt: skip
    return requests


def _index_directory(w: World, objs: Directory) -> None:
    for service in objs[PartnerService]:
        # A partner abroad prepares candidates before they come; referrals stay in the region.
        if service.partner.type != PartnerType.ABROAD:
            w.partners_for.setdefault(service.category, []).append(service.partner)
    for contact in objs[PartnerContact]:
        if contact.is_primary:
            w.primary_contact[contact.partner.pk] = contact
    for partner in objs[Partner]:
        w.authority.setdefault(partner.type, partner)
    for company in objs[Company]:
        if company.status == Company.Status.APPROVED:
            w.companies.append(company)
            w.companies_by_sector.setdefault(company.sector, []).append(company)
    for need in objs[SkilledWorkerNeed]:
        w.needs.setdefault(need.company.pk, []).append(need)
