"""A record keeps the zone it was lived in (issue 21, docs/decisions/0037): its local date, night and
nocturnal flag derive from it, and a move of the profile's zone leaves them as they were."""

import csv
import importlib
import io
import json
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from diary.insights import clinician_explanation, evaluate
from diary.kinds import KINDS
from diary.models import CheckIn, CrampEpisode, Hydration
from diary.selectors.facts import patient_facts
from diary.services.records import derive_fields
from tests.conftest import make_user, response_body

pytestmark = pytest.mark.django_db

BERLIN, TOKYO = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo")
NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
# After both 2026 changes of the clocks on either side of the Atlantic, so that every entry is past.
AFTER_THE_CHANGES = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("UTC"))
CLINICIAN_EXPORT = "/api/v1/clinician/patients/{patient}/export/"


def post(client, collection: str, **body):
    return client.post(f"/api/v1/{collection}/", body, format="json")


def cramp(client, at: datetime, **fields):
    response = post(client, "cramps", started_at=at.isoformat(), **{"activity": "resting", **fields})
    assert response.status_code == 201, response.json()
    return CrampEpisode.objects.get(pk=response.json()["id"])


def move(client, zone: str):
    response = client.patch("/api/v1/profile/", {"timezone": zone}, format="json")
    assert response.status_code == 200


def derived(record) -> tuple:
    record.refresh_from_db()
    fields = (record.timezone, record.local_date)
    return fields + ((record.night, record.is_nocturnal) if isinstance(record, CrampEpisode) else ())


# --- Berlin → Tokyo -------------------------------------------------------------------------------


def recent_day(days_ago: int) -> date:
    return timezone.localdate(timezone=BERLIN) - timedelta(days=days_ago)


def test_an_evening_cramp_in_berlin_stays_a_day_cramp_after_alice_moves_to_tokyo(as_alice, alice):
    evening = datetime.combine(recent_day(3), time(20), tzinfo=BERLIN)  # 04:00 the next day in Tokyo
    record = cramp(as_alice, evening)
    before = derived(record)
    assert before == ("Europe/Berlin", recent_day(3), recent_day(3), False)

    move(as_alice, "Asia/Tokyo")

    assert derived(record) == before
    listed = as_alice.get("/api/v1/cramps/").json()["results"][0]
    assert (listed["timezone"], listed["night"], listed["is_nocturnal"]) == (
        "Europe/Berlin",
        str(recent_day(3)),
        False,
    )


def nights_of_cramps_with_visible_veins(client, nights: int) -> None:
    """Night cramps (asleep, 03:00 Berlin) on `nights` nights before the evening of recent_day(3), and a
    check-in with visible veins: one night short of venous_evaluation's eight."""
    for days_ago in range(4, 4 + nights):
        cramp(client, datetime.combine(recent_day(days_ago), time(3), tzinfo=BERLIN), activity="sleeping")
    response = post(
        client, "checkins", recorded_at=datetime.combine(recent_day(1), time(8), tzinfo=BERLIN).isoformat()
    )
    assert response.status_code == 201
    CheckIn.objects.filter(pk=response.json()["id"]).update(visible_veins=True)


def insight_codes(client) -> set[str]:
    return {item["code"] for item in client.get("/api/v1/insights/").json()}


def test_venous_evaluation_does_not_fire_from_a_berlin_evening_cramp_after_the_move_to_tokyo(as_alice, alice):
    nights_of_cramps_with_visible_veins(as_alice, 7)
    cramp(as_alice, datetime.combine(recent_day(3), time(20), tzinfo=BERLIN))  # resting, by day in Berlin

    move(as_alice, "Asia/Tokyo")

    # In Tokyo it would be 04:00, in the night window: an eighth night cramp, after the fact.
    assert CrampEpisode.objects.filter(patient=alice, is_nocturnal=True).count() == 7
    assert "venous_evaluation" not in insight_codes(as_alice)


def test_an_eighth_night_cramp_really_lived_in_tokyo_still_fires_venous_evaluation(as_alice, alice):
    # The counterpart: the rule fires from the same diary when the eighth night cramp was lived at night.
    nights_of_cramps_with_visible_veins(as_alice, 7)
    move(as_alice, "Asia/Tokyo")
    cramp(as_alice, datetime.combine(recent_day(2), time(4), tzinfo=TOKYO))  # resting, in the night window

    assert "venous_evaluation" in insight_codes(as_alice)


# --- New York → London, the clocks changing on either side ----------------------------------------


def test_records_logged_in_new_york_around_both_changes_of_the_clocks_keep_their_dates_in_london(
    as_alice, alice
):
    alice.timezone = "America/New_York"
    alice.save(update_fields=["timezone"])
    with time_machine.travel(AFTER_THE_CHANGES, tick=False):
        # 8 March: New York has sprung forward (EDT) and London not yet (GMT). 08:30 EDT is 12:30 in
        # London: another night there, and the evening's.
        spring = cramp(as_alice, datetime(2026, 3, 8, 8, 30, tzinfo=NEW_YORK))
        # 28 March, 21:00 EDT: 01:00 UTC on the 29th, the instant London springs forward; another date.
        drink = post(
            as_alice,
            "hydration",
            taken_at=datetime(2026, 3, 28, 21, 0, tzinfo=NEW_YORK).isoformat(),
            volume_ml=250,
        )
        drink = Hydration.objects.get(pk=drink.json()["id"])
        # 1 November, 02:30 EST (New York fell back at 02:00; London a week before): 07:30 in London, past
        # the night window there, in it in New York. Sent with its zone, as the PWA does.
        autumn = cramp(as_alice, datetime(2026, 11, 1, 2, 30, tzinfo=NEW_YORK), timezone="America/New_York")
        lived = [derived(spring), derived(drink), derived(autumn)]
        assert lived == [
            ("America/New_York", date(2026, 3, 8), date(2026, 3, 7), False),
            ("America/New_York", date(2026, 3, 28)),
            ("America/New_York", date(2026, 11, 1), date(2026, 10, 31), True),
        ]

        move(as_alice, "Europe/London")

        assert [derived(spring), derived(drink), derived(autumn)] == lived
        trends = as_alice.get("/api/v1/trends/", {"days": 365}).json()["days"]
    fluid = {day["date"]: day["fluid_ml"] for day in trends}
    assert fluid["2026-03-28"] == 250  # the day it was drunk, not London's 29 March


def test_a_record_logged_in_london_after_the_move_is_dated_in_london(as_alice, alice):
    alice.timezone = "America/New_York"
    alice.save(update_fields=["timezone"])
    with time_machine.travel(AFTER_THE_CHANGES, tick=False):
        move(as_alice, "Europe/London")
        record = cramp(as_alice, datetime(2026, 3, 8, 12, 30, tzinfo=LONDON))
    assert derived(record) == ("Europe/London", date(2026, 3, 8), date(2026, 3, 8), False)


# --- Which zone a create takes --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.segment)
def test_a_post_without_a_zone_takes_the_profiles_at_the_time_of_the_create(as_alice, alice, kind):
    first = post(as_alice, kind.segment, **kind.example(timezone.now() - timedelta(hours=2), alice))
    move(as_alice, "Asia/Tokyo")
    second = post(as_alice, kind.segment, **kind.example(timezone.now() - timedelta(hours=1), alice))

    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["timezone"], second.json()["timezone"]) == ("Europe/Berlin", "Asia/Tokyo")
    assert kind.model.objects.get(pk=first.json()["id"]).timezone == "Europe/Berlin"


def test_a_cramp_from_a_phone_in_tokyo_is_dated_in_tokyo_whatever_the_profile_says(as_alice, alice):
    at = datetime(2026, 7, 1, 23, 30, tzinfo=TOKYO)  # 16:30 in Berlin
    with time_machine.travel(AFTER_THE_CHANGES, tick=False):
        record = cramp(as_alice, at, timezone="Asia/Tokyo")
    assert derived(record) == ("Asia/Tokyo", date(2026, 7, 1), date(2026, 7, 1), True)


def test_a_patch_of_the_zone_re_derives_that_record_only(as_alice, alice):
    with time_machine.travel(AFTER_THE_CHANGES, tick=False):
        moved = cramp(as_alice, datetime(2026, 7, 1, 16, 30, tzinfo=BERLIN))
        stays = cramp(as_alice, datetime(2026, 7, 2, 16, 30, tzinfo=BERLIN))
        response = as_alice.patch(f"/api/v1/cramps/{moved.pk}/", {"timezone": "Asia/Tokyo"}, format="json")
    assert response.status_code == 200
    assert response.json()["timezone"] == "Asia/Tokyo"
    assert derived(moved) == ("Asia/Tokyo", date(2026, 7, 1), date(2026, 7, 1), True)  # 23:30 in Tokyo
    assert derived(stays) == ("Europe/Berlin", date(2026, 7, 2), date(2026, 7, 2), False)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", None, "europe/berlin", "Europe/Berlin\x00", 3])
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.segment)
def test_an_unknown_zone_is_a_400_naming_timezone_on_a_post_and_a_patch(as_alice, alice, kind, zone):
    body = kind.example(timezone.now() - timedelta(hours=1), alice)
    response = post(as_alice, kind.segment, **body, timezone=zone)
    assert response.status_code == 400
    assert list(response.json()) == ["timezone"]
    assert not kind.model.objects.exists()

    created = post(as_alice, kind.segment, **body).json()
    response = as_alice.patch(f"/api/v1/{kind.segment}/{created['id']}/", {"timezone": zone}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["timezone"]
    assert kind.model.objects.get(pk=created["id"]).timezone == "Europe/Berlin"


# --- Replays of offline creates -------------------------------------------------------------------


def replay_body(**fields) -> dict:
    at = (timezone.now() - timedelta(hours=3)).isoformat()
    return {"id": str(uuid.uuid4()), "started_at": at, "severity": 5, **fields}


def test_a_replay_without_a_zone_after_the_profile_moved_is_still_a_replay(as_alice, alice):
    body = replay_body()
    assert post(as_alice, "cramps", **body).status_code == 201
    move(as_alice, "Asia/Tokyo")

    replay = post(as_alice, "cramps", **body)

    assert replay.status_code == 200
    assert replay.json()["timezone"] == "Europe/Berlin"  # the zone of the first create, kept
    assert CrampEpisode.objects.filter(patient=alice).count() == 1


def test_a_replay_with_the_zone_it_was_sent_with_is_a_replay_and_another_zone_a_conflict(as_alice, alice):
    body = replay_body(timezone="Asia/Tokyo")
    assert post(as_alice, "cramps", **body).status_code == 201
    assert post(as_alice, "cramps", **body).status_code == 200
    assert post(as_alice, "cramps", **{**body, "timezone": "Europe/Berlin"}).status_code == 409
    assert CrampEpisode.objects.get(pk=body["id"]).timezone == "Asia/Tokyo"


def test_a_create_queued_before_the_pwa_sent_zones_replays_alike(as_alice, alice):
    # A body without `timezone` fingerprints as before the field existed: a create waiting in an old
    # PWA's queue, sent again after the update, is recognised.
    from diary.services.records import request_fingerprint

    body = replay_body()
    post(as_alice, "cramps", **body)
    record = CrampEpisode.objects.get(pk=body["id"])
    sent = {key: value for key, value in body.items() if key != "id"}
    sent.update(duration_seconds=None, muscle=None, side=None, activity=None)  # not said, as the view fills
    sent["started_at"] = datetime.fromisoformat(sent["started_at"])
    assert record.create_fingerprint == request_fingerprint(sent)


# --- The migration's fill -------------------------------------------------------------------------


def test_the_migration_fills_each_records_zone_from_its_patients_profile(alice, carol):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot drop a NOT NULL in place: there the fill runs in the migration only")
    fill = importlib.import_module("diary.migrations.0017_record_timezone").fill_record_timezones
    at = timezone.now() - timedelta(hours=1)
    alices = CrampEpisode.objects.create(
        patient=alice,
        timezone="UTC",
        started_at=at,
        local_date=at.date(),
        night=at.date(),
        is_nocturnal=False,
    )
    carols = Hydration.objects.create(
        patient=carol, timezone="UTC", taken_at=at, local_date=at.date(), volume_ml=1
    )
    kept = Hydration.objects.create(
        patient=alice, timezone="Asia/Tokyo", taken_at=at, local_date=at.date(), volume_ml=2
    )
    with connection.schema_editor(atomic=True) as editor:
        editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the inserts' deferred checks, done before ALTER
        # As the migration finds the rows: the column just added, null in every old one.
        for model in (CrampEpisode, Hydration):
            editor.execute(
                f"ALTER TABLE {editor.quote_name(model._meta.db_table)} ALTER COLUMN timezone DROP NOT NULL"
            )
        CrampEpisode.objects.filter(pk=alices.pk).update(timezone=None)
        Hydration.objects.filter(pk=carols.pk).update(timezone=None)
        fill(apps, editor)

    assert derived(alices)[0] == "Europe/Berlin"
    assert derived(carols)[0] == "America/New_York"
    assert derived(kept)[0] == "Asia/Tokyo"  # a zone already there is left alone


# --- Staff re-derive on purpose -------------------------------------------------------------------


@pytest.fixture
def staff(db):
    return make_user("sam@example.com", "clinician", is_staff=True, timezone="Europe/Berlin")


def test_staff_move_the_records_a_wrongly_set_phone_logged_and_the_admin_log_says_so(as_alice, alice, staff):
    with time_machine.travel(AFTER_THE_CHANGES, tick=False):
        # The phone said Berlin for a week in Tokyo: 16:30 "Berlin" was 23:30 in Tokyo.
        in_tokyo = cramp(as_alice, datetime(2026, 7, 1, 16, 30, tzinfo=BERLIN))
        at_home = cramp(as_alice, datetime(2026, 7, 20, 16, 30, tzinfo=BERLIN))
        out = io.StringIO()
        call_command(
            "rezone_records",
            "alice@example.com",
            "--staff=sam@example.com",
            "--zone=Asia/Tokyo",
            "--since=2026-06-30T00:00+09:00",
            "--until=2026-07-07T00:00+09:00",
            stdout=out,
        )

    assert "1 records" in out.getvalue()
    assert derived(in_tokyo) == ("Asia/Tokyo", date(2026, 7, 1), date(2026, 7, 1), True)
    assert derived(at_home) == ("Europe/Berlin", date(2026, 7, 20), date(2026, 7, 20), False)
    entry = LogEntry.objects.get(object_id=str(alice.pk))
    assert entry.user == staff
    assert "Moved 1 records" in entry.change_message and "Asia/Tokyo" in entry.change_message


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--staff=sam@example.com", "--zone=Mars/Olympus"], "not a known IANA time zone"),
        (["--staff=alice@example.com"], "No active staff account"),
        (["--staff=sam@example.com", "--since=2026-07-01T00:00"], "needs its offset"),
    ],
)
def test_the_staff_tool_refuses_an_unknown_zone_someone_not_staff_and_a_time_without_offset(
    as_alice, alice, staff, arguments, says
):
    record = cramp(as_alice, timezone.now() - timedelta(hours=1))
    before = derived(record)
    with pytest.raises(CommandError, match=says):
        call_command("rezone_records", "alice@example.com", *arguments)
    assert derived(record) == before
    assert not LogEntry.objects.exists()


def test_the_admin_action_re_derives_each_record_in_its_own_zone(as_alice, alice, staff, client):
    with time_machine.travel(AFTER_THE_CHANGES, tick=False):
        record = cramp(as_alice, datetime(2026, 7, 1, 23, 30, tzinfo=TOKYO), timezone="Asia/Tokyo")
    # Rows written around the services (an import, a repair by hand) that left the derived fields wrong.
    CrampEpisode.objects.filter(pk=record.pk).update(night=date(2026, 6, 1), is_nocturnal=False)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    response = client.post(
        "/admin/diary/user/", {"action": "rederive_records", "_selected_action": [str(alice.pk)]}, follow=True
    )

    assert response.status_code == 200
    assert derived(record) == ("Asia/Tokyo", date(2026, 7, 1), date(2026, 7, 1), True)
    assert LogEntry.objects.filter(object_id=str(alice.pk), user=staff).count() == 1


# --- Exports and the clinician --------------------------------------------------------------------


@pytest.fixture
def moved_alice(as_alice, alice):
    """Alice logged an evening in Berlin, moved to Tokyo and logged one there."""
    with time_machine.travel(AFTER_THE_CHANGES, tick=False):
        berlin = cramp(as_alice, datetime(2026, 7, 1, 20, 0, tzinfo=BERLIN))
        move(as_alice, "Asia/Tokyo")
        tokyo = cramp(as_alice, datetime(2026, 7, 10, 20, 0, tzinfo=TOKYO))
    return berlin, tokyo


@pytest.mark.dbsensitive
def test_the_csv_shows_each_record_on_the_clock_of_its_own_zone(as_bob, moved_alice):
    berlin, tokyo = moved_alice
    response = as_bob.get(CLINICIAN_EXPORT.format(patient=berlin.patient_id), {"format": "csv"})
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(response_body(response).decode()))}
    assert (rows[str(berlin.pk)]["timezone"], rows[str(berlin.pk)]["started_at_local"]) == (
        "Europe/Berlin",
        "2026-07-01 20:00",
    )
    assert (rows[str(tokyo.pk)]["timezone"], rows[str(tokyo.pk)]["started_at_local"]) == (
        "Asia/Tokyo",
        "2026-07-10 20:00",
    )


def test_the_fhir_bundle_gives_each_record_the_offset_of_its_own_zone(as_bob, moved_alice):
    berlin, tokyo = moved_alice
    response = as_bob.get(CLINICIAN_EXPORT.format(patient=berlin.patient_id), {"format": "fhir"})
    resources = {
        entry["resource"]["id"]: entry["resource"] for entry in json.loads(response_body(response))["entry"]
    }
    assert resources[str(berlin.pk)]["effectiveDateTime"] == "2026-07-01T20:00:00+02:00"
    assert resources[str(tokyo.pk)]["effectiveDateTime"] == "2026-07-10T20:00:00+09:00"


def test_the_patients_own_export_names_each_records_zone(as_alice, moved_alice):
    berlin, tokyo = moved_alice
    body = as_alice.get("/api/v1/export/", {"format": "json"}).json()
    assert {row["id"]: row["timezone"] for row in body["cramps"]} == {
        str(berlin.pk): "Europe/Berlin",
        str(tokyo.pk): "Asia/Tokyo",
    }


def test_bob_reads_each_records_zone_and_carol_and_dave_read_nothing_of_alice(
    as_bob, as_carol, as_dave, moved_alice
):
    berlin, _tokyo = moved_alice
    listed = as_bob.get(f"/api/v1/clinician/patients/{berlin.patient_id}/cramps/").json()["results"]
    assert {row["timezone"] for row in listed} == {"Europe/Berlin", "Asia/Tokyo"}
    assert as_carol.get(f"/api/v1/cramps/{berlin.pk}/").status_code == 404
    assert (
        as_carol.patch(f"/api/v1/cramps/{berlin.pk}/", {"timezone": "UTC"}, format="json").status_code == 404
    )
    assert as_dave.get(f"/api/v1/clinician/patients/{berlin.patient_id}/cramps/").status_code == 404
    assert derived(berlin)[0] == "Europe/Berlin"


def test_a_record_built_without_a_zone_takes_the_profiles_when_derived(alice):
    # As a bulk load or a script builds rows (bench/, the demo): lived in the profile's zone, never "".
    cramp = CrampEpisode(patient=alice, started_at=datetime(2026, 6, 10, 22, 30, tzinfo=ZoneInfo("UTC")))
    derive_fields(cramp, alice)
    assert cramp.timezone == "Europe/Berlin"
    assert cramp.local_date == date(2026, 6, 11)


def test_the_clinicians_words_give_a_check_in_on_the_clock_it_was_lived_on_after_a_move(as_alice, alice):
    with time_machine.travel(AFTER_THE_CHANGES, tick=False):
        logged = post(
            as_alice,
            "checkins",
            recorded_at=datetime(2026, 11, 30, 20, 0, tzinfo=BERLIN).isoformat(),
            swelling_left=2,
            swelling_right=0,
            calf_pain_or_tenderness=True,
        )
        assert logged.status_code == 201, logged.json()
        move(as_alice, "Asia/Tokyo")
        alice.refresh_from_db()
        insight = next(i for i in evaluate(patient_facts(alice)) if i.code == "swollen_painful_leg")
    assert insight.evidence["timezone"] == "Europe/Berlin"
    words = clinician_explanation(insight, time_zone=alice.timezone)
    assert "30 Nov 2026, 20:00 Berlin time" in words
    assert "Tokyo" not in words
