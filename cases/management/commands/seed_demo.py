"""`manage.py seed_demo`: a demo Welcome Center to click through, or load-test data."""

from __future__ import annotations

import argparse
import secrets
import time
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)
from django.db import transaction

from accounts.models import Role
from cases import demo


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


class Command(BaseCommand):
    help = (
        "Fill an empty database with a demo Welcome Center in the Erzgebirge: the head of "
        "center, three Lotsen, partners, companies, about 60 newcomers and 150 cases with "
        "timelines, referrals and follow-ups, introductions to companies and hires, exit "
        "questionnaires, and one login per role. "
        "If the demo head of center already exists (`make run` calls this every time), only "
        "the demo users' passwords are reset and the logins printed; the data is left alone. "
        "A database holding other data is refused unless --flush is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help="Password of all demo logins (default: a random one, printed at the end).",
        )
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="First delete ALL cases, newcomers, partners, companies, notifications, "
            "outgoing e-mails and every user who is not a superuser, then build anew.",
        )
        parser.add_argument(
            "--scale",
            type=positive_int,
            metavar="N",
            help="Build N cases spread over three years (with about N/2.5 newcomers), for "
            "load tests. Without it: the small demo of about 150 cases over one year.",
        )

    @no_translations  # English output, whatever LANGUAGE_CODE says
    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        started = time.monotonic()
        with transaction.atomic():
            if options["flush"]:
                self.stdout.write("Deleting existing domain data ...")
                demo.flush_domain_data()
            elif demo.demo_head_exists():
                demo.reset_demo_passwords(password)
                self.stdout.write(
                    "Demo data is already there: only the demo passwords were reset "
                    "(seed_demo --flush rebuilds it)."
                )
                self.print_logins(password)
                return
            elif reason := demo.reason_not_to_seed():
                raise CommandError(f"{reason} Run seed_demo --flush to delete it and start over.")
            counts = self.build(password, options["scale"], options["seed"])
        if options["scale"]:
            demo.analyze()  # planner statistics for the bulk of new rows (PostgreSQL)
        summary = ", ".join(
            f"{n:,} {model._meta.verbose_name_plural}" for model, n in counts.items()
        )
        self.stdout.write(f"Created {summary} in {time.monotonic() - started:.1f} s.")
        self.print_logins(password)

    def build(self, password: str, scale: int | None, seed: int) -> demo.Counts:
        n_cases = scale or 150
        span_days = demo.SCALE_HISTORY_DAYS if scale else demo.SMALL_HISTORY_DAYS
        self.stdout.write(f"Building a demo center with {n_cases:,} cases (seed {seed}) ...")
        return demo.build_demo_center(
            n_cases=n_cases,
            seed=seed,
            password=password,
            span_days=span_days,
            progress=self.stdout.write,
        )

    def print_logins(self, password: str) -> None:
        rows = [
            (user.email, f"{Role(user.role).label}: {user.full_name}") for user in demo.DEMO_USERS
        ]
        email_width = max(len(email) for email, _ in rows)
        role_width = max(len(role) for _, role in rows)
        self.stdout.write(self.style.SUCCESS("\nDemo logins (e-mail, role, password)"))
        for email, role in rows:
            self.stdout.write(f"  {email:<{email_width}}  {role:<{role_width}}  {password}")
        self.stdout.write("")
