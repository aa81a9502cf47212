"""Night attribution and nocturnal cramps, by the rule in PRODUCT.md, in the patient's own zone."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from diary.models import CrampEpisode, Hydration
from diary.nights import in_window, is_nocturnal, night_of
from diary.services.records import record_create

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = {"night_start": time(22, 0), "night_end": time(7, 0)}


def at(text: str, zone=BERLIN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


@pytest.mark.parametrize(
    ("local", "night"),
    [
        ("2026-03-10 12:00", date(2026, 3, 10)),
        ("2026-03-10 23:59", date(2026, 3, 10)),
        ("2026-03-11 00:00", date(2026, 3, 10)),
        ("2026-03-11 11:59", date(2026, 3, 10)),
        ("2026-03-11 12:00", date(2026, 3, 11)),
    ],
)
def test_a_night_runs_from_noon_to_noon_by_the_clock(local, night):
    assert night_of(at(local)) == night


def test_the_clock_decides_also_on_the_day_clocks_spring_forward():
    # Europe/Berlin skips 02:00-03:00 on 2026-03-29; 11:59 is still the night before.
    assert night_of(at("2026-03-29 11:59")) == date(2026, 3, 28)
    assert night_of(at("2026-03-29 12:00")) == date(2026, 3, 29)


def test_the_clock_decides_also_on_the_day_clocks_fall_back():
    assert night_of(at("2026-10-25 02:30").replace(fold=1)) == date(2026, 10, 24)


@pytest.mark.parametrize(
    ("clock", "inside"),
    [
        (time(21, 59), False),
        (time(22, 0), True),
        (time(3, 0), True),
        (time(6, 59), True),
        (time(7, 0), False),
    ],
)
def test_a_night_window_spans_midnight(clock, inside):
    assert in_window(clock, time(22, 0), time(7, 0)) is inside


def test_a_window_inside_one_day_is_plain():
    assert in_window(time(14, 0), time(13, 0), time(15, 0))
    assert not in_window(time(16, 0), time(13, 0), time(15, 0))


@pytest.mark.parametrize(
    ("local", "woke", "activity", "nocturnal"),
    [
        ("2026-03-10 15:00", True, "resting", True),
        ("2026-03-10 15:00", False, "sleeping", True),
        ("2026-03-10 23:30", False, "resting", True),
        ("2026-03-10 15:00", False, "walking", False),
        ("2026-03-10 07:00", False, "standing", False),
    ],
)
def test_a_cramp_is_nocturnal_if_it_woke_came_asleep_or_fell_in_the_window(local, woke, activity, nocturnal):
    result = is_nocturnal(local=at(local), woke_from_sleep=woke, activity=activity, **NIGHT)
    assert result is nocturnal


def cramp(patient, started_at: datetime, activity: str = "resting") -> CrampEpisode:
    data = {
        "started_at": started_at,
        "duration_seconds": 60,
        "severity": 5,
        "muscle": "calf",
        "side": "left",
        "activity": activity,
    }
    return record_create(model=CrampEpisode, patient=patient, data=data)[0]


@pytest.mark.django_db
@pytest.mark.dbsensitive
def test_a_stored_cramp_gets_its_night_in_the_patients_zone(alice):
    # 01:30 UTC is 02:30 in Berlin (winter): the night of the day before, and nocturnal.
    record = cramp(alice, datetime(2026, 1, 15, 1, 30, tzinfo=ZoneInfo("UTC")))
    record.refresh_from_db()
    assert record.night == date(2026, 1, 14)
    assert record.is_nocturnal is True
    assert record.local_date == date(2026, 1, 15)


@pytest.mark.django_db
@pytest.mark.dbsensitive
def test_the_same_diary_in_tokyo_and_los_angeles_gives_the_same_nights(alice, carol):
    alice.timezone, carol.timezone = "Asia/Tokyo", "America/Los_Angeles"
    alice.save()
    carol.save()
    local_times = ["2026-07-01 23:10", "2026-07-02 03:40", "2026-07-02 13:00", "2026-07-03 11:59"]
    for text in local_times:
        cramp(alice, at(text, ZoneInfo("Asia/Tokyo")))
        cramp(carol, at(text, ZoneInfo("America/Los_Angeles")))

    def nights(patient):
        return list(
            CrampEpisode.objects.filter(patient=patient)
            .order_by("started_at")
            .values_list("night", "is_nocturnal")
        )

    assert nights(alice) == nights(carol)
    assert [night for night, _ in nights(alice)] == [
        date(2026, 7, 1),
        date(2026, 7, 1),
        date(2026, 7, 2),
        date(2026, 7, 2),
    ]


@pytest.mark.django_db
@pytest.mark.dbsensitive
def test_changing_zone_leaves_stored_entries_and_a_night_window_recounts_them_in_their_own_zone(
    as_alice, alice
):
    record = cramp(alice, datetime(2026, 1, 15, 11, 30, tzinfo=ZoneInfo("UTC")))
    drink = record_create(
        model=Hydration,
        patient=alice,
        data={"taken_at": datetime(2026, 1, 15, 23, 30, tzinfo=ZoneInfo("UTC")), "volume_ml": 200},
    )[0]
    record.refresh_from_db()
    assert (record.night, record.is_nocturnal) == (date(2026, 1, 15), False)  # 12:30 in Berlin

    response = as_alice.patch("/api/v1/profile/", {"timezone": "America/New_York"})
    assert response.status_code == 200

    # Lived in Berlin: 06:30 in New York would be the night before and nocturnal, but it was not lived there.
    record.refresh_from_db()
    drink.refresh_from_db()
    assert (record.timezone, record.night, record.is_nocturnal) == ("Europe/Berlin", date(2026, 1, 15), False)
    assert (drink.timezone, drink.local_date) == ("Europe/Berlin", date(2026, 1, 16))  # 00:30 in Berlin

    # The window is a definition: it recounts, on the Berlin clock the cramp was lived on (12:30).
    as_alice.patch("/api/v1/profile/", {"night_start": "12:00", "night_end": "13:00"})
    record.refresh_from_db()
    assert record.is_nocturnal is True
    as_alice.patch("/api/v1/profile/", {"night_start": "06:00", "night_end": "07:00"})
    record.refresh_from_db()
    assert record.is_nocturnal is False
