"""The gettext catalogues: German first, placeholders intact.

German is the portal's default language, so every entry of locale/de is translated and checked
(no empty msgstr or plural form, no fuzzy flag). In every language, a translation keeps the
placeholders of its msgid: a missing %(name)s loses information, an extra or misspelt one makes
the page fail when the string is formatted. The .po files are read with plain Python.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))

# %(name)s, %(name)d, %s, %d, %i, %f; "%%" is a literal percent sign and is removed first.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sdif]")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context}"


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (gettext separates them by blank lines), without the header
    (msgid "") and without obsolete entries (#~)."""
    entries = []
    block_start = 1
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8")):
        entry = Entry(line=block_start)
        block_start += block.count("\n") + 2
        target: str | None = None
        for raw in block.splitlines():
            line = raw.strip()
            if not line or line.startswith("#~"):
                continue
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
                continue
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                assert target is not None, f"{path}:{entry.line}: text without a keyword"
                text = ast.literal_eval(line)
            else:
                target, _, rest = line.partition(" ")
                text = ast.literal_eval(rest)
            plural = re.fullmatch(r"msgstr\[(\d+)\]", target)
            if plural:
                index = int(plural.group(1))
                entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + text
            elif target in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                setattr(entry, target, (getattr(entry, target) or "") + text)
            else:
                raise AssertionError(f"{path}:{entry.line}: unexpected line {raw!r}")
        if entry.msgid:
            entries.append(entry)
    return entries


def placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The named placeholders (in any order, any number of times) and the positional ones (in
    order, each counted)."""
    found = PLACEHOLDER.findall(text.replace("%%", ""))
    named = frozenset(p for p in found if p.startswith("%("))
    return named, tuple(p for p in found if not p.startswith("%("))


def language(path: Path) -> str:
    return path.parent.parent.name


def test_every_language_has_a_catalogue() -> None:
    assert {language(path) for path in CATALOGUES} >= {
        "de", "en", "uk", "ar", "ru", "tr", "pl", "ro"
    }  # fmt: skip


def test_the_parser_reads_the_german_catalogue() -> None:
    entries = parse_po(LOCALE_DIR / "de/LC_MESSAGES/django.po")
    assert len(entries) > 100
    by_id = {(entry.msgctxt, entry.msgid): entry for entry in entries}
    assert by_id[(None, "Case")].msgstr == "Fall"
    assert any(entry.msgid_plural for entry in entries)


def plural_forms(path: Path) -> int:
    match = re.search(r"nplurals=(\d+)", path.read_text(encoding="utf-8"))
    assert match, f"{path}: no Plural-Forms header"
    return int(match.group(1))


def test_german_first_every_entry_is_translated_and_none_is_fuzzy() -> None:
    path = LOCALE_DIR / "de/LC_MESSAGES/django.po"
    forms = plural_forms(path)
    problems = []
    for entry in parse_po(path):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.label}")
        if entry.msgid_plural is None:
            if not entry.msgstr:
                problems.append(f"empty: {entry.label}")
        elif sorted(entry.msgstr_plural) != list(range(forms)) or not all(
            entry.msgstr_plural.values()
        ):
            problems.append(f"empty plural form: {entry.label}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGUES, ids=language)
def test_translations_keep_the_placeholders_of_the_msgid(path: Path) -> None:
    """A msgstr has exactly the placeholders of its msgid. A plural form may leave out a named
    placeholder when the word says the number (Arabic writes "one file", "two files" as
    words, not "1 file"), as long as the forms together use every one and none adds another;
    positional ones (%s, %d) can never be left out."""
    problems = []
    for entry in parse_po(path):
        if entry.msgid_plural is None:
            if entry.msgstr and placeholders(entry.msgstr) != placeholders(entry.msgid):
                problems.append(
                    f"{entry.label}: {placeholders(entry.msgstr)} instead of "
                    f"{placeholders(entry.msgid)}"
                )
            continue
        named, positional = placeholders(entry.msgid_plural)
        forms = {n: placeholders(text) for n, text in entry.msgstr_plural.items() if text}
        for n, (form_named, form_positional) in forms.items():
            if not form_named <= named or form_positional != positional:
                problems.append(
                    f"{entry.label} msgstr[{n}]: {(form_named, form_positional)} instead of "
                    f"{(named, positional)}"
                )
        used = frozenset().union(*(form_named for form_named, _ in forms.values()))
        if forms and used != named:
            problems.append(f"{entry.label}: no plural form uses {sorted(named - used)}")
    assert not problems, "\n".join(problems)


# The names makemessages (xgettext) extracts strings from: Django's functions under their own
# names, and `_`. A string marked through any other alias (`gettext_lazy as _lazy`) is never
# extracted, so it stays English in every language without any test noticing.
EXTRACTED_NAMES = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "_",
}
SOURCE_DIRS = ("accounts", "cases", "companies", "figures", "migrants", "partners", "privacy")
SOURCE_DIRS += ("reminders", "welcome_center")


def test_translation_functions_are_imported_under_names_makemessages_extracts() -> None:
    root = LOCALE_DIR.parent
    wrong = []
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                    for alias in node.names:
                        name = alias.asname or alias.name
                        if alias.name in EXTRACTED_NAMES and name not in EXTRACTED_NAMES:
                            wrong.append(f"{path.relative_to(root)}: {alias.name} as {name}")
    assert not wrong, wrong
