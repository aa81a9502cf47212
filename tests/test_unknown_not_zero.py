"""Unknown is not zero in the trend view: days logged, nights known, exertion cramps, when the diary began."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from drf_spectacular.generators import SchemaGenerator

from diary.models import CheckIn, ClaudicationAnswer, CompressionWear, CrampEpisode, Elevation, Hydration
from diary.services.records import record_create
from diary.zones import clock_in_zone

pytestmark = [pytest.mark.django_db, pytest.mark.dbsensitive]

BERLIN = ZoneInfo("Europe/Berlin")
# Friday 2026-06-12, 18:00 in Berlin; the week from Monday 8 June is this week.
NOW = datetime(2026, 6, 12, 16, 0, tzinfo=UTC)
TRENDS = "/api/v1/trends/"


def at(text: str, zone=BERLIN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def log(model, patient, **data):
    return record_create(model=model, patient=patient, data=data)[0]


def trends(client, days: int = 14) -> dict:
    with time_machine.travel(NOW, tick=False):
        response = client.get(TRENDS, {"days": days})
    assert response.status_code == 200
    return response.json()


def day(body: dict, when: str) -> dict:
    return next(row for row in body["days"] if row["date"] == when)


def week(body: dict, start: str) -> dict:
    return next(row for row in body["weeks"] if row["week_start"] == start)


# --- Days logged --------------------------------------------------------------------------------


def test_a_day_with_only_a_drink_is_logged_and_a_day_with_nothing_is_not(as_alice, alice):
    log(Hydration, alice, taken_at=at("2026-06-10 09:00"), volume_ml=250)
    body = trends(as_alice)
    assert day(body, "2026-06-10")["logged"] is True
    assert day(body, "2026-06-11")["logged"] is False


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (CrampEpisode, {"started_at": at("2026-06-10 15:00")}),
        (CheckIn, {"recorded_at": at("2026-06-10 20:00")}),
        (
            CompressionWear,
            {
                "started_at": at("2026-06-10 07:00"),
                "pressure_class": "20-30",
                "garment": "knee",
                "legs": "both",
            },
        ),
        (Elevation, {"started_at": at("2026-06-10 17:00"), "duration_minutes": 15}),
    ],
)
def test_each_kind_of_record_logs_its_local_day(as_alice, alice, model, data):
    log(model, alice, **data)
    body = trends(as_alice)
    assert [row["date"] for row in body["days"] if row["logged"]] == ["2026-06-10"]


def test_a_day_is_logged_on_the_patients_local_date(as_alice, alice):
    # 23:30 on the 9th in Berlin is already the 10th in UTC.
    log(Hydration, alice, taken_at=at("2026-06-09 23:30"), volume_ml=250)
    body = trends(as_alice)
    assert day(body, "2026-06-09")["logged"] is True
    assert day(body, "2026-06-10")["logged"] is False


def test_a_week_counts_its_days_logged(as_alice, alice):
    for text in ("2026-06-08 09:00", "2026-06-08 19:00", "2026-06-10 09:00"):
        log(Hydration, alice, taken_at=at(text), volume_ml=250)
    body = trends(as_alice)
    assert week(body, "2026-06-08")["logged_days"] == 2
    assert week(body, "2026-06-01")["logged_days"] == 0


# --- Nights known -------------------------------------------------------------------------------


def test_a_week_of_days_without_cramps_but_no_morning_answer_has_no_night_observed(as_alice, alice):
    for text in ("2026-06-01 20:00", "2026-06-02 20:00", "2026-06-03 20:00", "2026-06-04 20:00"):
        log(CheckIn, alice, recorded_at=at(text), swelling_left=0, swelling_right=0)
    body = trends(as_alice)
    last_week = week(body, "2026-06-01")
    assert last_week["logged_days"] == 4
    assert last_week["observed_nights"] == 0  # the cramp nights are unknown, not zero
    assert last_week["cramp_nights"] == 0
    assert not any(row["night_observed"] for row in body["days"])


def test_a_morning_none_makes_the_night_before_observed_and_not_a_cramp_night(as_alice, alice):
    log(CheckIn, alice, recorded_at=at("2026-06-10 08:00"), cramps_last_night="none")
    body = trends(as_alice)
    night = day(body, "2026-06-09")
    assert (night["night_observed"], night["cramp_night"]) == (True, False)
    assert day(body, "2026-06-10")["night_observed"] is False
    this_week = week(body, "2026-06-08")
    assert (this_week["observed_nights"], this_week["cramp_nights"]) == (1, 0)


def test_a_morning_some_and_a_night_cramp_each_make_an_observed_cramp_night(as_alice, alice):
    log(CheckIn, alice, recorded_at=at("2026-06-09 08:00"), cramps_last_night="some")
    log(CrampEpisode, alice, started_at=at("2026-06-11 03:00"))  # the night of the 10th
    log(CrampEpisode, alice, started_at=at("2026-06-11 15:00"))  # daytime: says nothing of a night
    body = trends(as_alice)
    for night in ("2026-06-08", "2026-06-10"):
        assert (day(body, night)["night_observed"], day(body, night)["cramp_night"]) == (True, True)
    assert day(body, "2026-06-11")["night_observed"] is False
    assert week(body, "2026-06-08")["observed_nights"] == 2


def test_an_answer_about_the_night_before_the_range_is_outside_it(as_alice, alice):
    # 14 days end on Friday the 12th and start on Saturday 30 May: its morning answers for the 29th.
    log(CheckIn, alice, recorded_at=at("2026-05-30 08:00"), cramps_last_night="some")
    body = trends(as_alice)
    assert body["days"][0]["date"] == "2026-05-30"
    assert not any(row["night_observed"] for row in body["days"])
    assert body["days"][0]["logged"] is True


# --- Exertion cramps ----------------------------------------------------------------------------


def test_only_cramps_said_to_be_while_walking_or_exercising_are_exertion_cramps(as_alice, alice):
    for activity in ("walking", "exercising", "standing", None):
        data = {"started_at": at("2026-06-10 15:00")}
        if activity:
            data["activity"] = activity
        log(CrampEpisode, alice, **data)
    log(CrampEpisode, alice, started_at=at("2026-06-11 16:00"), activity="walking")
    body = trends(as_alice)
    assert (day(body, "2026-06-10")["cramps"], day(body, "2026-06-10")["exertion_cramps"]) == (4, 2)
    assert week(body, "2026-06-08")["exertion_cramps"] == 3
    assert day(body, "2026-06-09")["exertion_cramps"] == 0


def test_a_cramp_with_no_activity_said_is_not_an_exertion_cramp(as_alice, alice):
    log(CrampEpisode, alice, started_at=at("2026-06-10 15:00"))
    row = day(trends(as_alice), "2026-06-10")
    assert (row["cramps"], row["exertion_cramps"]) == (1, 0)


# --- The diary's first day and latest entry -----------------------------------------------------


def test_a_new_patient_has_no_diary_yet(as_alice):
    body = trends(as_alice)
    assert body["diary_started_on"] is None
    assert body["last_entry_at"] is None
    assert not any(row["logged"] for row in body["days"])
    assert all(row["logged_days"] == row["observed_nights"] == 0 for row in body["weeks"])


def test_the_diary_starts_on_the_local_date_of_its_first_entry(as_carol, carol):
    new_york = ZoneInfo("America/New_York")
    # 23:30 on 3 June in New York is 4 June in UTC.
    log(Elevation, carol, started_at=at("2026-06-03 23:30", new_york), duration_minutes=15)
    log(CrampEpisode, carol, started_at=at("2026-06-10 02:00", new_york))
    log(Hydration, carol, taken_at=at("2026-06-11 09:15", new_york), volume_ml=200)
    body = trends(as_carol, days=30)
    assert body["diary_started_on"] == "2026-06-03"
    assert datetime.fromisoformat(body["last_entry_at"]) == at("2026-06-11 09:15", new_york)
    assert not any(row["logged"] for row in body["days"] if row["date"] < "2026-06-03")


def test_the_diary_started_before_the_range_when_its_first_entry_is_older(as_alice, alice):
    log(Hydration, alice, taken_at=at("2025-01-05 09:00"), volume_ml=200)
    body = trends(as_alice, days=7)
    assert body["diary_started_on"] == "2025-01-05"
    assert not any(row["logged"] for row in body["days"])


def test_a_questionnaire_answer_is_not_a_diary_entry(as_alice, alice):
    ClaudicationAnswer.objects.create(patient=alice, answered_at=NOW, walking_pain="no", result="negative")
    body = trends(as_alice)
    assert body["diary_started_on"] is None
    assert day(body, "2026-06-12")["logged"] is False


# --- The schema and who may read ----------------------------------------------------------------


def test_the_schema_documents_the_new_fields():
    schema = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    assert {"logged", "exertion_cramps", "night_observed"} <= set(schema["TrendDay"]["properties"])
    assert {"logged_days", "observed_nights", "exertion_cramps"} <= set(schema["TrendWeek"]["properties"])
    trends_shape = schema["Trends"]["properties"]
    assert trends_shape["diary_started_on"]["nullable"] is True
    assert trends_shape["last_entry_at"]["nullable"] is True


def test_the_linked_clinician_sees_the_same_fields(as_alice, as_bob, alice):
    log(Hydration, alice, taken_at=at("2026-06-10 09:00"), volume_ml=250)
    with time_machine.travel(NOW, tick=False):
        response = as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/trends/", {"days": 14})
    assert response.status_code == 200
    assert response.json() == trends(as_alice)


def test_carol_and_dave_cannot_read_alices_trends(as_carol, as_dave, alice):
    log(Hydration, alice, taken_at=at("2026-06-10 09:00"), volume_ml=250)
    path = f"/api/v1/clinician/patients/{alice.pk}/trends/"
    assert as_carol.get(path).status_code == 403
    assert as_dave.get(path).status_code == 404
    # Carol's own trends hold nothing of Alice's.
    body = trends(as_carol)
    assert body["diary_started_on"] is None
    assert not any(row["logged"] for row in body["days"])


# --- Zones in words -----------------------------------------------------------------------------


def test_a_moment_reads_as_the_clock_showed_it_in_the_zone():
    moment = datetime(2026, 6, 10, 7, 48, tzinfo=UTC)
    assert clock_in_zone(moment, "America/New_York") == "03:48 New York time"
    assert clock_in_zone(moment, "Europe/Berlin") == "09:48 Berlin time"
