"""The welcome e-mail, rendered in the recipient's language and delivered with its HTML part."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import OutgoingEmail
from accounts.services import deliver_email
from welcome_center import emails

SUBJECT = "Your account at the Welcome Center portal"
LOGIN_URL = "https://portal.example/accounts/login/"


def welcome(language: str, full_name: str = "Nora Neu") -> OutgoingEmail:
    return emails.welcome_user(
        to="nora@example.org", language=language, full_name=full_name, login_url=LOGIN_URL
    )


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_welcome_email_is_rendered_in_the_recipients_language(language: str) -> None:
    # The request's language does not matter: the e-mail speaks the recipient's.
    other = "en" if language == "de" else "de"
    with translation.override(other):
        email = welcome(language)
    assert email.subject == translated(SUBJECT, language)
    assert email.subject.strip()
    assert (email.language, email.template) == (language, "welcome-user")
    assert "Nora Neu" in email.body_text
    assert LOGIN_URL in email.body_text
    assert f'<a href="{LOGIN_URL}">' in email.body_html


@pytest.mark.django_db
def test_german_and_english_welcome_emails_differ() -> None:
    if translated(SUBJECT, "de") == SUBJECT:
        pytest.skip("the German translation of the welcome e-mail is not compiled yet")
    german, english = welcome("de"), welcome("en")
    assert german.subject != english.subject
    assert german.body_text != english.body_text


@pytest.mark.django_db
def test_names_are_escaped_in_html_but_not_in_plain_text() -> None:
    email = welcome("en", full_name="Seán O'Neil & <Söhne>")
    assert "Seán O'Neil & <Söhne>" in email.body_text
    assert "<Söhne>" not in email.body_html
    assert "&lt;Söhne&gt;" in email.body_html


@pytest.mark.django_db
def test_delivered_welcome_email_has_subject_text_and_html() -> None:
    email = welcome("de")
    assert deliver_email(email.pk)
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject == email.subject
    assert message.to == ["nora@example.org"]
    assert message.body == email.body_text
    assert message.alternatives == [(email.body_html, "text/html")]
