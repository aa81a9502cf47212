"""The clinician's exports: CSV, the FHIR R4 Bundle, the one-page PDF; who may have them; the access log."""

import csv
import io
import json
import logging
import os
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from diary.exports.pdf import evidence_words, printable, visit_summary_pdf
from diary.exports.tabular import (
    LocalClock,
    _LineOut,
    record_csv_columns,
    record_time_fields,
    records_by_collection,
    table,
    written,
)
from diary.insights import Insight
from diary.models import DIARY_MODELS, AccessLogEntry, CareLink, Factor, Medication
from diary.selectors.trends import trend_series
from diary.services.records import record_create
from diary.services.sharing import link_revoke
from tests.test_access_matrix import COLLECTIONS, UNAUTHENTICATED

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EXPORT = "/api/v1/clinician/patients/{patient}/export/"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
# The most queries an export may take, whatever the size of the diary: the link, the log row, the reads.
# fhir: the records (one per kind), the insights' facts (7), the alerts' reviews and the clinic reference.
# pdf: the trend series (8, medications and factors among them) and the facts (7) besides. csv: the records
# and the profile's takes_diuretics, read from the medication list (selectors.medications).
MAX_QUERIES = {"csv": 9, "fhir": 18, "pdf": 18}


def local(patient, days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime(timezone.now(), patient.zone).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=patient.zone)


def cramp(patient, days_ago: int, *, hour: int = 3, **fields):
    data = {
        "started_at": local(patient, days_ago, hour),
        "duration_seconds": 120,
        "severity": 6,
        "muscle": "calf",
        "side": "left",
        "activity": "sleeping",
        "woke_from_sleep": True,
        **fields,
    }
    return record_create(model=COLLECTIONS["cramps"], patient=patient, data=data)[0]


def fill(patient, *, weeks: int = 5) -> None:
    """A few weeks of a venous picture: night cramps every other night, swollen heavy legs, stockings on
    some days, drinks, elevation, a diuretic and long standing on some days; plus one cramp of each other
    muscle, side and activity."""
    record_create(
        model=COLLECTIONS["medications"],
        patient=patient,
        data={
            "name": "Bendroflumethiazide",
            "drug_class": "diuretic",
            "dose": "2.5 mg",
            "schedule": "regular",
            "started_on": local(patient, 7 * weeks, 8).date(),
        },
    )
    standing = Factor.objects.get_or_create(patient=patient, name="Long standing")[0]
    for days_ago in range(1, 7 * weeks + 1):
        if days_ago % 4 == 0:
            record_create(
                model=COLLECTIONS["factor-entries"],
                patient=patient,
                data={"factor": standing, "occurred_at": local(patient, days_ago, 16)},
            )
        if days_ago % 2:
            cramp(patient, days_ago, severity=5 + days_ago % 5)
        record_create(
            model=COLLECTIONS["checkins"],
            patient=patient,
            data={
                "recorded_at": local(patient, days_ago, 20),
                "swelling_left": 1 + days_ago % 2,
                "swelling_right": 1,
                "heaviness": 5,
                "aching": 3,
                "circumference_left_cm": 38.5,
                "circumference_right_cm": 37.0,
                "visible_veins": True,
                "cramps_last_night": "some" if days_ago % 2 == 0 else "none",
                "notes": "Legs heavy after work",
            },
        )
        if days_ago % 3:
            record_create(
                model=COLLECTIONS["compression"],
                patient=patient,
                data={
                    "started_at": local(patient, days_ago, 7),
                    "ended_at": local(patient, days_ago, 7 + 6 + days_ago % 5),
                    "pressure_class": "20-30",
                    "garment": "knee",
                    "legs": "both",
                },
            )
        for hour in (9, 13, 18):
            record_create(
                model=COLLECTIONS["hydration"],
                patient=patient,
                data={"taken_at": local(patient, days_ago, hour), "volume_ml": 400 + 100 * (days_ago % 3)},
            )
        record_create(
            model=COLLECTIONS["elevations"],
            patient=patient,
            data={"started_at": local(patient, days_ago, 17), "duration_minutes": 20, "above_heart": True},
        )
    cramp(patient, 2, hour=15, muscle="thigh", side="right", activity="walking", relieved_by_rest=True)
    cramp(patient, 3, hour=16, muscle="foot", side="both", activity="standing", woke_from_sleep=False)
    cramp(patient, 4, hour=14, muscle="other", activity="exercising", woke_from_sleep=False, notes="Ouch")
    # Worn since this morning: an open wear has no end yet.
    record_create(
        model=COLLECTIONS["compression"],
        patient=patient,
        data={
            "started_at": local(patient, 0, 0, 5),
            "pressure_class": "30-40",
            "garment": "thigh",
            "legs": "left",
        },
    )


def record_ids(patient) -> set[str]:
    return {
        str(pk)
        for model in DIARY_MODELS
        for pk in model.objects.filter(patient=patient).values_list("pk", flat=True)
    }


def export(client, patient, fmt: str, **params):
    return client.get(EXPORT.format(patient=patient.pk), {"format": fmt, **params})


def observations(body: dict) -> dict[str, dict]:
    return {
        entry["resource"]["id"]: entry["resource"]
        for entry in body["entry"]
        if entry["resource"]["resourceType"] == "Observation"
    }


def components(observation: dict) -> dict[str, dict]:
    return {part["code"]["text"]: part for part in observation.get("component", [])}


def codes(concept: dict) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


# --- FHIR ---------------------------------------------------------------------------------------


@pytest.fixture
def bundle(as_bob, alice) -> dict:
    fill(alice)
    response = export(as_bob, alice, "fhir")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    assert response.streaming  # written as it is built, never held whole
    return json.loads(b"".join(response.streaming_content))


def test_the_bundle_validates_as_fhir_r4(bundle):
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert Bundle.model_validate_json(json.dumps(bundle)).entry[0].resource.get_resource_type() == "Patient"


def test_the_bundle_has_the_patient_and_one_resource_per_record(bundle, alice):
    patient_entry = bundle["entry"][0]
    patient = patient_entry["resource"]
    assert patient["resourceType"] == "Patient"
    assert patient["identifier"][0]["value"] == str(alice.pk)
    assert patient["name"] == [{"text": "Alice"}]
    assert patient_entry["fullUrl"] == f"urn:uuid:{alice.pk}"

    found = observations(bundle)
    issues = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "DetectedIssue"]
    # Medications are MedicationStatements (diary/kinds/medication.py); every other record an Observation.
    statements = {
        e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationStatement"
    }
    assert len(statements) == Medication.objects.filter(patient=alice).count() == 1
    assert len(found) + len(statements) == len(bundle["entry"]) - 1 - len(issues)
    assert set(found) | statements == record_ids(alice)
    for entry in bundle["entry"][1:]:
        observation = entry["resource"]
        if observation["resourceType"] != "Observation":
            continue
        assert entry["fullUrl"] == f"urn:uuid:{observation['id']}"
        assert observation["status"] == "final"
        assert observation["subject"]["reference"] == patient_entry["fullUrl"]
        assert observation["performer"] == [observation["subject"]]
        assert any(
            c["system"] == "http://terminology.hl7.org/CodeSystem/observation-category"
            and c["code"] == "survey"
            for category in observation["category"]
            for c in category["coding"]
        )
        assert observation["meta"]["tag"][0]["code"] == "patient-reported"
        assert observation["code"]["text"]


def test_cramps_carry_their_codes_and_components(bundle, alice):
    found = observations(bundle)
    by_muscle = {
        c.muscle: found[str(c.pk)]
        for c in COLLECTIONS["cramps"].objects.filter(patient=alice).order_by("started_at")
    }
    calf = by_muscle["calf"]
    assert codes(calf["code"]) == {(LOINC, "75325-1")}
    assert codes(calf["valueCodeableConcept"]) == {(SNOMED, "449918009")}
    assert calf["valueCodeableConcept"]["text"] == "Cramp in the left calf"
    parts = components(calf)
    assert parts["Muscle"]["valueString"] == "calf"
    assert parts["Side"]["valueString"] == "left"
    assert parts["Activity at onset"]["valueString"] == "sleeping"
    assert 5 <= parts["Severity (0-10, self-rated)"]["valueInteger"] <= 9
    assert parts["Duration"]["valueQuantity"] == {
        "value": 120,
        "unit": "s",
        "system": "http://unitsofmeasure.org",
        "code": "s",
    }
    assert parts["Woke the patient from sleep"]["valueBoolean"] is True
    assert "Relieved by rest" not in parts  # not said

    assert codes(by_muscle["thigh"]["valueCodeableConcept"]) == {(SNOMED, "424647005")}
    assert components(by_muscle["thigh"])["Relieved by rest"]["valueBoolean"] is True
    assert components(by_muscle["thigh"])["Activity at onset"]["valueString"] == "walking"
    assert codes(by_muscle["foot"]["valueCodeableConcept"]) == {(SNOMED, "424647005")}
    assert by_muscle["foot"]["valueCodeableConcept"]["text"] == "Cramp in both legs (foot)"
    # "other" names no place in the leg: text only, no code.
    assert "coding" not in by_muscle["other"]["valueCodeableConcept"]
    assert by_muscle["other"]["note"] == [{"text": "Ouch"}]
    # In the patient's zone, with its offset.
    assert calf["effectiveDateTime"].endswith(("+01:00", "+02:00"))


def test_the_other_records_carry_periods_quantities_and_codes(bundle, alice):
    found = observations(bundle)
    drink = found[str(COLLECTIONS["hydration"].objects.filter(patient=alice).first().pk)]
    assert codes(drink["code"]) == {(LOINC, "8999-5")}
    assert drink["valueQuantity"]["unit"] == "mL"

    wears = COLLECTIONS["compression"].objects.filter(patient=alice)
    worn = found[str(wears.filter(ended_at__isnull=False).first().pk)]
    assert set(worn["effectivePeriod"]) == {"start", "end"}
    garment = components(worn)["Garment"]["valueCodeableConcept"]
    assert codes(garment) == {(SNOMED, "348681001")}
    assert garment["text"] == "knee-high stocking"
    pressure = components(worn)["Pressure class"]["valueRange"]
    assert (pressure["low"]["value"], pressure["high"]["value"], pressure["low"]["code"]) == (
        20,
        30,
        "mm[Hg]",
    )
    still_worn = found[str(wears.get(ended_at__isnull=True).pk)]
    assert set(still_worn["effectivePeriod"]) == {"start"}

    elevation = COLLECTIONS["elevations"].objects.filter(patient=alice).first()
    raised = found[str(elevation.pk)]
    start = datetime.fromisoformat(raised["effectivePeriod"]["start"])
    end = datetime.fromisoformat(raised["effectivePeriod"]["end"])
    assert end - start == timedelta(minutes=20)
    assert components(raised)["Above heart level"]["valueBoolean"] is True

    checkin = found[str(COLLECTIONS["checkins"].objects.filter(patient=alice).first().pk)]
    parts = components(checkin)
    assert parts["Heaviness (0-10)"]["valueInteger"] == 5
    assert parts["Ankle or calf circumference, left"]["valueQuantity"]["value"] == 38.5
    assert parts["Visible veins"]["valueBoolean"] is True
    assert parts["Cramps last night"]["valueString"] in ("some", "none")
    assert {(LOINC, "75325-1")} <= {code for category in checkin["category"] for code in codes(category)}


def test_a_fhir_client_asking_for_fhir_json_gets_the_bundle(as_bob, alice):
    response = as_bob.get(
        EXPORT.format(patient=alice.pk), {"format": "fhir"}, HTTP_ACCEPT="application/fhir+json"
    )
    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content))["resourceType"] == "Bundle"


# --- PDF ----------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def save_png(content: bytes, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=2).to_pil()
    path = ARTIFACTS / name
    image.save(path)
    return path


def test_the_pdf_is_one_page_with_the_patient_the_notice_and_the_figures(as_bob, alice):
    fill(alice)
    response = export(as_bob, alice, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    pages, text = pdf_text(response.content)
    assert pages == 1
    assert "Alice" in text
    assert "Self-reported by the patient; not a diagnosis." in text
    assert "Europe/Berlin" in text
    days = trend_series(alice, days=84)["days"]
    cramp_nights = sum(day["cramp_night"] for day in days)
    known = sum(day["night_observed"] for day in days)
    assert 0 < cramp_nights <= known < 84
    # Of the nights known: the others are unknown, not cramp-free. (A sentence may wrap.)
    words = " ".join(text.split())
    assert f"{cramp_nights} of {known} nights known had a night cramp" in words
    assert f"{84 - known} of 84 nights unknown" in words
    assert "Cramp nights per week" in text
    assert "ADVICE: Night cramps and vein signs: see a vein specialist" in text
    path = save_png(response.content, "clinician-visit-summary.png")
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("days", [7, 365])
def test_the_pdf_takes_a_period_of_7_to_365_days_on_one_page(as_bob, alice, days):
    fill(alice, weeks=2)
    response = export(as_bob, alice, "pdf", days=days)
    assert response.status_code == 200
    pages, text = pdf_text(response.content)
    assert pages == 1
    assert f"({days} days)" in text
    save_png(response.content, f"clinician-visit-summary-{days}-days.png")


@pytest.mark.parametrize("days", [6, 366, "many"])
def test_a_period_outside_7_to_365_days_is_a_400_naming_days(as_bob, alice, days):
    response = export(as_bob, alice, "pdf", days=days)
    assert response.status_code == 400
    assert "days" in response.json()


def every_insight() -> list[Insight]:
    """One insight of every code, with evidence shaped as diary.insights makes it."""
    group = {
        "nights": 10,
        "cramp_nights": 6,
        "rate": 0.6,
        "first_night": "2026-10-26",
        "last_night": "2026-11-20",
    }
    low = {**group, "cramp_nights": 2, "rate": 0.2}
    evidence = {
        "emergency_warning": {"checkins": 1, "date": "2026-11-21", "dates": ["2026-11-21"]},
        "urgent_dvt_warning": {
            "checkins": 1,
            "date": "2026-11-20",
            "leg": "left",
            "swelling_left": 3,
            "swelling_right": 0,
            "circumference_left_cm": 41.0,
            "circumference_right_cm": 37.5,
            "calf_pain_or_tenderness": True,
            "sudden_onset": True,
            "redness_or_warmth": False,
            "previous_dvt": False,
        },
        "venous_evaluation": {
            "cramp_nights": 12,
            "signs": ["swelling", "heaviness_or_aching", "visible_veins"],
            "swelling_days": 20,
            "heaviness_or_aching_days": 9,
            "visible_veins_dates": ["2026-11-01", "2026-11-02"],
            "skin_changes_dates": [],
        },
        "arterial_evaluation": {
            "walking_episodes": 4,
            "by_walking_episodes": True,
            "by_questionnaire": True,
            "claudication_result": "definite",
            "claudication_answered_at": "2026-11-02T10:00:00+00:00",
        },
        "frequent_severe_cramps": {"episodes": 18, "severe_episodes": 7, "severe_score": 7},
        "skin_changes": {"checkins": 2, "dates": ["2026-11-10", "2026-11-12"]},
        "medication_review": {"episodes": 18, "takes_diuretics": True},
        "low_hydration_pattern": {"fluid_target_ml": 2000, "under": group, "at_or_over": low},
        "compression_association": {"compression_day_hours": 8.0, "worn": low, "none": group},
    }
    levels = {"emergency_warning": "urgent", "urgent_dvt_warning": "urgent"}
    return [
        Insight(
            code=code,
            level=levels.get(code, "info" if "association" in code or "pattern" in code else "advice"),
            title=f"Title of {code}",
            explanation="(for the patient)",
            evidence=shape,
            first_seen=None,
            last_seen=None,
        )
        for code, shape in evidence.items()
    ]


def test_every_insight_reads_as_plain_words():
    words = {insight.code: evidence_words(insight) for insight in every_insight()}
    assert (
        words["emergency_warning"]
        == "Sudden chest pain or breathlessness reported at the check-in of 21 Nov 2026."
    )
    assert "Left leg more swollen" in words["urgent_dvt_warning"]
    assert (
        "circumference left 41.0 cm, right 37.5 cm; calf pain or tenderness; sudden onset."
        in words["urgent_dvt_warning"]
    )
    assert words["venous_evaluation"] == (
        "Cramps on 12 nights of the last 28, with swelling on 20 days, heaviness or aching 4/10 or more on "
        "9 days, visible veins on 2 days."
    )
    assert "Edinburgh Claudication Questionnaire definite (2 Nov 2026)" in words["arterial_evaluation"]
    assert words["low_hydration_pattern"].endswith(
        "at or over it: 2 of 10 nights (20%). An association, not proof."
    )
    assert "after days with none: 6 of 10 nights (60%)" in words["compression_association"]
    assert all(text.endswith(".") for text in words.values())


def test_the_page_stays_one_page_with_every_insight_and_a_name_beyond_latin_1(alice):
    fill(alice, weeks=1)
    content = visit_summary_pdf(
        name="Zoë Łukasiewicz – 李",
        time_zone="Europe/Warsaw",
        fluid_target_ml=2000,
        trends=trend_series(alice, days=365),
        insights=every_insight() * 2,
        generated_at=timezone.localtime(timezone.now(), alice.zone),
        clinician="Dr Bob",
    )
    pages, text = pdf_text(content)
    assert pages == 1
    assert "Zoë Łukasiewicz – ?" in text  # DejaVu Sans has no Chinese: "?" rather than a gap
    assert "more insights not shown here" in text
    save_png(content, "clinician-visit-summary-crowded.png")


def test_names_in_polish_greek_and_cyrillic_print_as_written_and_nothing_of_them_is_logged(alice, caplog):
    fill(alice, weeks=1)
    name = "Małgorzata Żółć · Ζωή Παπαδοπούλου · Анна Иванова · 李"
    with caplog.at_level(logging.INFO):  # as production logs
        content = visit_summary_pdf(
            name=name,
            time_zone="Europe/Warsaw",
            fluid_target_ml=2000,
            trends=trend_series(alice, days=28),
            insights=every_insight(),
            generated_at=timezone.localtime(timezone.now(), alice.zone),
            clinician="Dr Bob",
        )
    pages, text = pdf_text(content)
    assert pages == 1
    assert "Patient: Małgorzata Żółć · Ζωή Παπαδοπούλου · Анна Иванова · ?" in text
    # fpdf2 warns of each glyph a font lacks, naming it, and fontTools lists the glyphs it embeds: the
    # letters of the name would reach the logs.
    assert not [record for record in caplog.records if record.name.startswith(("fpdf", "fontTools"))]
    save_png(content, "clinician-visit-summary-names.png")


def test_printable_marks_only_what_the_font_cannot_draw():
    glyphs = {ord(char) for char in "Zoë –“”20mHgŁódź"}
    assert printable("Zoë – “20 mmHg”", glyphs) == "Zoë – “20 mmHg”"
    assert printable("Łódź 李\n", glyphs) == "Łódź ?\n"


# --- CSV ----------------------------------------------------------------------------------------


def test_the_clinicians_csv_round_trips_through_the_csv_module(as_bob, alice):
    fill(alice, weeks=1)
    response = export(as_bob, alice, "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["id"] for row in rows} == record_ids(alice)
    assert {row["kind"] for row in rows} == set(COLLECTIONS)
    thigh = next(row for row in rows if row["muscle"] == "thigh")
    assert (thigh["relieved_by_rest"], thigh["side"], thigh["notes"]) == ("true", "right", "")


def test_the_streamed_csv_is_cell_for_cell_the_apis_own_shapes_made_safe(as_bob, alice):
    # The stream reads values(), not the serializers; the table built from the serializers' output (as
    # the patient's own CSV is) is what it must equal, formula-neutralised notes and local times included.
    fill(alice, weeks=1)
    cramp(alice, 1, severity=None, notes='=HYPERLINK("https://evil.example")')
    from_serializers = table(records_by_collection(alice), record_csv_columns(), alice, record_time_fields())
    response = export(as_bob, alice, "csv")
    assert b"".join(response.streaming_content).decode() == from_serializers
    assert "'=HYPERLINK" in from_serializers


def test_csv_is_the_default_format(as_bob, alice):
    response = as_bob.get(EXPORT.format(patient=alice.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


# --- Who may export, and the access log ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "fhir", "pdf"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [("alice", {403}), ("carol", {403}), ("dave", {404}), ("bob", {200}), ("anonymous", UNAUTHENTICATED)],
)
def test_only_a_linked_clinician_may_export(request, alice, bob, fmt, who, expected):
    client = request.getfixturevalue("anonymous" if who == "anonymous" else f"as_{who}")
    assert export(client, alice, fmt).status_code in expected


@pytest.mark.parametrize("fmt", ["csv", "fhir", "pdf"])
def test_every_export_writes_an_access_log_row(as_bob, alice, bob, fmt):
    assert export(as_bob, alice, fmt).status_code == 200
    entry = AccessLogEntry.objects.get(patient=alice)
    assert (entry.clinician, entry.clinician_name, entry.action) == (bob, "Bob", f"export {fmt}")


@pytest.mark.parametrize("fmt", ["fhir", "pdf"])
def test_a_revoked_link_stops_the_export_at_once(as_alice, as_bob, alice, bob, fmt):
    assert export(as_bob, alice, fmt).status_code == 200
    link = CareLink.objects.get(patient=alice, clinician=bob)
    assert as_alice.delete(f"/api/v1/sharing/links/{link.pk}/").status_code == 204
    assert export(as_bob, alice, fmt).status_code == 404
    assert AccessLogEntry.objects.filter(patient=alice).count() == 1


def test_revoking_through_the_service_is_as_immediate(as_bob, alice, bob):
    link_revoke(link=CareLink.objects.get(patient=alice, clinician=bob))
    assert export(as_bob, alice, "pdf").status_code == 404


def test_an_unknown_format_is_a_400_naming_format(as_bob, alice):
    response = export(as_bob, alice, "xml")
    assert response.status_code == 400
    assert "format" in response.json()
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "fhir", "pdf"])
def test_an_export_takes_the_same_queries_however_large_the_diary(
    as_bob, alice, django_assert_max_num_queries, fmt
):
    counts = []
    for weeks in (1, 4):
        fill(alice, weeks=weeks)
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(MAX_QUERIES[fmt]):
            response = export(as_bob, alice, fmt)
            assert response.status_code == 200
            response.getvalue()  # a streamed export reads its records while it is sent
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- The golden CSV -----------------------------------------------------------------------------

GOLDEN_CSV = Path(__file__).parent / "golden" / "clinician_export.csv"


def fixed_id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://crampwise.test/golden-csv/{name}")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def golden_diary(patient) -> None:
    """Every kind with fixed ids: a record saying everything and one leaving what it may unsaid; a row
    each side of both of Berlin's DST changes in 2026 (29 March and 25 October, at 01:00 UTC); notes with
    quotes, commas, a newline, a formula and text beyond ASCII; an instant with microseconds."""

    def add(collection: str, key: str, **data):
        record_create(model=COLLECTIONS[collection], patient=patient, data=data, record_id=fixed_id(key))

    add(
        "cramps",
        "cramp-said",
        started_at=utc(2026, 3, 29, 0, 59),  # 01:59 CET, the last minute of winter time
        duration_seconds=90,
        severity=7,
        muscle="calf",
        side="left",
        activity="sleeping",
        woke_from_sleep=True,
        relieved_by_rest=False,
        notes='=SUM(A1) "stayed", as typed;\nKräfte ließen nach — 李',
    )
    add("cramps", "cramp-unsaid", started_at=utc(2026, 3, 29, 1, 0, 0, 250000), woke_from_sleep=False)
    add(
        "compression",
        "stocking-across-autumn",
        started_at=utc(2026, 10, 25, 0, 59),  # 02:59 CEST, before the clocks go back...
        ended_at=utc(2026, 10, 25, 1, 1),  # ...02:01 CET, after
        pressure_class="20-30",
        garment="knee",
        legs="both",
    )
    add(
        "compression",
        "stocking-on",
        started_at=utc(2026, 11, 30, 6, 15),
        pressure_class="15-20",
        garment="thigh",
        legs="right",
    )
    add("elevations", "elevation", started_at=utc(2026, 11, 28, 19), duration_minutes=20, above_heart=True)
    add("hydration", "drink", taken_at=utc(2026, 11, 28, 8, 10), volume_ml=250)
    add(
        "checkins",
        "checkin-said",
        recorded_at=utc(2026, 11, 30, 17, 40),
        cramps_last_night="some",
        swelling_left=2,
        swelling_right=0,
        circumference_left_cm=38.5,
        circumference_right_cm=36.0,
        circumference_site_left="ankle",
        circumference_site_right="ankle",
        heaviness=6,
        aching=5,
        itching=0,
        visible_veins=True,
        notes=' @home, legs "heavy"',
    )
    add("checkins", "checkin-unsaid", recorded_at=utc(2026, 11, 29, 7))
    add(
        "medications",
        "diuretic",
        name="Bendroflumethiazide",
        drug_class="diuretic",
        dose="2.5 mg",
        schedule="regular",
        started_on=date(2025, 3, 1),
    )
    add(
        "medications",
        "magnesium",
        name="Magnesium, citrate",
        drug_class="other",
        dose="-1",
        schedule="as_needed",
        started_on=date(2024, 1, 10),
        stopped_on=date(2024, 6, 30),
        notes="\tDid not help",
    )
    coffee = Factor.objects.create(id=fixed_id("coffee"), patient=patient, name="Coffee")
    add(
        "factor-entries", "coffee-autumn", factor=coffee, occurred_at=utc(2026, 10, 25, 1, 30), notes="+1 cup"
    )


def test_the_csv_of_a_fixed_diary_is_the_golden_file_to_the_byte(as_bob, alice):
    # After a deliberate change to the CSV, write the file anew:
    #   UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_clinician_exports.py -k golden
    golden_diary(alice)
    body = b"".join(export(as_bob, alice, "csv").streaming_content)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN_CSV.write_bytes(body)
    assert body == GOLDEN_CSV.read_bytes(), "The CSV differs from tests/golden/clinician_export.csv"


def test_the_local_times_either_side_of_a_dst_change_are_on_the_patients_clock(as_bob, alice):
    golden_diary(alice)
    rows = list(
        csv.DictReader(io.StringIO(b"".join(export(as_bob, alice, "csv").streaming_content).decode()))
    )
    by_id = {row["id"]: row for row in rows}
    spring = by_id[str(fixed_id("cramp-said"))], by_id[str(fixed_id("cramp-unsaid"))]
    assert [row["started_at_local"] for row in spring] == ["2026-03-29 01:59", "2026-03-29 03:00"]
    autumn = by_id[str(fixed_id("stocking-across-autumn"))]
    assert (autumn["started_at_local"], autumn["ended_at_local"]) == ("2026-10-25 02:59", "2026-10-25 02:01")
    assert by_id[str(fixed_id("cramp-unsaid"))]["started_at"] == "2026-03-29T01:00:00.250000Z"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(',"\r\n =+-@\t')
    )
)
def test_a_cell_is_written_as_the_csv_module_writes_it(text):
    # Beside an empty cell: csv.writer writes a row of one empty cell as "" (never in the CSV's rows).
    assert csv.writer(_LineOut()).writerow([text, ""]) == written(text) + ",\r\n"


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2037, 12, 31)),
    zone=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]),
)
def test_the_local_clock_reads_each_instant_as_its_zone_does(moment, zone):
    clock = LocalClock(ZoneInfo(zone))
    for instant in (moment, moment.replace(hour=0, minute=0), moment.replace(hour=23, minute=59)):
        expected = instant.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        assert clock.wall(instant) == expected
