"""Insights worded for the clinician: third person, what was reported and when, on the patient's clock."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.insights import RULES, clinician_explanation, evaluate, rule_urgent_dvt_warning
from diary.models import CheckIn
from diary.services.records import record_create
from tests.test_insight_rules import ALL_CODES, FOLLOW_UP_CODES, busy_month, checkin, diary, follow_up_week

SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def worded() -> dict[str, str]:
    return {
        insight.code: clinician_explanation(insight, time_zone="America/New_York")
        for insight in evaluate(busy_month()) + evaluate(follow_up_week())
    }


def test_the_busy_month_and_the_week_after_raise_every_rule_so_each_wording_is_read(worded):
    assert set(worded) == ALL_CODES | FOLLOW_UP_CODES


def test_every_rule_has_its_own_clinician_wording():
    from diary.insights import CLINICIAN_WORDING

    assert {rule.__name__.removeprefix("rule_") for rule in RULES} == set(CLINICIAN_WORDING)


@pytest.mark.parametrize("code", sorted(ALL_CODES | FOLLOW_UP_CODES))
def test_no_clinician_wording_speaks_to_the_patient(worded, code):
    assert not SECOND_PERSON.search(worded[code]), worded[code]


@pytest.mark.parametrize("code", sorted(ALL_CODES | FOLLOW_UP_CODES))
def test_every_clinician_wording_names_the_patients_zone_and_says_self_reported(worded, code):
    assert "New York time" in worded[code]
    assert worded[code].endswith("Self-reported; not a diagnosis.")


def test_the_emergency_names_what_was_reported_and_when_on_the_patients_clock(worded):
    # Tonight's check-in in busy_month: 19:00 Berlin on 20 March 2026 is 14:00 in New York.
    assert worded["emergency_warning"].startswith(
        "Reported sudden chest pain or breathlessness on 20 Mar 2026, 14:00 New York time."
    )
    assert "call the emergency number now" in worded["emergency_warning"]


def test_the_dvt_wording_names_the_leg_the_measures_and_the_signs(worded):
    assert worded["urgent_dvt_warning"].startswith(
        "Reported one-sided swelling of the left leg (severe against mild; calf 41.0 cm against 37.0 cm) "
        "with calf pain or tenderness and sudden onset on 20 Mar 2026, 14:00 New York time."
    )


def test_the_dvt_wording_says_when_swelling_was_not_answered_and_a_previous_dvt():
    painful = checkin(diary().today, hour=9, calf_pain_or_tenderness=True, redness_or_warmth=True)
    insight = rule_urgent_dvt_warning(diary(checkins=[painful]))
    words = clinician_explanation(insight, time_zone="Europe/Berlin")
    assert words.startswith(
        "Reported calf pain or tenderness and redness or warmth (swelling not answered) on 20 Mar 2026, "
        "09:00 Berlin time."
    )
    assert "previous DVT" not in words

    swollen = checkin(diary().today, hour=9, swelling_left=0, swelling_right=2, calf_pain_or_tenderness=True)
    after_a_clot = rule_urgent_dvt_warning(diary(checkins=[swollen], previous_dvt=True))
    assert "; previous DVT on the profile." in clinician_explanation(after_a_clot, time_zone="Europe/Berlin")


def test_the_pattern_wordings_give_the_counts(worded):
    assert worded["venous_evaluation"].startswith("Night cramps on 14 nights of the last 28, with swelling")
    assert "Logged 3 cramps while walking or exercising that eased with rest" in worded["arterial_evaluation"]
    assert worded["frequent_severe_cramps"].startswith(
        "Logged 17 cramps in the last 4 weeks, 5 of severity 7/10"
    )
    assert worded["skin_changes"].startswith("Reported skin changes (discoloration or ulcer) on 9 March;")
    assert "the profile says diuretics are taken" in worded["medication_review"]
    assert "under the fluid target of 2000 ml: 14 of 14 nights (100%)" in worded["low_hydration_pattern"]
    assert "Association, not proof" in worded["compression_association"]


def test_the_follow_ups_say_what_was_reported_when_and_what_the_patient_was_told(worded):
    # follow_up_week: today is 20 March in Berlin; its check-ins at 19:00 / 20:00 there are 14:00 / 15:00 in
    # New York.
    assert worded["swollen_painful_leg"] == (
        "Reported one-sided swelling of the right leg (moderate against none; calf 39.5 cm against 36.0 cm) "
        "with calf pain or tenderness, without sudden onset or redness, on 17 Mar 2026, 15:00 New York time. "
        "Shown the advice to see a doctor within a day or two. Self-reported; not a diagnosis."
    )
    assert worded["both_legs_swollen"] == (
        "Reported both legs severely swollen, of sudden onset, with calf pain or tenderness, on 19 Mar 2026, "
        "15:00 New York time (bilateral DVT, cellulitis and heart failure can present so). Shown the advice "
        "to be seen soon, today or tomorrow. Self-reported; not a diagnosis."
    )
    assert worded["chest_pain_follow_up"] == (
        "Reported sudden chest pain or breathlessness on 15 Mar 2026, 14:00 New York time, more than 2 days "
        "ago (on 1 day of the last 28: 15 March). Shown the advice to tell the doctor about the episode. "
        "Self-reported; not a diagnosis."
    )


def test_the_zone_label_follows_the_zone_given():
    insight = evaluate(busy_month())[0]
    assert "14:00 New York time" in clinician_explanation(insight, time_zone="America/New_York")
    assert "19:00 Berlin time" in clinician_explanation(insight, time_zone="Europe/Berlin")
    assert "18:00 UTC" in clinician_explanation(insight, time_zone="UTC")


# --- Over HTTP ----------------------------------------------------------------------------------


@pytest.fixture
def alarming_checkin(alice):
    alice.timezone = "America/New_York"
    alice.save(update_fields=["timezone"])
    recorded = timezone.now().astimezone(ZoneInfo("America/New_York")).replace(second=0, microsecond=0)
    record_create(
        model=CheckIn,
        patient=alice,
        data={
            "recorded_at": recorded,
            "swelling_left": 3,
            "swelling_right": 0,
            "calf_pain_or_tenderness": True,
            "sudden_onset": True,
        },
    )
    return recorded


def test_a_clinician_reads_each_insight_with_its_clinician_wording(as_bob, alice, alarming_checkin):
    response = as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/insights/")
    assert response.status_code == 200
    [insight] = response.json()
    assert insight["code"] == "urgent_dvt_warning"
    assert insight["explanation"].startswith("In your check-in on")  # the patient's own, as before
    worded = insight["clinician_explanation"]
    assert f"{alarming_checkin:%H:%M} New York time" in worded
    assert worded.startswith("Reported one-sided swelling of the left leg (severe against none)")
    assert not SECOND_PERSON.search(worded)


def test_the_patients_own_insights_carry_no_clinician_wording(as_alice, alice, alarming_checkin):
    [insight] = as_alice.get("/api/v1/insights/").json()
    assert "clinician_explanation" not in insight
    assert insight["code"] == "urgent_dvt_warning"


def test_carol_and_dave_cannot_read_alices_clinician_wording(as_carol, as_dave, alice, alarming_checkin):
    assert as_carol.get(f"/api/v1/clinician/patients/{alice.pk}/insights/").status_code == 403
    assert as_dave.get(f"/api/v1/clinician/patients/{alice.pk}/insights/").status_code == 404
