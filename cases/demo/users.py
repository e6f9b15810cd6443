"""The demo logins, and whether this database may be seeded at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password

from accounts.models import Role, User
from cases.models import Case
from companies.models import Company
from migrants.models import Newcomer
from partners.models import Partner

DEMO_DOMAIN = "demo.welcome-center.example"


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    is_on_duty: bool = False


HEAD = DemoUser(f"leitung@{DEMO_DOMAIN}", "Katrin Böhme", Role.HEAD)
LOTSEN = (
    DemoUser(f"lotse@{DEMO_DOMAIN}", "Jana Schubert", Role.LOTSE, is_on_duty=True),
    DemoUser(f"lotse2@{DEMO_DOMAIN}", "Tobias Lange", Role.LOTSE),
    DemoUser(f"lotse3@{DEMO_DOMAIN}", "Aylin Hoffmann", Role.LOTSE),
)
PARTNER_USER = DemoUser(f"partner@{DEMO_DOMAIN}", "Sabine Kretzschmar", Role.PARTNER)
COMPANY_USER = DemoUser(f"firma@{DEMO_DOMAIN}", "Frank Uhlig", Role.COMPANY)
DEMO_USERS = (HEAD, *LOTSEN, PARTNER_USER, COMPANY_USER)
DEMO_EMAILS = [user.email for user in DEMO_USERS]


def demo_head_exists() -> bool:
    return User.objects.filter(email=HEAD.email).exists()


def reason_not_to_seed() -> str | None:
    """Why demo data must not be added to this database, or None if it is empty enough."""
    if User.objects.filter(email__in=DEMO_EMAILS).exists():
        return "Some demo users exist, but not the demo head of center."
    for model in (Case, Newcomer, Partner, Company):
        if model._default_manager.exists():
            return f"The database already holds {model._meta.verbose_name_plural}."
    return None


def reset_demo_passwords(password: str) -> int:
    # One hash for all: hashing costs about a second each, and these are throwaway logins.
    return User.objects.filter(email__in=DEMO_EMAILS).update(password=make_password(password))


def demo_users(password: str, since: datetime) -> dict[str, User]:
    """The demo logins, unsaved, by e-mail."""
    encoded = make_password(password)
    return {
        spec.email: User(
            email=spec.email,
            full_name=spec.full_name,
            role=spec.role,
            is_on_duty=spec.is_on_duty,
            is_staff=spec.role == Role.HEAD,  # the admin is for the head only
            password=encoded,
            date_joined=since,
        )
        for spec in DEMO_USERS
    }
