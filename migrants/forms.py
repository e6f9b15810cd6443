"""The public intake form. One page, sections in the order a newcomer thinks of them, no
JavaScript needed. The labels and messages are translated into every intake language."""

from __future__ import annotations

import copy
from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField, LazyTypedChoiceField
from phonenumber_field.formfields import PhoneNumberField

from cases.models import Category, label_of
from migrants.models import (
    CEFRLevel,
    HouseholdMember,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
    ResidenceTitle,
)
from migrants.uploads import validate_upload

OPTIONAL_WITH_DEFAULT = (
    "gender",
    "foreign_background",
    "employment_status_on_entry",
    "education_level",
    "preferred_channel",
)
MAX_UPLOADS = 5
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_CHILDREN = 4
NEED_TEXT_MAX = 300

LEVEL_CHOICES = [("", _("no knowledge / not stated")), *CEFRLevel.choices]
OTHER_LANGUAGE_CODES = frozenset(code for code, _name in ALL_LANGUAGES if code not in ("de", "en"))


def _other_language_choices() -> list[tuple[str, str]]:
    # Django's language names are translated by its own catalogs once they are marked lazy.
    # A callable, so each form copies a function rather than a list of a hundred options.
    return [
        ("", "—"),
        *[(code, _(name)) for code, name in ALL_LANGUAGES if code in OTHER_LANGUAGE_CODES],
    ]


def _country_choices() -> list[tuple[str, str]]:
    # Evaluated per form, in the visitor's language (a list built at import would stay German).
    return [("", "—"), *countries]


class CodeChoiceField(forms.ChoiceField):
    """A choice field with a long list of translated options. A submitted value is checked
    with one set lookup: ChoiceField would walk every option, and for countries translate and
    sort all 250 names first (about 0.6 ms a field). The options are still only built when
    the form is shown."""

    def __init__(self, *, codes: Collection[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.codes = frozenset(codes)

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.codes


class CountryChoiceField(LazyTypedChoiceField):
    """django-countries' form field, checked against the code table instead of the sorted,
    translated list of names (see CodeChoiceField)."""

    def valid_value(self, value: Any) -> bool:
        return str(value) in countries


def _formfield(field: Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, CountryField):
        return field.formfield(choices_form_class=CountryChoiceField, **kwargs)
    return field.formfield(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's recipe for several files in one field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _need_field_names(category: str) -> tuple[str, str]:
    return f"need_{category}", f"need_{category}_text"


class IntakeForm(forms.ModelForm):
    """What a newcomer tells us. Fields of the Newcomer come from the model (with its maximum
    lengths); household, languages, qualification, residence, needs and consent are extra
    fields that the intake service turns into their own rows."""

    # Household
    partner = forms.ChoiceField(
        label=_("Partner"),
        required=False,
        choices=[
            ("", _("no partner / not stated")),
            ("along", _("yes, my partner comes along or is already here")),
            ("behind", _("yes, my partner stays in the home country for now")),
        ],
    )
    # Languages: German first, because it matters most here.
    german_level = forms.ChoiceField(label=_("German"), required=False, choices=LEVEL_CHOICES)
    english_level = forms.ChoiceField(label=_("English"), required=False, choices=LEVEL_CHOICES)
    other_language = CodeChoiceField(
        label=_("Other language"),
        required=False,
        choices=_other_language_choices,
        codes=OTHER_LANGUAGE_CODES,
    )
    other_language_level = forms.ChoiceField(
        label=_("Level in the other language"), required=False, choices=LEVEL_CHOICES
    )
    # Qualification
    degree = forms.CharField(
        label=_("Degree or vocational qualification"),
        required=False,
        max_length=150,
        help_text=_("For example: Bachelor of Nursing, electrician (3-year training)."),
    )
    degree_country = CountryChoiceField(
        label=_("Country where you obtained it"),
        required=False,
        choices=_country_choices,
    )
    degree_year = forms.IntegerField(label=_("Year obtained"), required=False)
    # Residence
    residence_title = forms.ChoiceField(
        label=_("Residence title"),
        required=False,
        choices=[("", _("I don't know / not yet")), *ResidenceTitle.choices],
    )
    residence_expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # Uploads
    documents = MultipleFileField(
        label=_("Documents (optional)"),
        required=False,
        help_text=_("CV or certificates: PDF, JPEG or PNG, at most 10 MB each, up to 5 files."),
    )
    # Consent
    consent_processing = forms.BooleanField(
        label=_("I agree that the Welcome Center stores and uses my data as described above."),
        required=True,
        error_messages={
            "required": _(
                "We can only help you if you agree. Without your consent we may not store your data."
            )
        },
    )
    consent_partners = forms.BooleanField(
        label=_(
            "I agree that the Welcome Center may pass my name, contact details and my request "
            "to partner agencies (for example the foreigners authority or a language school) "
            "when it asks them to help me."
        ),
        required=False,
    )
    # A field people cannot see: bots fill it in, and their submissions are dropped.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this field empty"))

    class Meta:
        model = Newcomer
        formfield_callback = _formfield
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "nationality",
            "foreign_background",
            "email",
            "phone",
            "preferred_channel",
            "kind_of_arrival",
            "country_of_origin",
            "arrival_date",
            "arrival_is_planned",
            "coming_from",
            "target_place",
            "profession",
            "education_level",
            "employment_status_on_entry",
            "target_company_name",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "arrival_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "target_company_name": _("Employer, or the company where you want to work"),
        }
        help_texts = {
            "gender": _(
                "Optional. Our funder (the European Social Fund) asks for it in anonymous statistics."
            ),
            "foreign_background": _(
                "Optional. Did you or at least one of your parents come to Germany from abroad? "
                "Only counted in anonymous statistics for our funder."
            ),
            "employment_status_on_entry": _(
                "Optional. Only counted in anonymous statistics for our funder."
            ),
            "education_level": _(
                "Optional. Helps us find the right advice and is counted anonymously for our funder."
            ),
            "email": _(
                "Please give an e-mail address or a phone number, so that we can answer you."
            ),
            # The number sits between U+2066 and U+2069 (invisible direction isolates), so it
            # stays left-to-right inside an Arabic sentence. Literal characters, not escapes:
            # xgettext would otherwise extract the backslashes.
            "phone": _("With the country code, for example ⁦+49 371 1234567⁩."),
            "arrival_is_planned": _("Tick this if you have not arrived yet."),
        }

    def _clean_optional(self, name: str) -> str:
        return self.cleaned_data.get(name) or Newcomer._meta.get_field(name).get_default()

    def clean_gender(self) -> str:
        return self._clean_optional("gender")

    def clean_foreign_background(self) -> str:
        return self._clean_optional("foreign_background")

    def clean_employment_status_on_entry(self) -> str:
        return self._clean_optional("employment_status_on_entry")

    def clean_education_level(self) -> str:
        return self._clean_optional("education_level")

    def clean_preferred_channel(self) -> str:
        return self._clean_optional("preferred_channel")

    # ---- field checks -------------------------------------------------------------------
    def clean_birth_date(self) -> date | None:
        born = self.cleaned_data.get("birth_date")
        today = timezone.localdate()
        if born and born > today:
            raise ValidationError(_("The date of birth cannot be in the future."))
        if born and born < today.replace(year=today.year - 100):
            raise ValidationError(
                _("Please check the date of birth: it is more than 100 years ago.")
            )
        return born

    def clean_arrival_date(self) -> date | None:
        arrival = self.cleaned_data.get("arrival_date")
        today = timezone.localdate()
        if arrival and arrival < today.replace(year=today.year - 10):
            raise ValidationError(_("Please check the arrival date: it is more than 10 years ago."))
        if arrival and arrival > today + timedelta(days=2 * 365):
            raise ValidationError(
                _("Please check the arrival date: it is more than 2 years ahead.")
            )
        return arrival

    def clean_degree_year(self) -> int | None:
        return _year_in_range(self.cleaned_data.get("degree_year"), 1950, timezone.localdate().year)

    def clean_residence_expires_on(self) -> date | None:
        expires = self.cleaned_data.get("residence_expires_on")
        today = timezone.localdate()
        if expires and not (
            today - timedelta(days=2 * 365) <= expires <= today + timedelta(days=15 * 365)
        ):
            raise ValidationError(
                _("Please check this date: it does not look like a valid expiry date.")
            )
        return expires

    def clean_documents(self) -> list[Any]:
        files = self.cleaned_data.get("documents") or []
        if len(files) > MAX_UPLOADS:
            raise ValidationError(
                ngettext_lazy(
                    "Please send at most %(count)d file.",
                    "Please send at most %(count)d files.",
                    "count",
                ),
                params={"count": MAX_UPLOADS},
            )
        errors: list[ValidationError] = []
        for upload in files:
            try:
                upload.sniffed_type = validate_upload(upload, max_bytes=MAX_UPLOAD_BYTES)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return files

    # ---- the whole form -----------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and not self.has_error("email")
            and not self.has_error("phone")
        ):
            self.add_error("email", _("Please give an e-mail address or a phone number."))
        if (
            data.get("arrival_is_planned")
            and data.get("arrival_date")
            and data["arrival_date"] < timezone.localdate()
        ):
            self.add_error(
                "arrival_date",
                _(
                    "A planned arrival cannot be in the past. Untick 'arrival still planned' or correct the date."
                ),
            )
        self._clean_children(data)
        if not self.chosen_needs():
            self.add_error(
                _need_field_names(Category.values[0])[0],
                _("Please choose at least one topic you need help with."),
            )
        if data.get("other_language") and not data.get("other_language_level"):
            self.add_error("other_language_level", _("Please choose your level in this language."))
        return data

    def _clean_children(self, data: dict[str, Any]) -> None:
        this_year = timezone.localdate().year
        for number in range(1, MAX_CHILDREN + 1):
            name = f"child_{number}_birth_year"
            try:
                data[name] = _year_in_range(data.get(name), this_year - 30, this_year + 1)
            except ValidationError as error:
                self.add_error(name, error)

    def _get_validation_exclusions(self) -> set[str]:
        # The model's check constraints on these fields only restate their choices, which the
        # form's choice fields already enforce (and the database again on INSERT); skipping
        # the model-level pass saves a query per constraint on every submission. The country
        # fields' model-level pass would only repeat the form field's check of the code, at
        # the price of translating and sorting every country name again.
        return super()._get_validation_exclusions() | {
            "gender",
            "kind_of_arrival",
            "country_of_origin",
            "nationality",
        }

    def _post_clean(self) -> None:
        # Django's ModelForm._post_clean without the model's check constraints: each of them
        # names a field excluded above (tests/migrants/test_intake_form.py checks that), yet
        # still builds a query before Django skips it, about 1 ms per submission for nothing.
        # The database enforces them on INSERT all the same.
        exclude = self._get_validation_exclusions()
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self._update_errors(error)
        if self._validate_unique:
            self.validate_unique()

    def need_fields(self) -> list[forms.BoundField]:
        """Each topic's tick box followed by its text field, for the template."""
        fields = []
        for category in Category.values:
            need, text = _need_field_names(category)
            fields += [self[need], self[text]]
        return fields

    # ---- what the service reads ---------------------------------------------------------
    def chosen_needs(self) -> list[tuple[str, str]]:
        data = getattr(self, "cleaned_data", {})
        needs = []
        for category in Category.values:
            need, text = _need_field_names(category)
            if data.get(need):
                needs.append((category, data.get(text, "")))
        return needs

    def children_birth_years(self) -> list[int]:
        years = (self.cleaned_data.get(f"child_{n}_birth_year") for n in range(1, MAX_CHILDREN + 1))
        return [year for year in years if year]

    def language_levels(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        levels = [("de", data.get("german_level")), ("en", data.get("english_level"))]
        if data.get("other_language"):
            levels.append((data["other_language"], data.get("other_language_level")))
        return [(language, level) for language, level in levels if level]

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


def _child_label(number: int) -> str:
    return gettext("Child %(number)d: year of birth") % {"number": number}


def _need_text_label(category: str) -> str:
    return gettext("%(category)s: what do you need?") % {"category": label_of(Category, category)}


class _FieldTemplates(dict[str, forms.Field]):
    """A form's base fields, copied for each form as Django's deepcopy would, except that
    the option lists of choice fields are shared rather than copied item by item: no code
    changes them in place (they are only ever replaced), and the intake's two dozen lists
    made the copy cost more than half a millisecond per request."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: _copy_field(field) for name, field in self.items()}


def _copy_field(field: forms.Field) -> forms.Field:
    # What Field.__deepcopy__ and Widget.__deepcopy__ do, less ChoiceField's deep copy of
    # its choices. Multi-widgets (none on the intake) keep Django's full copy.
    if isinstance(field.widget, forms.MultiWidget):
        return copy.deepcopy(field)
    result = copy.copy(field)
    result.widget = copy.copy(field.widget)
    result.widget.attrs = field.widget.attrs.copy()
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    return result


def _complete_intake_fields(fields: dict[str, forms.Field]) -> _FieldTemplates:
    """The intake's fields that are not written out in the class: built once at import
    (labels stay lazy, so each request still sees its own language), not on every request."""
    for number in range(1, MAX_CHILDREN + 1):
        fields[f"child_{number}_birth_year"] = forms.IntegerField(
            label=lazy(_child_label, str)(number), required=False
        )
    for category, label in Category.choices:
        need, text = _need_field_names(category)
        fields[need] = forms.BooleanField(label=label, required=False)
        fields[text] = forms.CharField(
            label=lazy(_need_text_label, str)(category),
            required=False,
            max_length=NEED_TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    # Optional in practice: the model's "not stated" default stands in for no answer.
    for name in OPTIONAL_WITH_DEFAULT:
        fields[name].required = False
    fields["kind_of_arrival"].choices = [("", "—"), *fields["kind_of_arrival"].choices[1:]]
    fields["phone"] = PhoneNumberField(
        label=_("Phone"),
        required=False,
        error_messages={
            "invalid": _(
                "Please enter a valid phone number with the country code, "
                "for example ⁦+49 371 1234567⁩."
            )
        },
        help_text=IntakeForm.Meta.help_texts["phone"],
    )
    return _FieldTemplates(fields)


IntakeForm.base_fields = _complete_intake_fields(IntakeForm.base_fields)


def _year_in_range(year: int | None, lowest: int, highest: int) -> int | None:
    if year is not None and not lowest <= year <= highest:
        raise ValidationError(
            _("Please enter a year between %(lowest)d and %(highest)d."),
            params={"lowest": lowest, "highest": highest},
        )
    return year


class NewcomerForm(forms.ModelForm):
    """The newcomer file's edit form for Lotsen: the intake's data, corrected or completed."""

    class Meta:
        model = Newcomer
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "email",
            "phone",
            "preferred_language",
            "preferred_channel",
            "kind_of_arrival",
            "country_of_origin",
            "nationality",
            "foreign_background",
            "arrival_date",
            "arrival_is_planned",
            "coming_from",
            "current_place",
            "target_place",
            "profession",
            "education_level",
            "employment_status_on_entry",
            "target_company_name",
            "started_work_on",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("birth_date", "arrival_date", "started_work_on")
        }

    def clean_birth_date(self) -> date | None:
        born = self.cleaned_data.get("birth_date")
        if born and born > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        return born


class HouseholdMemberForm(forms.ModelForm):
    """A partner, child or other relative who comes along (or stays abroad for now)."""

    class Meta:
        model = HouseholdMember
        fields = ["relation", "first_name", "birth_year", "comes_along"]

    def clean_birth_year(self) -> int | None:
        return _year_in_range(self.cleaned_data.get("birth_year"), 1900, timezone.localdate().year)


class LanguageSkillForm(forms.ModelForm):
    """One language and its level. The newcomer is not a field of the form, so the rule of one
    entry per language is checked here (Django checks it only for the form's own fields)."""

    class Meta:
        model = LanguageSkill
        fields = ["language", "level"]

    def clean_language(self) -> str:
        language: str = self.cleaned_data["language"]
        others = LanguageSkill.objects.filter(newcomer=self.instance.newcomer_id, language=language)
        if others.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("This language is already listed: please change its level there.")
            )
        return language


class ResidencePermitForm(forms.ModelForm):
    class Meta:
        model = ResidencePermit
        fields = ["title", "issued_on", "expires_on", "renewal_applied_on", "notes"]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("issued_on", "expires_on", "renewal_applied_on")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("The expiry date must be after the date of issue."))
        return data


class QualificationForm(forms.ModelForm):
    """A qualification and the state of its recognition."""

    class Meta:
        model = Qualification
        fields = [
            "title",
            "profession",
            "country",
            "year",
            "education_level",
            "reference_occupation",
            "is_regulated",
            "competent_authority",
            "documents_complete_on",
            "application_submitted_on",
            "decision_on",
            "outcome",
            "required_measure",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("documents_complete_on", "application_submitted_on", "decision_on")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from partners.models import Partner, PartnerType

        # Recognition bodies only: chambers, recognition offices, the IQ Netzwerk.
        self.fields["competent_authority"].queryset = Partner.objects.filter(
            type__in=[
                PartnerType.HWK,
                PartnerType.IHK,
                PartnerType.RECOGNITION_AUTHORITY,
                PartnerType.IQ_NETWORK,
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") and not data.get("decision_on"):
            self.add_error("decision_on", _("Please enter the date of the decision."))
        if data.get("outcome") == "partial" and not data.get("required_measure"):
            self.add_error(
                "required_measure",
                _("Please name the required measure (adaptation course or exam)."),
            )
        year = data.get("year")
        if year and not 1940 <= year <= timezone.localdate().year:
            self.add_error("year", _("Please enter a plausible year."))
        return data
