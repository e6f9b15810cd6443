"""Property-based: whatever is posted to the intake, the answer is never a 500 and the database
holds either one complete intake or nothing at all."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from migrants.models import ConsentRecord, Newcomer
from tests.migrants.intake_data import valid_intake

FIELDS = list(valid_intake())

hostile_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet="ab", min_size=301, max_size=3000),
    st.text(alphabet=st.characters(categories=["Cc", "Co", "Zl", "Zp"]), max_size=50),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999999999999999999999999",
            "1e309",
            "NaN",
            "2026-02-30",
            "0000-00-00",
            "9999-12-31",
            "31.12.1990",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "on",
            "true",
            "NATIVE",
            "abroad_third",
            "ZZ",
        ]
    ),
)

form_data = st.dictionaries(
    keys=st.one_of(st.sampled_from(FIELDS), st.text(max_size=20)),
    values=st.one_of(hostile_text, st.lists(hostile_text, max_size=3)),
    max_size=len(FIELDS),
)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.INTAKE_RATE_LIMIT = 10**9


def _assert_whole_or_nothing() -> None:
    newcomers = Newcomer.objects.count()
    if newcomers == 0:
        assert Case.objects.count() == 0
        assert ConsentRecord.objects.count() == 0
    else:
        for newcomer in Newcomer.objects.all():
            assert newcomer.cases.exists()
            assert newcomer.consents.filter(scope="processing").exists()


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=form_data)
def test_random_and_hostile_posts_never_give_500_nor_partial_records(data: dict) -> None:
    response = Client().post("/intake/", data)
    assert response.status_code in (302, 400)
    _assert_whole_or_nothing()


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(field=st.sampled_from(FIELDS), value=hostile_text)
def test_one_hostile_value_in_an_otherwise_valid_intake_is_answered_cleanly(
    field: str, value: str
) -> None:
    response = Client().post("/intake/", valid_intake(**{field: value}))
    assert response.status_code in (302, 400)
    _assert_whole_or_nothing()


@pytest.mark.django_db
def test_bytes_that_are_not_utf8_are_answered_with_400() -> None:
    # A lone surrogate cannot travel as UTF-8; the nearest real thing is invalid UTF-8 bytes.
    body = b"first_name=%ff%fe%fd&last_name=%c3%28&email=%80"
    response = Client().generic(
        "POST", "/intake/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert Newcomer.objects.count() == 0
