"""The FHIR mapping checked with fhir.resources, here rather than on every export (ADR 0013): every kind's
resource for records generated within the model's constraints, nulls ("not said") included, and the
Bundle of a small fixed diary against a golden file.

The golden file is tests/golden/fhir_bundle.json. After a deliberate change to the mapping, write it anew
and read its diff before committing it:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_fhir_validation.py -k golden
"""

import json
import os
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import orjson
import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from diary.exports.fhir import bundle_chunks, fhir_bundle, patient_resources, resource_line
from diary.insights import Insight
from diary.kinds import KINDS, SEGMENTS
from diary.kinds.checkin import CHECKIN_FLAGS
from diary.models import (
    FACTOR_NAME_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    Activity,
    CircumferenceSite,
    CrampsLastNight,
    DrugClass,
    Garment,
    Muscle,
    PressureClass,
    Schedule,
    Side,
)

BASE_URL = "https://crampwise.example"
GOLDEN = Path(__file__).parent / "golden" / "fhir_bundle.json"
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham")

# What the API lets through into a text field: no NUL (DRF refuses it) and no whitespace at either end
# (DRF trims it); anything else a patient can type, any script, control characters included.
TYPED_TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\0")


def typed(max_size: int, *, min_size: int = 0):
    return st.text(TYPED_TEXT, min_size=min_size, max_size=max_size).map(str.strip)


def said(strategy):
    """A value the patient may leave unsaid: null, or one within the model's range."""
    return st.none() | strategy


moments = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2099, 12, 30), timezones=st.just(UTC)
)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
notes = typed(NOTES_MAX_LENGTH)
ids = st.uuids(version=4)
# The zone a record was logged in (docs/decisions/0037), whatever the patient's is now.
record_zones = st.sampled_from(ZONES)


def scale(high: int):
    return st.integers(0, high)


@st.composite
def cramps(draw):
    return {
        "id": draw(ids),
        "timezone": draw(record_zones),
        "started_at": draw(moments),
        "duration_seconds": draw(said(st.integers(1, 3600))),
        "severity": draw(said(scale(10))),
        "muscle": draw(said(st.sampled_from(Muscle.values))),
        "side": draw(said(st.sampled_from(Side.values))),
        "activity": draw(said(st.sampled_from(Activity.values))),
        "woke_from_sleep": draw(st.booleans()),
        "relieved_by_rest": draw(said(st.booleans())),
        "is_nocturnal": draw(st.booleans()),
        "night": draw(days),
        "notes": draw(notes),
    }


@st.composite
def compression(draw):
    started = draw(moments)
    return {
        "id": draw(ids),
        "timezone": draw(record_zones),
        "started_at": started,
        # Taken off no earlier than put on (the model's check), or still worn.
        "ended_at": draw(st.none() | st.timedeltas(timedelta(0), timedelta(days=3)).map(started.__add__)),
        "pressure_class": draw(st.sampled_from(PressureClass.values)),
        "garment": draw(st.sampled_from(Garment.values)),
        "legs": draw(st.sampled_from(Side.values)),
    }


@st.composite
def elevations(draw):
    return {
        "id": draw(ids),
        "timezone": draw(record_zones),
        "started_at": draw(moments),
        "duration_minutes": draw(st.integers(1, 240)),
        "above_heart": draw(st.booleans()),
    }


@st.composite
def hydration(draw):
    return {
        "id": draw(ids),
        "timezone": draw(record_zones),
        "taken_at": draw(moments),
        "volume_ml": draw(st.integers(1, 3000)),
    }


@st.composite
def checkins(draw):
    row = {
        "id": draw(ids),
        "timezone": draw(record_zones),
        "recorded_at": draw(moments),
        "notes": draw(notes),
    }
    for name, strategy in CHECKIN_VALUES.items():
        row[name] = draw(strategy)
    for name, _words in CHECKIN_FLAGS:
        row[name] = draw(st.booleans())
    return row


CHECKIN_VALUES = {
    "swelling_left": said(scale(3)),
    "swelling_right": said(scale(3)),
    "circumference_left_cm": said(st.floats(10, 80)),
    "circumference_right_cm": said(st.floats(10, 80)),
    "circumference_site_left": said(st.sampled_from(CircumferenceSite.values)),
    "circumference_site_right": said(st.sampled_from(CircumferenceSite.values)),
    "heaviness": said(scale(10)),
    "aching": said(scale(10)),
    "itching": said(scale(10)),
    "cramps_last_night": said(st.sampled_from(CrampsLastNight.values)),
}


@st.composite
def medications(draw):
    started = draw(days)
    stopped = draw(st.none() | st.integers(0, 2000).map(lambda n: started + timedelta(days=n)))
    return {
        "id": draw(ids),
        "name": draw(typed(120, min_size=1).filter(bool)),
        "drug_class": draw(st.sampled_from(DrugClass.values)),
        "dose": draw(typed(120)),
        "schedule": draw(st.sampled_from(Schedule.values)),
        "started_on": started,
        "stopped_on": None if stopped is None or stopped > date(2099, 12, 31) else stopped,
        "notes": draw(notes),
    }


@st.composite
def factor_entries(draw):
    return {
        "id": draw(ids),
        "timezone": draw(record_zones),
        "occurred_at": draw(moments),
        "factor__name": draw(typed(FACTOR_NAME_MAX_LENGTH, min_size=1).filter(bool)),
        "notes": draw(notes),
    }


ROWS = {
    "cramps": cramps(),
    "compression": compression(),
    "elevations": elevations(),
    "hydration": hydration(),
    "checkins": checkins(),
    "medications": medications(),
    "factor-entries": factor_entries(),
}

patients = st.builds(
    lambda pk, name, born, zone: SimpleNamespace(
        pk=pk, display_name=name, date_of_birth=born, timezone=zone, zone=ZoneInfo(zone)
    ),
    ids,
    typed(120),
    st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
    st.sampled_from(ZONES),
)


def valid(resource: dict) -> None:
    """fhir.resources validates the resource as its own type, as it is written (through its JSON)."""
    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate_json(resource_line(resource))


@pytest.mark.parametrize("kind", KINDS, ids=SEGMENTS)
@settings(max_examples=5)
@given(data=st.data())
def test_every_kind_has_a_generator_of_exactly_the_columns_it_reads(kind, data):
    assert set(data.draw(ROWS[kind.segment])) == set(kind.fhir_fields)


@pytest.mark.parametrize("segment", SEGMENTS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_kinds_resource_validates_whatever_the_record_says_or_leaves_unsaid(segment, data):
    patient = data.draw(patients)
    rows = data.draw(st.lists(ROWS[segment], min_size=1, max_size=3))
    for relative in (False, True):
        entries = list(
            patient_resources(
                patient, records={segment: rows}, base_url=BASE_URL, relative_references=relative
            )
        )
        assert len(entries) == 1 + len(rows)
        for entry in entries:
            valid(entry["resource"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patient=patients, data=st.data())
def test_the_streamed_bundle_of_every_kind_at_once_is_valid_json_and_a_valid_bundle(patient, data):
    records = {segment: data.draw(st.lists(ROWS[segment], max_size=2)) for segment in SEGMENTS}
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    streamed = b"".join(bundle_chunks(patient, records=records, base_url=BASE_URL, now=now))
    body = json.loads(streamed)
    Bundle.model_validate(body)
    assert body == json.loads(orjson.dumps(fhir_bundle(patient, records=records, base_url=BASE_URL, now=now)))


def test_a_resource_the_mapping_got_wrong_is_caught():
    # An Observation needs a status and a code: the check above would fail on such a mapping.
    with pytest.raises(ValidationError):
        valid({"resourceType": "Observation", "id": "x", "effectiveDateTime": "2026-11-20"})


# --- The golden Bundle ---------------------------------------------------------------------------


def fixed_id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE_URL}/golden/{name}")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def golden_bundle() -> bytes:
    """A small fixed diary of every kind, one record saying everything and one leaving what it may unsaid,
    an urgent insight with a review: the whole Bundle, streamed."""
    patient = SimpleNamespace(
        pk=fixed_id("alice"),
        display_name="Alice Smith",
        date_of_birth=date(1961, 4, 12),
        timezone="Europe/Berlin",
        zone=ZoneInfo("Europe/Berlin"),
    )
    checkin_id = fixed_id("checkin-chest-pain")
    unsaid_checkin = {name: None for name in CHECKIN_VALUES} | {"notes": ""}
    flags = {name: False for name, _words in CHECKIN_FLAGS}
    records = {
        "cramps": [
            {
                "id": fixed_id("cramp-said"),
                "started_at": at(28, 2, 40),
                "duration_seconds": 90,
                "severity": 7,
                "muscle": "calf",
                "side": "left",
                "activity": "sleeping",
                "woke_from_sleep": True,
                "relieved_by_rest": False,
                "is_nocturnal": True,
                "night": date(2026, 11, 27),
                "notes": "=SUM(A1) stayed as typed; Kräfte ließen nach",
            },
            {
                "id": fixed_id("cramp-unsaid"),
                "started_at": at(29, 15, 5),
                "duration_seconds": None,
                "severity": None,
                "muscle": None,
                "side": None,
                "activity": None,
                "woke_from_sleep": False,
                "relieved_by_rest": None,
                "is_nocturnal": False,
                "night": date(2026, 11, 29),
                "notes": "",
            },
        ],
        "compression": [
            {
                "id": fixed_id("stocking-off"),
                "started_at": at(28, 7, 0),
                "ended_at": at(28, 19, 30),
                "pressure_class": "20-30",
                "garment": "knee",
                "legs": "both",
            },
            {
                "id": fixed_id("stocking-on"),
                "started_at": at(30, 7, 15),
                "ended_at": None,
                "pressure_class": "15-20",
                "garment": "thigh",
                "legs": "right",
            },
        ],
        "elevations": [
            {
                "id": fixed_id("elevation"),
                "started_at": at(28, 20),
                "duration_minutes": 20,
                "above_heart": True,
            }
        ],
        "hydration": [{"id": fixed_id("drink"), "taken_at": at(28, 9, 10), "volume_ml": 250}],
        "checkins": [
            {
                "id": checkin_id,
                "recorded_at": at(30, 18, 40),
                **flags,
                "swelling_left": 2,
                "swelling_right": 0,
                "circumference_left_cm": 38.5,
                "circumference_right_cm": 36.0,
                "circumference_site_left": "calf",
                "circumference_site_right": "calf",
                "heaviness": 6,
                "aching": 5,
                "itching": 0,
                "cramps_last_night": "some",
                "sudden_chest_pain_or_breathlessness": True,
                "notes": "Breathless on the stairs",
            },
            {"id": fixed_id("checkin-unsaid"), "recorded_at": at(29, 8), **flags, **unsaid_checkin},
        ],
        "medications": [
            {
                "id": fixed_id("diuretic"),
                "name": "Bendroflumethiazide",
                "drug_class": "diuretic",
                "dose": "2.5 mg",
                "schedule": "regular",
                "started_on": date(2025, 3, 1),
                "stopped_on": None,
                "notes": "",
            },
            {
                "id": fixed_id("magnesium"),
                "name": "Magnesium",
                "drug_class": "other",
                "dose": "",
                "schedule": "as_needed",
                "started_on": date(2024, 1, 10),
                "stopped_on": date(2024, 6, 30),
                "notes": "Did not help",
            },
        ],
        "factor-entries": [
            {"id": fixed_id("coffee"), "occurred_at": at(28, 16), "factor__name": "Coffee", "notes": ""}
        ],
    }
    insight = Insight(
        code="emergency_warning",
        level="urgent",
        title="Sudden chest pain or breathlessness",
        explanation="",
        evidence={"checkin_id": str(checkin_id), "recorded_at": at(30, 18, 40).isoformat(), "checkins": 1},
        first_seen=at(30, 18, 40),
        last_seen=at(30, 18, 40),
    )
    review = SimpleNamespace(
        code="emergency_warning",
        last_evidence_at=at(30, 18, 40),
        acknowledged_by_patient_at=at(30, 18, 45),
        reviewed_at=at(30, 19, 2),
        reviewed_by_id=fixed_id("bob"),
        reviewed_by_name="Dr Bob Jones",
        note="Phoned her; sent to A&E",
    )
    for segment, rows in records.items():
        for row in rows:
            if segment != "medications":  # dated by local days: no instant, no zone read
                row.setdefault("timezone", patient.timezone)  # logged where she lives
    chunks = bundle_chunks(
        patient,
        records=records,
        base_url=BASE_URL,
        now=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
        insights=[insight],
        alerts=[review],
        clinician_id=fixed_id("bob"),
        clinic_reference="HOSP-0042",
    )
    return b"".join(chunks)


def test_the_golden_bundle_is_valid_fhir():
    Bundle.model_validate_json(golden_bundle())


def test_the_bundle_of_a_fixed_diary_is_the_golden_file_to_the_byte():
    body = json.loads(golden_bundle())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # Compared as parsed JSON (indented on disk to be read and diffed); any element, value or order
    # of entries that differs fails.
    assert body == json.loads(GOLDEN.read_text(encoding="utf-8")), (
        "The Bundle differs from tests/golden/fhir_bundle.json; if the change is meant, see this module's "
        "docstring to write the file anew."
    )
