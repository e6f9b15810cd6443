"""welcome_center.widgets.Select writes exactly the markup of Django's Select."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils import translation

from welcome_center.widgets import Select

CHOICES: list[Any] = [("", "—"), ("a", "A & B"), ("b", '"quoted"'), (3, "three")]
GROUPED: list[Any] = [("Group <1>", [("x", "X"), ("y", "<Y>")]), ("z", "Z")]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, "a", {"class": "form-select", "required": True, "disabled": False}),
        (CHOICES, None, {"id": "id_f", "aria-describedby": "id_f_helptext"}),
        (CHOICES, 3, {}),
        (GROUPED, "y", {"class": "form-select"}),
    ],
)
@pytest.mark.parametrize("language", ["de", "ar"])
def test_select_renders_like_djangos(
    choices: list[Any], value: Any, attrs: dict[str, Any], language: str
) -> None:
    with translation.override(language):
        expected = forms.Select(attrs=attrs, choices=choices).render("field", value)
        assert Select(attrs=attrs, choices=choices).render("field", value) == expected
