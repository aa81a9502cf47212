"""The Edinburgh Claudication Questionnaire: its classification, and answering it through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from diary.claudication import classify
from diary.models import ClaudicationAnswer, CrampEpisode
from diary.services.records import record_create

CLASSIC = {
    "walking_pain": "yes",
    "pain_starts_at_rest": False,
    "pain_uphill_or_hurrying": "yes",
    "pain_ordinary_pace": False,
    "pain_when_standing_still": "gone_within_10_min",
    "locations": ["calf"],
}


def test_calf_pain_on_walking_that_goes_with_rest_is_definite_grade_1():
    assert classify(**CLASSIC).result == "definite"
    assert classify(**CLASSIC).grade == 1


def test_pain_at_an_ordinary_pace_is_grade_2():
    assert classify(**{**CLASSIC, "pain_ordinary_pace": True}).grade == 2


def test_calf_with_other_places_is_still_definite():
    assert classify(**{**CLASSIC, "locations": ["calf", "thigh", "foot"]}).result == "definite"


def test_thigh_or_buttock_without_calf_is_atypical():
    assert classify(**{**CLASSIC, "locations": ["buttock"]}).result == "atypical"
    assert classify(**{**CLASSIC, "locations": ["thigh", "shin"]}).result == "atypical"


def test_shin_or_foot_alone_is_not_claudication():
    assert classify(**{**CLASSIC, "locations": ["shin", "foot"]}).result == "negative"


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("walking_pain", "no"),
        ("walking_pain", "unable_to_walk"),
        ("pain_starts_at_rest", True),
        ("pain_uphill_or_hurrying", "no"),
        ("pain_uphill_or_hurrying", "never_uphill_or_hurry"),
        ("pain_when_standing_still", "continues_over_10_min"),
    ],
)
def test_any_criterion_unmet_is_negative(question, answer):
    result = classify(**{**CLASSIC, question: answer})
    assert (result.result, result.grade) == ("negative", None)


@pytest.mark.django_db
def test_answering_records_the_classification(as_alice, alice):
    response = as_alice.post("/api/v1/claudication/", CLASSIC)
    assert response.status_code == 201
    assert (response.json()["result"], response.json()["grade"]) == ("definite", 1)
    assert ClaudicationAnswer.objects.get(patient=alice).result == "definite"
    assert as_alice.get("/api/v1/claudication/").json()["count"] == 1


@pytest.mark.django_db
def test_no_pain_on_walking_needs_no_more_answers(as_alice):
    response = as_alice.post("/api/v1/claudication/", {"walking_pain": "no"})
    assert response.status_code == 201
    assert response.json()["result"] == "negative"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("walking_pain", "sometimes"), ("locations", ["ear"]), ("pain_starts_at_rest", "often")],
)
def test_bad_answers_are_a_400_naming_the_question(as_alice, field, value):
    response = as_alice.post("/api/v1/claudication/", {**CLASSIC, field: value})
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_pain_on_walking_needs_the_follow_up_answers(as_alice):
    response = as_alice.post("/api/v1/claudication/", {"walking_pain": "yes"})
    assert response.status_code == 400
    assert {"pain_starts_at_rest", "pain_uphill_or_hurrying", "pain_when_standing_still"} <= set(
        response.json()
    )


@pytest.mark.django_db
def test_it_is_offered_when_walking_cramps_appear_and_not_again_soon_after(as_alice, alice):
    assert as_alice.get("/api/v1/claudication/offer/").json()["offered"] is False
    record_create(
        model=CrampEpisode,
        patient=alice,
        data={
            "started_at": timezone.now() - timedelta(days=2),
            "duration_seconds": 120,
            "severity": 5,
            "muscle": "calf",
            "side": "left",
            "activity": "walking",
            "relieved_by_rest": True,
        },
    )
    offer = as_alice.get("/api/v1/claudication/offer/").json()
    assert offer["offered"] is True
    assert offer["walking_cramps_28d"] == 1
    assert "walk" in offer["questions"]["walking_pain"]

    as_alice.post("/api/v1/claudication/", CLASSIC)
    assert as_alice.get("/api/v1/claudication/offer/").json()["offered"] is False
