"""The newcomer file: what it shows, what it highlights, edits on the audit trail, the arrival
checklist, and the residence permit and qualification forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Category
from migrants.forms import LanguageSkillForm, NewcomerForm
from migrants.models import (
    ArrivalChecklistEntry,
    CEFRLevel,
    ChecklistItem,
    HouseholdMember,
    Newcomer,
    Qualification,
    RecognitionOutcome,
    ResidencePermit,
)
from partners.models import Partner, PartnerType
from tests.cases.conftest import TODAY
from tests.cases.factories_extra import (
    ChecklistEntryFactory,
    HouseholdMemberFactory,
    LanguageSkillFactory,
    QualificationFactory,
    ResidencePermitFactory,
)
from tests.factories import CaseFactory, NewcomerFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


@pytest.fixture
def newcomer() -> Newcomer:
    return NewcomerFactory.create(
        reference="NC-2026-00007",
        first_name="Amina",
        last_name="Haddad",
        email="amina@example.org",
        phone="+493711234567",
        country_of_origin="SY",
        profession="Pflegefachkraft",
    )


def _detail(client: Client, newcomer: Newcomer) -> Any:
    response = client.get(reverse("newcomer_detail", args=[newcomer.pk]))
    assert response.status_code == 200
    return response


def _section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def _highlighted(html: str, heading_id: str, badge: str) -> dict[str, bool]:
    """For each box of a section (keyed by its first <strong> text): is it highlighted?"""
    boxes = _section(html, heading_id).split('class="border rounded p-2 mb-2')[1:]
    result = {}
    for box in boxes:
        notes = box.split('<div class="small">')[-1].split("</div>", 1)[0].strip()
        result[notes] = badge in box
    return result


def _edit_data(newcomer: Newcomer, **changes: Any) -> dict[str, str]:
    """The edit form as the browser would send it back unchanged, plus `changes`."""
    data: dict[str, str] = {}
    for name, value in model_to_dict(newcomer, fields=NewcomerForm.Meta.fields).items():
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = str(getattr(value, "code", value))
    data.update(changes)
    return data


# ---- what the file shows ----------------------------------------------------------------


def test_the_file_shows_person_cases_household_languages_qualifications_and_permits(
    client_for: ClientFor, lotse: User, other_lotse: User, newcomer: Newcomer
) -> None:
    housing = CaseFactory.create(newcomer=newcomer, owner=lotse, reference="WC-2026-00100")
    school = CaseFactory.create(
        newcomer=newcomer, owner=other_lotse, category=Category.SCHOOL, reference="WC-2026-00101"
    )
    CaseFactory.create(reference="WC-2026-00999", owner=lotse)  # another newcomer's
    child = HouseholdMemberFactory.create(newcomer=newcomer, birth_year=2019)
    german = LanguageSkillFactory.create(newcomer=newcomer, language="de", level=CEFRLevel.B2)
    degree = QualificationFactory.create(newcomer=newcomer, title="Bachelor of Nursing")
    permit = ResidencePermitFactory.create(newcomer=newcomer, notes="Blaue Karte bis 2027")
    Newcomer.objects.filter(pk=newcomer.pk).update(
        current_place="Chemnitz-Kaßberg", foreign_background="yes"
    )
    response = _detail(client_for(lotse), newcomer)
    context = response.context
    assert set(context["cases"]) == {housing, school}
    assert list(context["household"]) == [child]
    assert list(context["languages"]) == [german]
    assert list(context["qualifications"]) == [degree]
    assert list(context["permits"]) == [permit]
    html = response.content.decode()
    for shown in (
        "Amina Haddad",
        "NC-2026-00007",
        "amina@example.org",
        "+493711234567",
        "Pflegefachkraft",
        "WC-2026-00100",
        "WC-2026-00101",
        "Lars Lange",
        "2019",
        "B2",
        "Bachelor of Nursing",
        "Blaue Karte bis 2027",
        "Chemnitz-Kaßberg",
    ):
        assert shown in html, shown
    person = _section(html, "person-heading")
    assert 'Migrationshintergrund</dt><dd class="col-sm-7">ja</dd>' in person
    assert "WC-2026-00999" not in html


def test_permits_expiring_within_90_days_are_highlighted(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, frozen_today: time_machine.Traveller
) -> None:
    today = timezone.localdate()
    for notes, expires, renewal in [
        ("in-90-days", today + timedelta(days=90), None),
        ("in-91-days", today + timedelta(days=91), None),
        ("renewal-applied", today + timedelta(days=10), today),
        ("no-expiry", None, None),
    ]:
        ResidencePermitFactory.create(
            newcomer=newcomer, notes=notes, expires_on=expires, renewal_applied_on=renewal
        )
    client = client_for(lotse)
    html = _detail(client, newcomer).content.decode()
    assert _highlighted(html, "residence-heading", "text-bg-warning") == {
        "in-90-days": True,
        "in-91-days": False,
        "renewal-applied": False,
        "no-expiry": False,
    }
    frozen_today.shift(timedelta(days=1))  # a new day, and a new login (sessions last 8 h)
    html = _detail(client_for(lotse), newcomer).content.decode()
    assert _highlighted(html, "residence-heading", "text-bg-warning")["in-91-days"] is True


def test_a_recognition_decision_more_than_3_months_after_complete_documents_is_highlighted(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, frozen_today: time_machine.Traveller
) -> None:
    today = timezone.localdate()
    three_months_ago = today - relativedelta(months=3)
    for profession, complete, decided in [
        ("exactly-3-months", three_months_ago, None),
        ("a-day-longer", three_months_ago - timedelta(days=1), None),
        ("decided", three_months_ago - timedelta(days=100), today),
        ("documents-missing", None, None),
    ]:
        QualificationFactory.create(
            newcomer=newcomer,
            title=profession,
            documents_complete_on=complete,
            decision_on=decided,
        )
    client = client_for(lotse)
    section = _section(_detail(client, newcomer).content.decode(), "recognition-heading")
    boxes = {
        box.split("<strong>", 1)[1].split("</strong>", 1)[0]: box
        for box in (section.split('class="border rounded p-2 mb-2')[1:])
    }
    overdue = {title: "text-bg-danger" in box for title, box in boxes.items()}
    assert overdue == {
        "exactly-3-months": False,
        "a-day-longer": True,
        "decided": False,
        "documents-missing": False,
    }
    frozen_today.shift(timedelta(days=1))  # a new day, and a new login (sessions last 8 h)
    section = _section(_detail(client_for(lotse), newcomer).content.decode(), "recognition-heading")
    assert section.count("text-bg-danger") == 2


def test_reading_a_newcomer_file_is_on_the_audit_trail_with_the_reader(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    _detail(client_for(lotse), newcomer)
    entry = LogEntry.objects.get_for_object(newcomer).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == lotse


# ---- editing ------------------------------------------------------------------------------


def test_an_edit_is_on_the_audit_trail_and_the_history_shows_old_and_new_values(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    client = client_for(lotse)
    url = reverse("newcomer_edit", args=[newcomer.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, _edit_data(newcomer, last_name="Haddad-Sayed", email="a.haddad@example.org")
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.last_name, newcomer.email) == ("Haddad-Sayed", "a.haddad@example.org")
    entry = LogEntry.objects.get_for_object(newcomer).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == lotse
    # Only what was changed: fields sent back unchanged (phone, country) are not "changes".
    assert entry.changes_dict == {
        "last_name": ["Haddad", "Haddad-Sayed"],
        "email": ["amina@example.org", "a.haddad@example.org"],
    }
    history = client.get(reverse("newcomer_history", args=[newcomer.pk]))
    assert history.status_code == 200
    rows = history.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 2
    for shown in ("Lena Lotz", "Haddad", "Haddad-Sayed", "amina@example.org", "a.haddad@example"):
        assert shown in rows, shown


def test_an_invalid_edit_is_refused_and_changes_nothing(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(lotse).post(
        reverse("newcomer_edit", args=[newcomer.pk]),
        _edit_data(newcomer, last_name="Neu", birth_date=future),
    )
    assert response.status_code == 400
    assert "birth_date" in response.context["form"].errors
    assert Newcomer.objects.get(pk=newcomer.pk).last_name == "Haddad"
    assert not LogEntry.objects.filter(action=LogEntry.Action.UPDATE).exists()


# ---- the arrival checklist ----------------------------------------------------------------


def _set_arrival(client: Client, newcomer: Newcomer, arrival: date) -> dict[str, date]:
    response = client.post(
        reverse("newcomer_edit", args=[newcomer.pk]),
        _edit_data(newcomer, arrival_date=arrival.isoformat()),
    )
    assert response.status_code == 302
    return dict(newcomer.checklist.values_list("item", "due_on"))


@pytest.mark.parametrize(
    ("children_ages", "kita", "school"),
    [
        ([], False, False),
        ([5], True, False),
        ([6], False, True),
        ([17], False, True),
        ([18], False, False),
        ([2, 11], True, True),
    ],
)
def test_setting_the_arrival_date_creates_the_checklist_for_the_household(
    client_for: ClientFor,
    lotse: User,
    newcomer: Newcomer,
    frozen_today: time_machine.Traveller,
    children_ages: list[int],
    kita: bool,
    school: bool,
) -> None:
    this_year = timezone.localdate().year
    for age in children_ages:
        HouseholdMemberFactory.create(newcomer=newcomer, birth_year=this_year - age)
    HouseholdMemberFactory.create(  # a partner is no child
        newcomer=newcomer, relation=HouseholdMember.Relation.PARTNER, birth_year=this_year - 3
    )
    arrival = timezone.localdate() - timedelta(days=3)
    due = _set_arrival(client_for(lotse), newcomer, arrival)
    assert due[ChecklistItem.ADDRESS_REGISTERED] == arrival + timedelta(days=14)
    assert {ChecklistItem.TAX_ID, ChecklistItem.HEALTH_INSURANCE, ChecklistItem.BANK_ACCOUNT} < set(
        due
    )
    assert (ChecklistItem.KITA_APPLIED in due) is kita
    assert (ChecklistItem.SCHOOL_REGISTERED in due) is school


def test_a_new_arrival_date_moves_the_open_items_and_keeps_the_ticked_ones(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, frozen_today: time_machine.Traveller
) -> None:
    client = client_for(lotse)
    arrival = timezone.localdate() - timedelta(days=20)
    first = _set_arrival(client, newcomer, arrival)
    newcomer.checklist.filter(item=ChecklistItem.BANK_ACCOUNT).update(done_on=arrival)
    newcomer.refresh_from_db()
    later = _set_arrival(client, newcomer, arrival + timedelta(days=5))
    assert set(later) == set(first)  # no item twice, none lost
    for item, due in later.items():
        expected = first[item] if item == ChecklistItem.BANK_ACCOUNT else first[item] + timedelta(5)
        assert due == expected, item
    assert newcomer.checklist.get(item=ChecklistItem.BANK_ACCOUNT).done_on == arrival
    # Each move is on the audit trail, with the Lotse who changed the arrival.
    tax_id = newcomer.checklist.get(item=ChecklistItem.TAX_ID)
    move = LogEntry.objects.get_for_object(tax_id).get(action=LogEntry.Action.UPDATE)
    assert move.actor == lotse
    assert move.changes_dict["due_on"] == [
        first[ChecklistItem.TAX_ID].isoformat(),
        later[ChecklistItem.TAX_ID].isoformat(),
    ]
    # Saved again unchanged: nothing moves.
    newcomer.refresh_from_db()
    assert _set_arrival(client, newcomer, arrival + timedelta(days=5)) == later


def test_without_an_arrival_date_there_is_no_checklist(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    response = client_for(lotse).post(
        reverse("newcomer_edit", args=[newcomer.pk]), _edit_data(newcomer, profession="Ärztin")
    )
    assert response.status_code == 302
    assert not newcomer.checklist.exists()


def test_ticking_a_checklist_item_is_audited_and_can_be_undone(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, frozen_today: time_machine.Traveller
) -> None:
    entry = ChecklistEntryFactory.create(
        newcomer=newcomer, due_on=timezone.localdate() - timedelta(days=2)
    )
    client = client_for(lotse)
    url = reverse("checklist_tick", args=[newcomer.pk, entry.pk])
    response = client.post(url, {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("newcomer_detail", args=[newcomer.pk]) + "#checklist"
    entry.refresh_from_db()
    assert (entry.done_on, entry.done_by) == (TODAY.date(), lotse)
    tick = LogEntry.objects.get_for_object(entry).get(action=LogEntry.Action.UPDATE)
    assert tick.actor == lotse
    assert tick.changes_dict["done_on"] == ["None", TODAY.date().isoformat()]
    client.post(url, {"done": "0"})
    entry.refresh_from_db()
    assert (entry.done_on, entry.done_by) == (None, None)
    assert LogEntry.objects.get_for_object(entry).filter(action=LogEntry.Action.UPDATE).count() == 2


def test_an_overdue_checklist_item_is_marked_on_the_file(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, frozen_today: time_machine.Traveller
) -> None:
    today = timezone.localdate()
    ChecklistEntryFactory.create(newcomer=newcomer, due_on=today - timedelta(days=1))
    ChecklistEntryFactory.create(
        newcomer=newcomer,
        item=ChecklistItem.TAX_ID,
        due_on=today - timedelta(days=1),
        done_on=today,
    )
    ChecklistEntryFactory.create(newcomer=newcomer, item=ChecklistItem.BANK_ACCOUNT, due_on=today)
    section = _section(_detail(client_for(lotse), newcomer).content.decode(), "checklist-heading")
    assert section.count("text-bg-danger") == 1


def test_a_checklist_item_of_another_newcomer_cannot_be_ticked_through_this_file(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    foreign = ChecklistEntryFactory.create()
    response = client_for(lotse).post(
        reverse("checklist_tick", args=[newcomer.pk, foreign.pk]), {"done": "1"}
    )
    assert response.status_code == 404
    assert ArrivalChecklistEntry.objects.get(pk=foreign.pk).done_on is None


# ---- residence permits and qualifications -------------------------------------------------


def test_a_residence_permit_is_added_and_edited(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    client = client_for(lotse)
    add = reverse("residence_permit_add", args=[newcomer.pk])
    assert client.get(add).status_code == 200
    data = {"title": "18b", "issued_on": "2025-04-01", "expires_on": "2029-03-31", "notes": ""}
    assert client.post(add, data).status_code == 302
    permit = newcomer.residence_permits.get()
    assert (permit.title, permit.expires_on) == ("18b", date(2029, 3, 31))
    edit = reverse("residence_permit_edit", args=[newcomer.pk, permit.pk])
    response = client.post(edit, {**data, "renewal_applied_on": "2029-01-15"})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.renewal_applied_on == date(2029, 1, 15)
    assert LogEntry.objects.get_for_object(permit).filter(actor=lotse).count() == 2


def test_a_permit_that_expires_before_it_was_issued_is_refused(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    response = client_for(lotse).post(
        reverse("residence_permit_add", args=[newcomer.pk]),
        {"title": "18b", "issued_on": "2025-04-01", "expires_on": "2025-03-31"},
    )
    assert response.status_code == 400
    assert "expires_on" in response.context["form"].errors
    assert not ResidencePermit.objects.exists()


def test_a_permit_of_another_newcomer_is_not_found_through_this_file(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    foreign = ResidencePermitFactory.create()
    response = client_for(lotse).get(
        reverse("residence_permit_edit", args=[newcomer.pk, foreign.pk])
    )
    assert response.status_code == 404


@pytest.fixture
def chamber() -> Partner:
    return PartnerFactory.create(name="IHK Chemnitz", type=PartnerType.IHK)


def _qualification(**changes: str) -> dict[str, str]:
    return {
        "title": "Diplom Elektrotechnik",
        "education_level": "isced_5_8",
        "year": "2015",
        "reference_occupation": "Elektroniker/in",
        "is_regulated": "false",
        "documents_complete_on": "2025-10-01",
        "application_submitted_on": "2025-10-05",
        **changes,
    }


def test_a_qualification_with_a_partial_recognition_and_its_measure_is_saved(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, chamber: Partner
) -> None:
    client = client_for(lotse)
    assert client.get(reverse("qualification_add", args=[newcomer.pk])).status_code == 200
    response = client.post(
        reverse("qualification_add", args=[newcomer.pk]),
        _qualification(
            competent_authority=str(chamber.pk),
            decision_on="2026-01-20",
            outcome="partial",
            required_measure="Anpassungslehrgang, 6 Monate",
        ),
    )
    assert response.status_code == 302
    qualification = newcomer.qualifications.get()
    assert (qualification.outcome, qualification.competent_authority) == (
        RecognitionOutcome.PARTIAL,
        chamber,
    )
    edit = reverse("qualification_edit", args=[newcomer.pk, qualification.pk])
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision_on": "2026-01-20", "outcome": "partial"}, "required_measure"),
        ({"outcome": "full"}, "decision_on"),
        ({"year": "1850"}, "year"),
        ({"competent_authority": "OTHER_PARTNER"}, "competent_authority"),
    ],
)
def test_an_incomplete_recognition_is_refused(
    client_for: ClientFor,
    lotse: User,
    newcomer: Newcomer,
    partner: Partner,
    changes: dict[str, str],
    field: str,
) -> None:
    # `partner` is a migration advice service, not a body that recognises qualifications.
    changes = {k: str(partner.pk) if v == "OTHER_PARTNER" else v for k, v in changes.items()}
    response = client_for(lotse).post(
        reverse("qualification_add", args=[newcomer.pk]), _qualification(**changes)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Qualification.objects.exists()


# ---- household and languages --------------------------------------------------------------


def test_a_household_member_is_added_and_edited_and_a_small_child_adds_the_kita_item(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, frozen_today: time_machine.Traveller
) -> None:
    Newcomer.objects.filter(pk=newcomer.pk).update(arrival_date=timezone.localdate())
    client = client_for(lotse)
    add = reverse("household_member_add", args=[newcomer.pk])
    assert client.get(add).status_code == 200
    this_year = timezone.localdate().year
    data = {"relation": "child", "first_name": "Lina", "birth_year": str(this_year - 2)}
    response = client.post(add, {**data, "comes_along": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("newcomer_detail", args=[newcomer.pk]) + "#household"
    member = newcomer.household.get()
    assert (member.first_name, member.birth_year, member.comes_along) == (
        "Lina",
        this_year - 2,
        True,
    )
    assert newcomer.checklist.filter(item=ChecklistItem.KITA_APPLIED).exists()
    edit = reverse("household_member_edit", args=[newcomer.pk, member.pk])
    assert client.post(edit, data).status_code == 302  # comes_along unticked
    member.refresh_from_db()
    assert member.comes_along is False
    assert LogEntry.objects.get_for_object(member).filter(actor=lotse).count() == 2
    html = _detail(client, newcomer).content.decode()
    assert "Lina" in _section(html, "household-heading")


@pytest.mark.parametrize("year", ["1850", "2999", "zwei"])
def test_an_impossible_birth_year_of_a_household_member_is_refused(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, year: str
) -> None:
    response = client_for(lotse).post(
        reverse("household_member_add", args=[newcomer.pk]),
        {"relation": "child", "first_name": "Lina", "birth_year": year},
    )
    assert response.status_code == 400
    assert "birth_year" in response.context["form"].errors
    assert 'value="Lina"' in response.content.decode()  # what was typed is kept
    assert not newcomer.household.exists()


def test_a_language_is_added_its_level_changed_and_a_second_entry_for_it_refused(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    client = client_for(lotse)
    add = reverse("language_skill_add", args=[newcomer.pk])
    assert client.post(add, {"language": "de", "level": "A2"}).status_code == 302
    skill = newcomer.languages.get()
    edit = reverse("language_skill_edit", args=[newcomer.pk, skill.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"language": "de", "level": "B1"}).status_code == 302
    skill.refresh_from_db()
    assert skill.level == CEFRLevel.B1
    again = client.post(add, {"language": "de", "level": "C1"})
    assert again.status_code == 400  # not a 500 from the unique constraint
    assert "language" in again.context["form"].errors
    assert list(newcomer.languages.values_list("language", "level")) == [("de", "B1")]
    # Another newcomer may speak German too.
    other = NewcomerFactory.create()
    other_add = reverse("language_skill_add", args=[other.pk])
    assert client.post(other_add, {"language": "de", "level": "C1"}).status_code == 302


def test_a_language_stored_by_a_colleague_a_moment_earlier_is_a_400_not_a_500(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The form checked before the colleague's row was committed: the database refuses it.
    monkeypatch.setattr(LanguageSkillForm, "clean_language", lambda form: "de")
    LanguageSkillFactory.create(newcomer=newcomer, language="de", level=CEFRLevel.B1)
    response = client_for(lotse).post(
        reverse("language_skill_add", args=[newcomer.pk]), {"language": "de", "level": "C1"}
    )
    assert response.status_code == 400
    assert "gerade von jemand anderem" in response.content.decode()
    assert list(newcomer.languages.values_list("level", flat=True)) == ["B1"]


# ---- the history of the whole file ---------------------------------------------------------


def _history_rows(client: Client, newcomer: Newcomer) -> list[str]:
    response = client.get(reverse("newcomer_history", args=[newcomer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    if "<tbody>" not in html:
        return []
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


def test_the_history_shows_changes_to_every_part_of_the_file_but_not_what_the_intake_stored(
    client_for: ClientFor, lotse: User, newcomer: Newcomer, frozen_today: time_machine.Traveller
) -> None:
    # As the intake stores them: no actor.
    permit = ResidencePermitFactory.create(newcomer=newcomer, expires_on=date(2027, 5, 31))
    entry = ChecklistEntryFactory.create(newcomer=newcomer, item=ChecklistItem.TAX_ID)
    LanguageSkillFactory.create(newcomer=newcomer, language="ar", level=CEFRLevel.NATIVE)
    client = client_for(lotse)
    assert _history_rows(client, newcomer) == []
    client.post(
        reverse("residence_permit_edit", args=[newcomer.pk, permit.pk]),
        {
            "title": permit.title,
            "issued_on": permit.issued_on.isoformat() if permit.issued_on else "",
            "expires_on": "2027-05-31",
            "renewal_applied_on": "2027-03-01",
        },
    )
    client.post(reverse("checklist_tick", args=[newcomer.pk, entry.pk]), {"done": "1"})
    client.post(
        reverse("household_member_add", args=[newcomer.pk]),
        {"relation": "partner", "first_name": "Omar", "comes_along": "on"},
    )
    rows = _history_rows(client, newcomer)
    permit_rows = [row for row in rows if "Aufenthaltstitel" in row]
    assert len(permit_rows) == 1
    assert "1. März 2027" in permit_rows[0]
    assert any("Checkliste" in row and "Lena Lotz" in row for row in rows)
    added = [row for row in rows if "(hinzugefügt)" in row]
    assert added
    assert all("Omar" in row or "Partner" in row for row in added)
    assert not any("Arabisch" in row for row in rows)  # stored by the intake, not a change


def test_opening_the_edit_forms_and_the_history_is_recorded_as_a_read(
    client_for: ClientFor, lotse: User, newcomer: Newcomer
) -> None:
    permit = ResidencePermitFactory.create(newcomer=newcomer)
    member = HouseholdMemberFactory.create(newcomer=newcomer)
    skill = LanguageSkillFactory.create(newcomer=newcomer)
    qualification = QualificationFactory.create(newcomer=newcomer)
    client = client_for(lotse)
    urls = [
        reverse("newcomer_edit", args=[newcomer.pk]),
        reverse("newcomer_history", args=[newcomer.pk]),
        reverse("residence_permit_edit", args=[newcomer.pk, permit.pk]),
        reverse("household_member_edit", args=[newcomer.pk, member.pk]),
        reverse("language_skill_edit", args=[newcomer.pk, skill.pk]),
        reverse("qualification_edit", args=[newcomer.pk, qualification.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200
    reads = LogEntry.objects.get_for_object(newcomer).filter(action=LogEntry.Action.ACCESS)
    assert list(reads.values_list("actor", flat=True)) == [lotse.pk] * len(urls)
    # An empty form to add a row shows nothing of the file yet: no read.
    client.get(reverse("household_member_add", args=[newcomer.pk]))
    assert reads.count() == len(urls)
