"""A valid intake as a browser would post it, and small files with real signatures."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def valid_intake(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": "Amina",
        "last_name": "Haddad",
        "birth_date": "1994-03-12",
        "gender": "female",
        "nationality": "SY",
        "foreign_background": "yes",
        "email": "amina.haddad@example.org",
        "phone": "+49 371 1234567",
        "preferred_channel": "email",
        "kind_of_arrival": "abroad_third",
        "country_of_origin": "SY",
        "arrival_date": "",
        "coming_from": "Damaskus",
        "target_place": "Annaberg-Buchholz",
        "partner": "along",
        "child_1_birth_year": "2020",
        "child_2_birth_year": "2015",
        "german_level": "B1",
        "english_level": "B2",
        "other_language": "ar",
        "other_language_level": "NATIVE",
        "profession": "Pflegefachkraft",
        "education_level": "isced_5_8",
        "degree": "Bachelor of Nursing",
        "degree_country": "SY",
        "degree_year": "2017",
        "employment_status_on_entry": "unemployed",
        "target_company_name": "Pflegeheim am Fichtelberg",
        "residence_title": "18a",
        "residence_expires_on": "",
        "need_housing": "on",
        "need_housing_text": "Wohnung mit 3 Zimmern",
        "need_recognition": "on",
        "need_recognition_text": "Anerkennung als Pflegefachkraft",
        "need_childcare": "on",
        "consent_processing": "on",
        "consent_partners": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def pdf(name: str = "lebenslauf.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "zeugnis.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")
