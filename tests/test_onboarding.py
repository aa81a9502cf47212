"""The first run: a new patient is not onboarded until they finish or skip the questions; diuretics and a
previous DVT may be not said (null), and the rules read null as unknown."""

import importlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from diary import demo
from diary.insights import (
    CheckInFact,
    CrampFact,
    PatientFacts,
    is_dvt_warning,
    rule_medication_review,
    rule_urgent_dvt_warning,
    urgent_for_checkin,
)
from diary.models import Role, User
from diary.nights import night_of
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 21, 30, tzinfo=BERLIN)


def sign_up(client: APIClient, role: str = "patient"):
    body = {
        "email": "frank@example.com",
        "password": "stockings-and-water",
        "role": role,
        "timezone": "Europe/Berlin",
    }
    assert client.post("/api/v1/auth/register/", body, format="json").status_code == 201
    frank = User.objects.get(email="frank@example.com")
    client.force_authenticate(frank)
    return frank


# --- The API ------------------------------------------------------------------------------------


def test_a_new_patient_is_not_onboarded_and_says_nothing_of_diuretics_or_a_previous_dvt():
    client = APIClient()
    sign_up(client)
    profile = client.get("/api/v1/profile/").json()
    assert profile["onboarded_at"] is None
    assert profile["takes_diuretics"] is None
    assert profile["previous_dvt"] is None
    assert profile["compression_class"] is None
    assert "onboarded" not in profile  # write-only


def test_a_new_clinician_has_no_onboarding_to_do():
    client = APIClient()
    sign_up(client, role="clinician")
    assert client.get("/api/v1/profile/").json()["onboarded_at"] is not None


def test_finishing_or_skipping_sets_onboarded_at_once_and_stores_nothing_else():
    client = APIClient()
    frank = sign_up(client)
    before = client.get("/api/v1/profile/").json()
    response = client.patch("/api/v1/profile/", {"onboarded": True}, format="json")
    assert response.status_code == 200
    after = response.json()
    assert after["onboarded_at"] is not None
    # Skipping stores nothing not said: every other field is as it was.
    assert {k: v for k, v in after.items() if k != "onboarded_at"} == {
        k: v for k, v in before.items() if k != "onboarded_at"
    }
    first = User.objects.get(pk=frank.pk).onboarded_at
    again = client.patch("/api/v1/profile/", {"onboarded": True}, format="json")
    assert again.status_code == 200
    assert User.objects.get(pk=frank.pk).onboarded_at == first


def test_the_answers_and_finishing_can_come_in_one_patch():
    client = APIClient()
    sign_up(client)
    answers = {"takes_diuretics": True, "previous_dvt": False, "compression_class": "20-30"}
    response = client.patch("/api/v1/profile/", {**answers, "onboarded": True}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in answers} == answers
    assert body["onboarded_at"] is not None


def test_onboarded_at_cannot_be_written_directly(as_alice, alice):
    alice.onboarded_at = None
    alice.save(update_fields=["onboarded_at"])
    response = as_alice.patch("/api/v1/profile/", {"onboarded_at": "2020-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 200
    assert response.json()["onboarded_at"] is None


def test_not_said_diuretics_and_dvt_are_stored_as_null_and_shown_as_null(as_alice, alice):
    as_alice.patch("/api/v1/profile/", {"takes_diuretics": True, "previous_dvt": True}, format="json")
    not_said = {"takes_diuretics": None, "previous_dvt": None}
    response = as_alice.patch("/api/v1/profile/", not_said, format="json")
    assert response.status_code == 200
    assert response.json()["takes_diuretics"] is None
    assert response.json()["previous_dvt"] is None
    alice.refresh_from_db()
    assert alice.takes_diuretics is None and alice.previous_dvt is None
    assert as_alice.get("/api/v1/profile/").json()["previous_dvt"] is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("onboarded", False), ("onboarded", "soon"), ("takes_diuretics", "often"), ("previous_dvt", "maybe")],
)
def test_bad_onboarding_values_are_a_400_naming_the_field(as_alice, alice, field, value):
    alice.onboarded_at = None
    alice.save(update_fields=["onboarded_at"])
    response = as_alice.patch("/api/v1/profile/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    alice.refresh_from_db()
    assert alice.onboarded_at is None


def test_carol_cannot_change_alices_onboarding(alice, carol, as_carol):
    alice.onboarded_at = None
    alice.save(update_fields=["onboarded_at"])
    # The profile is always the caller's own: carol's PATCH touches carol, never alice.
    as_carol.patch("/api/v1/profile/", {"onboarded": True, "takes_diuretics": True}, format="json")
    alice.refresh_from_db()
    carol.refresh_from_db()
    assert alice.onboarded_at is None and alice.takes_diuretics is None
    assert carol.takes_diuretics is True


def test_anonymous_cannot_finish_anyones_onboarding(anonymous):
    assert anonymous.patch("/api/v1/profile/", {"onboarded": True}, format="json").status_code in (401, 403)


def test_existing_accounts_count_as_onboarded_since_they_joined(alice, carol):
    User.objects.filter(pk__in=[alice.pk, carol.pk]).update(onboarded_at=None)
    joined = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    User.objects.filter(pk=alice.pk).update(date_joined=joined)
    migration = importlib.import_module("diary.migrations.0012_onboarding")
    migration.onboarded_when_joined(apps, None)
    alice.refresh_from_db()
    carol.refresh_from_db()
    assert alice.onboarded_at == joined
    assert carol.onboarded_at == carol.date_joined


def test_demo_people_are_onboarded():
    demo.load_demo(now=datetime(2026, 3, 20, 12, 0, tzinfo=UTC))
    assert not User.objects.filter(email__in=demo.DEMO_EMAILS, onboarded_at=None).exists()


def test_accounts_made_outside_the_sign_up_count_as_onboarded():
    assert make_user("erin@example.com", Role.PATIENT).onboarded_at is not None


# --- The rules read not said as unknown ---------------------------------------------------------


def cramps(n: int) -> list[CrampFact]:
    found = []
    for days in range(1, n + 1):
        moment = datetime.combine(TODAY - timedelta(days=days), time(3), BERLIN)
        found.append(
            CrampFact(
                started_at=moment,
                local_date=moment.date(),
                night=night_of(moment),
                is_nocturnal=True,
                severity=5,
                activity="sleeping",
                relieved_by_rest=None,
            )
        )
    return found


def facts(**fields) -> PatientFacts:
    return PatientFacts(today=TODAY, now=NOW, timezone="Europe/Berlin", **fields)


def swollen_painful_leg(**acute) -> CheckInFact:
    day = TODAY - timedelta(days=1)
    return CheckInFact(
        id="ci-1",
        recorded_at=datetime.combine(day, time(8), BERLIN),
        local_date=day,
        swelling_left=2,
        swelling_right=0,
        calf_pain_or_tenderness=True,
        **acute,
    )


def test_medication_review_needs_a_said_yes_to_diuretics():
    assert rule_medication_review(facts(cramps=cramps(10), takes_diuretics=True)) is not None
    assert rule_medication_review(facts(cramps=cramps(10), takes_diuretics=None)) is None
    assert rule_medication_review(facts(cramps=cramps(10), takes_diuretics=False)) is None


def test_a_previous_dvt_not_said_does_not_make_swelling_and_pain_alone_a_warning():
    quiet_leg = swollen_painful_leg()
    assert is_dvt_warning(quiet_leg, previous_dvt=True)
    assert not is_dvt_warning(quiet_leg, previous_dvt=None)
    assert rule_urgent_dvt_warning(facts(checkins=[quiet_leg], previous_dvt=None)) is None
    assert urgent_for_checkin(quiet_leg, previous_dvt=None) == []


def test_a_previous_dvt_not_said_does_not_silence_the_acute_warning():
    sudden = swollen_painful_leg(sudden_onset=True)
    insight = rule_urgent_dvt_warning(facts(checkins=[sudden], previous_dvt=None))
    assert insight is not None
    assert insight.evidence["previous_dvt"] is None
    assert "blood clot in the leg before" not in insight.explanation
    assert [i.code for i in urgent_for_checkin(sudden, previous_dvt=None)] == ["urgent_dvt_warning"]
