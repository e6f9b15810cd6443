"""Referrals end to end through the views: consent before sharing, the answer-by date in
working days, the partner's answer by signed link and by account, every step on the timeline
and told to the case owner, and no partner ever reaching what is not theirs."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, OutgoingEmail, User
from cases import referrals
from cases.models import Case, CaseEvent, Referral, ReferralStep
from migrants.models import ConsentRecord
from partners.models import Partner, PartnerContact
from tests import factories

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
ClientFor = Callable[[User | None], Client]


@pytest.fixture
def contact(partner: Partner) -> PartnerContact:
    partner.services.create(category="recognition")
    return PartnerContact.objects.create(
        partner=partner, name="Petra Prüfer", email="pruefer@abh.example", is_primary=True,
        language="en",
    )  # fmt: skip


@pytest.fixture
def case(lotse: User) -> Case:
    newcomer = factories.NewcomerFactory.create(
        first_name="Olena",
        last_name="Kovalenko",
        email="olena@example.org",
        birth_date=date(1991, 2, 3),
    )
    ConsentRecord.objects.create(
        newcomer=newcomer, scope="partners", text_version="2026-11", language="uk",
        method="intake_form",
    )  # fmt: skip
    return factories.CaseFactory.create(
        newcomer=newcomer, owner=lotse, category="recognition", summary="Anerkennung Lehramt"
    )


def _refer(client: Client, case: Case, to: Partner, **data: str) -> object:
    form = {"partner": str(to.pk), "request": "Bitte prüfen Sie die Anerkennung.", **data}
    return client.post(reverse("case_referral", args=[case.reference]), form)


def _link(email: OutgoingEmail) -> str:
    match = re.search(r"https?://\S+/r/(\S+?)/", email.body_text)
    assert match, email.body_text
    return reverse("referral_by_link", args=[match.group(1)])


def test_a_lotse_refers_and_the_partner_gets_a_link_but_no_personal_data_by_mail(
    case: Case, contact: PartnerContact, lotse: User, client_for: ClientFor
) -> None:
    response = _refer(client_for(lotse), case, contact.partner)

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.partner, referral.contact, referral.created_by) == (
        contact.partner,
        contact,
        lotse,
    )
    assert referral.consent == case.newcomer.consents.get()
    email = OutgoingEmail.objects.get(template="referral-sent")
    assert email.to == contact.email
    assert email.language == "en"
    assert case.reference in email.subject + email.body_text
    assert "Olena" not in email.body_text + email.body_html + email.subject
    event = CaseEvent.objects.get(case=case, kind="referral")
    assert event.new_value == ReferralStep.SENT


def test_partners_serving_the_category_come_first(
    case: Case, contact: PartnerContact, lotse: User, client_for: ClientFor
) -> None:
    factories.PartnerFactory.create(name="AAA Sprachschule")
    page = client_for(lotse).get(reverse("case_referral", args=[case.reference]))
    choices = page.context["form"].fields["partner"].choices
    serving_group, others_group = choices[1], choices[2]
    assert [name for _pk, name in serving_group[1]] == [contact.partner.name]
    assert "AAA Sprachschule" in [name for _pk, name in others_group[1]]


def test_the_answer_by_date_counts_working_days_of_saxony(
    case: Case, contact: PartnerContact, lotse: User, client_for: ClientFor
) -> None:
    contact.partner.response_days = 2
    contact.partner.save()
    # Tuesday 17 November 2026; Wednesday is Buß- und Bettag, a holiday in Saxony.
    with time_machine.travel(datetime(2026, 11, 17, 9, 0, tzinfo=BERLIN)):
        _refer(client_for(lotse), case, contact.partner)
    assert Referral.objects.get().answer_by == date(2026, 11, 20)


def test_without_consent_to_share_the_lotse_must_record_oral_consent(
    case: Case, contact: PartnerContact, lotse: User, client_for: ClientFor
) -> None:
    case.newcomer.consents.update(withdrawn_at=datetime.now(tz=BERLIN))
    client = client_for(lotse)

    refused = _refer(client, case, contact.partner)
    assert refused.status_code == 400
    assert "oral_consent" in refused.context["form"].errors
    assert not Referral.objects.exists()
    assert not OutgoingEmail.objects.exists()

    sent = _refer(
        client, case, contact.partner, oral_consent="on", oral_consent_at="2026-11-20T10:15"
    )
    assert sent.status_code == 302
    consent = Referral.objects.get().consent
    assert (consent.method, consent.recorded_by, consent.scope) == ("oral", lotse, "partners")
    assert consent.given_at == datetime(2026, 11, 20, 10, 15, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"request": ""}, "request"),
        ({"request": "x" * 3001}, "request"),
        ({"partner": "999999"}, "partner"),
        ({"answer_by": "2020-01-01"}, "answer_by"),
        ({"answer_by": "morgen"}, "answer_by"),
    ],
)
def test_a_bad_referral_form_says_what_to_fix_and_keeps_the_text(
    case: Case, contact: PartnerContact, lotse: User, client_for: ClientFor,
    data: dict[str, str], field: str,
) -> None:  # fmt: skip
    response = _refer(client_for(lotse), case, contact.partner, **data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["form"].data["request"] == data.get(
        "request", "Bitte prüfen Sie die Anerkennung."
    )
    assert not Referral.objects.exists()


# ---- the partner's link ------------------------------------------------------------------


@pytest.fixture
def sent(case: Case, contact: PartnerContact, lotse: User, client_for: ClientFor) -> Referral:
    _refer(client_for(lotse), case, contact.partner)
    return Referral.objects.get()


def test_the_whole_conversation_by_link_lands_on_the_timeline(
    sent: Referral, lotse: User, client_for: ClientFor
) -> None:
    partner = Client()
    link = _link(OutgoingEmail.objects.get(template="referral-sent"))

    page = partner.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Olena Kovalenko" in text
    assert "olena@example.org" in text
    # Data minimisation: nothing else of the file.
    assert "1991" not in text
    assert "Anerkennung Lehramt" not in text

    assert partner.post(link, {"action": "accept"}).status_code == 302
    partner.post(link, {"action": "question", "question-text": "Liegt eine Übersetzung vor?"})
    client_for(lotse).post(
        reverse("referral_answer", args=[sent.case.reference, sent.pk]),
        {"text": "Ja, beglaubigt."},
    )
    answer_mail = OutgoingEmail.objects.get(template="referral-answer")
    assert "Ja, beglaubigt." in Client().get(_link(answer_mail)).content.decode()
    assert (
        partner.post(
            link, {"action": "complete", "complete-answer": "Bescheid erteilt."}
        ).status_code
        == 302
    )

    sent.refresh_from_db()
    assert sent.status == "completed"
    assert sent.answer == "Bescheid erteilt."
    assert sent.answered_at is not None
    steps = list(
        CaseEvent.objects.filter(case=sent.case, kind="referral")
        .order_by("created_at", "pk")
        .values_list("new_value", flat=True)
    )
    assert steps == ["sent", "opened", "accepted", "question", "answer", "completed"]
    by_link = CaseEvent.objects.filter(case=sent.case, new_value="accepted").get()
    assert (by_link.actor, by_link.actor_name) == (None, "Petra Prüfer")
    # The owner heard of every step the partner took, not of their own answer.
    assert Notification.objects.filter(recipient=lotse).count() == 4


def test_after_completion_the_link_shows_nothing_more(sent: Referral) -> None:
    link = _link(OutgoingEmail.objects.get(template="referral-sent"))
    Client().post(link, {"action": "complete", "complete-answer": "Erledigt."})

    again = Client().get(link)
    assert again.status_code == 410
    assert "Olena" not in again.content.decode()
    assert Client().post(link, {"action": "accept"}).status_code == 410


def test_a_tampered_link_is_refused(sent: Referral) -> None:
    link = _link(OutgoingEmail.objects.get(template="referral-sent"))
    other = factories.ReferralFactory.create()
    forged = signing.dumps({"r": other.pk, "n": sent.link_nonce.hex}, salt="wrong-salt")
    for url in (link[:-3] + "xx/", reverse("referral_by_link", args=[forged])):
        response = Client().get(url)
        assert response.status_code == 404
        assert "Olena" not in response.content.decode()


def test_a_link_for_one_referral_opens_no_other(sent: Referral) -> None:
    other = factories.ReferralFactory.create()
    # A valid signature over another referral's id but this referral's nonce: refused.
    token = signing.dumps({"r": other.pk, "n": sent.link_nonce.hex}, salt=referrals.LINK_SALT)
    assert Client().get(reverse("referral_by_link", args=[token])).status_code == 404
    other.refresh_from_db()
    assert other.opened_at is None


def test_an_expired_link_is_refused_with_a_clear_page(sent: Referral) -> None:
    link = _link(OutgoingEmail.objects.get(template="referral-sent"))
    with time_machine.travel(datetime.now(tz=BERLIN) + timedelta(days=31)):
        response = Client().get(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode() or "abgelaufen" in response.content.decode()
    sent.refresh_from_db()
    assert sent.opened_at is None


def test_revoked_links_stop_working(sent: Referral) -> None:
    link = _link(OutgoingEmail.objects.get(template="referral-sent"))
    referrals.revoke_links(sent)
    assert Client().get(link).status_code == 404


def test_declining_needs_a_reason(sent: Referral) -> None:
    link = _link(OutgoingEmail.objects.get(template="referral-sent"))
    client = Client()
    response = client.post(link, {"action": "decline", "decline-reason": ""})
    assert response.status_code == 400
    assert response.context["decline_form"].errors["reason"]
    sent.refresh_from_db()
    assert sent.status == "sent"
    client.post(link, {"action": "decline", "decline-reason": "Nicht zuständig."})
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason) == ("declined", "Nicht zuständig.")


def test_an_unknown_action_is_a_400_and_changes_nothing(sent: Referral) -> None:
    link = _link(OutgoingEmail.objects.get(template="referral-sent"))
    assert Client().post(link, {"action": "delete"}).status_code == 400
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_accepting_twice_changes_nothing_the_second_time(sent: Referral) -> None:
    referrals.accept(sent, name="A")
    with pytest.raises(referrals.ReferralClosed):
        referrals.accept(sent, name="B")
    assert CaseEvent.objects.filter(case=sent.case, new_value="accepted").count() == 1


def test_the_link_of_an_anonymised_newcomer_shows_nothing(sent: Referral, head: User) -> None:
    from privacy.services import anonymise_newcomer

    link = _link(OutgoingEmail.objects.get(template="referral-sent"))
    anonymise_newcomer(sent.case.newcomer, by=head, reason="request")
    assert Client().get(link).status_code == 410


# ---- the partner user's account --------------------------------------------------------


def test_a_partner_user_sees_and_answers_their_own_referrals_only(
    sent: Referral, partner_user: User, other_partner_user: User, client_for: ClientFor
) -> None:
    own = client_for(partner_user)
    listing = own.get(reverse("partner_referrals"))
    assert [r.pk for r in listing.context["page"].object_list] == [sent.pk]
    detail = reverse("partner_referral_detail", args=[sent.pk])
    assert own.get(detail).status_code == 200
    own.post(detail, {"action": "accept"})
    sent.refresh_from_db()
    assert sent.status == "accepted"
    assert CaseEvent.objects.get(case=sent.case, new_value="accepted").actor == partner_user

    other = client_for(other_partner_user)
    assert list(other.get(reverse("partner_referrals")).context["page"].object_list) == []
    assert other.get(detail).status_code == 404
    assert other.post(detail, {"action": "complete", "complete-answer": "x"}).status_code == 404
    # Nor any case of the center.
    assert other.get(reverse("case_detail", args=[sent.case.reference])).status_code == 403


def test_a_closed_referral_cannot_be_answered_again_from_the_account(
    sent: Referral, partner_user: User, client_for: ClientFor
) -> None:
    referrals.complete(sent, "Erledigt.", name="X")
    response = client_for(partner_user).post(
        reverse("partner_referral_detail", args=[sent.pk]), {"action": "accept"}
    )
    assert response.status_code == 409
    sent.refresh_from_db()
    assert sent.status == "completed"


def test_the_lotse_withdraws_a_referral(sent: Referral, lotse: User, client_for: ClientFor) -> None:
    client_for(lotse).post(reverse("referral_withdraw", args=[sent.case.reference, sent.pk]))
    sent.refresh_from_db()
    assert sent.status == "withdrawn"
    link = _link(OutgoingEmail.objects.get(template="referral-sent"))
    assert Client().get(link).status_code == 410
