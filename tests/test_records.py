"""The diary collections (one per kind): create, list, filter, edit, delete, and every validation rule."""

import json
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.kinds import KINDS, by_segment
from diary.models import CrampEpisode, Factor

pytestmark = pytest.mark.django_db


def iso(moment) -> str:
    return moment.isoformat()


def hours_ago(hours: float) -> str:
    return iso(timezone.now() - timedelta(hours=hours))


# Optional since "not said" (tests/test_not_said.py): a cramp needs only its time.
NOT_SAID = {"cramps": {"duration_seconds", "severity", "muscle", "side", "activity"}}


ALICES_COFFEE = uuid.UUID("00000000-0000-4000-8000-00000000c0fe")


@pytest.fixture(autouse=True)
def alices_coffee(alice):
    """The factor alice's factor entries name."""
    return Factor.objects.create(pk=ALICES_COFFEE, patient=alice, name="Coffee")


def days_ago(days: int) -> str:
    return (timezone.localdate(timezone=ZoneInfo("Europe/Berlin")) - timedelta(days=days)).isoformat()


def valid_body(collection: str) -> dict:
    """A valid body for each collection: the required fields, and the parts of a cramp it was felt in
    (NOT_SAID: optional, but most tests want a cramp as a patient describes one)."""
    return {
        "cramps": {
            "started_at": hours_ago(5),
            "duration_seconds": 90,
            "severity": 6,
            "muscle": "calf",
            "side": "left",
            "activity": "sleeping",
        },
        "compression": {
            "started_at": hours_ago(10),
            "pressure_class": "20-30",
            "garment": "knee",
            "legs": "both",
        },
        "elevations": {"started_at": hours_ago(3), "duration_minutes": 15},
        "hydration": {"taken_at": hours_ago(1), "volume_ml": 250},
        "checkins": {"recorded_at": hours_ago(2)},
        "medications": {
            "name": "Bendroflumethiazide",
            "drug_class": "diuretic",
            "schedule": "regular",
            "started_on": days_ago(3),
        },
        "factor-entries": {"occurred_at": hours_ago(4), "factor": str(ALICES_COFFEE)},
    }[collection]


# Every kind in the registry: a new kind without a valid_body fails these tests.
COLLECTIONS = {kind.segment: kind.model for kind in KINDS}


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_it_creates_a_record_with_only_the_required_fields(as_alice, alice, collection):
    response = as_alice.post(f"/api/v1/{collection}/", valid_body(collection))
    assert response.status_code == 201, response.json()
    assert COLLECTIONS[collection].objects.filter(patient=alice, pk=response.json()["id"]).exists()


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_it_lists_newest_first_in_the_contract_page_shape(as_alice, collection):
    first, second = valid_body(collection), valid_body(collection)
    kind = by_segment(collection)
    first[kind.time_field] = days_ago(4) if kind.dated else hours_ago(30)
    second[kind.time_field] = days_ago(1) if kind.dated else hours_ago(6)
    ids = [as_alice.post(f"/api/v1/{collection}/", body).json()["id"] for body in (first, second)]

    body = as_alice.get(f"/api/v1/{collection}/").json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [ids[1], ids[0]]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_it_filters_by_since_and_until_on_the_time_field(as_alice, collection):
    body, kind = valid_body(collection), by_segment(collection)
    if kind.dated:
        # Bounded by alice's local dates of since and until: 3 days ago to yesterday.
        times, since, until = [days_ago(days) for days in (4, 2, 0)], timedelta(days=3), timedelta(days=1)
    else:
        times, since, until = (
            [hours_ago(hours) for hours in (48, 24, 1)],
            timedelta(hours=30),
            timedelta(hours=12),
        )
    for when in times:
        as_alice.post(f"/api/v1/{collection}/", {**body, kind.time_field: when})

    since = (timezone.now() - since).isoformat()
    until = (timezone.now() - until).isoformat()
    response = as_alice.get(f"/api/v1/{collection}/", {"since": since, "until": until})

    assert response.json()["count"] == 1


def test_it_rejects_a_malformed_since_naming_the_parameter(as_alice):
    response = as_alice.get("/api/v1/cramps/", {"since": "last tuesday"})
    assert response.status_code == 400
    assert "since" in response.json()


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_it_edits_and_deletes_a_record(as_alice, collection):
    created = as_alice.post(f"/api/v1/{collection}/", valid_body(collection)).json()
    url = f"/api/v1/{collection}/{created['id']}/"
    field, value = {
        "cramps": ("severity", 9),
        "compression": ("garment", "thigh"),
        "elevations": ("duration_minutes", 30),
        "hydration": ("volume_ml", 500),
        "checkins": ("heaviness", 7),
        "medications": ("dose", "5 mg"),
        "factor-entries": ("notes", "A double espresso"),
    }[collection]

    edited = as_alice.patch(url, {field: value})
    assert edited.status_code == 200
    assert edited.json()[field] == value
    assert as_alice.get(url).json()[field] == value

    assert as_alice.delete(url).status_code == 204
    assert as_alice.get(url).status_code == 404


def test_it_does_not_allow_put(as_alice):
    created = as_alice.post("/api/v1/hydration/", valid_body("hydration")).json()
    response = as_alice.put(f"/api/v1/hydration/{created['id']}/", valid_body("hydration"))
    assert response.status_code == 405


def test_it_refuses_to_change_a_records_id(as_alice):
    created = as_alice.post("/api/v1/hydration/", valid_body("hydration")).json()
    response = as_alice.patch(f"/api/v1/hydration/{created['id']}/", {"id": str(uuid.uuid4())})
    assert response.status_code == 400
    assert "id" in response.json()


def test_it_returns_404_for_an_id_that_is_not_a_uuid(as_alice):
    assert as_alice.get("/api/v1/cramps/not-a-uuid/").status_code == 404


def test_a_new_checkin_carries_its_urgent_insights(as_alice):
    response = as_alice.post("/api/v1/checkins/", valid_body("checkins"))
    assert response.json()["insights"] == []


# --- Validation: every range and enum edge, 400 naming the field ---------------------------------

RANGES = [
    ("cramps", "duration_seconds", 1, 3600),
    ("cramps", "severity", 0, 10),
    ("elevations", "duration_minutes", 1, 240),
    ("hydration", "volume_ml", 1, 3000),
    ("checkins", "swelling_left", 0, 3),
    ("checkins", "swelling_right", 0, 3),
    ("checkins", "heaviness", 0, 10),
    ("checkins", "aching", 0, 10),
    ("checkins", "itching", 0, 10),
    ("checkins", "circumference_left_cm", 10, 80),
    ("checkins", "circumference_right_cm", 10, 80),
]


@pytest.mark.parametrize(("collection", "field", "low", "high"), RANGES)
def test_it_accepts_both_ends_of_each_range(as_alice, collection, field, low, high):
    for value in (low, high):
        response = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), field: value})
        assert response.status_code == 201, (field, value, response.json())


@pytest.mark.parametrize(("collection", "field", "low", "high"), RANGES)
def test_it_rejects_values_just_outside_each_range(as_alice, alice, collection, field, low, high):
    step = 0.1 if field.startswith("circumference") else 1
    for value in (low - step, high + step):
        response = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), field: value})
        assert response.status_code == 400, (field, value)
        assert field in response.json()
    assert not COLLECTIONS[collection].objects.filter(patient=alice).exists()


ENUMS = [
    ("cramps", "muscle", ["calf", "foot", "thigh", "shin", "other"]),
    ("cramps", "side", ["left", "right", "both"]),
    ("cramps", "activity", ["sleeping", "resting", "sitting", "standing", "walking", "exercising"]),
    ("compression", "pressure_class", ["15-20", "20-30", "30-40", "40-50"]),
    ("compression", "garment", ["knee", "thigh", "pantyhose"]),
    ("compression", "legs", ["left", "right", "both"]),
    ("checkins", "cramps_last_night", ["none", "some", None]),
]


@pytest.mark.parametrize(("collection", "field", "values"), ENUMS)
def test_it_accepts_every_value_of_each_enum(as_alice, collection, field, values):
    for value in values:
        response = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), field: value})
        assert response.status_code == 201, (field, value, response.json())


@pytest.mark.parametrize(("collection", "field", "values"), ENUMS)
def test_it_rejects_an_unknown_enum_value(as_alice, collection, field, values):
    for value in ("CALF", "10-20", "", "sometimes", 3):
        if value in values:
            continue
        response = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), field: value})
        assert response.status_code == 400, (field, value)
        assert field in response.json()


@pytest.mark.parametrize(
    ("collection", "field", "value"),
    [
        ("cramps", "severity", "severe"),
        ("cramps", "severity", 6.5),
        ("cramps", "duration_seconds", [90]),
        ("cramps", "woke_from_sleep", "perhaps"),
        ("cramps", "started_at", "yesterday"),
        ("cramps", "started_at", 1732240000),
        ("hydration", "volume_ml", {"ml": 250}),
        ("checkins", "circumference_left_cm", "wide"),
        ("checkins", "notes", ["a", "list"]),
        ("elevations", "above_heart", None),
    ],
)
def test_it_rejects_wrong_types_naming_the_field(as_alice, collection, field, value):
    response = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), field: value})
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_it_names_each_missing_required_field(as_alice, collection):
    response = as_alice.post(f"/api/v1/{collection}/", {})
    assert response.status_code == 400
    required = set(valid_body(collection)) - NOT_SAID.get(collection, set())
    assert required <= set(response.json())
    assert not NOT_SAID.get(collection, set()) & set(response.json())


def test_it_answers_malformed_json_with_a_400(as_alice):
    response = as_alice.generic("POST", "/api/v1/cramps/", '{"severity": 5,', content_type="application/json")
    assert response.status_code == 400


def test_it_answers_a_json_list_body_with_a_400(as_alice):
    response = as_alice.generic("POST", "/api/v1/cramps/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_it_answers_a_form_body_with_415(as_alice):
    response = as_alice.generic(
        "POST", "/api/v1/cramps/", "severity=5", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_it_answers_json_whatever_the_accept_header_asks_for(as_alice):
    response = as_alice.post("/api/v1/cramps/", valid_body("cramps"), format="json", HTTP_ACCEPT="text/html")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["severity"] == valid_body("cramps")["severity"]


@pytest.mark.parametrize(
    ("collection", "field"),
    [
        ("cramps", "started_at"),
        ("compression", "started_at"),
        ("compression", "ended_at"),
        ("elevations", "started_at"),
        ("hydration", "taken_at"),
        ("checkins", "recorded_at"),
    ],
)
def test_it_rejects_a_time_more_than_five_minutes_ahead(as_alice, collection, field):
    ahead = iso(timezone.now() + timedelta(minutes=10))
    response = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), field: ahead})
    assert response.status_code == 400
    assert field in response.json()


def test_it_takes_a_time_a_little_ahead_as_now(as_alice):
    slightly_ahead = iso(timezone.now() + timedelta(minutes=2))
    response = as_alice.post("/api/v1/hydration/", {**valid_body("hydration"), "taken_at": slightly_ahead})
    assert response.status_code == 201


def test_it_rejects_stockings_taken_off_before_they_were_put_on(as_alice):
    body = {**valid_body("compression"), "ended_at": hours_ago(11)}
    response = as_alice.post("/api/v1/compression/", body)
    assert response.status_code == 400
    assert "ended_at" in response.json()


def test_it_rejects_an_edit_that_ends_a_wear_before_it_started(as_alice):
    created = as_alice.post("/api/v1/compression/", valid_body("compression")).json()
    response = as_alice.patch(f"/api/v1/compression/{created['id']}/", {"ended_at": hours_ago(20)})
    assert response.status_code == 400
    assert "ended_at" in response.json()


def test_it_ends_an_open_wear_with_a_patch(as_alice):
    created = as_alice.post("/api/v1/compression/", valid_body("compression")).json()
    assert created["ended_at"] is None
    response = as_alice.patch(f"/api/v1/compression/{created['id']}/", {"ended_at": hours_ago(1)})
    assert response.status_code == 200
    assert response.json()["ended_at"] is not None


@pytest.mark.parametrize("collection", ["cramps", "checkins"])
def test_it_rejects_notes_that_are_too_long_naming_the_field_and_stores_nothing(as_alice, alice, collection):
    response = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), "notes": "x" * 4500})
    assert response.status_code == 400
    assert "notes" in response.json()
    assert COLLECTIONS[collection].objects.filter(patient=alice).count() == 0


@pytest.mark.parametrize("collection", ["cramps", "checkins"])
def test_it_rejects_an_edit_that_makes_the_notes_too_long(as_alice, collection):
    created = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), "notes": "calf"}).json()
    response = as_alice.patch(f"/api/v1/{collection}/{created['id']}/", {"notes": "x" * 2001})
    assert response.status_code == 400
    assert "notes" in response.json()
    assert as_alice.get(f"/api/v1/{collection}/{created['id']}/").json()["notes"] == "calf"


@pytest.mark.parametrize("collection", ["cramps", "checkins"])
def test_it_keeps_a_note_of_exactly_2000_characters_counting_an_emoji_as_one(as_alice, collection):
    """The PWA counts as the server does (characters, not UTF-16 units): what it lets through is kept."""
    note = ("😖 calf " * 300)[:2000]
    response = as_alice.post(f"/api/v1/{collection}/", {**valid_body(collection), "notes": note})
    assert response.status_code == 201
    assert response.json()["notes"] == note


def test_it_rejects_a_nul_character_in_text(as_alice):
    response = as_alice.post("/api/v1/cramps/", {**valid_body("cramps"), "notes": "calf\x00"})
    assert response.status_code == 400
    assert "notes" in response.json()


def test_it_stores_script_and_sql_text_as_plain_text(as_alice):
    text = "<script>alert(1)</script>'; DROP TABLE diary_crampepisode; --"
    created = as_alice.post("/api/v1/cramps/", {**valid_body("cramps"), "notes": text}).json()
    assert as_alice.get(f"/api/v1/cramps/{created['id']}/").json()["notes"] == text


def test_it_rejects_a_client_id_that_is_not_a_uuid(as_alice):
    response = as_alice.post("/api/v1/cramps/", {**valid_body("cramps"), "id": "12345"})
    assert response.status_code == 400
    assert "id" in response.json()


def test_read_only_fields_cannot_be_written(as_alice):
    body = {**valid_body("cramps"), "night": "2001-01-01", "is_nocturnal": False}
    created = as_alice.post("/api/v1/cramps/", body).json()
    assert created["night"] != "2001-01-01"
    assert created["is_nocturnal"] is True


def test_it_never_answers_a_huge_number_with_a_500(as_alice):
    response = as_alice.post(
        "/api/v1/cramps/",
        json.loads(json.dumps({**valid_body("cramps"), "duration_seconds": 10**30})),
    )
    assert response.status_code == 400


def test_absurdly_deep_json_is_a_400_not_a_crash(as_alice):
    body = "[" * 100_000 + "]" * 100_000
    response = as_alice.generic("POST", "/api/v1/cramps/", body, content_type="application/json")
    assert response.status_code == 400


def test_an_oversized_body_is_refused_with_a_4xx_and_stores_nothing(as_alice, alice):
    body = '{"notes": "' + "x" * 400_000 + '"}'
    response = as_alice.generic("POST", "/api/v1/cramps/", body, content_type="application/json")
    assert response.status_code in (400, 413)
    assert not CrampEpisode.objects.filter(patient=alice).exists()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_number_json_does_not_have_is_a_400_and_stores_nothing(as_alice, alice, number):
    body = json.dumps(valid_body("cramps")).replace('"severity": 6', f'"severity": {number}')
    response = as_alice.generic("POST", "/api/v1/cramps/", body, content_type="application/json")
    assert response.status_code == 400
    assert not CrampEpisode.objects.filter(patient=alice).exists()


def test_bytes_that_are_not_utf8_are_a_400(as_alice):
    response = as_alice.generic("POST", "/api/v1/cramps/", b"\xff\xfe\x00", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", ["application/xml", "text/plain", "multipart/form-data; boundary=x"])
def test_a_body_that_is_not_json_is_a_415(as_alice, content_type):
    response = as_alice.generic("POST", "/api/v1/cramps/", "<cramp/>", content_type=content_type)
    assert response.status_code == 415


@pytest.mark.parametrize("moment", ["0001-01-01T00:01:00Z", "1969-12-31T23:59:00Z"])
def test_a_time_before_1970_is_a_400_not_a_crash(as_alice, moment):
    response = as_alice.post("/api/v1/cramps/", {**valid_body("cramps"), "started_at": moment})
    assert response.status_code == 400
    assert "started_at" in response.json()
