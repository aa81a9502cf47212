"""Insights over HTTP: urgent warnings in the check-in's own response, the lists, the clinician's triage
order, and the per-patient summaries kept current."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.models import AccessLogEntry, CareLink, CheckIn, CrampEpisode, PatientSummary, Role, User
from diary.services.records import record_create
from diary.services.summaries import SHOWN_REFRESH_LIMIT, summary_refresh
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def ago(**delta) -> str:
    return (timezone.now() - timedelta(**delta)).isoformat()


ONE_SWOLLEN_PAINFUL_CALF = {
    "swelling_left": 3,
    "swelling_right": 0,
    "circumference_left_cm": 41.5,
    "circumference_right_cm": 37.0,
    "calf_pain_or_tenderness": True,
    "sudden_onset": True,
    "redness_or_warmth": True,
}


def codes(insights: list) -> list[str]:
    return [insight["code"] for insight in insights]


def test_a_checkin_with_a_one_sided_painful_swelling_warns_in_its_own_response(as_alice):
    response = as_alice.post("/api/v1/checkins/", {"recorded_at": ago(minutes=1), **ONE_SWOLLEN_PAINFUL_CALF})
    assert response.status_code == 201
    [warning] = response.json()["insights"]
    assert warning["code"] == "urgent_dvt_warning"
    assert warning["level"] == "urgent"
    assert "today" in warning["explanation"].lower()


def test_a_checkin_with_chest_pain_tells_the_patient_to_call_the_emergency_number(as_alice):
    body = {"recorded_at": ago(minutes=1), "sudden_chest_pain_or_breathlessness": True}
    insights = as_alice.post("/api/v1/checkins/", body).json()["insights"]
    assert codes(insights) == ["emergency_warning"]
    assert "emergency" in insights[0]["explanation"].lower()


def test_bilateral_painless_swelling_raises_no_warning(as_alice):
    body = {"recorded_at": ago(minutes=1), "swelling_left": 2, "swelling_right": 2, "heaviness": 6}
    assert as_alice.post("/api/v1/checkins/", body).json()["insights"] == []


# An item of /insights/, as the patient reads it.
INSIGHT_FIELDS = {
    "code",
    "level",
    "title",
    "explanation",
    "evidence",
    "first_seen",
    "last_seen",
    "acknowledged_at",
    "acknowledgement",
}


def test_the_insights_list_is_plain_and_most_urgent_first(as_alice):
    as_alice.post("/api/v1/checkins/", {"recorded_at": ago(hours=3), "skin_changes": True})
    as_alice.post("/api/v1/checkins/", {"recorded_at": ago(hours=1), **ONE_SWOLLEN_PAINFUL_CALF})

    body = as_alice.get("/api/v1/insights/").json()

    assert isinstance(body, list)
    assert codes(body)[:2] == ["urgent_dvt_warning", "skin_changes"]
    assert set(body[0]) == INSIGHT_FIELDS


def test_a_quiet_diary_has_no_insights(as_alice):
    as_alice.post("/api/v1/checkins/", {"recorded_at": ago(hours=5), "cramps_last_night": "none"})
    assert as_alice.get("/api/v1/insights/").json() == []


def test_trends_carry_the_associations_over_observed_nights(as_alice):
    body = as_alice.get("/api/v1/trends/", {"days": 28}).json()
    assert len(body["days"]) == 28
    assert set(body["associations"]) == {"compression", "hydration"}


@pytest.mark.parametrize("days", [0, 3651, "many", -5])
def test_trends_take_one_to_3650_days(as_alice, days):
    response = as_alice.get("/api/v1/trends/", {"days": days})
    assert response.status_code == 400
    assert "days" in response.json()


def test_a_clinician_reads_trends_and_insights_and_each_read_is_logged(as_bob, as_alice, alice):
    assert as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/trends/").status_code == 200
    assert as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/insights/").status_code == 200
    actions = list(AccessLogEntry.objects.filter(patient=alice).values_list("action", flat=True))
    assert sorted(actions) == ["read insights", "read trends"]


def night_cramp(patient, days_ago: int):
    moment = timezone.now() - timedelta(days=days_ago)
    return record_create(
        model=CrampEpisode,
        patient=patient,
        data={
            "started_at": moment,
            "duration_seconds": 100,
            "severity": 6,
            "muscle": "calf",
            "side": "right",
            "activity": "sleeping",
            "woke_from_sleep": True,
        },
    )[0]


def test_insight_queries_do_not_grow_with_entries(as_alice, alice):
    def queries(days: int) -> int:
        for offset in range(days):
            night_cramp(alice, offset + 1)
            record_create(
                model=CheckIn,
                patient=alice,
                data={"recorded_at": timezone.now() - timedelta(days=offset, hours=1), "swelling_left": 1},
            )
        with CaptureQueriesContext(connection) as captured:
            assert as_alice.get("/api/v1/insights/").status_code == 200
        return len(captured)

    assert queries(2) == queries(20)


def test_trend_queries_do_not_grow_with_entries(as_alice, alice):
    def queries(days: int) -> int:
        for offset in range(days):
            night_cramp(alice, offset + 30)
        with CaptureQueriesContext(connection) as captured:
            assert as_alice.get("/api/v1/trends/", {"days": 365}).status_code == 200
        return len(captured)

    assert queries(2) == queries(20)


# --- The clinician's list and the summaries ---------------------------------------------------


def test_the_clinicians_list_puts_the_urgent_patient_first(as_bob, bob, alice, carol):
    CareLink.objects.create(patient=carol, clinician=bob)
    night_cramp(alice, 1)  # alice wrote most recently, but carol's warning is urgent
    record_create(
        model=CheckIn,
        patient=carol,
        data={"recorded_at": timezone.now() - timedelta(days=1), **ONE_SWOLLEN_PAINFUL_CALF},
    )

    rows = as_bob.get("/api/v1/clinician/patients/").json()["results"]

    assert [row["id"] for row in rows] == [str(carol.pk), str(alice.pk)]
    assert rows[0]["highest_level"] == "urgent"
    assert rows[0]["insight_codes"] == ["urgent_dvt_warning"]
    assert rows[1]["highest_level"] is None
    assert rows[1]["insight_codes"] == []


def test_a_write_marks_the_summary_stale_and_the_list_never_shows_it_old(as_bob, alice):
    summary_refresh(patient=alice)
    assert PatientSummary.objects.get(patient=alice).stale is False
    record_create(
        model=CheckIn,
        patient=alice,
        data={"recorded_at": timezone.now() - timedelta(minutes=5), "skin_changes": True},
    )
    assert PatientSummary.objects.get(patient=alice).stale is True

    row = as_bob.get("/api/v1/clinician/patients/").json()["results"][0]

    assert row["insight_codes"] == ["skin_changes"]
    assert PatientSummary.objects.get(patient=alice).stale is False


def stale_patients_of(bob, count: int) -> list[User]:
    """Patients sharing with bob, each with a night cramp last night and a summary marked stale since."""
    patients = User.objects.bulk_create(
        User(email=f"stale-{index:03}@example.com", role=Role.PATIENT, password="!") for index in range(count)
    )
    CareLink.objects.bulk_create(CareLink(patient=patient, clinician=bob) for patient in patients)
    for patient in patients:
        night_cramp(patient, 1)
    PatientSummary.objects.bulk_create(PatientSummary(patient=patient, stale=True) for patient in patients)
    return patients


def fresh_patient_ids() -> set:
    return {str(pk) for pk in PatientSummary.objects.filter(stale=False).values_list("patient_id", flat=True)}


def test_the_list_of_200_stale_patients_recomputes_only_the_page_it_shows_and_shows_it_fresh(
    as_bob, bob, carol, django_assert_max_num_queries
):
    stale_patients_of(bob, 200)
    # What one recompute costs, measured on carol (not linked to bob), as stale as the others.
    night_cramp(carol, 1)
    PatientSummary.objects.create(patient=carol, stale=True)
    with CaptureQueriesContext(connection) as one_refresh:
        summary_refresh(patient=carol)
    PatientSummary.objects.filter(patient=carol).delete()

    # The page, its count, the page again after the refresh, the access log: a few beyond the refreshes.
    with django_assert_max_num_queries(SHOWN_REFRESH_LIMIT * len(one_refresh) + 6):
        rows = as_bob.get("/api/v1/clinician/patients/").json()["results"]

    assert len(rows) == SHOWN_REFRESH_LIMIT == 50
    assert [row["cramp_nights_28d"] for row in rows] == [1] * 50  # last night's cramp: recomputed
    assert all(row["last_entry_at"] is not None for row in rows)
    assert fresh_patient_ids() == {row["id"] for row in rows}  # the other 150 are left to the tick


def test_a_page_of_500_still_recomputes_at_most_50_summaries(as_bob, bob):
    stale_patients_of(bob, 200)

    rows = as_bob.get("/api/v1/clinician/patients/?page_size=500").json()["results"]

    assert len(rows) == 201  # alice, bob's own patient, too
    assert len(fresh_patient_ids()) == SHOWN_REFRESH_LIMIT
    recomputed = [row for row in rows if row["id"] in fresh_patient_ids()]
    assert [row["cramp_nights_28d"] for row in recomputed] == [1] * SHOWN_REFRESH_LIMIT


def test_the_half_minute_tick_queues_one_refresh_per_stale_summary(alice, carol, monkeypatch):
    from diary import tasks

    queued = []

    def queue(args, **options):
        queued.append((args[0], options["expires"]))

    monkeypatch.setattr(tasks.refresh_summary, "apply_async", queue)
    summary_refresh(patient=alice)
    summary_refresh(patient=carol)
    night_cramp(alice, 1)
    night_cramp(alice, 2)  # a burst: still one refresh

    assert tasks.refresh_stale_summaries() == 1
    assert queued == [(str(alice.pk), 30)]  # expires when the next tick would queue it again


def test_the_tick_also_queues_a_refresh_for_a_patient_with_no_summary_yet(alice, carol, monkeypatch):
    from diary import tasks

    queued = []
    monkeypatch.setattr(tasks.refresh_summary, "apply_async", lambda args, **options: queued.append(args[0]))
    summary_refresh(patient=alice)
    night_cramp(carol, 1)  # no summary row for the database to mark

    assert tasks.refresh_stale_summaries() == 1
    assert queued == [str(carol.pk)]


def test_ticks_with_nothing_to_do_never_touch_the_broker(alice, monkeypatch):
    from diary import tasks

    def no_broker(*args, **kwargs):
        raise AssertionError("a broker connection was taken for nothing")

    monkeypatch.setattr(tasks.current_app, "producer_or_acquire", no_broker)
    summary_refresh(patient=alice)  # fresh: nothing stale
    assert tasks.refresh_stale_summaries() == 0
    assert tasks.dispatch_reminders() == 0  # nothing due


def test_the_refresh_task_brings_the_summary_up_to_date(alice):
    from diary.tasks import refresh_summary

    summary_refresh(patient=alice)
    for days_ago in range(1, 5):
        night_cramp(alice, days_ago)
    refresh_summary(str(alice.pk))
    summary = PatientSummary.objects.get(patient=alice)
    assert (summary.stale, summary.cramp_nights_28d) == (False, 4)
    assert summary.last_entry_at is not None


def test_the_clinicians_list_runs_fixed_queries_for_any_number_of_fresh_patients(as_bob, bob, alice):
    summary_refresh(patient=alice)

    def queries(count: int) -> int:
        for index in range(count):
            patient = make_user(f"list{count}-{index}@example.com", "patient")
            CareLink.objects.create(patient=patient, clinician=bob)
            summary_refresh(patient=patient)
        with CaptureQueriesContext(connection) as captured:
            assert as_bob.get("/api/v1/clinician/patients/").status_code == 200
        return len(captured)

    assert queries(3) == queries(30)


def test_searching_the_list_by_name_or_email(as_bob, bob, alice, carol):
    CareLink.objects.create(patient=carol, clinician=bob)
    assert [
        row["email"] for row in as_bob.get("/api/v1/clinician/patients/", {"search": "car"}).json()["results"]
    ] == [carol.email]
    assert as_bob.get("/api/v1/clinician/patients/", {"search": "ALICE"}).json()["count"] == 1
