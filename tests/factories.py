"""Small factories for the domain: each builds one valid row with the fewest fields it needs.

Users get an unusable password (hashing costs time and most tests log in with force_login);
pass `password=...` to a factory for a user who logs in through the form.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import factory
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Case, CaseEvent, Category, EventKind, FollowUp, Referral
from companies.models import (
    Company,
    CompanyContact,
    Introduction,
    NeedKind,
    QualificationLevel,
    Sector,
    ServiceKind,
    ServiceRequest,
    SizeBand,
    SkilledWorkerNeed,
)
from migrants.models import (
    CEFRLevel,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    KindOfArrival,
    Newcomer,
)
from partners.models import Partner, PartnerContact, PartnerType


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="de_DE")
    role = Role.LOTSE
    password: str | None = None

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # set_password(None) marks the password unusable without hashing anything.
        password = kwargs.pop("password", None)
        # Users of the roles that must log in with two factors have an authenticator app set
        # up, as they would after their first login; `mfa=False` for one who has not yet.
        mfa = kwargs.pop("mfa", True)
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        if mfa and user.role in settings.MFA_REQUIRED_ROLES:
            set_up_totp(user)
        return user


# The authenticator app of every test user who has one: tests compute its codes with totp_code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def set_up_totp(user: User, secret: str = TOTP_SECRET) -> None:
    TOTP.activate(user, secret)
    user.refresh_from_db(fields=["mfa_enabled_at"])


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code the authenticator app shows right now."""
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


class LotseFactory(UserFactory):
    email = factory.Sequence(lambda n: f"lotse{n}@welcome-center.example")
    role = Role.LOTSE


class HeadFactory(UserFactory):
    email = factory.Sequence(lambda n: f"head{n}@welcome-center.example")
    role = Role.HEAD
    is_staff = True


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    type = PartnerType.MIGRATION_ADVICE
    city = "Annaberg-Buchholz"
    email = factory.Sequence(lambda n: f"partner{n}@partner.example")


class PartnerContactFactory(factory.django.DjangoModelFactory[PartnerContact]):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")


class PartnerUserFactory(UserFactory):
    """A partner user with the contact record that ties them to a partner:
    `PartnerUserFactory(partner_contact__partner=partner)`."""

    email = factory.Sequence(lambda n: f"partner-user{n}@partner.example")
    role = Role.PARTNER
    partner_contact = factory.RelatedFactory(
        PartnerContactFactory,
        factory_related_name="user",
        name=factory.SelfAttribute("..full_name"),
        email=factory.SelfAttribute("..email"),
    )


class CompanyFactory(factory.django.DjangoModelFactory[Company]):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Erzgebirge Metallbau {n} GmbH")
    sector = Sector.CRAFTS
    size_band = SizeBand.SMALL
    city = "Aue-Bad Schlema"
    status = Company.Status.APPROVED


class CompanyContactFactory(factory.django.DjangoModelFactory[CompanyContact]):
    class Meta:
        model = CompanyContact

    company = factory.SubFactory(CompanyFactory)
    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"contact{n}@company.example")


class CompanyUserFactory(UserFactory):
    """A company user with the contact record that ties them to a company:
    `CompanyUserFactory(company_contact__company=company)`."""

    email = factory.Sequence(lambda n: f"company-user{n}@company.example")
    role = Role.COMPANY
    company_contact = factory.RelatedFactory(
        CompanyContactFactory,
        factory_related_name="user",
        name=factory.SelfAttribute("..full_name"),
        email=factory.SelfAttribute("..email"),
    )


class SkilledWorkerNeedFactory(factory.django.DjangoModelFactory[SkilledWorkerNeed]):
    class Meta:
        model = SkilledWorkerNeed

    company = factory.SubFactory(CompanyFactory)
    occupation = "Mechatroniker/in"
    qualification_level = QualificationLevel.VOCATIONAL
    german_level = CEFRLevel.B1
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    place = "Aue-Bad Schlema"
    kind = NeedKind.PERMANENT


class NewcomerFactory(factory.django.DjangoModelFactory[Newcomer]):
    class Meta:
        model = Newcomer

    reference = factory.Sequence(lambda n: "NC-2026-%05d" % n)  # noqa: UP031
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    kind_of_arrival = KindOfArrival.ABROAD_THIRD_COUNTRY
    nationality = "IN"


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: "WC-2026-%05d" % n)  # noqa: UP031
    newcomer = factory.SubFactory(NewcomerFactory)
    category = Category.HOUSING
    owner = factory.SubFactory(LotseFactory)


class CaseEventFactory(factory.django.DjangoModelFactory[CaseEvent]):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    kind = EventKind.NOTE
    actor = factory.SelfAttribute("case.owner")
    text = "Called the newcomer; flat viewing on Monday."


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    partner = factory.SubFactory(PartnerFactory)
    request = "Please advise on the recognition of a nursing degree."
    created_by = factory.SelfAttribute("case.owner")
    answer_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


class FollowUpFactory(factory.django.DjangoModelFactory[FollowUp]):
    class Meta:
        model = FollowUp

    case = factory.SubFactory(CaseFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3))
    text = "Ask whether the flat viewing went well."
    assignee = factory.SelfAttribute("case.owner")
    created_by = factory.SelfAttribute("case.owner")


class IntroductionFactory(factory.django.DjangoModelFactory[Introduction]):
    """A newcomer proposed for a need, with their consent to share the profile with the
    need's company."""

    class Meta:
        model = Introduction

    need = factory.SubFactory(SkilledWorkerNeedFactory)
    newcomer = factory.SubFactory(NewcomerFactory)
    proposed_by = factory.SubFactory(LotseFactory)
    consent = factory.LazyAttribute(
        lambda o: ConsentRecord.objects.create(
            newcomer=o.newcomer,
            scope=ConsentScope.SHARE_WITH_COMPANY,
            company=o.need.company,
            text_version="oral",
            language="de",
            method=ConsentMethod.ORAL,
            recorded_by=o.proposed_by,
        )
    )


class ServiceRequestFactory(factory.django.DjangoModelFactory[ServiceRequest]):
    class Meta:
        model = ServiceRequest

    company = factory.SubFactory(CompanyFactory)
    kind = ServiceKind.INTERCULTURAL_TRAINING
    description = "A half-day workshop for the care team before two nurses from Kerala start."
