"""The Erzgebirge the demo center serves: towns, where newcomers come from and what they do,
the partners and companies of the region, what Lotsen write, and how often each thing happens.

Data only, with the few helpers that turn it into values; the builders pick from it with one
random.Random, so the same seed gives the same center.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from phonenumber_field.phonenumber import PhoneNumber

from cases.models import Category, Outcome, Priority, Referral, Status
from companies.models import (
    Chamber,
    Introduction,
    NeedKind,
    QualificationLevel,
    Sector,
    ServiceKind,
    ServiceRequest,
    SizeBand,
)
from figures.models import EmploymentOnLeaving
from migrants.models import (
    ContactChannel,
    EducationLevel,
    Gender,
    KindOfArrival,
    RecognitionOutcome,
)
from partners.models import PartnerType

DEMO_PARTNER = "Ausländerbehörde Erzgebirgskreis"
DEMO_COMPANY = "Elektro Uhlig GmbH"


# --- Small helpers -----------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(","))


@dataclass(frozen=True)
class Weighted:
    """A weighted choice with its cumulative weights computed once (it runs millions of times).

    pick() is random.choices(values, cum_weights=...)[0] without the list: the same single
    rng.random() call and the same bisect, so it gives the same value for the same seed."""

    values: tuple[Any, ...]
    cum_weights: tuple[float, ...]
    total: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", self.cum_weights[-1] + 0.0)

    def pick(self, rng: random.Random) -> Any:
        hi = len(self.values) - 1
        return self.values[bisect(self.cum_weights, rng.random() * self.total, 0, hi)]


def weighted(*pairs: tuple[Any, float]) -> Weighted:
    return Weighted(tuple(v for v, _ in pairs), tuple(accumulate(w for _, w in pairs)))


def _weights(text: str) -> Weighted:
    """ "abroad_third 7, student 2" -> a Weighted over the KindOfArrival values."""
    pairs = [item.rsplit(" ", 1) for item in words(text)]
    return weighted(*((KindOfArrival(kind), float(weight)) for kind, weight in pairs))


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "\u0131": "i", "ł": "l"})


def ascii_name(text: str) -> str:
    """A name as it appears in an e-mail address: "Wiśniewska" -> "wisniewska"."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT)).replace(" ", "-")
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c == "-"))


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
STREETS = words(
    "Bahnhofstraße, Markt, Buchholzer Straße, Karlsbader Straße, Schillerstraße, Poststraße, "
    "Chemnitzer Straße, Gewerbegebiet Süd, Industriestraße, Am Sportplatz, Talstraße"
)


def street(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 60)}"


# Built as numbers, not parsed from text: parsing costs more than building the whole row.
def landline(rng: random.Random, town: Town) -> PhoneNumber:
    digits = 10 - len(town.area_code)  # area code and subscriber number: ten digits in all
    subscriber = rng.randint(10 ** (digits - 1), 10**digits - 1)
    return PhoneNumber(country_code=49, national_number=int(f"{town.area_code}{subscriber}"))


def mobile(rng: random.Random) -> str:
    """A German mobile number as the database stores it (E.164)."""
    prefix = rng.choice((151, 152, 157, 160, 170, 176))
    return f"+49{prefix * 10**8 + rng.randint(10**7, 10**8 - 1)}"


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
           words("Priya, Anjali, Divya, Lakshmi, Sneha, Reshma, Aswathy, Neethu"),
           words("Arjun, Rahul, Vishnu, Suresh, Anand, Rohan, Abhijith, Jithin"),
           words("Nair, Menon, Pillai, Thomas, Joseph, Kurian, Varghese, Sharma, Reddy"),
           words("Kochi, Thiruvananthapuram, Bengaluru, Hyderabad, Chennai"),
           _weights("abroad_third 7, student 2, family 1"),
           words("nurse, nurse, software, engineer, electrician")),
    Origin("VN", 10, "en", "vi", "en",
           words("Thi Lan, Thi Huong, Thu Trang, Ngoc Anh, Thi Mai, Phuong Linh"),
           words("Van Minh, Duc Anh, Quang Huy, Minh Tuan, Van Hieu, Thanh Long"),
           words("Nguyen, Tran, Le, Pham, Hoang, Vu, Dang, Bui"),
           words("Hanoi, Ho-Chi-Minh-Stadt, Da Nang, Hai Phong, Vinh"),
           _weights("apprentice 6, abroad_third 3, intern 1"),
           words("nurse, care_aide, cook")),
    Origin("UA", 12, "uk", "uk", "en",
           words("Olena, Iryna, Kateryna, Oksana, Tetiana, Yuliia, Nataliia"),
           words("Oleksandr, Andrii, Dmytro, Serhii, Mykola, Volodymyr"),
           words("Kovalenko, Shevchenko, Bondarenko, Tkachenko, Melnyk, Kravchenko, Boiko"),
           words("Kyjiw, Charkiw, Dnipro, Saporischschja, Odesa, Lwiw"),
           _weights("abroad_third 8, family 2"),
           words("teacher, educator, nurse, electrician, doctor, software")),
    Origin("SY", 6, "ar", "ar", "en",
           words("Rania, Lina, Hala, Nour, Rasha, Dima"),
           words("Ahmad, Mohammad, Khaled, Omar, Yousef, Bashar"),
           words("Al-Hassan, Haddad, Khalil, Darwish, Al-Ahmad, Ibrahim, Mahmoud, Al-Khatib"),
           words("Leipzig, Dresden, Berlin, Magdeburg, Halle (Saale)"),
           _weights("domestic 5, family 2, abroad_third 2"),
           words("doctor, electrician, cook, driver, machinist")),
    Origin("TR", 6, "tr", "tr", "en",
           words("Elif, Zeynep, Ayşe, Merve, Esra, Büşra"),
           words("Mehmet, Emre, Burak, Murat, Can, Oğuz"),
           words("Yılmaz, Kaya, Demir, Şahin, Çelik, Aydın, Öztürk, Arslan"),  # noqa: RUF001
           words("Istanbul, Izmir, Ankara, Bursa, Antalya"),
           _weights("abroad_third 6, family 2, student 1"),
           words("engineer, cook, driver, electrician, software")),
    Origin("PL", 6, "pl", "pl", "en",
           words("Agnieszka, Katarzyna, Magdalena, Joanna, Anna, Monika"),
           words("Piotr, Tomasz, Krzysztof, Paweł, Marcin, Łukasz"),
           words("Nowak, Kowalski/Kowalska, Wiśniewski/Wiśniewska, Wójcik, Kamiński/Kamińska, "
                  "Lewandowski/Lewandowska, Zieliński/Zielińska, Mazur"),
           words("Wrocław, Jelenia Góra, Zgorzelec, Kraków, Poznań"),
           _weights("abroad_eu 8, commuter 2"),
           words("driver, carpenter, nurse, mechanic, machinist")),
    Origin("RO", 6, "ro", "ro", "en",
           words("Andreea, Ioana, Elena, Maria, Cristina, Alina"),
           words("Andrei, Mihai, Alexandru, Ionuț, Florin, Bogdan"),
           words("Popescu, Ionescu, Popa, Stan, Dumitru, Constantin, Munteanu, Lungu"),
           words("Cluj-Napoca, Timișoara, Iași, Brașov, Sibiu"),
           _weights("abroad_eu 9, family 1"),
           words("nurse, doctor, driver, care_aide, cook")),
    Origin("BR", 5, "en", "pt-br", "en",
           words("Ana, Juliana, Fernanda, Camila, Beatriz, Larissa"),
           words("Lucas, Gabriel, Rafael, Thiago, Felipe, Matheus"),
           words("Silva, Santos, Oliveira, Souza, Pereira, Costa, Ferreira, Almeida"),
           words("São Paulo, Curitiba, Belo Horizonte, Porto Alegre, Recife"),
           _weights("abroad_third 5, intern 2, student 2"),
           words("nurse, software, engineer, electrician")),
    Origin("PH", 6, "en", "", "en",
           words("Maricel, Kristine, Jocelyn, Rowena, Angelica, Mary Grace"),
           words("Mark, Jerome, Rodel, Jayson, Christian, John Paul"),
           words("Santos, Reyes, Cruz, Bautista, Dela Cruz, Villanueva, Mendoza, Garcia"),
           words("Manila, Cebu, Davao, Iloilo, Quezon City"),
           _weights("abroad_third 9, family 1"),
           words("nurse, nurse, care_aide")),
    Origin("MA", 5, "ar", "ar", "fr",
           words("Fatima, Khadija, Salma, Imane, Meryem, Hajar"),
           words("Youssef, Hamza, Mehdi, Amine, Othmane, Ayoub"),
           words("El Amrani, Benali, Alaoui, Bennani, El Idrissi, Tazi, Chraibi, Berrada"),
           words("Casablanca, Rabat, Fès, Marrakesch, Tanger"),
           _weights("apprentice 5, abroad_third 3, intern 2"),
           words("electrician, cook, nurse, mechanic")),
    Origin("TN", 5, "ar", "ar", "fr",
           words("Amira, Sarra, Ines, Mariem, Yosra, Rim"),
           words("Aymen, Mohamed Ali, Wassim, Skander, Bilel, Hamdi"),
           words("Ben Salah, Trabelsi, Gharbi, Jebali, Hammami, Ben Ammar, Mejri, Ayari"),
           words("Tunis, Sfax, Sousse, Monastir, Bizerte"),
           _weights("apprentice 4, abroad_third 5, intern 1"),
           words("software, engineer, nurse, electrician")),
    Origin("CO", 5, "en", "es", "en",
           words("Valentina, Daniela, Laura, Carolina, Paola, María José"),
           words("Santiago, Andrés, Juan Camilo, Sebastián, Diego, Felipe"),
           words("Rodríguez, Gómez, Martínez, Restrepo, Hernández, Vargas, Castro, Ospina"),
           words("Bogotá, Medellín, Cali, Barranquilla, Bucaramanga"),
           _weights("abroad_third 5, intern 2, student 2, family 1"),
           words("nurse, software, engineer, teacher")),
    Origin("CZ", 4, "de", "cs", "en",
           words("Jana, Petra, Lucie, Tereza, Kateřina"),
           words("Jan, Petr, Tomáš, Martin, Lukáš"),
           words("Novák/Nováková, Svoboda/Svobodová, Dvořák/Dvořáková, Černý/Černá, "
                  "Procházka/Procházková, Kučera/Kučerová"),
           words("Chomutov, Most, Karlovy Vary, Jirkov, Kadaň"),
           _weights("commuter 8, abroad_eu 2"),
           words("mechanic, driver, nurse, machinist")),
    # German returnees (Rückkehrer) and people moving in from elsewhere in Germany.
    Origin("DE", 14, "de", "de", "en",
           words("Anja, Claudia, Stefanie, Susanne, Franziska, Julia, Mandy, Peggy"),
           words("Sebastian, Tobias, Markus, Daniel, Thomas, René, Ronny, Steffen"),
           words("Schubert, Günther, Wagner, Lehmann, Richter, Schmidt, Fritzsch, Meyer, "
                  "Lorenz, Ullmann, Kretzschmar, Neubert, Haase, Seidel"),
           words("München, Stuttgart, Nürnberg, Wien, Zürich, Hamburg, Frankfurt am Main"),
           _weights("returnee 8, domestic 3, commuter 1"),
           words("nurse, engineer, electrician, machinist, educator, software, driver")),
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
    KindOfArrival.APPRENTICE: words(
        "Ausbildung Pflegefachfrau/-mann, Ausbildung Elektroniker/in, Ausbildung Koch/Köchin, "
        "Ausbildung Hotelfachmann/-frau, Ausbildung Berufskraftfahrer/in"
    ),
    KindOfArrival.STUDENT: words(
        "Studium Maschinenbau (TU Chemnitz), Studium Informatik (TU Chemnitz), "
        "Studium Wirtschaftsingenieurwesen (Hochschule Mittweida)"
    ),
    KindOfArrival.INTERN: words("Praktikum Pflege, Praktikum Konstruktion, Praktikum Hotellerie"),
}
MEASURES = words(
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
    Category.HOUSING: words(
        "Wohnungssuche in {town}: 2 bis 3 Zimmer, Übergangswohnung für die ersten Wochen, "
        "Frage zu Kaution und Mietvertrag, Größere Wohnung für die Familie in {town}"
    ),
    Category.RECOGNITION: words(
        "Anerkennung als {occupation}, Übersetzung und Beglaubigung der Zeugnisse, "
        "Anpassungsmaßnahme nach Teilanerkennung ({occupation})"
    ),
    Category.LANGUAGE: words(
        "Integrationskurs: Anmeldung und Berechtigung, Berufssprachkurs B2 (DeuFöV), "
        "Abendkurs Deutsch neben der Arbeit, Fachsprachprüfung vorbereiten"
    ),
    Category.CHILDCARE: words(
        "Kita-Platz in {town} (Kind Jg. {child}), Tagespflege bis zum Kita-Start (Kind Jg. {child})"
    ),
    Category.SCHOOL: words(
        "Schulanmeldung mit DaZ-Klasse (Kind Jg. {child}), "
        "Hortplatz und Schulweg (Kind Jg. {child})"
    ),
    Category.AUTHORITIES: words(
        "Anmeldung der Wohnung in {town}, Verlängerung des Aufenthaltstitels, "
        "Steuer-ID sowie Krankenkasse und Bankkonto, "
        "Beschleunigtes Fachkräfteverfahren (§ 81a AufenthG), "
        "Familiennachzug"
    ),
    Category.WORK: words(
        "Stellensuche als {occupation}, Praktikum in der Region, "
        "Arbeit für den Partner oder die Partnerin, Arbeitsvertrag verstehen"
    ),
    Category.SOCIAL: words(
        "Sportverein in {town}, Patenschaft mit einer Familie aus dem Ort, Chor oder Kulturverein"
    ),
    Category.OTHER: words(
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
# What companies ask the center for, by kind of service request.
SERVICE_REQUESTS: dict[str, tuple[str, ...]] = {
    ServiceKind.INTERCULTURAL_TRAINING: (
        "Workshop zur interkulturellen Zusammenarbeit für unser Team",
        "Schulung für die Ausbilder: Azubis aus dem Ausland gut begleiten",
    ),
    ServiceKind.ACCELERATED_PROCEDURE: (
        "Beschleunigtes Fachkräfteverfahren für eine Pflegefachkraft aus Indien",
        "Unterstützung bei der Vorabzustimmung der Arbeitsagentur",
    ),
    ServiceKind.ONBOARDING: (
        "Wohnung und Anmeldung für unsere neue Kollegin in den ersten Wochen",
        "Begleitung der ersten Behördengänge für zwei neue Mitarbeiter",
    ),
    ServiceKind.OTHER: ("Beratung zu Fördermöglichkeiten bei der Einstellung",),
}
INTRODUCTION_NOTES = (
    "",
    "",
    "Erfahrung im Beruf, Deutsch auf gutem Weg.",
    "Kann kurzfristig anfangen.",
)
INTRODUCTION_DECLINES = (
    "Stelle inzwischen anderweitig besetzt.",
    "Deutschkenntnisse für diese Stelle noch nicht ausreichend.",
    "Die Bewerberin hat sich für ein anderes Angebot entschieden.",
    "Pendelweg zu weit.",
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
# What companies ask for, and how far a request has got by its age in days.
SERVICE_KINDS = weighted(
    (ServiceKind.ONBOARDING, 40),
    (ServiceKind.ACCELERATED_PROCEDURE, 25),
    (ServiceKind.INTERCULTURAL_TRAINING, 20),
    (ServiceKind.OTHER, 15),
)
_REQUEST = ServiceRequest.Status
SERVICE_STATUS_BY_AGE = (
    (7, weighted((_REQUEST.NEW, 60), (_REQUEST.IN_PROGRESS, 40))),
    (
        45,
        weighted(
            (_REQUEST.NEW, 5),
            (_REQUEST.IN_PROGRESS, 50),
            (_REQUEST.DONE, 35),
            (_REQUEST.DECLINED, 10),
        ),
    ),
    (None, weighted((_REQUEST.IN_PROGRESS, 5), (_REQUEST.DONE, 80), (_REQUEST.DECLINED, 15))),
)
# Introductions: how far a running one has got, and how one that came to nothing ended.
RUNNING_INTRODUCTION = weighted(
    (Introduction.Status.PROPOSED, 40),
    (Introduction.Status.INTERESTED, 30),
    (Introduction.Status.AGREED, 30),
)
ENDED_INTRODUCTION = weighted(
    (Introduction.Status.DECLINED, 60), (Introduction.Status.WITHDRAWN, 40)
)
# Results on leaving (the exit questionnaire), by where the newcomer stood.
_EMPLOYED, _SELF = EmploymentOnLeaving.EMPLOYED, EmploymentOnLeaving.SELF_EMPLOYED
_NOT_EMPLOYED = EmploymentOnLeaving.NOT_EMPLOYED
LEAVING_WORKING = weighted((_EMPLOYED, 85), (_SELF, 3), (_NOT_EMPLOYED, 12))
LEAVING_SELF_EMPLOYED = weighted((_EMPLOYED, 15), (_SELF, 60), (_NOT_EMPLOYED, 25))
LEAVING_EMPLOYED_ON_ENTRY = weighted((_EMPLOYED, 70), (_SELF, 5), (_NOT_EMPLOYED, 25))
LEAVING_OTHERS = weighted((_EMPLOYED, 35), (_SELF, 4), (_NOT_EMPLOYED, 61))
