"""An urgent check-in typed in days later (a paper diary) still warns, worded for the past."""

from datetime import timedelta

import pytest
from django.utils import timezone

from diary.insights import THRESHOLDS, urgent_for_checkin
from tests.test_insight_rules import NOW, ago, checkin, local

CHEST_PAIN = {"sudden_chest_pain_or_breathlessness": True}
SWOLLEN_PAINFUL_LEG = {
    "swelling_left": 3,
    "swelling_right": 0,
    "calf_pain_or_tenderness": True,
    "sudden_onset": True,
}


def test_the_threshold_is_a_day():
    assert THRESHOLDS.past_dated_hours == 24


def test_chest_pain_typed_in_five_days_later_is_worded_for_the_past_and_still_urgent():
    [insight] = urgent_for_checkin(checkin(ago(5), hour=9, **CHEST_PAIN), previous_dvt=False, logged_at=NOW)
    assert insight.code == "emergency_warning"
    assert insight.level == "urgent"
    assert insight.explanation.startswith("On 15 March you reported sudden chest pain or breathlessness.")
    assert "If you still have these symptoms, or they come back, call your emergency number now" in (
        insight.explanation
    )
    assert insight.title.startswith("Chest pain or breathlessness on 15 March")
    assert insight.explanation.endswith("This is not a diagnosis.")
    assert insight.evidence["past_dated"] is True


def test_a_swollen_painful_leg_typed_in_ten_days_later_warns_although_outside_the_rules_window():
    [insight] = urgent_for_checkin(
        checkin(ago(10), hour=20, **SWOLLEN_PAINFUL_LEG), previous_dvt=False, logged_at=NOW
    )
    assert insight.code == "urgent_dvt_warning"
    assert insight.level == "urgent"
    assert insight.explanation.startswith("On 10 March you reported that your left leg was more swollen")
    assert "If you still have these symptoms, get medical care today" in insight.explanation
    assert "If they have passed, tell your doctor about them soon." in insight.explanation
    assert insight.title == "One swollen, painful leg on 10 March: if it is still there, get care today"
    assert insight.evidence["past_dated"] is True


def test_a_check_in_logged_within_a_day_of_its_time_keeps_the_present_wording():
    recorded = NOW - timedelta(hours=24)
    record = checkin(recorded.date(), hour=recorded.hour, minute=recorded.minute, **CHEST_PAIN)
    [insight] = urgent_for_checkin(record, previous_dvt=False, logged_at=NOW)
    assert insight.explanation.startswith("In your check-in on 19 March you reported")
    assert insight.title == "Chest pain or breathlessness: call for help now"
    assert insight.evidence["past_dated"] is False


def test_a_minute_past_the_day_is_a_past_report():
    record = checkin(ago(1), hour=21, minute=29, **CHEST_PAIN)  # NOW is 21:30 on 20 March
    [insight] = urgent_for_checkin(record, previous_dvt=False, logged_at=NOW)
    assert insight.evidence["past_dated"] is True


def test_without_a_logging_time_the_check_in_is_taken_as_just_made():
    [insight] = urgent_for_checkin(checkin(ago(5), **CHEST_PAIN), previous_dvt=False)
    assert insight.evidence["past_dated"] is False
    assert "Call your emergency number now" in insight.explanation


def test_the_past_wording_never_says_you_have_a_clot():
    for answers in (CHEST_PAIN, SWOLLEN_PAINFUL_LEG):
        for insight in urgent_for_checkin(checkin(ago(3), **answers), previous_dvt=True, logged_at=NOW):
            assert "you have" not in insight.explanation.lower()
            assert local(ago(3), 8) == insight.last_seen


# --- Over HTTP ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_posting_a_check_in_dated_four_days_ago_answers_with_the_past_warning(as_alice):
    four_days_ago = timezone.now() - timedelta(days=4)
    response = as_alice.post(
        "/api/v1/checkins/", {"recorded_at": four_days_ago.isoformat(), **CHEST_PAIN}, format="json"
    )
    assert response.status_code == 201
    [insight] = response.json()["insights"]
    assert insight["level"] == "urgent"
    assert insight["explanation"].startswith("On ")
    assert "If you still have these symptoms" in insight["explanation"]
    assert insight["evidence"]["past_dated"] is True


@pytest.mark.django_db
def test_posting_a_check_in_from_an_hour_ago_answers_with_the_present_warning(as_alice):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    response = as_alice.post(
        "/api/v1/checkins/", {"recorded_at": an_hour_ago.isoformat(), **CHEST_PAIN}, format="json"
    )
    [insight] = response.json()["insights"]
    assert insight["explanation"].startswith("In your check-in on")
    assert insight["evidence"]["past_dated"] is False
