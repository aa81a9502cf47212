"""The visit summary PDF and the CSV exports are in the language of the person who asks for them
(German, Spanish), their values as they are; English is unchanged."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pypdfium2
import pytest
import time_machine
from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from diary.exports.names import export_filenames
from diary.exports.pdf import FONT_FILES, FONTS
from diary.exports.tabular import record_csv_columns
from diary.models import CheckIn, CompressionWear, CrampEpisode, Hydration, Medication
from diary.services.records import record_create
from tests.conftest import response_body, signed_in_speaking
from tests.test_clinician_exports import golden_diary

pytestmark = pytest.mark.django_db

PATIENT_EXPORT = "/api/v1/export/"
CLINICIAN_EXPORT = "/api/v1/clinician/patients/{patient}/export/"
# Thursday 3 December 2026, 11:00 UTC: 12:00 in Berlin.
NOW = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
# The printed page's own headings and labels in English: none of them is left on a translated page.
ENGLISH_ON_THE_PAGE = [
    "Crampwise visit summary",
    "Patient:",
    "Born:",
    "Period:",
    "Times are the patient's",
    "Exported",
    "Self-reported by the patient",
    "The patient logged these entries",
    "This period against the one before",
    "Key figures",
    "Cramp nights",
    "Swelling days",
    "Compression adherence",
    "Hydration",
    "Medications",
    "Factors logged",
    "Insights (the app's rules",
    "No rule fired",
    "a mark on the axis",
    "gap: nothing logged",
    "week from",
    "Nights known",
    "Page 1 of 1",
    "A week here is 7 nights",
]


@pytest.fixture(autouse=True)
def _at_a_fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


def local(patient, days_ago: int, hour: int) -> datetime:
    day = NOW.astimezone(patient.zone).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=patient.zone)


def log(model, patient, **data):
    record_create(model=model, patient=patient, data=data)


def six_weeks_of_diary(patient):
    """Six weeks of drinks and check-ins, a night cramp every third night, stockings on most days, and a
    medicine with a long name: every row of the key figures and a weekly chart."""
    for days_ago in range(1, 43):
        log(Hydration, patient, taken_at=local(patient, days_ago, 10), volume_ml=1200)
        log(
            CheckIn,
            patient,
            recorded_at=local(patient, days_ago, 8),
            swelling_left=1 if days_ago % 2 else 0,
            swelling_right=0,
            heaviness=3,
            cramps_last_night="some" if days_ago % 3 == 0 else "none",
        )
        if days_ago % 3 == 0:
            log(
                CrampEpisode, patient, started_at=local(patient, days_ago, 3), activity="sleeping", severity=6
            )
        if days_ago % 4:
            log(
                CompressionWear,
                patient,
                started_at=local(patient, days_ago, 7),
                ended_at=local(patient, days_ago, 17),
                pressure_class="20-30",
                garment="knee",
                legs="both",
            )
    log(
        Medication,
        patient,
        name="Hydrochlorothiazid",
        drug_class="diuretic",
        dose="12,5 mg",
        schedule="regular",
        started_on=date(2026, 1, 15),
    )


SCREENS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screens"


def page(content: bytes, png: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    if png:
        # Rendered for a person to look at, beside the browser tests' screenshots.
        SCREENS.mkdir(parents=True, exist_ok=True)
        pypdfium2.PdfDocument(content)[0].render(scale=2).to_pil().save(SCREENS / png)
    return " ".join(reader.pages[0].extract_text().split())


def english_left(text: str) -> list[str]:
    return [words for words in ENGLISH_ON_THE_PAGE if words in text]


# --- The PDF ------------------------------------------------------------------------------------


def test_the_clinicians_pdf_is_in_german_for_a_german_clinician(bob, alice):
    six_weeks_of_diary(alice)
    response = signed_in_speaking(bob, "de").get(CLINICIAN_EXPORT.format(patient=alice.pk), {"format": "pdf"})
    assert response.status_code == 200
    text = page(response.content, "pdf-de.png")
    for words in (
        "Crampwise – Zusammenfassung für den Arzttermin",
        "Patient/in: Alice",
        "Geboren: keine Angabe",
        "Kennung der Praxis: keine vergeben",
        "Zeitraum: 11. Sep 2026 bis 3. Dez 2026 (84 Tage)",
        "Angaben der Patientin / des Patienten; keine Diagnose.",
        "Wichtige Zahlen",
        "Krampfnächte",
        "Kompression getragen",
        "Hinweise (die Regeln der App über die letzten 4 Wochen)",
        "Strich auf der Achse: null",
        "Woche ab",
        "Seite 1 von 1",
        "Exportiert",
        "1.200 ml",
    ):
        assert words in text, words
    assert english_left(text) == []


def test_the_patients_own_pdf_is_in_spanish_for_a_spanish_patient(alice):
    six_weeks_of_diary(alice)
    response = signed_in_speaking(alice, "es").get(PATIENT_EXPORT, {"format": "pdf"})
    assert response.status_code == 200
    text = page(response.content, "pdf-es.png")
    for words in (
        "Crampwise – resumen para la consulta",
        "Paciente: Alice",
        "Fecha de nacimiento: sin indicar",
        "Este periodo frente al anterior",
        "Noches con calambres:",
        "por semana",
        "Aquí una semana son 7 noches de las que usted informó a la app",
        "Cifras clave",
        "Datos aportados por el/la paciente; no es un diagnóstico.",
        "Página 1 de 1",
        "por el/la paciente",
    ):
        assert words in text, words
    # The patient's copy has no clinic reference, in any language.
    assert "Referencia del centro" not in text
    assert english_left(text) == []


def test_an_english_reader_still_gets_the_english_page(bob, alice):
    six_weeks_of_diary(alice)
    response = signed_in_speaking(bob, "en").get(CLINICIAN_EXPORT.format(patient=alice.pk), {"format": "pdf"})
    text = page(response.content)
    for words in ("Crampwise visit summary", "Key figures", "Page 1 of 1", "1,200 ml", "week from"):
        assert words in text, words


def test_the_font_has_every_german_and_spanish_letter():
    letters = "äöüÄÖÜßẞñÑáéíóúÁÉÍÓÚü¿¡€–…"
    for style, file_name in FONT_FILES.items():
        glyphs = TTFont(FONTS / file_name).getBestCmap()
        assert [letter for letter in letters if ord(letter) not in glyphs] == [], style or "regular"


# --- The CSV ------------------------------------------------------------------------------------


def header_and_rows(body: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(body.decode())))
    return rows[0], rows[1:]


def test_the_clinicians_csv_header_is_in_the_readers_language_and_the_cells_as_they_are(bob, alice):
    golden_diary(alice)
    url = CLINICIAN_EXPORT.format(patient=alice.pk)
    english = response_body(signed_in_speaking(bob, "en").get(url, {"format": "csv"}))
    (en_header, en_rows) = header_and_rows(english)
    assert en_header == record_csv_columns()
    for language, first, local in (
        ("de", ["Art", "ID", "Beginn", "Dauer (Sekunden)"], "Beginn (Ortszeit)"),
        ("es", ["Tipo", "ID", "Inicio", "Duración (segundos)"], "Inicio (hora local)"),
    ):
        response = signed_in_speaking(bob, language).get(url, {"format": "csv"})
        header, rows = header_and_rows(response_body(response))
        assert header[:4] == first
        assert header[en_header.index("started_at_local")] == local
        assert len(set(header)) == len(header) == len(en_header)
        assert not set(header) & (set(en_header) - {"ID"})
        # The values stay: codes, ISO instants, the local clock.
        assert rows == en_rows
    # After the German and the Spanish export the English one is unchanged.
    assert response_body(signed_in_speaking(bob, "en").get(url, {"format": "csv"})) == english


def test_the_patients_own_csv_header_is_in_her_language(alice):
    golden_diary(alice)
    english = response_body(signed_in_speaking(alice, "en").get(PATIENT_EXPORT, {"format": "csv"}))
    en_header, en_rows = header_and_rows(english)
    for language, words in (
        ("de", ["Art", "Krämpfe letzte Nacht", "Art der Erinnerung", "Zeitzone", "Erstellt (Ortszeit)"]),
        ("es", ["Tipo", "Calambres anoche", "Tipo de recordatorio", "Zona horaria", "Creado (hora local)"]),
    ):
        header, rows = header_and_rows(
            response_body(signed_in_speaking(alice, language).get(PATIENT_EXPORT, {"format": "csv"}))
        )
        assert [word for word in words if word not in header] == []
        assert len(set(header)) == len(header) == len(en_header)
        assert not set(header) & (set(en_header) - {"ID"})
        # The access log gains a row per export only for a clinician's: the patient's rows are the same.
        assert rows == en_rows


def test_a_file_named_for_want_of_a_name_says_patient_in_the_readers_language(alice):
    alice.display_name, alice.email = "李", "李@example.com"
    names = {}
    for language in ("en", "de", "es"):
        with translation.override(language):
            names[language] = export_filenames(alice, extension="pdf")[0]
    assert names == {
        "en": "crampwise-patient-2026-12-03.pdf",
        "de": "crampwise-patientin-patient-2026-12-03.pdf",
        "es": "crampwise-paciente-2026-12-03.pdf",
    }


def test_a_streamed_csv_is_worded_in_the_language_of_its_request_not_the_threads_later_one(bob, alice):
    golden_diary(alice)
    response = signed_in_speaking(bob, "de").get(CLINICIAN_EXPORT.format(patient=alice.pk), {"format": "csv"})
    # The body is read after the view has returned, with another language active by then.
    with translation.override("es"):
        header, _rows = header_and_rows(response_body(response))
    assert header[:3] == ["Art", "ID", "Beginn"]
