"""Times belong to the patient: the CSVs' local times and zone, the export files' names and dates, the
dates in explanations, and the reasons of late reminders, all on the patient's clock (issue 14)."""

import csv
import io
from datetime import UTC, datetime, time, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine

from diary import insights
from diary.exports.names import content_disposition, export_filenames, name_slugs
from diary.exports.tabular import local_clock
from diary.models import AccessLogEntry, CareLink, ClaudicationAnswer, Delivery
from diary.services import reminders
from diary.services.records import record_create
from diary.zones import moment_words, offset_label, zone_label
from tests.conftest import response_body
from tests.test_access_matrix import COLLECTIONS

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
# 03:30 UTC on Thursday 3 December 2026: still Wednesday 2 December (22:30) in New York, and Thursday in
# Berlin, where bob works.
NOW = datetime(2026, 12, 3, 3, 30, tzinfo=UTC)
CLINICIAN_EXPORT = "/api/v1/clinician/patients/{patient}/export/"
PATIENT_EXPORT = "/api/v1/export/"


@pytest.fixture
def alice_in_new_york(alice):
    alice.timezone, alice.display_name = "America/New_York", "Alice Smith"
    alice.save(update_fields=["timezone", "display_name"])
    return alice


def at_new_york(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=NEW_YORK)


def log(model: str, patient, **data):
    with time_machine.travel(NOW, tick=False):
        return record_create(model=COLLECTIONS[model], patient=patient, data=data)[0]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response_body(response).decode())))


def csv_header(response) -> list[str]:
    return next(csv.reader(io.StringIO(response_body(response).decode())))


def get_at_now(client, path: str, params=None):
    with time_machine.travel(NOW, tick=False):
        return client.get(path, params or {})


# --- Zones in words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("America/New_York", "New York time"),
        ("Europe/Berlin", "Berlin time"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires time"),
        ("Asia/Ho_Chi_Minh", "Ho Chi Minh time"),
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
        ("Etc/GMT+5", "UTC\u22125"),  # the POSIX sign: Etc/GMT+5 is five hours behind UTC
        ("Etc/GMT-14", "UTC+14"),
    ],
)
def test_a_zone_is_named_by_its_city_else_by_its_offset(zone, label):
    assert zone_label(zone, NOW) == label


def test_a_zone_without_a_city_is_named_by_its_offset_on_that_day():
    assert zone_label("EST5EDT", datetime(2026, 1, 15, tzinfo=UTC)) == "UTC\u22125"
    assert zone_label("EST5EDT", datetime(2026, 7, 15, tzinfo=UTC)) == "UTC\u22124"
    assert offset_label("Asia/Kathmandu", NOW) == "UTC+5:45"
    assert offset_label("Not/A_Zone", NOW) == "Not/A_Zone"


def test_an_instant_in_words_is_on_the_patients_clock_and_says_whose():
    assert moment_words(NOW, "America/New_York") == "22:30 New York time on 2 December 2026"
    assert moment_words(NOW, "Europe/Berlin") == "04:30 Berlin time on 3 December 2026"


# --- The CSVs ------------------------------------------------------------------------------------


def test_the_clinicians_csv_gives_each_time_on_the_patients_clock_with_the_zone(
    as_bob, alice_in_new_york, bob
):
    cramp = log("cramps", alice_in_new_york, started_at=at_new_york(30, 3, 48), woke_from_sleep=True)
    wear = log(
        "compression",
        alice_in_new_york,
        started_at=at_new_york(30, 7, 5),
        ended_at=at_new_york(30, 23, 30),  # 04:30 UTC on 1 December: still 30 November in New York
        pressure_class="20-30",
        garment="knee",
        legs="both",
    )
    drink = log("hydration", alice_in_new_york, taken_at=at_new_york(30, 21, 15), volume_ml=250)
    checkin = log("checkins", alice_in_new_york, recorded_at=at_new_york(30, 20, 0), heaviness=4)

    response = get_at_now(as_bob, CLINICIAN_EXPORT.format(patient=alice_in_new_york.pk), {"format": "csv"})
    assert response.status_code == 200
    rows = {row["id"]: row for row in csv_rows(response)}

    assert rows[str(cramp.pk)]["started_at_local"] == "2026-11-30 03:48"
    assert rows[str(cramp.pk)]["timezone"] == "America/New_York"
    # The UTC instant stays where it was, for the files and scripts that read it.
    assert datetime.fromisoformat(rows[str(cramp.pk)]["started_at"]) == at_new_york(30, 3, 48)
    assert rows[str(wear.pk)]["ended_at_local"] == "2026-11-30 23:30"
    assert rows[str(wear.pk)]["started_at_local"] == "2026-11-30 07:05"
    assert rows[str(drink.pk)]["taken_at_local"] == "2026-11-30 21:15"
    assert rows[str(checkin.pk)]["recorded_at_local"] == "2026-11-30 20:00"
    assert rows[str(checkin.pk)]["started_at_local"] == ""  # a check-in has no start: empty, never made up
    assert {row["timezone"] for row in rows.values()} == {"America/New_York"}

    header = csv_header(response)
    # A medication is dated (started_on, stopped_on: local dates already), so it adds no local column.
    # Then only the record columns added since, last (tabular.ADDED_COLUMNS).
    assert header[-8:] == [
        "timezone",
        "started_at_local",
        "ended_at_local",
        "taken_at_local",
        "recorded_at_local",
        "occurred_at_local",
        "circumference_site_left",
        "circumference_site_right",
    ]
    assert header.index("kind") == 0 and header.index("timezone") > header.index("notes")


def test_a_wear_still_on_has_no_local_end_either(as_bob, alice_in_new_york, bob):
    wear = log(
        "compression",
        alice_in_new_york,
        started_at=at_new_york(30, 7, 5),
        pressure_class="20-30",
        garment="knee",
        legs="both",
    )
    response = get_at_now(as_bob, CLINICIAN_EXPORT.format(patient=alice_in_new_york.pk), {"format": "csv"})
    row = next(row for row in csv_rows(response) if row["id"] == str(wear.pk))
    assert (row["ended_at"], row["ended_at_local"]) == ("", "")


def test_the_patients_own_csv_gives_every_time_on_her_clock(as_alice, alice_in_new_york, bob):
    cramp = log("cramps", alice_in_new_york, started_at=at_new_york(30, 3, 48))
    with time_machine.travel(NOW, tick=False):
        AccessLogEntry.objects.create(
            patient=alice_in_new_york, clinician=bob, clinician_name="Bob", action="read cramps"
        )
    response = get_at_now(as_alice, PATIENT_EXPORT, {"format": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response)

    assert next(row for row in rows if row["id"] == str(cramp.pk))["started_at_local"] == "2026-11-30 03:48"
    read = next(row for row in rows if row["kind"] == "access_log")
    assert (read["at_local"], read["timezone"]) == ("2026-12-02 22:30", "America/New_York")
    link = next(row for row in rows if row["kind"] == "sharing_links")
    assert link["created_at_local"] and link["timezone"] == "America/New_York"
    header = csv_header(response)
    assert len(header) == len(set(header))
    assert header.index("timezone") > header.index("clinician_name")  # after every old column
    # The reminders' own "local_time" (a clock time, "08:00") is a different column and keeps its name.
    assert "local_time" in header and "next_fire_at_local" in header


def test_a_local_time_is_the_instant_read_on_the_zones_clock():
    assert local_clock("2026-11-30T08:48:00Z", NEW_YORK) == "2026-11-30 03:48"
    assert local_clock("2026-12-01T04:30:00+00:00", NEW_YORK) == "2026-11-30 23:30"
    # Daylight saving time: 1 November 2026, 01:30 happens twice in New York; each instant keeps its own.
    assert local_clock("2026-11-01T05:30:00Z", NEW_YORK) == "2026-11-01 01:30"
    assert local_clock("2026-11-01T06:30:00Z", NEW_YORK) == "2026-11-01 01:30"
    assert local_clock(None, NEW_YORK) is None


def test_a_formula_in_a_note_is_still_text_beside_the_local_times(as_bob, alice_in_new_york, bob):
    cramp = log("cramps", alice_in_new_york, started_at=at_new_york(30, 3, 48), notes="=1+1")
    response = get_at_now(as_bob, CLINICIAN_EXPORT.format(patient=alice_in_new_york.pk), {"format": "csv"})
    row = next(row for row in csv_rows(response) if row["id"] == str(cramp.pk))
    assert (row["notes"], row["started_at_local"]) == ("'=1+1", "2026-11-30 03:48")


# --- The files' names ----------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "extension"), [("csv", "csv"), ("fhir", "fhir.json"), ("pdf", "pdf")])
def test_the_clinicians_file_is_named_by_the_patient_and_her_local_date(
    as_bob, alice_in_new_york, bob, fmt, extension
):
    response = get_at_now(as_bob, CLINICIAN_EXPORT.format(patient=alice_in_new_york.pk), {"format": fmt})
    assert response.status_code == 200
    # 2 December in New York, although it is already 3 December in UTC and in bob's Berlin.
    expected = f'attachment; filename="crampwise-alice-smith-2026-12-02.{extension}"'
    assert response["Content-Disposition"] == expected
    assert str(alice_in_new_york.pk) not in response["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_patients_own_file_is_named_by_her_and_her_local_date(as_alice, alice_in_new_york, fmt):
    response = get_at_now(as_alice, PATIENT_EXPORT, {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="crampwise-alice-smith-2026-12-02.{fmt}"'


def filename_star(header: str) -> str | None:
    marker = "filename*=UTF-8''"
    return unquote(header.split(marker, 1)[1]) if marker in header else None


def plain_filename(header: str) -> str:
    return header.split('filename="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("display_name", "plain", "unicode"),
    [
        ("José Müller-Groß", "jose-muller-gross", "josé-müller-groß"),
        ('"Bob" O\'Brien / ../../etc\\passwd', "bob-obrien-etc-passwd", None),
        ("王小明", "alice", "王小明"),  # no ASCII letters: the address's name, the own letters in filename*
        ("🦵💪", "alice", None),  # emoji only: the address's name
        ("Łukasz 🦵 Żółć", "lukasz-zolc", "łukasz-żółć"),
        ("x" * 120, "x" * 40, None),  # the longest name the profile takes
        (
            "Anna Maria Josefina Elisabeth von Hohenzollern-Sigmaringen",
            "anna-maria-josefina-elisabeth-von",
            None,
        ),
        ('=HYPERLINK("http://evil")\r\nSet-Cookie: a=b', "hyperlink-http-evil-set-cookie-a-b", None),
        ("", "alice", None),
    ],
)
def test_an_awkward_name_makes_a_safe_file_name(as_bob, alice, bob, display_name, plain, unicode):
    alice.display_name = display_name
    alice.save(update_fields=["display_name"])
    response = get_at_now(as_bob, CLINICIAN_EXPORT.format(patient=alice.pk), {"format": "csv"})
    assert response.status_code == 200
    header = response["Content-Disposition"]
    # Alice is in Berlin: 04:30 on 3 December there.
    assert plain_filename(header) == f"crampwise-{plain}-2026-12-03.csv"
    assert header.isascii() and "\r" not in header and "\n" not in header
    assert header.count('"') == 2 and "/" not in plain_filename(header) and "\\" not in header
    assert filename_star(header) == (None if unicode is None else f"crampwise-{unicode}-2026-12-03.csv")


def test_the_header_escapes_what_a_quoted_name_cannot_hold():
    assert content_disposition('a"b\\c.csv', 'a"b\\c.csv') == 'attachment; filename="a\\"b\\\\c.csv"'
    assert (
        content_disposition("x.csv", "é.csv") == "attachment; filename=\"x.csv\"; filename*=UTF-8''%C3%A9.csv"
    )


def test_names_keep_their_letters_and_lose_the_rest():
    assert name_slugs("Ana-Lucía  d’Ávila") == ("ana-lucia-davila", "ana-lucía-dávila")
    assert name_slugs("प्रिया शर्मा") == ("", "प्रिया-शर्मा")  # the vowel signs are kept
    assert name_slugs("🦵") == ("", "")


def test_the_date_of_a_file_name_is_the_patients_day(alice_in_new_york):
    before_midnight = datetime(2026, 12, 3, 4, 59, tzinfo=UTC)  # 23:59 on 2 December in New York
    assert export_filenames(alice_in_new_york, extension="csv", now=before_midnight)[0].endswith(
        "-2026-12-02.csv"
    )
    after = before_midnight + timedelta(minutes=1)
    assert export_filenames(alice_in_new_york, extension="csv", now=after)[0].endswith("-2026-12-03.csv")


# --- Who may have the files ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "fhir", "pdf"])
def test_dave_cannot_export_alices_diary_nor_learn_her_name(as_dave, alice_in_new_york, fmt):
    response = get_at_now(as_dave, CLINICIAN_EXPORT.format(patient=alice_in_new_york.pk), {"format": fmt})
    assert response.status_code == 404
    assert "Content-Disposition" not in response
    assert b"alice" not in response.content.lower()
    assert not AccessLogEntry.objects.filter(patient=alice_in_new_york).exists()


@pytest.mark.parametrize("fmt", ["csv", "fhir", "pdf"])
def test_carol_cannot_export_alices_diary(as_carol, alice_in_new_york, fmt):
    response = get_at_now(as_carol, CLINICIAN_EXPORT.format(patient=alice_in_new_york.pk), {"format": fmt})
    assert response.status_code in (403, 404)  # a patient is refused the clinician's export outright
    assert "Content-Disposition" not in response
    assert b"alice" not in response.content.lower()


def test_carols_own_export_is_hers_alone(as_carol, carol, alice_in_new_york):
    log("cramps", alice_in_new_york, started_at=at_new_york(30, 3, 48), notes="alice's own note")
    response = get_at_now(as_carol, PATIENT_EXPORT, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="crampwise-carol-2026-12-02.csv"'
    assert "alice" not in response.content.decode().lower()


def test_a_revoked_link_stops_the_named_export(as_bob, alice_in_new_york, bob):
    CareLink.objects.filter(patient=alice_in_new_york, clinician=bob).delete()
    response = get_at_now(as_bob, CLINICIAN_EXPORT.format(patient=alice_in_new_york.pk), {"format": "csv"})
    assert response.status_code == 404


# --- Where the clinician's views find the patient's zone -----------------------------------------


def test_the_clinicians_list_and_links_carry_the_patients_zone(as_bob, alice_in_new_york, bob):
    patients = as_bob.get("/api/v1/clinician/patients/").json()["results"]
    assert [(p["id"], p["timezone"]) for p in patients] == [(str(alice_in_new_york.pk), "America/New_York")]
    links = as_bob.get("/api/v1/sharing/links/").json()["results"]
    assert [link["patient_timezone"] for link in links] == ["America/New_York"]


def test_dave_and_carol_see_no_zone_of_alices(as_dave, as_carol, alice_in_new_york, bob):
    assert as_dave.get("/api/v1/clinician/patients/").json()["results"] == []
    assert as_dave.get("/api/v1/sharing/links/").json()["results"] == []
    assert as_carol.get("/api/v1/clinician/patients/").status_code == 403
    assert as_carol.get("/api/v1/sharing/links/").json()["results"] == []


# --- Dates in explanations -----------------------------------------------------------------------


def claudication_facts(answered_at: datetime, zone: str) -> insights.PatientFacts:
    now = answered_at + timedelta(days=3)
    return insights.PatientFacts(
        today=now.astimezone(ZoneInfo(zone)).date(),
        now=now,
        claudication=insights.ClaudicationFact(answered_at=answered_at.astimezone(UTC), result="definite"),
        timezone=zone,
    )


def test_a_questionnaire_answered_late_in_the_evening_is_dated_that_evening():
    # 23:30 on 2 December in Los Angeles is 07:30 on 3 December in UTC.
    answered = datetime(2026, 12, 2, 23, 30, tzinfo=LOS_ANGELES)
    insight = insights.rule_arterial_evaluation(claudication_facts(answered, "America/Los_Angeles"))
    assert "walking questionnaire on 2 December " in insight.explanation
    assert "3 December" not in insight.explanation


def test_the_same_instant_is_the_next_day_for_a_patient_in_berlin():
    answered = datetime(2026, 12, 2, 23, 30, tzinfo=LOS_ANGELES)  # 08:30 on 3 December in Berlin
    insight = insights.rule_arterial_evaluation(claudication_facts(answered, "Europe/Berlin"))
    assert "walking questionnaire on 3 December " in insight.explanation


def test_the_insights_api_dates_the_questionnaire_on_the_patients_day(as_alice, as_bob, alice, bob):
    alice.timezone = "America/Los_Angeles"
    alice.save(update_fields=["timezone"])
    answered = datetime(2026, 12, 2, 23, 30, tzinfo=LOS_ANGELES)
    ClaudicationAnswer.objects.create(
        patient=alice,
        answered_at=answered,
        walking_pain="yes",
        locations=["calf"],
        result="definite",
        grade=1,
    )
    for client, path in (
        (as_alice, "/api/v1/insights/"),
        (as_bob, f"/api/v1/clinician/patients/{alice.pk}/insights/"),
    ):
        with time_machine.travel(answered + timedelta(days=2), tick=False):
            body = client.get(path).json()
        arterial = next(i for i in body if i["code"] == "arterial_evaluation")
        assert "questionnaire on 2 December " in arterial["explanation"], path


# --- Reasons shown to the patient ----------------------------------------------------------------


def test_a_late_reminders_reason_is_on_the_patients_clock(as_alice, alice_in_new_york):
    seven_in_new_york = datetime(2026, 12, 2, 7, 0, tzinfo=NEW_YORK)
    with time_machine.travel(seven_in_new_york - timedelta(hours=1), tick=False):
        reminders.reminder_create(
            patient=alice_in_new_york,
            data={
                "kind": "hydration",
                "local_time": time(7, 0),
                "weekdays": list(range(7)),
                "channels": ["push"],
            },
        )
    with time_machine.travel(seven_in_new_york + timedelta(hours=5), tick=False):
        reminders.dispatch_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "skipped"
    assert delivery.reason == (
        "late: due at 07:00 New York time on 2 December 2026, while the reminder service was not running"
    )
    listed = as_alice.get("/api/v1/reminders/deliveries/").json()["results"]
    assert [d["reason"] for d in listed] == [delivery.reason]
    assert "UTC" not in delivery.reason
