"""Demo data for `manage.py seed_demo`: a believable Welcome Center in the Erzgebirge (Saxony).

One code path builds both the small demo (about 150 cases over the last year) and load-test data
(`--scale 100000`, spread over three years). Rows are built as plain model instances, a chunk of
newcomers at a time together with all their cases, and written with bulk_create, so the number
of queries grows with the number of chunks, not of rows. All randomness comes from one
random.Random(seed) and every date counts back from the last full hour, so a seed gives the same
data on every run within that hour.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any, NamedTuple

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from phonenumber_field.phonenumber import PhoneNumber

from accounts.models import Notification, OutgoingEmail, Role, User
from cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    Category,
    Document,
    EventKind,
    FollowUp,
    Outcome,
    Priority,
    ReferenceSequence,
    Referral,
    Status,
)
from companies.models import (
    Chamber,
    Company,
    CompanyContact,
    NeedKind,
    QualificationLevel,
    Sector,
    SizeBand,
    SkilledWorkerNeed,
)
from migrants.models import (
    FREE_MOVEMENT_COUNTRIES,
    ArrivalChecklistEntry,
    CEFRLevel,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    ContactChannel,
    EducationLevel,
    EmploymentStatus,
    ForeignBackground,
    Gender,
    HouseholdMember,
    KindOfArrival,
    LanguageSkill,
    Newcomer,
    Qualification,
    RecognitionOutcome,
    ResidencePermit,
    ResidenceTitle,
)
from partners.models import Partner, PartnerContact, PartnerService, PartnerType

Progress = Callable[[str], None]
Counts = Counter[type[models.Model]]

BATCH_SIZE = 2000
# Newcomers built and written per round: large enough for bulk inserts to pay off, small
# enough that memory stays flat at 100,000 cases.
CHUNK_NEWCOMERS = 2000
CASES_PER_NEWCOMER = 2.5
CONSENT_TEXT_VERSION = "2026-01"
SMALL_HISTORY_DAYS = 365
SCALE_HISTORY_DAYS = 3 * 365


# --- Demo logins -------------------------------------------------------------------------------

DEMO_DOMAIN = "demo.welcome-center.example"


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    is_on_duty: bool = False


HEAD = DemoUser(f"leitung@{DEMO_DOMAIN}", "Katrin Böhme", Role.HEAD)
LOTSEN = (
    DemoUser(f"lotse@{DEMO_DOMAIN}", "Jana Schubert", Role.LOTSE, is_on_duty=True),
    DemoUser(f"lotse2@{DEMO_DOMAIN}", "Tobias Lange", Role.LOTSE),
    DemoUser(f"lotse3@{DEMO_DOMAIN}", "Aylin Hoffmann", Role.LOTSE),
)
PARTNER_USER = DemoUser(f"partner@{DEMO_DOMAIN}", "Sabine Kretzschmar", Role.PARTNER)
COMPANY_USER = DemoUser(f"firma@{DEMO_DOMAIN}", "Frank Uhlig", Role.COMPANY)
DEMO_USERS = (HEAD, *LOTSEN, PARTNER_USER, COMPANY_USER)
DEMO_EMAILS = [user.email for user in DEMO_USERS]
DEMO_PARTNER = "Ausländerbehörde Erzgebirgskreis"
DEMO_COMPANY = "Elektro Uhlig GmbH"


# --- Small helpers -----------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(","))


@dataclass(frozen=True)
class Weighted:
    """A weighted choice with its cumulative weights computed once (it runs a million times)."""

    values: tuple[Any, ...]
    cum_weights: tuple[float, ...]

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cum_weights)[0]


def weighted(*pairs: tuple[Any, float]) -> Weighted:
    return Weighted(tuple(v for v, _ in pairs), tuple(accumulate(w for _, w in pairs)))


def _weights(text: str) -> Weighted:
    """ "abroad_third 7, student 2" -> a Weighted over the KindOfArrival values."""
    pairs = [item.rsplit(" ", 1) for item in _words(text)]
    return weighted(*((KindOfArrival(kind), float(weight)) for kind, weight in pairs))


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "\u0131": "i", "ł": "l"})


def _ascii(text: str) -> str:
    """A name as it appears in an e-mail address: "Wiśniewska" -> "wisniewska"."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT)).replace(" ", "-")
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c == "-"))


def _add_working_days(day: date, days: int) -> date:
    # Weekends only: a demo answer-by date need not know Saxony's public holidays.
    while days > 0:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


# --- The region --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    name: str
    postcode: str
    area_code: str  # without the trunk 0


TOWNS = (
    Town("Annaberg-Buchholz", "09456", "3733"),
    Town("Aue-Bad Schlema", "08280", "3771"),
    Town("Marienberg", "09496", "3735"),
    Town("Schwarzenberg", "08340", "3774"),
    Town("Zschopau", "09405", "3725"),
    Town("Olbernhau", "09526", "37360"),
    Town("Stollberg", "09366", "37296"),
    Town("Oberwiesenthal", "09484", "37348"),
    Town("Eibenstock", "08309", "37752"),
    Town("Chemnitz", "09111", "371"),
)
TOWN_BY_NAME = {town.name: town for town in TOWNS}
# Chemnitz is only the seat of some partner agencies; newcomers live and work in the district.
HOME_TOWNS = TOWNS[:7]
STREETS = _words(
    "Bahnhofstraße, Markt, Buchholzer Straße, Karlsbader Straße, Schillerstraße, Poststraße, "
    "Chemnitzer Straße, Gewerbegebiet Süd, Industriestraße, Am Sportplatz, Talstraße"
)


def _street(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 60)}"


# Built as numbers, not parsed from text: parsing costs more than building the whole row.
def _landline(rng: random.Random, town: Town) -> PhoneNumber:
    digits = 10 - len(town.area_code)  # area code and subscriber number: ten digits in all
    subscriber = rng.randint(10 ** (digits - 1), 10**digits - 1)
    return PhoneNumber(country_code=49, national_number=int(f"{town.area_code}{subscriber}"))


def _mobile(rng: random.Random) -> PhoneNumber:
    prefix = rng.choice((151, 152, 157, 160, 170, 176))
    return PhoneNumber(
        country_code=49, national_number=prefix * 10**8 + rng.randint(10**7, 10**8 - 1)
    )


@dataclass(frozen=True)
class Origin:
    country: str
    weight: int
    intake_language: str  # one of the intake's languages (IntakeLanguage)
    native_language: str  # a Django language code; "" where Django has none (Tagalog)
    other_language: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]  # "Kowalski/Kowalska": the male and the female form
    places: tuple[str, ...]
    kinds: Weighted
    professions: tuple[str, ...]


# fmt: off
ORIGINS = (
    Origin("IN", 12, "en", "ml", "en",
           _words("Priya, Anjali, Divya, Lakshmi, Sneha, Reshma, Aswathy, Neethu"),
           _words("Arjun, Rahul, Vishnu, Suresh, Anand, Rohan, Abhijith, Jithin"),
           _words("Nair, Menon, Pillai, Thomas, Joseph, Kurian, Varghese, Sharma, Reddy"),
           _words("Kochi, Thiruvananthapuram, Bengaluru, Hyderabad, Chennai"),
           _weights("abroad_third 7, student 2, family 1"),
           _words("nurse, nurse, software, engineer, electrician")),
    Origin("VN", 10, "en", "vi", "en",
           _words("Thi Lan, Thi Huong, Thu Trang, Ngoc Anh, Thi Mai, Phuong Linh"),
           _words("Van Minh, Duc Anh, Quang Huy, Minh Tuan, Van Hieu, Thanh Long"),
           _words("Nguyen, Tran, Le, Pham, Hoang, Vu, Dang, Bui"),
           _words("Hanoi, Ho-Chi-Minh-Stadt, Da Nang, Hai Phong, Vinh"),
           _weights("apprentice 6, abroad_third 3, intern 1"),
           _words("nurse, care_aide, cook")),
    Origin("UA", 12, "uk", "uk", "en",
           _words("Olena, Iryna, Kateryna, Oksana, Tetiana, Yuliia, Nataliia"),
           _words("Oleksandr, Andrii, Dmytro, Serhii, Mykola, Volodymyr"),
           _words("Kovalenko, Shevchenko, Bondarenko, Tkachenko, Melnyk, Kravchenko, Boiko"),
           _words("Kyjiw, Charkiw, Dnipro, Saporischschja, Odesa, Lwiw"),
           _weights("abroad_third 8, family 2"),
           _words("teacher, educator, nurse, electrician, doctor, software")),
    Origin("SY", 6, "ar", "ar", "en",
           _words("Rania, Lina, Hala, Nour, Rasha, Dima"),
           _words("Ahmad, Mohammad, Khaled, Omar, Yousef, Bashar"),
           _words("Al-Hassan, Haddad, Khalil, Darwish, Al-Ahmad, Ibrahim, Mahmoud, Al-Khatib"),
           _words("Leipzig, Dresden, Berlin, Magdeburg, Halle (Saale)"),
           _weights("domestic 5, family 2, abroad_third 2"),
           _words("doctor, electrician, cook, driver, machinist")),
    Origin("TR", 6, "tr", "tr", "en",
           _words("Elif, Zeynep, Ayşe, Merve, Esra, Büşra"),
           _words("Mehmet, Emre, Burak, Murat, Can, Oğuz"),
           _words("Yılmaz, Kaya, Demir, Şahin, Çelik, Aydın, Öztürk, Arslan"),  # noqa: RUF001
           _words("Istanbul, Izmir, Ankara, Bursa, Antalya"),
           _weights("abroad_third 6, family 2, student 1"),
           _words("engineer, cook, driver, electrician, software")),
    Origin("PL", 6, "pl", "pl", "en",
           _words("Agnieszka, Katarzyna, Magdalena, Joanna, Anna, Monika"),
           _words("Piotr, Tomasz, Krzysztof, Paweł, Marcin, Łukasz"),
           _words("Nowak, Kowalski/Kowalska, Wiśniewski/Wiśniewska, Wójcik, Kamiński/Kamińska, "
                  "Lewandowski/Lewandowska, Zieliński/Zielińska, Mazur"),
           _words("Wrocław, Jelenia Góra, Zgorzelec, Kraków, Poznań"),
           _weights("abroad_eu 8, commuter 2"),
           _words("driver, carpenter, nurse, mechanic, machinist")),
    Origin("RO", 6, "ro", "ro", "en",
           _words("Andreea, Ioana, Elena, Maria, Cristina, Alina"),
           _words("Andrei, Mihai, Alexandru, Ionuț, Florin, Bogdan"),
           _words("Popescu, Ionescu, Popa, Stan, Dumitru, Constantin, Munteanu, Lungu"),
           _words("Cluj-Napoca, Timișoara, Iași, Brașov, Sibiu"),
           _weights("abroad_eu 9, family 1"),
           _words("nurse, doctor, driver, care_aide, cook")),
    Origin("BR", 5, "en", "pt-br", "en",
           _words("Ana, Juliana, Fernanda, Camila, Beatriz, Larissa"),
           _words("Lucas, Gabriel, Rafael, Thiago, Felipe, Matheus"),
           _words("Silva, Santos, Oliveira, Souza, Pereira, Costa, Ferreira, Almeida"),
           _words("São Paulo, Curitiba, Belo Horizonte, Porto Alegre, Recife"),
           _weights("abroad_third 5, intern 2, student 2"),
           _words("nurse, software, engineer, electrician")),
    Origin("PH", 6, "en", "", "en",
           _words("Maricel, Kristine, Jocelyn, Rowena, Angelica, Mary Grace"),
           _words("Mark, Jerome, Rodel, Jayson, Christian, John Paul"),
           _words("Santos, Reyes, Cruz, Bautista, Dela Cruz, Villanueva, Mendoza, Garcia"),
           _words("Manila, Cebu, Davao, Iloilo, Quezon City"),
           _weights("abroad_third 9, family 1"),
           _words("nurse, nurse, care_aide")),
    Origin("MA", 5, "ar", "ar", "fr",
           _words("Fatima, Khadija, Salma, Imane, Meryem, Hajar"),
           _words("Youssef, Hamza, Mehdi, Amine, Othmane, Ayoub"),
           _words("El Amrani, Benali, Alaoui, Bennani, El Idrissi, Tazi, Chraibi, Berrada"),
           _words("Casablanca, Rabat, Fès, Marrakesch, Tanger"),
           _weights("apprentice 5, abroad_third 3, intern 2"),
           _words("electrician, cook, nurse, mechanic")),
    Origin("TN", 5, "ar", "ar", "fr",
           _words("Amira, Sarra, Ines, Mariem, Yosra, Rim"),
           _words("Aymen, Mohamed Ali, Wassim, Skander, Bilel, Hamdi"),
           _words("Ben Salah, Trabelsi, Gharbi, Jebali, Hammami, Ben Ammar, Mejri, Ayari"),
           _words("Tunis, Sfax, Sousse, Monastir, Bizerte"),
           _weights("apprentice 4, abroad_third 5, intern 1"),
           _words("software, engineer, nurse, electrician")),
    Origin("CO", 5, "en", "es", "en",
           _words("Valentina, Daniela, Laura, Carolina, Paola, María José"),
           _words("Santiago, Andrés, Juan Camilo, Sebastián, Diego, Felipe"),
           _words("Rodríguez, Gómez, Martínez, Restrepo, Hernández, Vargas, Castro, Ospina"),
           _words("Bogotá, Medellín, Cali, Barranquilla, Bucaramanga"),
           _weights("abroad_third 5, intern 2, student 2, family 1"),
           _words("nurse, software, engineer, teacher")),
    Origin("CZ", 4, "de", "cs", "en",
           _words("Jana, Petra, Lucie, Tereza, Kateřina"),
           _words("Jan, Petr, Tomáš, Martin, Lukáš"),
           _words("Novák/Nováková, Svoboda/Svobodová, Dvořák/Dvořáková, Černý/Černá, "
                  "Procházka/Procházková, Kučera/Kučerová"),
           _words("Chomutov, Most, Karlovy Vary, Jirkov, Kadaň"),
           _weights("commuter 8, abroad_eu 2"),
           _words("mechanic, driver, nurse, machinist")),
    # German returnees (Rückkehrer) and people moving in from elsewhere in Germany.
    Origin("DE", 14, "de", "de", "en",
           _words("Anja, Claudia, Stefanie, Susanne, Franziska, Julia, Mandy, Peggy"),
           _words("Sebastian, Tobias, Markus, Daniel, Thomas, René, Ronny, Steffen"),
           _words("Schubert, Günther, Wagner, Lehmann, Richter, Schmidt, Fritzsch, Meyer, "
                  "Lorenz, Ullmann, Kretzschmar, Neubert, Haase, Seidel"),
           _words("München, Stuttgart, Nürnberg, Wien, Zürich, Hamburg, Frankfurt am Main"),
           _weights("returnee 8, domestic 3, commuter 1"),
           _words("nurse, engineer, electrician, machinist, educator, software, driver")),
)
# fmt: on
ORIGIN_CHOICE = weighted(*((origin, origin.weight) for origin in ORIGINS))
GERMAN_NAMES = next(origin for origin in ORIGINS if origin.country == "DE")


@dataclass(frozen=True)
class Profession:
    name: str  # as the newcomer would put it, in German
    qualification: str  # the foreign degree or certificate
    reference_occupation: str  # the German reference occupation for recognition
    regulated: bool
    authority: str  # PartnerType of the competent body; "" where none (ZAB, optional)
    level: str
    sector: str
    title: str  # the residence title a skilled worker of this kind usually holds


_HIGH, _VOC = EducationLevel.ISCED_5_8, EducationLevel.ISCED_3_4
_RECOG, _SCHOOL = PartnerType.RECOGNITION_AUTHORITY, PartnerType.SCHOOL_AUTHORITY
# fmt: off
PROFESSIONS = {
    "nurse": Profession("Pflegefachkraft", "Bachelor of Science in Nursing",
                        "Pflegefachfrau/Pflegefachmann", True, _RECOG, _HIGH, Sector.CARE, "18a"),
    "care_aide": Profession("Pflegehilfskraft", "Certificate in Caregiving", "Pflegehelfer/in",
                            True, _RECOG, _VOC, Sector.CARE, "18a"),
    "doctor": Profession("Ärztin/Arzt", "Doctor of Medicine", "Ärztin/Arzt", True, _RECOG, _HIGH,
                         Sector.CARE, "18b"),
    "teacher": Profession("Lehrkraft", "Diplom Lehramt Mathematik und Physik",
                          "Lehrkraft an Oberschulen", True, _SCHOOL, _HIGH, Sector.PUBLIC, "18b"),
    "educator": Profession("Erzieher/in", "Bachelor in Early Childhood Education",
                           "Staatlich anerkannte/r Erzieher/in", True, _SCHOOL, _HIGH,
                           Sector.PUBLIC, "18a"),
    "software": Profession("Softwareentwickler/in", "Bachelor of Technology, Computer Science",
                           "", False, "", _HIGH, Sector.IT, "18g"),
    "engineer": Profession("Maschinenbauingenieur/in", "Master of Engineering, Mechanical",
                           "Ingenieur/in Maschinenbau", False, "", _HIGH, Sector.INDUSTRY, "18b"),
    "electrician": Profession("Elektriker/in", "Diploma in Electrical Installation",
                              "Elektroniker/in für Energie- und Gebäudetechnik", False,
                              PartnerType.HWK, _VOC, Sector.CRAFTS, "18a"),
    "mechanic": Profession("Kfz-Mechaniker/in", "Vocational certificate, Motor Vehicle Mechanic",
                           "Kfz-Mechatroniker/in", False, PartnerType.HWK, _VOC, Sector.CRAFTS,
                           "18a"),
    "carpenter": Profession("Tischler/in", "Vocational certificate, Joinery", "Tischler/in",
                            False, PartnerType.HWK, _VOC, Sector.CRAFTS, "18a"),
    "machinist": Profession("Industriemechaniker/in", "Vocational diploma, Industrial Mechanics",
                            "Industriemechaniker/in", False, PartnerType.IHK, _VOC,
                            Sector.INDUSTRY, "18a"),
    "driver": Profession("Berufskraftfahrer/in", "Professional driving licence C/CE",
                         "Berufskraftfahrer/in", False, "", _VOC, Sector.LOGISTICS, "19c"),
    "cook": Profession("Koch/Köchin", "Vocational diploma, Culinary Arts", "Koch/Köchin", False,
                       PartnerType.IHK, _VOC, Sector.HOSPITALITY, "18a"),
}
# fmt: on
# Apprentices, students and interns come to be trained, not with a profession.
TRAINEES: dict[str, tuple[str, ...]] = {
    KindOfArrival.APPRENTICE: _words(
        "Ausbildung Pflegefachfrau/-mann, Ausbildung Elektroniker/in, Ausbildung Koch/Köchin, "
        "Ausbildung Hotelfachmann/-frau, Ausbildung Berufskraftfahrer/in"
    ),
    KindOfArrival.STUDENT: _words(
        "Studium Maschinenbau (TU Chemnitz), Studium Informatik (TU Chemnitz), "
        "Studium Wirtschaftsingenieurwesen (Hochschule Mittweida)"
    ),
    KindOfArrival.INTERN: _words("Praktikum Pflege, Praktikum Konstruktion, Praktikum Hotellerie"),
}
MEASURES = _words(
    "Anpassungslehrgang (6 Monate), Kenntnisprüfung, Eignungsprüfung, "
    "Anpassungsqualifizierung im Betrieb (12 Monate)"
)


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    type: str
    town: str
    categories: str  # the case categories served, space-separated
    response_days: int
    domain: str
    contacts: str  # "Name, position; Name, position": the first one receives referrals


# fmt: off
PARTNERS = (
    PartnerSpec(DEMO_PARTNER, PartnerType.FOREIGNERS_AUTHORITY, "Annaberg-Buchholz",
                "authorities", 10, "abh-erzgebirgskreis.example",
                "Sabine Kretzschmar, Sachbearbeiterin Fachkräfteeinwanderung; "
                "Uwe Lindner, Sachgebietsleiter Ausländerrecht"),
    PartnerSpec("Agentur für Arbeit Annaberg-Buchholz", PartnerType.EMPLOYMENT_AGENCY,
                "Annaberg-Buchholz", "work language", 5, "arbeitsagentur-annaberg.example",
                "Marco Seifert, Arbeitsvermittler; Doreen Weigel, Arbeitgeber-Service"),
    PartnerSpec("Jobcenter Erzgebirgskreis, Standort Aue", PartnerType.JOB_CENTRE,
                "Aue-Bad Schlema", "work language", 7, "jobcenter-erzgebirge.example",
                "Ines Fiedler, Integrationsfachkraft"),
    PartnerSpec("IQ Netzwerk Sachsen, Anerkennungsberatung Chemnitz", PartnerType.IQ_NETWORK,
                "Chemnitz", "recognition", 5, "iq-sachsen.example",
                "Anna Petrenko, Anerkennungsberaterin; Lars Wendler, Berater Qualifizierung"),
    PartnerSpec("Handwerkskammer Chemnitz, Regionalbüro Annaberg", PartnerType.HWK,
                "Annaberg-Buchholz", "recognition work", 10, "hwk-chemnitz.example",
                "Heiko Roscher, Anerkennungsberater; Carola Beyer, Ausbildungsberaterin"),
    PartnerSpec("IHK Chemnitz, Regionalkammer Erzgebirge", PartnerType.IHK, "Annaberg-Buchholz",
                "recognition work", 10, "ihk-erzgebirge.example",
                "Kristin Nestler, Fachkräftesicherung; Jens Uhlmann, Ausbildungsberater"),
    PartnerSpec("Landesdirektion Sachsen, Anerkennung Gesundheitsfachberufe", _RECOG, "Chemnitz",
                "recognition", 20, "lds-sachsen.example",
                "Birgit Hänel, Sachbearbeiterin Berufsanerkennung"),
    PartnerSpec("Volkshochschule Erzgebirgskreis", PartnerType.LANGUAGE_SCHOOL,
                "Annaberg-Buchholz", "language", 5, "vhs-erzgebirge.example",
                "Claudia Rudolph, Fachbereich Deutsch als Fremdsprache; "
                "Mirela Popa, Kursleitung Integrationskurse"),
    PartnerSpec("Sprachinstitut Glückauf", PartnerType.LANGUAGE_SCHOOL, "Aue-Bad Schlema",
                "language", 3, "sprachinstitut-glueckauf.example", "Peter Gläser, Leitung"),
    PartnerSpec("Kita „Sonnenschein“ Marienberg", PartnerType.KITA, "Marienberg", "childcare",
                10, "kita-sonnenschein-marienberg.example", "Manuela Hofmann, Kita-Leitung"),
    PartnerSpec("Jugendamt Erzgebirgskreis, Kindertagesbetreuung", PartnerType.YOUTH_WELFARE,
                "Annaberg-Buchholz", "childcare school", 10, "jugendamt-erzgebirge.example",
                "Steffi Baumann, Fachberatung Kindertagesbetreuung; Ralf Escher, Sachbearbeiter"),
    PartnerSpec("Landesamt für Schule und Bildung, Standort Chemnitz", _SCHOOL, "Chemnitz",
                "school recognition", 15, "lasub-chemnitz.example",
                "Thomas Krause, Schulreferent Migration"),
    PartnerSpec("Wohnungsgesellschaft Erzgebirge mbH", PartnerType.HOUSING, "Aue-Bad Schlema",
                "housing", 5, "wohnen-erzgebirge.example",
                "Nicole Wendt, Vermietung; Ralf Pötzsch, Vermietung Olbernhau; "
                "Sven Gündel, Hausverwaltung"),
    PartnerSpec("Migrationsberatung für Erwachsene, Diakonie Stollberg",
                PartnerType.MIGRATION_ADVICE, "Stollberg", "authorities housing social other",
                5, "diakonie-stollberg.example",
                "Hanna Schramm, Migrationsberaterin; Rami Aziz, Migrationsberater"),
    PartnerSpec("AOK PLUS, Filiale Annaberg-Buchholz", PartnerType.HEALTH_INSURER,
                "Annaberg-Buchholz", "authorities", 3, "aokplus-annaberg.example",
                "Michael Tröger, Kundenberater"),
    PartnerSpec("SV Erzgebirge Olbernhau e. V.", PartnerType.CLUB, "Olbernhau", "social", 7,
                "sv-olbernhau.example", "Ronny Lorenz, Vorsitzender; Maik Illing, Jugendtrainer"),
    PartnerSpec("Ev.-Luth. Kirchgemeinde Schwarzenberg, Begegnungscafé", PartnerType.CHURCH,
                "Schwarzenberg", "social", 7, "kirche-schwarzenberg.example",
                "Ulrike Meinel, Pfarrerin"),
    PartnerSpec("Da Nang Vocational College, International Office", PartnerType.ABROAD,
                "Da Nang (Vietnam)", "work language", 10, "danang-college.example",
                "Nguyen Thi Hoa, International Office"),
)
GENERATED_PARTNERS = (
    ("Sprachschule Lingua {town}", PartnerType.LANGUAGE_SCHOOL, "language"),
    ("Kita Regenbogen {town}", PartnerType.KITA, "childcare"),
    ("Sportverein Eintracht {town} e. V.", PartnerType.CLUB, "social"),
    ("Wohnungsgenossenschaft {town} eG", PartnerType.HOUSING, "housing"),
    ("Ev.-Luth. Kirchgemeinde {town}", PartnerType.CHURCH, "social"),
)
# fmt: on


@dataclass(frozen=True)
class CompanySpec:
    name: str
    legal_form: str
    sector: str
    size_band: str
    town: str
    chamber: str
    domain: str
    contacts: str
    pending: bool = False


_S, _M, _L = SizeBand.SMALL, SizeBand.MEDIUM, SizeBand.LARGE
_HWK, _IHK, _NO = Chamber.HWK, Chamber.IHK, Chamber.NONE
# fmt: off
COMPANIES = (
    CompanySpec(DEMO_COMPANY, "GmbH", Sector.CRAFTS, _S, "Annaberg-Buchholz", _HWK,
                "elektro-uhlig.example", "Frank Uhlig, Geschäftsführer; Sandra Uhlig, Personal"),
    CompanySpec("Tischlerei Lorenz", "e. K.", Sector.CRAFTS, SizeBand.MICRO, "Olbernhau", _HWK,
                "tischlerei-lorenz.example", "Matthias Lorenz, Inhaber"),
    CompanySpec("Dachdeckerei Fröhlich & Söhne", "GmbH", Sector.CRAFTS, _S, "Marienberg", _HWK,
                "dach-froehlich.example", "Kay Fröhlich, Geschäftsführer"),
    CompanySpec("Haustechnik Seidel", "GmbH", Sector.CRAFTS, _S, "Zschopau", _HWK,
                "seidel-haustechnik.example", "Jörg Seidel, Geschäftsführer; Nadine Baum, Büro"),
    CompanySpec("Kfz-Meisterbetrieb Neubert", "e. K.", Sector.CRAFTS, _S, "Stollberg", _HWK,
                "kfz-neubert.example", "André Neubert, Inhaber"),
    CompanySpec("Bäckerei Weigel", "GmbH & Co. KG", Sector.CRAFTS, _S, "Schwarzenberg", _HWK,
                "baeckerei-weigel.example", "Heike Weigel, Geschäftsführerin"),
    CompanySpec("Pflegedienst Erzgebirgsherz", "GmbH", Sector.CARE, _M, "Aue-Bad Schlema", _NO,
                "erzgebirgsherz.example",
                "Kerstin Meichsner, Pflegedienstleitung; Paul Dietrich, Personal"),
    CompanySpec("Seniorenzentrum Am Pöhlberg", "gGmbH", Sector.CARE, _M, "Annaberg-Buchholz",
                _NO, "seniorenzentrum-poehlberg.example", "Grit Schönherr, Einrichtungsleitung"),
    CompanySpec("Klinikum Westerzgebirge", "gGmbH", Sector.CARE, _L, "Schwarzenberg", _NO,
                "klinikum-westerzgebirge.example",
                "Silke Bauer, Pflegedirektorin; Marcel Oeser, Personalentwicklung"),
    CompanySpec("Tagespflege Sonnenhof", "GmbH", Sector.CARE, _S, "Olbernhau", _NO,
                "tagespflege-sonnenhof.example", "Jenny Kunze, Leitung"),
    CompanySpec("Präzisionsteile Zschopau", "GmbH", Sector.INDUSTRY, _M, "Zschopau", _IHK,
                "praezision-zschopau.example", "Ralf Drechsel, Werkleiter; Anja Beck, Personal"),
    CompanySpec("Erzgebirgische Metallbau", "GmbH", Sector.INDUSTRY, _M, "Schwarzenberg", _IHK,
                "metallbau-erzgebirge.example", "Stefan Pfeifer, Geschäftsführer"),
    CompanySpec("Kunststofftechnik Stollberg", "GmbH", Sector.INDUSTRY, _M, "Stollberg", _IHK,
                "kunststoff-stollberg.example", "Ute Reichel, Personalleitung"),
    CompanySpec("Holzkunst Olbernhau", "GmbH", Sector.INDUSTRY, _S, "Olbernhau", _IHK,
                "holzkunst-olbernhau.example", "Frieder Kaden, Geschäftsführer"),
    CompanySpec("Gurtbandweberei Marienberg", "GmbH", Sector.INDUSTRY, _M, "Marienberg", _IHK,
                "gurtband-marienberg.example", "Yvonne Ehnert, Personal"),
    CompanySpec("Spedition Groß Logistik", "GmbH", Sector.LOGISTICS, _M, "Aue-Bad Schlema",
                _IHK, "gross-logistik.example",
                "Dirk Groß, Geschäftsführer; Lea Hahn, Disposition"),
    CompanySpec("Erzgebirgs-Logistik Stollberg", "GmbH & Co. KG", Sector.LOGISTICS, _L,
                "Stollberg", _IHK, "erzlog.example", "Sebastian Wolf, Personalleitung"),
    CompanySpec("Hotel Bergblick Oberwiesenthal", "GmbH", Sector.HOSPITALITY, _S,
                "Oberwiesenthal", _IHK, "bergblick-oberwiesenthal.example",
                "Christin Ficker, Direktorin"),
    CompanySpec("Gasthof Zum Hammerwerk", "e. K.", Sector.HOSPITALITY, SizeBand.MICRO,
                "Olbernhau", _IHK, "hammerwerk-gasthof.example", "Rico Lang, Inhaber",
                pending=True),
    CompanySpec("Landhotel Talsperre Eibenstock", "GmbH", Sector.HOSPITALITY, _S, "Eibenstock",
                _IHK, "landhotel-eibenstock.example", "Beate Söll, Geschäftsführerin",
                pending=True),
)
GENERATED_COMPANIES = (
    ("{name} Elektrotechnik", "GmbH", Sector.CRAFTS, _HWK),
    ("Pflegedienst {name}", "GmbH", Sector.CARE, _NO),
    ("{name} Präzisionstechnik", "GmbH", Sector.INDUSTRY, _IHK),
    ("Spedition {name}", "GmbH & Co. KG", Sector.LOGISTICS, _IHK),
    ("Gasthof {name}", "e. K.", Sector.HOSPITALITY, _IHK),
    ("{name} Haustechnik", "GmbH", Sector.CRAFTS, _HWK),
)
_VOCATIONAL, _UNSKILLED = QualificationLevel.VOCATIONAL, QualificationLevel.UNSKILLED
_PERM, _APPR = NeedKind.PERMANENT, NeedKind.APPRENTICESHIP
# Occupation, KldB 2010 code (ISCO-08 for the degree), qualification, German level, kind.
OCCUPATIONS: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    Sector.CRAFTS: (
        ("Elektroniker/in für Energie- und Gebäudetechnik", "26212", _VOCATIONAL, "B1", _PERM),
        ("Anlagenmechaniker/in SHK", "34212", _VOCATIONAL, "B1", _PERM),
        ("Tischler/in", "22342", _VOCATIONAL, "B1", _PERM),
        ("Dachdecker/in", "32122", _VOCATIONAL, "A2", _PERM),
        ("Kfz-Mechatroniker/in", "25212", _VOCATIONAL, "B1", _PERM),
        ("Auszubildende/r Elektroniker/in", "26212", _UNSKILLED, "B1", _APPR),
    ),
    Sector.CARE: (
        ("Pflegefachfrau/Pflegefachmann", "81302", _VOCATIONAL, "B2", _PERM),
        ("Altenpfleger/in", "82102", _VOCATIONAL, "B2", _PERM),
        ("Pflegehelfer/in", "82101", _UNSKILLED, "B1", _PERM),
        ("Auszubildende/r Pflegefachfrau/-mann", "81302", _UNSKILLED, "B1", _APPR),
    ),
    Sector.INDUSTRY: (
        ("Industriemechaniker/in", "25102", _VOCATIONAL, "B1", _PERM),
        ("Zerspanungsmechaniker/in", "24232", _VOCATIONAL, "B1", _PERM),
        ("Maschinenbauingenieur/in", "2144", QualificationLevel.DEGREE, "B2", _PERM),
        ("Praktikum Konstruktion", "", QualificationLevel.DEGREE, "B1", NeedKind.INTERNSHIP),
    ),
    Sector.LOGISTICS: (
        ("Berufskraftfahrer/in", "52122", _VOCATIONAL, "A2", _PERM),
        ("Fachkraft für Lagerlogistik", "51312", _VOCATIONAL, "A2", _PERM),
    ),
    Sector.HOSPITALITY: (
        ("Koch/Köchin", "29302", _VOCATIONAL, "A2", _PERM),
        ("Servicekraft für die Wintersaison", "", _UNSKILLED, "A2", NeedKind.SEASONAL),
        ("Auszubildende/r Hotelfachmann/-frau", "", _UNSKILLED, "B1", _APPR),
    ),
}
# fmt: on


# --- What Lotsen write -------------------------------------------------------------------------

SUMMARIES: dict[str, tuple[str, ...]] = {
    Category.HOUSING: _words(
        "Wohnungssuche in {town}: 2 bis 3 Zimmer, Übergangswohnung für die ersten Wochen, "
        "Frage zu Kaution und Mietvertrag, Größere Wohnung für die Familie in {town}"
    ),
    Category.RECOGNITION: _words(
        "Anerkennung als {occupation}, Übersetzung und Beglaubigung der Zeugnisse, "
        "Anpassungsmaßnahme nach Teilanerkennung ({occupation})"
    ),
    Category.LANGUAGE: _words(
        "Integrationskurs: Anmeldung und Berechtigung, Berufssprachkurs B2 (DeuFöV), "
        "Abendkurs Deutsch neben der Arbeit, Fachsprachprüfung vorbereiten"
    ),
    Category.CHILDCARE: _words(
        "Kita-Platz in {town} (Kind Jg. {child}), Tagespflege bis zum Kita-Start (Kind Jg. {child})"
    ),
    Category.SCHOOL: _words(
        "Schulanmeldung mit DaZ-Klasse (Kind Jg. {child}), "
        "Hortplatz und Schulweg (Kind Jg. {child})"
    ),
    Category.AUTHORITIES: _words(
        "Anmeldung der Wohnung in {town}, Verlängerung des Aufenthaltstitels, "
        "Steuer-ID sowie Krankenkasse und Bankkonto, "
        "Beschleunigtes Fachkräfteverfahren (§ 81a AufenthG), "
        "Familiennachzug"
    ),
    Category.WORK: _words(
        "Stellensuche als {occupation}, Praktikum in der Region, "
        "Arbeit für den Partner oder die Partnerin, Arbeitsvertrag verstehen"
    ),
    Category.SOCIAL: _words(
        "Sportverein in {town}, Patenschaft mit einer Familie aus dem Ort, Chor oder Kulturverein"
    ),
    Category.OTHER: _words(
        "Führerschein umschreiben, Rundfunkbeitrag und Post, Orientierung in der Region"
    ),
}
TASKS: dict[str, tuple[str, ...]] = {
    Category.HOUSING: ("Wohnungsangebote mit {first} durchgehen", "Nach der Besichtigung fragen"),
    Category.RECOGNITION: (
        "Prüfen, ob die Unterlagen vollständig sind",
        "Stand des Anerkennungsverfahrens erfragen",
    ),
    Category.LANGUAGE: ("Kursbeginn bestätigen lassen", "Ergebnis des Einstufungstests erfragen"),
    Category.CHILDCARE: ("Kita wegen der Warteliste anrufen", "Betreuungsvertrag prüfen"),
    Category.SCHOOL: ("Schulanmeldung bestätigen lassen", "Mit der DaZ-Lehrkraft sprechen"),
    Category.AUTHORITIES: (
        "Prüfen, ob {first} die Anmeldung erledigt hat",
        "Termin bei der Ausländerbehörde bestätigen",
    ),
    Category.WORK: ("Rückmeldung zur Bewerbung einholen", "Check-in nach dem ersten Arbeitsmonat"),
    Category.SOCIAL: ("{first} fragen, wie das erste Treffen war",),
    Category.OTHER: ("Nachfragen, ob alles geklappt hat",),
}
NOTES = (
    "Telefonat mit {first}: Stand besprochen, nächste Schritte vereinbart.",
    "Unterlagen per E-Mail erhalten und abgelegt.",
    "Termin im Welcome Center, eine Sprachmittlerin war dabei.",
    "{first} nicht erreicht, Nachricht hinterlassen.",
    "{first} hat sich gemeldet: alles auf gutem Weg.",
    "Rücksprache mit dem Arbeitgeber gehalten.",
)
ANSWERS = (
    "Termin ist vereinbart, die Einladung geht per Post raus.",
    "Antrag liegt vor und wird bearbeitet.",
    "Erledigt, der Bescheid wurde verschickt.",
    "Platz ist zugesagt.",
)
DECLINE_REASONS = (
    "Nicht zuständig: bitte an die Stelle am Wohnort wenden.",
    "Derzeit keine freien Plätze, frühestens in drei Monaten wieder.",
    "Unterlagen unvollständig, bitte Zeugnisse nachreichen.",
)


# --- Weighted choices --------------------------------------------------------------------------

GENDERS = weighted(
    (Gender.FEMALE, 48), (Gender.MALE, 48), (Gender.DIVERSE, 1), (Gender.NOT_STATED, 3)
)
CHANNELS = weighted(
    (ContactChannel.EMAIL, 50),
    (ContactChannel.MESSENGER, 25),
    (ContactChannel.PHONE, 20),
    (ContactChannel.IN_PERSON, 5),
)
AGES: dict[str, tuple[int, int]] = {
    KindOfArrival.APPRENTICE: (18, 27),
    KindOfArrival.STUDENT: (20, 29),
    KindOfArrival.INTERN: (20, 30),
}
_CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
GERMAN: dict[str, Weighted] = {
    KindOfArrival.APPRENTICE: weighted(*zip(_CEFR, (0, 1, 6, 2, 0, 0), strict=True)),
    KindOfArrival.DOMESTIC: weighted(*zip(_CEFR, (0, 1, 4, 4, 2, 0), strict=True)),
    KindOfArrival.COMMUTER: weighted(*zip(_CEFR, (0, 2, 3, 3, 2, 0), strict=True)),
}
GERMAN_DEFAULT = weighted(*zip(_CEFR, (3, 4, 4, 2, 1, 0), strict=True))
OTHER_LANGUAGE = weighted(("B1", 3), ("B2", 4), ("C1", 3))
KIDS = weighted((1, 50), (2, 38), (3, 12))
RECOGNITION_OUTCOMES = weighted(
    (RecognitionOutcome.FULL, 45), (RecognitionOutcome.PARTIAL, 45), (RecognitionOutcome.NONE, 10)
)
PRIORITIES = weighted(
    (Priority.LOW, 10), (Priority.NORMAL, 70), (Priority.HIGH, 15), (Priority.URGENT, 5)
)
_STATUSES = (
    Status.NEW,
    Status.IN_PROGRESS,
    Status.WAITING_NEWCOMER,
    Status.WAITING_PARTNER,
    Status.RESOLVED,
    Status.CLOSED,
)
# The older a case, the likelier it is finished; a few old ones stall (the reminders' work).
STATUS_BY_AGE = (
    (3, weighted(*zip(_STATUSES, (30, 45, 10, 15, 0, 0), strict=True))),
    (60, weighted(*zip(_STATUSES, (4, 32, 12, 22, 10, 20), strict=True))),
    (None, weighted(*zip(_STATUSES, (0, 6, 2, 4, 6, 82), strict=True))),
)
OUTCOMES = weighted(
    (Outcome.ACHIEVED, 55),
    (Outcome.PARTLY, 15),
    (Outcome.REFERRED, 10),
    (Outcome.WITHDRAWN, 8),
    (Outcome.LEFT_REGION, 7),
    (Outcome.DUPLICATE, 5),
)
ANSWERED_REFERRAL = weighted(
    (Referral.Status.COMPLETED, 75), (Referral.Status.DECLINED, 15), (Referral.Status.WITHDRAWN, 10)
)
NEED_STATUSES = weighted(("open", 50), ("in_progress", 20), ("filled", 20), ("withdrawn", 10))
DONE_FOLLOW_UPS = weighted((0, 35), (1, 45), (2, 20))
NOTE_COUNT = weighted((0, 70), (1, 25), (2, 5))
# Cases that never waited for a partner still get a referral this often (about 0.6 per case).
EXTRA_REFERRAL_SHARE = 0.45
DAY = timedelta(days=1)


# --- Users and clean-up ------------------------------------------------------------------------


def demo_head_exists() -> bool:
    return User.objects.filter(email=HEAD.email).exists()


def reason_not_to_seed() -> str | None:
    """Why demo data must not be added to this database, or None if it is empty enough."""
    if User.objects.filter(email__in=DEMO_EMAILS).exists():
        return "Some demo users exist, but not the demo head of center."
    for model in (Case, Newcomer, Partner, Company):
        if model._default_manager.exists():
            return f"The database already holds {model._meta.verbose_name_plural}."
    return None


def reset_demo_passwords(password: str) -> int:
    # One hash for all: hashing costs about a second each, and these are throwaway logins.
    return User.objects.filter(email__in=DEMO_EMAILS).update(password=make_password(password))


# Every table of domain data, children before parents, emptied in one statement each: the ORM's
# delete() would load every row to send the audit log's signals, which takes minutes at scale.
# A model added later that points at one of these belongs here too (tests/test_seed_demo.py
# checks).
FLUSH_ORDER: tuple[type[models.Model], ...] = (
    CaseEvent,
    FollowUp,
    Referral,
    Document,
    Case,
    ArrivalChecklistEntry,
    HouseholdMember,
    LanguageSkill,
    Qualification,
    ResidencePermit,
    ConsentRecord,
    Newcomer,
    SkilledWorkerNeed,
    CompanyContact,
    Company,
    PartnerService,
    PartnerContact,
    Partner,
    Notification,
    OutgoingEmail,
)
DOMAIN_APPS = ("accounts", "cases", "companies", "migrants", "partners")


@contextmanager
def foreign_keys_checked_once() -> Iterator[None]:
    """On PostgreSQL, drop the foreign keys of the domain tables for a while, then add them back.

    PostgreSQL checks a foreign key row by row (Django's keys are deferred: all at COMMIT), and
    at scale that is most of the time of a load or a delete. Added back, each key is checked
    once for all rows in one join ("Populating a Database" in the PostgreSQL manual). It all
    runs in one transaction, so a failure leaves the schema as it was; other sessions wait for
    these tables until it ends."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in (*FLUSH_ORDER, *INSERT_ORDER)]
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Run the checks still pending from earlier in the transaction: PostgreSQL will not
            # alter a table that has some.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(FOREIGN_KEYS_SQL, [tables])
            keys = cursor.fetchall()
            for drop, _ in keys:
                cursor.execute(drop)
        yield
        with connection.cursor() as cursor:
            for _, add in keys:
                cursor.execute(add)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys are all deferred


FOREIGN_KEYS_SQL = """
SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
    format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,
           pg_get_constraintdef(oid))
FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
"""


def flush_domain_data() -> None:
    """Delete all domain data, its audit trail and uploads, and every user who is not a
    superuser. Reference counters stay, so no reference on an old letter is handed out again."""
    uploads = list(Document.objects.values_list("file", flat=True))
    with foreign_keys_checked_once():
        tables = [model._meta.db_table for model in FLUSH_ORDER]
        with connection.cursor() as cursor:  # TRUNCATE on PostgreSQL, DELETE on SQLite
            for statement in connection.ops.sql_flush(no_style(), tables):
                cursor.execute(statement)
        # The audit trail of these rows holds their old values: the same personal data.
        LogEntry.objects.filter(content_type__app_label__in=DOMAIN_APPS).delete()
        with disable_auditlog():
            User.objects.filter(is_superuser=False).delete()
    # Files go only once the rows are surely gone.
    transaction.on_commit(lambda: _delete_uploads(uploads))


def _delete_uploads(names: list[str]) -> None:
    storage = Document._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        storage.delete(name)


def _demo_users(password: str, since: datetime) -> dict[str, User]:
    encoded = make_password(password)
    return {
        spec.email: User(
            email=spec.email,
            full_name=spec.full_name,
            role=spec.role,
            is_on_duty=spec.is_on_duty,
            is_staff=spec.role == Role.HEAD,  # the admin is for the head only
            password=encoded,
            date_joined=since,
        )
        for spec in DEMO_USERS
    }


# --- Building ----------------------------------------------------------------------------------

# Parents before children: bulk_create fills in a foreign key from an instance saved earlier.
INSERT_ORDER: tuple[type[models.Model], ...] = (
    User,
    Partner,
    PartnerService,
    PartnerContact,
    Company,
    CompanyContact,
    SkilledWorkerNeed,
    Newcomer,
    HouseholdMember,
    LanguageSkill,
    Qualification,
    ResidencePermit,
    ConsentRecord,
    Case,
    Referral,
    FollowUp,
    CaseEvent,
)


class Entry(NamedTuple):
    """A timeline entry, made a CaseEvent once its case, referral and follow-up have ids: a
    CaseEvent built from ids costs a third less than one built from related objects, and
    these are more than half of all rows."""

    case: Case
    kind: str
    at: datetime
    actor: User | None
    text: str
    old: str
    new: str
    referral: Referral | None
    follow_up: FollowUp | None

    def event(self) -> CaseEvent:
        return CaseEvent(
            case_id=self.case.pk,
            kind=self.kind,
            actor_id=self.actor.pk if self.actor else None,
            created_at=self.at,
            text=self.text,
            old_value=self.old,
            new_value=self.new,
            referral_id=self.referral.pk if self.referral else None,
            follow_up_id=self.follow_up.pk if self.follow_up else None,
            document_id=None,
        )


class Batch:
    """Rows built in memory, written model by model in dependency order."""

    def __init__(self) -> None:
        self.rows: defaultdict[type[models.Model], list[Any]] = defaultdict(list)
        self.entries: list[Entry] = []

    def add(self, *objs: models.Model) -> None:
        for obj in objs:
            self.rows[type(obj)].append(obj)

    def insert(self, counts: Counts) -> None:
        for model in INSERT_ORDER:
            if model is CaseEvent:  # now that cases, referrals and follow-ups have ids
                self.rows[CaseEvent] = [entry.event() for entry in self.entries]
            objs = self.rows.get(model)
            if objs:
                model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
                counts[model] += len(objs)


@dataclass
class World:
    """What every builder needs: the random source, the clock and the directory."""

    rng: random.Random
    now: datetime
    today: date
    span_days: int
    users: dict[str, User]
    head: User
    lotsen: list[User]
    counts: Counts = field(default_factory=Counter)
    partners_for: dict[str, list[Partner]] = field(default_factory=dict)
    primary_contact: dict[int, PartnerContact] = field(default_factory=dict)
    authority: dict[str, Partner] = field(default_factory=dict)
    companies: list[Company] = field(default_factory=list)
    companies_by_sector: dict[str, list[Company]] = field(default_factory=dict)
    needs: dict[int, list[SkilledWorkerNeed]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    intake_note: str = ""
    names: Counter[tuple[str, str]] = field(default_factory=Counter)

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)


# The same message as migrants.services, so the demo's intake cases read like real ones.
INTAKE_NOTE = gettext_noop("Opened from the public intake form.")


def _labels() -> tuple[dict[str, str], str]:
    """Status labels and the intake's note as the services store them on the timeline: shown
    as written, in the center's language."""
    with translation.override(settings.LANGUAGE_CODE):
        choices = [*Status.choices, *Referral.Status.choices]
        return {value: str(label) for value, label in choices}, gettext(INTAKE_NOTE)


def build_demo_center(
    *, n_cases: int, seed: int, password: str, span_days: int, progress: Progress
) -> Counts:
    """Build the demo center with `n_cases` cases spread over the last `span_days` days."""
    # Everything counts back from the last full hour, so that a seed gives the same data on
    # every run within that hour (and nothing lies in the future).
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    users = _demo_users(password, since=now - timedelta(days=span_days + 30))
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not secrets)
    lotsen = [users[spec.email] for spec in LOTSEN]
    w = World(rng, now, timezone.localdate(), span_days, users, users[HEAD.email], lotsen)
    w.labels, w.intake_note = _labels()
    with foreign_keys_checked_once():
        batch = Batch()
        batch.add(*users.values())
        _add_partners(w, batch, extra=n_cases // 5000)
        _add_companies(w, batch, total=max(len(COMPANIES), n_cases // 500))
        batch.insert(w.counts)
        _index_directory(w, batch)
        partners, companies = w.counts[Partner], w.counts[Company]
        progress(f"  {len(users)} demo users, {partners} partners, {companies} companies")
        _add_newcomers_and_cases(w, n_cases, progress)
    return w.counts


# --- Partners and companies --------------------------------------------------------------------


def _contacts(text: str) -> list[tuple[str, str]]:
    return [
        (name.strip(), position.strip())
        for name, position in (item.split(",", 1) for item in text.split(";"))
    ]


def _contact_email(name: str, domain: str) -> str:
    first, *_, last = name.split()
    return f"{_ascii(first)[0]}.{_ascii(last)}@{domain}"


def _add_partners(w: World, batch: Batch, extra: int) -> None:
    for spec in (*PARTNERS, *_generated_partners(w.rng, extra)):
        town = TOWN_BY_NAME.get(spec.town)
        partner = Partner(
            name=spec.name, type=spec.type, city=spec.town,
            street=_street(w.rng) if town else "", postcode=town.postcode if town else "",
            email=f"info@{spec.domain}", phone=_landline(w.rng, town) if town else "",
            website=f"https://www.{spec.domain}/", response_days=spec.response_days,
        )  # fmt: skip
        batch.add(partner)
        batch.add(*(PartnerService(partner=partner, category=c) for c in spec.categories.split()))
        for i, (name, position) in enumerate(_contacts(spec.contacts)):
            is_demo_user = spec.name == DEMO_PARTNER and i == 0
            user = w.users[PARTNER_USER.email] if is_demo_user else None
            batch.add(PartnerContact(
                partner=partner, user=user, name=name, position=position, is_primary=i == 0,
                email=_contact_email(name, spec.domain),
                phone=_landline(w.rng, town) if town else "",
            ))  # fmt: skip


def _german_name(rng: random.Random) -> str:
    names = GERMAN_NAMES
    return f"{rng.choice(names.female + names.male)} {rng.choice(names.surnames)}"


def _generated_partners(rng: random.Random, count: int) -> list[PartnerSpec]:
    specs = []
    for i in range(count):
        pattern, type_, categories = GENERATED_PARTNERS[i % len(GENERATED_PARTNERS)]
        town = HOME_TOWNS[i // len(GENERATED_PARTNERS) % len(HOME_TOWNS)]
        name = pattern.format(town=town.name)
        if lap := i // (len(GENERATED_PARTNERS) * len(HOME_TOWNS)):
            name = f"{name} ({lap + 1})"
        contacts = "; ".join(f"{_german_name(rng)}, Ansprechpartner/in" for _ in range(2))
        domain = f"{_ascii(name)[:40].strip('-')}.example"
        specs.append(PartnerSpec(name, type_, town.name, categories, rng.randint(3, 10), domain,
                                 contacts))  # fmt: skip
    return specs


def _generated_companies(rng: random.Random, count: int) -> list[CompanySpec]:
    specs = []
    for i in range(count):
        pattern, legal_form, sector, chamber = GENERATED_COMPANIES[i % len(GENERATED_COMPANIES)]
        name = pattern.format(name=rng.choice(GERMAN_NAMES.surnames))
        town = rng.choice(HOME_TOWNS).name
        domain = f"{_ascii(name)}-{i}.example"
        size = rng.choice((SizeBand.MICRO, _S, _S, _M))
        contacts = f"{_german_name(rng)}, Geschäftsführung; {_german_name(rng)}, Personal"
        specs.append(CompanySpec(name, legal_form, sector, size, town, chamber, domain, contacts))
    return specs


def _add_companies(w: World, batch: Batch, total: int) -> None:
    rng = w.rng
    for spec in (*COMPANIES, *_generated_companies(rng, total - len(COMPANIES))):
        town = TOWN_BY_NAME[spec.town]
        registered = w.ago(w.span_days * rng.uniform(0.6, 1.0) + 20)
        company = Company(
            name=spec.name, legal_form=spec.legal_form, sector=spec.sector,
            size_band=spec.size_band, street=_street(rng), postcode=town.postcode,
            city=town.name, chamber=spec.chamber, website=f"https://www.{spec.domain}/",
            created_at=registered,
            status=Company.Status.PENDING if spec.pending else Company.Status.APPROVED,
            decided_at=None if spec.pending else registered + timedelta(days=rng.uniform(1, 5)),
            decided_by=None if spec.pending else w.head,
        )  # fmt: skip
        batch.add(company)
        for i, (name, position) in enumerate(_contacts(spec.contacts)):
            is_demo_user = spec.name == DEMO_COMPANY and i == 0
            user = w.users[COMPANY_USER.email] if is_demo_user else None
            batch.add(CompanyContact(
                company=company, user=user, name=name, position=position,
                email=_contact_email(name, spec.domain), phone=_landline(rng, town),
            ))  # fmt: skip
        batch.add(*_needs(w, company, registered))


def _needs(w: World, company: Company, registered: datetime) -> list[SkilledWorkerNeed]:
    rng = w.rng
    needs = []
    for _ in range(rng.randint(1, 3)):
        occupation, code, level, german, kind = rng.choice(OCCUPATIONS[company.sector])
        needs.append(SkilledWorkerNeed(
            company=company, occupation=occupation, occupation_code=code,
            headcount=rng.choice((1, 1, 1, 2, 2, 3, 5)), qualification_level=level,
            german_level=german, other_languages=rng.choice(("", "", "Englisch")),
            start_date=w.today + timedelta(days=rng.randint(-120, 150)), place=company.city,
            kind=kind, remarks=rng.choice(("", "", "Unterkunft für die ersten Monate möglich.")),
            status="open" if company.status == Company.Status.PENDING else NEED_STATUSES.pick(rng),
            created_at=registered + timedelta(days=rng.uniform(1, 60)),
        ))  # fmt: skip
    return needs


def _index_directory(w: World, batch: Batch) -> None:
    for service in batch.rows[PartnerService]:
        # A partner abroad prepares candidates before they come; referrals stay in the region.
        if service.partner.type != PartnerType.ABROAD:
            w.partners_for.setdefault(service.category, []).append(service.partner)
    for contact in batch.rows[PartnerContact]:
        if contact.is_primary:
            w.primary_contact[contact.partner.pk] = contact
    for partner in batch.rows[Partner]:
        w.authority.setdefault(partner.type, partner)
    for company in batch.rows[Company]:
        if company.status == Company.Status.APPROVED:
            w.companies.append(company)
            w.companies_by_sector.setdefault(company.sector, []).append(company)
    for need in batch.rows[SkilledWorkerNeed]:
        w.needs.setdefault(need.company.pk, []).append(need)


# --- Newcomers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    days_back: float
    n_cases: int
    awaiting_triage: bool


@dataclass
class Person:
    """A newcomer being built, with what their cases depend on."""

    newcomer: Newcomer
    origin: Origin
    profession: Profession | None
    owner: User
    plan: PersonPlan
    intake_at: datetime
    arrival: date
    born: int
    company: Company | None = None
    german: str = "A1"
    young_kids: list[int] = field(default_factory=list)
    school_kids: list[int] = field(default_factory=list)
    needs_recognition: bool = False

    @property
    def third_country(self) -> bool:
        return self.origin.country not in FREE_MOVEMENT_COUNTRIES


def _plan_people(w: World, n_cases: int) -> list[PersonPlan]:
    rng = w.rng
    people = max(1, round(n_cases / CASES_PER_NEWCOMER))
    waiting = min(4 + people // 1000, people // 10)
    settled = people - waiting
    counts = [1] * people
    for i in rng.choices(range(settled), k=n_cases - people):
        counts[i] += 1
    # Skewed towards recent months: the center grows, and recent intakes still have open cases.
    ages = sorted((w.span_days * rng.random() ** 1.5 + 0.1 for _ in range(settled)), reverse=True)
    ages += sorted((rng.uniform(0.05, 1.5) for _ in range(waiting)), reverse=True)
    return [
        PersonPlan(age, n, i >= settled)
        for i, (age, n) in enumerate(zip(ages, counts, strict=True))
    ]


def _add_newcomers_and_cases(w: World, n_cases: int, progress: Progress) -> None:
    plans = _plan_people(w, n_cases)
    done = 0
    for start in range(0, len(plans), CHUNK_NEWCOMERS):
        batch = Batch()
        for plan in plans[start : start + CHUNK_NEWCOMERS]:
            person = _add_person(w, batch, plan)
            _add_cases(w, batch, person)
            done += plan.n_cases
        _number(batch.rows[Newcomer], "NC", lambda newcomer: newcomer.created_at)
        _number(batch.rows[Case], "WC", lambda case: case.opened_at)
        batch.insert(w.counts)
        progress(
            f"  {start + len(batch.rows[Newcomer]):,} newcomers, {done:,} of {n_cases:,} cases"
        )


def _number(objs: Sequence[Any], prefix: str, when: Callable[[Any], datetime]) -> None:
    """Give each row a reference of the year it was made, reserved in one query per year."""
    by_year: dict[int, list[Any]] = defaultdict(list)
    for obj in sorted(objs, key=when):
        by_year[timezone.localtime(when(obj)).year].append(obj)
    for year, group in by_year.items():
        references = ReferenceSequence.next_reference(prefix, year=year, count=len(group))
        for obj, reference in zip(group, references, strict=True):
            obj.reference = reference


def _add_person(w: World, batch: Batch, plan: PersonPlan) -> Person:
    rng = w.rng
    origin = ORIGIN_CHOICE.pick(rng)
    kind = origin.kinds.pick(rng)
    intake_at = w.ago(plan.days_back)
    triage_delay = min(timedelta(hours=rng.uniform(1, 30)), (w.now - intake_at) / 2)
    identity, arrival = _identity(w, origin, kind), _arrival(w, origin, kind, intake_at)
    newcomer = Newcomer(
        **identity,
        **arrival,
        intake_submitted_at=intake_at,
        triaged_at=None if plan.awaiting_triage else intake_at + triage_delay,
        created_at=intake_at,
    )
    profession = None if kind in TRAINEES else PROFESSIONS[rng.choice(origin.professions)]
    person = Person(
        newcomer, origin, profession, rng.choice(w.lotsen), plan, intake_at,
        arrival=arrival["arrival_date"], born=identity["birth_date"].year,
    )  # fmt: skip
    _set_work(w, person)
    batch.add(newcomer)
    batch.add(*_household(w, person), *_languages(w, person), *_qualifications(w, person))
    batch.add(*_permits(w, person), *_consents(person))
    return person


def _identity(w: World, origin: Origin, kind: str) -> dict[str, Any]:
    rng = w.rng
    gender = GENDERS.pick(rng)
    female = gender == Gender.FEMALE or (gender != Gender.MALE and rng.random() < 0.5)
    first, last, seen = _name(w, origin, female)
    young, old = AGES.get(kind, (22, 50))
    # Numbered from the second bearer of a name on: the intake flags equal e-mails as duplicates.
    local = f"{_ascii(first)}.{_ascii(last)}{seen + 1 if seen else ''}"
    mail = rng.choice(("mail.example", "post.example", "inbox.example"))
    return {
        "first_name": first,
        "last_name": last,
        "gender": gender,
        "birth_date": w.today - timedelta(days=rng.randint(young * 365, old * 365 + 364)),
        "email": f"{local}@{mail}" if rng.random() < 0.85 else "",
        "phone": _mobile(rng) if rng.random() < 0.7 else "",
        "preferred_language": origin.intake_language,
        "preferred_channel": CHANNELS.pick(rng),
        "kind_of_arrival": kind,
        "country_of_origin": origin.country,
        "nationality": origin.country,
        "foreign_background": ForeignBackground.NO
        if origin.country == "DE"
        else ForeignBackground.YES,
    }


def _name(w: World, origin: Origin, female: bool) -> tuple[str, str, int]:
    """A first and last name, a new pair if a few tries find one (the small demo should not
    have two Volodymyr Shevchenkos), and how many bore it before."""
    for _ in range(5):
        first = w.rng.choice(origin.female if female else origin.male)
        last = w.rng.choice(origin.surnames)
        if "/" in last:
            last = last.split("/")[1 if female else 0]
        if (first, last) not in w.names:
            break
    seen = w.names[first, last]
    w.names[first, last] += 1
    return first, last, seen


def _arrival(w: World, origin: Origin, kind: str, intake_at: datetime) -> dict[str, Any]:
    rng = w.rng
    arrival = timezone.localdate(intake_at) + timedelta(days=rng.randint(-90, 120))
    arrived = arrival <= w.today
    home = rng.choice(HOME_TOWNS).name
    coming_from = rng.choice(origin.places)
    # Commuters keep living across the border; they work here.
    lives_here = arrived and kind != KindOfArrival.COMMUTER
    return {
        "arrival_date": arrival,
        "arrival_is_planned": not arrived,
        "coming_from": coming_from,
        "current_place": home if lives_here else coming_from,
        "target_place": home,
    }


def _set_work(w: World, person: Person) -> None:
    rng, nc, profession = w.rng, person.newcomer, person.profession
    kind = nc.kind_of_arrival
    nc.profession = profession.name if profession else rng.choice(TRAINEES[kind])
    nc.education_level = profession.level if profession else EducationLevel.ISCED_3_4
    # Trainees go wherever they are trained; a skilled worker to a firm of their trade.
    candidates = w.companies_by_sector.get(profession.sector, []) if profession else w.companies
    looking = kind not in (KindOfArrival.FAMILY, KindOfArrival.STUDENT)
    if candidates and looking and rng.random() < 0.55:
        person.company = rng.choice(candidates)
        nc.target_company = person.company
        nc.target_company_name = person.company.name
    nc.employment_status_on_entry = _employment(rng, kind, person.company)
    if person.company and not nc.arrival_is_planned:
        start = person.arrival + timedelta(days=rng.randint(3, 30))
        nc.started_work_on = start if start <= w.today else None


def _employment(rng: random.Random, kind: str, company: Company | None) -> str:
    if kind in TRAINEES:
        return EmploymentStatus.IN_EDUCATION
    if company:
        return EmploymentStatus.EMPLOYED
    if kind == KindOfArrival.FAMILY:
        return rng.choice((EmploymentStatus.INACTIVE, EmploymentStatus.UNEMPLOYED))
    return rng.choice(
        (EmploymentStatus.UNEMPLOYED,) * 6
        + (EmploymentStatus.EMPLOYED,) * 2
        + (EmploymentStatus.SELF_EMPLOYED, EmploymentStatus.NOT_STATED)
    )


def _household(w: World, person: Person) -> list[HouseholdMember]:
    rng, nc, origin = w.rng, person.newcomer, person.origin
    if rng.random() > 0.45:
        return []
    born, year = person.born, w.today.year
    partner_names = origin.male if nc.gender == Gender.FEMALE else origin.female
    members = [HouseholdMember(
        newcomer=nc, relation=HouseholdMember.Relation.PARTNER,
        first_name=rng.choice(partner_names), birth_year=born + rng.randint(-4, 4),
        comes_along=rng.random() < 0.85,
    )]  # fmt: skip
    if 24 <= year - born <= 55 and rng.random() < 0.7:
        for _ in range(KIDS.pick(rng)):
            child = rng.randint(max(born + 20, year - 17), min(born + 42, year))
            members.append(HouseholdMember(
                newcomer=nc, relation=HouseholdMember.Relation.CHILD,
                first_name=rng.choice(origin.female + origin.male), birth_year=child,
            ))  # fmt: skip
            (person.young_kids if year - child < 6 else person.school_kids).append(child)
    return members


def _languages(w: World, person: Person) -> list[LanguageSkill]:
    rng, nc, origin = w.rng, person.newcomer, person.origin
    if origin.native_language == "de":
        person.german = CEFRLevel.NATIVE
    else:
        person.german = GERMAN.get(nc.kind_of_arrival, GERMAN_DEFAULT).pick(rng)
    skills = [LanguageSkill(newcomer=nc, language="de", level=person.german)]
    if origin.native_language not in ("", "de"):
        skills.append(LanguageSkill(newcomer=nc, language=origin.native_language, level="NATIVE"))
    if rng.random() < 0.7:
        level = OTHER_LANGUAGE.pick(rng)
        skills.append(LanguageSkill(newcomer=nc, language=origin.other_language, level=level))
    return skills


def _qualifications(w: World, person: Person) -> list[Qualification]:
    rng, nc, profession = w.rng, person.newcomer, person.profession
    if profession is None:
        return []
    foreign = person.origin.country != "DE"
    qualification = Qualification(
        newcomer=nc,
        title=profession.qualification
        if foreign
        else profession.reference_occupation or profession.name,
        profession=profession.name,
        country=person.origin.country,
        year=min(person.born + rng.randint(21, 27), w.today.year),
        education_level=profession.level,
        is_regulated=profession.regulated,
    )
    if foreign and (profession.regulated or rng.random() < 0.4):
        person.needs_recognition = True
        since = timezone.localdate(person.intake_at)
        _recognition_steps(w, qualification, profession, since)
    return [qualification]


def _recognition_steps(w: World, q: Qualification, profession: Profession, since: date) -> None:
    """Advice, documents, application, decision: as far as the time since intake allows."""
    rng = w.rng
    q.reference_occupation = profession.reference_occupation
    q.competent_authority = w.authority.get(profession.authority)
    day = since + timedelta(days=rng.randint(7, 45))
    for step in ("documents_complete_on", "application_submitted_on", "decision_on"):
        if day > w.today or rng.random() < 0.12:
            return
        setattr(q, step, day)
        day += timedelta(days=rng.randint(10, 80))
    q.outcome = RECOGNITION_OUTCOMES.pick(rng)
    if q.outcome == RecognitionOutcome.PARTIAL:
        q.required_measure = rng.choice(MEASURES)


def _residence_title(rng: random.Random, person: Person) -> tuple[str, str]:
    kind = person.newcomer.kind_of_arrival
    if person.origin.country == "UA":
        return ResidenceTitle.OTHER, "§ 24 AufenthG (vorübergehender Schutz)"
    if kind == KindOfArrival.FAMILY:
        return ResidenceTitle.OTHER, "§ 30 AufenthG (Ehegattennachzug)"
    if kind == KindOfArrival.DOMESTIC:
        if rng.random() < 0.4:
            return ResidenceTitle.SETTLEMENT_18C, ""
        return ResidenceTitle.OTHER, "§ 25 Abs. 2 AufenthG"
    if kind == KindOfArrival.APPRENTICE:
        return ResidenceTitle.TRAINING_16A, ""
    if kind == KindOfArrival.STUDENT:
        return ResidenceTitle.STUDY_16B, ""
    if kind == KindOfArrival.INTERN:
        return ResidenceTitle.OTHER, "Praktikum nach § 15 BeschV"
    if person.needs_recognition and rng.random() < 0.5:
        return ResidenceTitle.RECOGNITION_16D, "Anpassungsmaßnahme"
    if person.profession:
        return person.profession.title, ""
    return ResidenceTitle.CHANCENKARTE_20A, ""


def _permits(w: World, person: Person) -> list[ResidencePermit]:
    if not person.third_country:
        return []
    rng, nc, today = w.rng, person.newcomer, w.today
    if nc.arrival_is_planned:
        issued = today - timedelta(days=rng.randint(1, 30))
        visa = ResidencePermit(newcomer=nc, title=ResidenceTitle.VISA, issued_on=issued,
                               expires_on=person.arrival + timedelta(days=90))  # fmt: skip
        return [visa]
    title, notes = _residence_title(rng, person)
    # The title is issued a few weeks after entering on a visa.
    issued = min(person.arrival + timedelta(days=rng.randint(14, 60)), today)
    permit = ResidencePermit(newcomer=nc, title=title, issued_on=issued, notes=notes)
    if title == ResidenceTitle.SETTLEMENT_18C:
        return [permit]
    expires = issued + timedelta(days=365 * rng.randint(1, 3))
    while expires < today:  # renewed since: the current title runs on from the old one
        issued, expires = expires, expires + timedelta(days=730)
    if rng.random() < 0.2:  # so the 90- and 30-day renewal reminders have something to do
        expires = today + timedelta(days=rng.randint(5, 90))
        issued = min(issued, expires)
    permit.issued_on, permit.expires_on = issued, expires
    if (expires - today).days < 90 and rng.random() < 0.35:
        permit.renewal_applied_on = max(issued, today - timedelta(days=rng.randint(0, 20)))
    return [permit]


def _consents(person: Person) -> list[ConsentRecord]:
    nc = person.newcomer
    return [
        ConsentRecord(
            newcomer=nc,
            scope=scope,
            text_version=CONSENT_TEXT_VERSION,
            language=nc.preferred_language,
            method=ConsentMethod.INTAKE_FORM,
            given_at=person.intake_at,
        )
        for scope in (ConsentScope.PROCESSING, ConsentScope.SHARE_WITH_PARTNERS)
    ]


# --- Cases and their timelines -----------------------------------------------------------------


class Timeline:
    """One case's timeline entries; keeps the case's last activity in step with them."""

    def __init__(self, batch: Batch, case: Case, owner: User | None) -> None:
        self.batch = batch
        self.case = case
        self.owner = owner
        self.contacts: list[PartnerContact] = []

    @property
    def lotse(self) -> User:
        """The owner, for the steps only an owned case takes."""
        if self.owner is None:
            raise ValueError(f"{self.case} has no owner")
        return self.owner

    def add(
        self,
        kind: str,
        at: datetime,
        actor: User | None,
        *,
        text: str = "",
        old: str = "",
        new: str = "",
        referral: Referral | None = None,
        follow_up: FollowUp | None = None,
    ) -> None:
        entry = Entry(self.case, kind, at, actor, text, old, new, referral, follow_up)
        self.batch.entries.append(entry)
        self.case.last_activity_at = max(self.case.last_activity_at, at)


def _add_cases(w: World, batch: Batch, person: Person) -> None:
    triaged = person.newcomer.triaged_at or person.intake_at
    for i, category in enumerate(_categories(w.rng, person)):
        if i == 0:  # the concern named in the intake form
            _add_case(w, batch, person, category, person.intake_at, first=True)
            continue
        # Further concerns come up in the first weeks and months.
        since_triage = (w.now - triaged) / DAY
        delay = min(w.rng.expovariate(1 / 30), since_triage * w.rng.random())
        _add_case(w, batch, person, category, triaged + delay * DAY, first=False)


def _categories(rng: random.Random, person: Person) -> list[str]:
    weights = _category_weights(person)
    picked = []
    for _ in range(person.plan.n_cases):
        if not any(weights.values()):
            weights = _category_weights(person)
        category = rng.choices(list(weights), weights=list(weights.values()))[0]
        picked.append(category)
        weights[category] = 0
    return picked


def _category_weights(person: Person) -> dict[str, float]:
    return {
        Category.HOUSING: 18,
        Category.RECOGNITION: 25 if person.needs_recognition else 2,
        Category.LANGUAGE: 20 if person.german < "B2" else 3,
        Category.CHILDCARE: 25 if person.young_kids else 0,
        Category.SCHOOL: 20 if person.school_kids else 0,
        Category.AUTHORITIES: 30 if person.third_country else 10,
        Category.WORK: 16,
        Category.SOCIAL: 8,
        Category.OTHER: 3,
    }


def _summary(rng: random.Random, person: Person, category: str) -> str:
    profession = person.profession
    kids = person.young_kids if category == Category.CHILDCARE else person.school_kids
    return rng.choice(SUMMARIES[category]).format(
        town=person.newcomer.target_place,
        occupation=(profession.reference_occupation or profession.name)
        if profession
        else "Fachkraft",
        child=rng.choice(kids) if kids else "",
    )


def _add_case(
    w: World, batch: Batch, person: Person, category: str, opened_at: datetime, *, first: bool
) -> None:
    rng, nc = w.rng, person.newcomer
    owner = None
    if not person.plan.awaiting_triage:
        owner = person.owner if rng.random() < 0.9 else rng.choice(w.lotsen)
    case = Case(
        newcomer=nc, category=category, owner=owner, priority=PRIORITIES.pick(rng),
        summary=_summary(rng, person, category), opened_at=opened_at, last_activity_at=opened_at,
    )  # fmt: skip
    _link_company(w, person, case)
    batch.add(case)
    timeline = Timeline(batch, case, owner)
    # The intake opens the first case on its own; a Lotse opens the others.
    timeline.add(EventKind.OPENED, opened_at, None if first else owner,
                 text=w.intake_note if first else "")  # fmt: skip
    if owner is None:
        return
    start = opened_at
    if first and nc.triaged_at:
        start = nc.triaged_at
        assigner = w.head if rng.random() < 0.2 else owner
        timeline.add(EventKind.ASSIGNMENT, start, assigner, new=owner.full_name)
    steps, end = _walk_statuses(w, timeline, start)
    _add_referrals(w, timeline, steps, end)
    _add_follow_ups(w, timeline, nc, start, end)
    for _ in range(NOTE_COUNT.pick(rng)):
        at = start + (end - start) * rng.random()
        timeline.add(EventKind.NOTE, at, owner, text=rng.choice(NOTES).format(first=nc.first_name))


def _link_company(w: World, person: Person, case: Case) -> None:
    related = (Category.WORK, Category.RECOGNITION, Category.AUTHORITIES)
    if person.company and case.category in related and w.rng.random() < 0.6:
        case.company = person.company
        needs = w.needs.get(person.company.pk)
        if needs and w.rng.random() < 0.5:
            case.need = w.rng.choice(needs)


def _walk_statuses(
    w: World, timeline: Timeline, start: datetime
) -> tuple[list[tuple[datetime, str]], datetime]:
    """Move the case to a status that fits its age, with a timeline entry for every step.
    Returns the steps and the end of the case's activity (its closing time if closed)."""
    rng, case = w.rng, timeline.case
    age = (w.now - start) / DAY
    final = next(pick for limit, pick in STATUS_BY_AGE if limit is None or age < limit).pick(rng)
    outcome = OUTCOMES.pick(rng) if final == Status.CLOSED else ""
    path = _status_path(rng, final, outcome)
    if final in (Status.RESOLVED, Status.CLOSED):
        end = start + min(rng.uniform(3, 150), age * 0.95) * DAY
    else:  # open cases mostly saw activity lately; a few have stalled for weeks
        back = rng.expovariate(1 / 6)
        end = start + (age - back if back < age else age * rng.random()) * DAY
    case.status = final
    if final == Status.CLOSED:
        case.closed_at, case.outcome = end, outcome
    steps = list(zip(_step_times(rng, path, start, end), path, strict=True))
    for (at, new), old in zip(steps, [Status.NEW, *path], strict=False):
        timeline.add(EventKind.STATUS, at, timeline.lotse, old=w.labels[old], new=w.labels[new])
    return steps, end


def _step_times(
    rng: random.Random, path: list[str], start: datetime, end: datetime
) -> list[datetime]:
    """A Lotse takes up a case within days; the last step (a closing, a wait) is at the end."""
    if not path:
        return []
    first = start + min(rng.expovariate(1 / 2) * DAY, end - start)
    if len(path) == 1:
        return [end if path[0] == Status.CLOSED else first]
    middle = sorted(first + (end - first) * rng.random() for _ in path[2:])
    return [first, *middle, end]


def _status_path(rng: random.Random, final: str, outcome: str) -> list[str]:
    """The statuses a case passed through after "new", each allowed by cases.TRANSITIONS."""
    if final == Status.NEW:
        return []
    if outcome == Outcome.DUPLICATE:
        return [Status.CLOSED]
    path: list[str] = [Status.IN_PROGRESS]
    if final in (Status.RESOLVED, Status.CLOSED):
        if rng.random() < 0.25:
            path += [Status.WAITING_PARTNER, Status.IN_PROGRESS]
        # Many cases are closed straight from work; "resolved" is a pause to confirm first.
        straight = outcome in (Outcome.WITHDRAWN, Outcome.LEFT_REGION) or rng.random() < 0.6
        if final == Status.CLOSED and straight:
            return [*path, Status.CLOSED]
        path.append(Status.RESOLVED)
        if final == Status.CLOSED:
            path.append(Status.CLOSED)
            if rng.random() < 0.03:  # reopened once, then finished for good
                path += [Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
    elif final != Status.IN_PROGRESS:
        path.append(final)
    return path


def _add_referrals(
    w: World, timeline: Timeline, steps: list[tuple[datetime, str]], end: datetime
) -> None:
    rng = w.rng
    waits = [i for i, (_, status) in enumerate(steps) if status == Status.WAITING_PARTNER]
    for i in waits:  # the partner answered when the case moved on
        answered = steps[i + 1][0] if i + 1 < len(steps) else None
        _refer(w, timeline, steps[i][0], answered)
    if not waits and steps and rng.random() < EXTRA_REFERRAL_SHARE:
        sent = steps[0][0] + (end - steps[0][0]) * rng.uniform(0, 0.6)
        limit = w.now if timeline.case.status in OPEN_STATUSES else end
        answered = sent + rng.uniform(1, 15) * DAY
        _refer(w, timeline, sent, answered if answered <= limit else None)


def _refer(w: World, timeline: Timeline, sent_at: datetime, answered_at: datetime | None) -> None:
    rng, case = w.rng, timeline.case
    partner = rng.choice(w.partners_for[case.category])
    contact = w.primary_contact[partner.pk]
    lotse = timeline.lotse
    referral = Referral(
        case=case, partner=partner, contact=contact, created_by=lotse, sent_at=sent_at,
        request=f"Bitte um Unterstützung: {case.summary}. Rückfragen gern an "
        f"{lotse.full_name} im Welcome Center.",
        answer_by=_add_working_days(timezone.localdate(sent_at), partner.response_days),
    )  # fmt: skip
    timeline.batch.add(referral)
    timeline.contacts.append(contact)
    timeline.add(EventKind.REFERRAL, sent_at, lotse, text=referral.request,
                 new=w.labels[referral.status], referral=referral)  # fmt: skip
    # A partner without a login answers by phone or mail, and the Lotse notes it.
    answerer = contact.user or lotse
    if answered_at is None:
        _await_answer(w, timeline, referral, answerer)
    else:
        _answer(w, timeline, referral, answered_at, answerer)


def _await_answer(w: World, timeline: Timeline, referral: Referral, answerer: User) -> None:
    """Still open: sent (overdue once answer_by has passed), or accepted and being worked on."""
    rng = w.rng
    if rng.random() < 0.7:
        if rng.random() < 0.5:
            referral.opened_at = referral.sent_at + (w.now - referral.sent_at) * rng.random()
        return
    at = referral.sent_at + (w.now - referral.sent_at) * rng.uniform(0.2, 0.8)
    referral.status, referral.opened_at, referral.answered_at = Referral.Status.ACCEPTED, at, at
    referral.answer = rng.choice(ANSWERS[:2])
    timeline.add(EventKind.REFERRAL, at, answerer, text=referral.answer,
                 old=w.labels[Referral.Status.SENT], new=w.labels[referral.status],
                 referral=referral)  # fmt: skip


def _answer(w: World, timeline: Timeline, referral: Referral, at: datetime, answerer: User) -> None:
    rng = w.rng
    referral.status = ANSWERED_REFERRAL.pick(rng)
    actor = timeline.lotse  # who withdraws it
    if referral.status != Referral.Status.WITHDRAWN:
        actor = answerer
        referral.opened_at = referral.sent_at + (at - referral.sent_at) * 0.3
        referral.answered_at = referral.closed_at = at
        if referral.status == Referral.Status.DECLINED:
            referral.decline_reason = rng.choice(DECLINE_REASONS)
        else:
            referral.answer = rng.choice(ANSWERS)
    timeline.add(EventKind.REFERRAL, at, actor, text=referral.answer or referral.decline_reason,
                 old=w.labels[Referral.Status.SENT], new=w.labels[referral.status],
                 referral=referral)  # fmt: skip


def _add_follow_ups(
    w: World, timeline: Timeline, nc: Newcomer, start: datetime, end: datetime
) -> None:
    rng, case = w.rng, timeline.case
    for _ in range(0 if case.status == Status.NEW else DONE_FOLLOW_UPS.pick(rng)):
        created = start + (end - start) * rng.random()
        due = timezone.localdate(created) + timedelta(days=rng.randint(2, 14))
        follow_up = _follow_up(w, timeline, nc, created, due)
        follow_up.done_at = created + (end - created) * rng.random()
        follow_up.done_by = follow_up.assignee or timeline.lotse
        # Done with one click, which shows on the timeline as cases.services writes it.
        timeline.add(EventKind.FOLLOW_UP, follow_up.done_at, follow_up.done_by,
                     text=follow_up.text, old=due.isoformat(), new="done",
                     follow_up=follow_up)  # fmt: skip
    if case.status in OPEN_STATUSES and rng.random() < 0.85:
        roll = rng.random()  # due today, overdue, or ahead
        offset = 0 if roll < 0.2 else -rng.randint(1, 10) if roll < 0.45 else rng.randint(1, 21)
        soon_after_start = start + (w.now - start) * rng.uniform(0.05, 0.5)
        created = max(soon_after_start, w.ago(rng.uniform(1, 14) + max(0, -offset)))
        due = max(w.today + timedelta(days=offset), timezone.localdate(created))
        _follow_up(w, timeline, nc, created, due)


def _follow_up(
    w: World, timeline: Timeline, nc: Newcomer, created: datetime, due: date
) -> FollowUp:
    rng, case = w.rng, timeline.case
    # Sometimes the task is for the partner's contact person; never for both.
    contact = rng.choice(timeline.contacts) if timeline.contacts and rng.random() < 0.2 else None
    follow_up = FollowUp(
        case=case, due_on=due, text=rng.choice(TASKS[case.category]).format(first=nc.first_name),
        assignee=None if contact else timeline.lotse, assignee_contact=contact,
        created_by=timeline.lotse, created_at=created,
    )  # fmt: skip
    timeline.batch.add(follow_up)
    timeline.add(EventKind.FOLLOW_UP, created, timeline.lotse, text=follow_up.text,
                 new=due.isoformat(), follow_up=follow_up)  # fmt: skip
    return follow_up
