"""The record of processing activities lists every model that holds personal data, with its
fields read from the model."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.registry import auditlog
from django.test import Client
from django.urls import reverse

from accounts.models import User
from migrants.models import Newcomer
from privacy.register import ACTIVITIES

pytestmark = pytest.mark.django_db


def _listed() -> set[str]:
    return {label.lower() for activity in ACTIVITIES for label in activity.models}


def test_every_audited_model_is_in_the_register() -> None:
    audited = {model._meta.label_lower for model in auditlog.get_models()}
    assert audited
    assert audited <= _listed()


@pytest.mark.parametrize(
    "label",
    ["accounts.user", "partners.partnercontact", "companies.companycontact", "auditlog.logentry"],
)
def test_people_other_than_newcomers_are_in_the_register(label: str) -> None:
    assert label in _listed()


def test_the_head_reads_the_register_with_every_field(
    head: User, client_for: Callable[[User | None], Client]
) -> None:
    page = client_for(head).get(reverse("processing_register")).content.decode()

    for field in Newcomer._meta.concrete_fields:
        if field.name not in ("id", "search_text"):
            assert str(field.verbose_name) in page, field.name
