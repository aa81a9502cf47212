"""Issue 21 over HTTP: where each leg was measured (calf or ankle, or not said), and the three advice
follow-ups of the urgent pictures in the patient's insights, the clinician's patient view and both PDFs,
without an urgent alert or a page to anyone."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from diary.models import CheckIn, Delivery, UrgentAlert
from diary.services.records import record_create
from tests.test_insight_rules import TENDER_RIGHT_CALF
from tests.test_insights_api import INSIGHT_FIELDS
from tests.test_pdf_summary_honest import pdf_text

pytestmark = pytest.mark.django_db

CHECKINS = "/api/v1/checkins/"
# Thursday 3 December 2026, 11:00 UTC: 12:00 in Berlin (alice's zone).
NOW = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


@pytest.fixture
def _at_a_fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


def at(patient, days_ago: int, hour: int) -> datetime:
    local = NOW.astimezone(patient.zone) - timedelta(days=days_ago)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def log_checkin(patient, recorded_at: datetime, **answers) -> CheckIn:
    return record_create(model=CheckIn, patient=patient, data={"recorded_at": recorded_at, **answers})[0]


def the_follow_up_week(patient) -> None:
    """Breathlessness five days ago, a tender swollen right calf three days ago, both legs suddenly swollen
    and painful yesterday (as tests.test_insight_rules.follow_up_week)."""
    log_checkin(patient, at(patient, 5, 19), sudden_chest_pain_or_breathlessness=True)
    log_checkin(patient, at(patient, 3, 20), **TENDER_RIGHT_CALF)
    both = {"swelling_left": 3, "swelling_right": 3, "sudden_onset": True, "calf_pain_or_tenderness": True}
    log_checkin(patient, at(patient, 1, 20), **both)


# --- Where each leg was measured ------------------------------------------------------------------


def test_a_check_in_stores_and_returns_where_each_leg_was_measured(as_alice):
    body = {"recorded_at": NOW.isoformat(), "circumference_left_cm": 24.0, "circumference_site_left": "ankle"}
    with time_machine.travel(NOW, tick=False):
        response = as_alice.post(CHECKINS, {**body, "circumference_right_cm": 37.5}, format="json")
    assert response.status_code == 201, response.json()
    record = response.json()
    assert (record["circumference_site_left"], record["circumference_site_right"]) == ("ankle", None)
    stored = CheckIn.objects.get(pk=record["id"])
    # Not said stays null: a right leg measured without its site is never defaulted to the calf.
    assert (stored.circumference_site_left, stored.circumference_site_right) == ("ankle", None)


@pytest.mark.parametrize("site", ["knee", "", "CALF", 3])
def test_a_site_that_is_not_calf_or_ankle_is_a_400_naming_the_field(as_alice, site):
    body = {"recorded_at": NOW.isoformat(), "circumference_right_cm": 30.0, "circumference_site_right": site}
    with time_machine.travel(NOW, tick=False):
        response = as_alice.post(CHECKINS, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"circumference_site_right"}


def test_a_patch_fills_in_a_site_later(as_alice, alice):
    record = log_checkin(alice, NOW - timedelta(hours=1), circumference_left_cm=40.0)
    response = as_alice.patch(f"{CHECKINS}{record.pk}/", {"circumference_site_left": "calf"}, format="json")
    assert response.status_code == 200
    assert response.json()["circumference_site_left"] == "calf"


def test_a_replay_of_a_check_in_sent_before_the_sites_existed_still_matches(as_alice):
    # Its body has no site: the fingerprint must not gain one, or an offline replay would be a 409.
    body = {"id": "6c4d4f1e-3c0a-4d9e-9b1a-0b2e8b7f5a11", "recorded_at": NOW.isoformat(), "heaviness": 3}
    with time_machine.travel(NOW, tick=False):
        assert as_alice.post(CHECKINS, body, format="json").status_code == 201
        assert as_alice.post(CHECKINS, body, format="json").status_code == 200


# --- The follow-ups over HTTP ---------------------------------------------------------------------


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_the_patient_reads_the_three_follow_ups_as_advice(as_alice, alice):
    the_follow_up_week(alice)
    insights = as_alice.get("/api/v1/insights/").json()
    assert [(i["code"], i["level"]) for i in insights] == [
        ("both_legs_swollen", "advice"),
        ("swollen_painful_leg", "advice"),
        ("chest_pain_follow_up", "advice"),
    ]
    for insight in insights:
        assert set(insight) == INSIGHT_FIELDS
        assert (insight["acknowledged_at"], insight["acknowledgement"]) == (None, None)
    follow_up = insights[-1]
    assert "tell your doctor about the episode on 28 November" in follow_up["explanation"]
    assert follow_up["evidence"]["dates"] == ["2026-11-28"]
    leg = insights[1]["evidence"]
    assert (leg["leg"], leg["circumference_site"], leg["circumference_difference_cm"]) == (
        "right",
        "calf",
        3.5,
    )


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_the_follow_ups_raise_no_urgent_alert_and_page_nobody(as_alice, alice, bob):
    with time_machine.travel(NOW, tick=False):
        response = as_alice.post(
            CHECKINS,
            {"recorded_at": (NOW - timedelta(hours=1)).isoformat(), **TENDER_RIGHT_CALF},
            format="json",
        )
    assert response.status_code == 201
    assert response.json()["insights"] == []  # the check-in's own urgent warnings: none
    assert not UrgentAlert.objects.exists()
    assert not Delivery.objects.exists()
    assert [i["code"] for i in as_alice.get("/api/v1/insights/").json()] == ["swollen_painful_leg"]


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_the_clinician_reads_the_follow_ups_in_the_patient_view_in_the_patients_zone(as_bob, alice):
    the_follow_up_week(alice)
    insights = as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/insights/").json()
    worded = {i["code"]: i["clinician_explanation"] for i in insights}
    assert worded["chest_pain_follow_up"].startswith(
        "Reported sudden chest pain or breathlessness on 28 Nov 2026, 19:00 Berlin time, more than 2 days ago"
    )
    assert worded["swollen_painful_leg"].startswith(
        "Reported one-sided swelling of the right leg (moderate against none; calf 39.5 cm against 36.0 cm)"
    )
    assert "bilateral DVT, cellulitis and heart failure can present so" in worded["both_legs_swollen"]
    listed = as_bob.get("/api/v1/clinician/patients/").json()["results"]
    assert [(p["highest_level"], sorted(p["insight_codes"])) for p in listed] == [
        ("advice", ["both_legs_swollen", "chest_pain_follow_up", "swollen_painful_leg"])
    ]


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_carol_and_dave_read_nothing_of_alices_follow_ups(as_carol, as_dave, alice):
    the_follow_up_week(alice)
    assert as_carol.get("/api/v1/insights/").json() == []
    assert as_dave.get(f"/api/v1/clinician/patients/{alice.pk}/insights/").status_code == 404


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_both_pdfs_print_the_follow_ups_with_their_evidence(as_alice, as_bob, alice):
    the_follow_up_week(alice)
    patients = pdf_text(as_alice.get("/api/v1/export/", {"format": "pdf"}).content, "follow-ups-patient")
    clinicians = pdf_text(
        as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/export/", {"format": "pdf"}).content,
        "follow-ups-clinician",
    )
    for text in (patients, clinicians):
        assert "Both legs suddenly swollen and painful: be seen soon" in text
        assert (
            "Both legs severely swollen at the check-in of 2 Dec 2026, 20:00 Berlin time: sudden onset; calf "
            "pain or tenderness." in text
        )
        assert "One swollen, painful leg: see a doctor within a day or two" in text
        assert (
            "Right leg more swollen at the check-in of 30 Nov 2026, 20:00 Berlin time: swelling left 0/3, "
            "right 2/3; calf circumference left 36.0 cm, right 39.5 cm; calf pain or tenderness, without "
            "sudden onset or redness." in text
        )
        assert "Chest pain or breathlessness on 28 November: tell your doctor" in text
        assert (
            "Sudden chest pain or breathlessness reported at the check-in of 28 Nov 2026, 19:00 Berlin time, "
            "more than 2 days before; follow-up advised." in text
        )


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_the_pdf_says_when_two_sites_were_not_compared(as_alice, alice):
    sites = {"circumference_site_left": "ankle", "circumference_site_right": "calf"}
    answers = {**TENDER_RIGHT_CALF, **sites, "sudden_onset": True}
    log_checkin(alice, at(alice, 1, 9), **answers)
    # One-sided by its levels (0 against 2) and urgent by its sudden onset; the measures are not compared.
    text = pdf_text(as_alice.get("/api/v1/export/", {"format": "pdf"}).content, "sites-not-compared")
    assert (
        "circumference left 36.0 cm (ankle), right 39.5 cm (calf), not compared; calf pain or tenderness; "
        "sudden onset." in text
    )
