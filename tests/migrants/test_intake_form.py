from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from migrants.forms import MAX_UPLOAD_BYTES, IntakeForm
from migrants.models import Newcomer
from tests.migrants.intake_data import pdf, png, valid_intake

TODAY = "2026-11-21 10:00 +01:00"


def _form(data: dict, files: dict | None = None) -> IntakeForm:
    return IntakeForm(data, files or {})


@time_machine.travel(TODAY, tick=False)
def test_valid_intake_is_accepted(db: None) -> None:
    form = _form(valid_intake())
    assert form.is_valid(), form.errors
    assert [category for category, _text in form.chosen_needs()] == [
        "housing",
        "recognition",
        "childcare",
    ]
    assert form.children_birth_years() == [2020, 2015]
    assert form.language_levels() == [("de", "B1"), ("en", "B2"), ("ar", "NATIVE")]


@time_machine.travel(TODAY, tick=False)
def test_phone_is_normalised_to_e164(db: None) -> None:
    form = _form(valid_intake(phone="0371 1234567"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"].as_e164 == "+493711234567"


@time_machine.travel(TODAY, tick=False)
def test_invalid_phone_says_what_to_do(db: None) -> None:
    with translation.override("en"):
        form = _form(valid_intake(phone="12"))
        assert not form.is_valid()
        assert "phone" in form.errors


@time_machine.travel(TODAY, tick=False)
def test_consent_is_required_with_an_explanation(db: None) -> None:
    with translation.override("en"):
        form = _form(valid_intake(consent_processing=""))
        assert not form.is_valid()
        assert "Without your consent" in form.errors["consent_processing"][0]


@time_machine.travel(TODAY, tick=False)
def test_email_or_phone_is_required(db: None) -> None:
    with translation.override("en"):
        form = _form(valid_intake(email="", phone=""))
        assert not form.is_valid()
        assert form.errors["email"] == ["Please give an e-mail address or a phone number."]


@time_machine.travel(TODAY, tick=False)
def test_only_a_phone_number_is_enough(db: None) -> None:
    assert _form(valid_intake(email="")).is_valid()


@time_machine.travel(TODAY, tick=False)
def test_birth_date_in_the_future_is_refused(db: None) -> None:
    form = _form(valid_intake(birth_date="2027-01-01"))
    assert not form.is_valid()
    assert "birth_date" in form.errors


@time_machine.travel(TODAY, tick=False)
def test_planned_arrival_in_the_past_is_refused(db: None) -> None:
    form = _form(valid_intake(arrival_date="2026-01-01", arrival_is_planned="on"))
    assert not form.is_valid()
    assert "arrival_date" in form.errors


@time_machine.travel(TODAY, tick=False)
def test_arrival_more_than_two_years_ahead_is_refused(db: None) -> None:
    assert "arrival_date" in _form(valid_intake(arrival_date="2029-06-01")).errors


@time_machine.travel(TODAY, tick=False)
def test_at_least_one_need_is_required(db: None) -> None:
    data = valid_intake()
    for key in [k for k in data if k.startswith("need_")]:
        data[key] = ""
    form = _form(data)
    assert not form.is_valid()
    assert "need_housing" in form.errors


@time_machine.travel(TODAY, tick=False)
def test_implausible_child_birth_year_is_refused(db: None) -> None:
    assert "child_1_birth_year" in _form(valid_intake(child_1_birth_year="1850")).errors


@time_machine.travel(TODAY, tick=False)
def test_overlong_text_is_refused_with_the_limit(db: None) -> None:
    with translation.override("en"):
        errors = _form(valid_intake(first_name="A" * 101)).errors
        assert "at most 100 characters" in errors["first_name"][0]


@time_machine.travel(TODAY, tick=False)
def test_pdf_and_png_uploads_are_accepted(db: None) -> None:
    form = IntakeForm(valid_intake(), {"documents": [pdf(), png()]})
    assert form.is_valid(), form.errors
    assert [f.sniffed_type for f in form.cleaned_data["documents"]] == [
        "application/pdf",
        "image/png",
    ]


@time_machine.travel(TODAY, tick=False)
def test_a_file_is_checked_by_content_not_by_name(db: None) -> None:
    fake = pdf("virus.pdf", content=b"MZ\x90\x00 this is an executable")
    with translation.override("en"):
        form = IntakeForm(valid_intake(), {"documents": [fake]})
        assert not form.is_valid()
        assert "is not a PDF, JPEG or PNG file" in form.errors["documents"][0]


@time_machine.travel(TODAY, tick=False)
def test_a_file_over_10_mb_is_refused(db: None) -> None:
    big = pdf("big.pdf", content=b"%PDF-" + b"0" * MAX_UPLOAD_BYTES)
    with translation.override("en"):
        form = IntakeForm(valid_intake(), {"documents": [big]})
        assert not form.is_valid()
        assert "larger than 10 MB" in form.errors["documents"][0]


@time_machine.travel(TODAY, tick=False)
def test_more_than_five_files_are_refused(db: None) -> None:
    files = [pdf(f"file{n}.pdf") for n in range(6)]
    assert "documents" in IntakeForm(valid_intake(), {"documents": files}).errors


@time_machine.travel(TODAY, tick=False)
def test_errors_are_in_the_chosen_language(db: None) -> None:
    with translation.override("de"):
        german = _form(valid_intake(last_name="")).errors["last_name"][0]
    with translation.override("ar"):
        arabic = _form(valid_intake(last_name="")).errors["last_name"][0]
    assert german != arabic
    assert "erforderlich" in german


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nationality", "XX"),
        ("nationality", "sy"),
        ("country_of_origin", "SYR"),
        ("degree_country", "ZZ"),
        ("other_language", "xx"),
        ("other_language", "de"),  # German has its own field
    ],
)
def test_unknown_country_or_language_codes_are_refused(db: None, field: str, value: str) -> None:
    assert field in _form(valid_intake(**{field: value})).errors


@time_machine.travel(TODAY, tick=False)
def test_known_country_and_language_codes_are_accepted(db: None) -> None:
    data = valid_intake(nationality="UA", country_of_origin="PL", degree_country="TR")
    form = _form({**data, "other_language": "uk", "other_language_level": "C1"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["degree_country"] == "TR"


@time_machine.travel(TODAY, tick=False)
def test_the_form_skips_no_model_constraint_it_could_check(db: None) -> None:
    """The intake form leaves the model's check constraints to the database (IntakeForm.
    _post_clean). That is only safe while each of them names a field the form excludes from
    model validation, as Django would skip it then anyway."""
    newcomer = Newcomer(
        pk=1,
        reference="NC-1",
        gender="bogus",
        kind_of_arrival="bogus",
        triaged_at=timezone.now(),
        possible_duplicate_of_id=1,
    )
    with pytest.raises(ValidationError) as violated:
        newcomer.validate_constraints()
    assert len(violated.value.messages) == len(Newcomer._meta.constraints)
    form = _form(valid_intake())
    assert form.is_valid(), form.errors
    newcomer.validate_constraints(exclude=form._get_validation_exclusions())
