"""The theme is a screen setting apart from the night window: changing it moves no record (issue #14)."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from diary.models import CrampEpisode, PatientSummary
from diary.services.records import record_create

pytestmark = pytest.mark.django_db


def cramp_at_10_past_1_pm(patient) -> CrampEpisode:
    # 13:10 in Berlin: by day, awake, so not a night cramp under the 22:00-07:00 window.
    data = {
        "started_at": datetime(2026, 1, 15, 12, 10, tzinfo=UTC),
        "duration_seconds": 60,
        "severity": 5,
        "muscle": "calf",
        "side": "left",
        "activity": "resting",
    }
    return record_create(model=CrampEpisode, patient=patient, data=data)[0]


def test_a_new_profile_has_the_automatic_theme(as_alice):
    assert as_alice.get("/api/v1/profile/").json()["theme"] == "auto"


@pytest.mark.parametrize("theme", ["dark", "light", "auto"])
def test_alice_can_choose_each_theme(as_alice, alice, theme):
    response = as_alice.patch("/api/v1/profile/", {"theme": theme}, format="json")
    assert response.status_code == 200
    assert response.json()["theme"] == theme
    alice.refresh_from_db()
    assert alice.theme == theme


def test_choosing_the_dark_theme_leaves_the_night_window_and_the_records_alone(as_alice, alice):
    record = cramp_at_10_past_1_pm(alice)
    PatientSummary.objects.create(patient=alice, stale=False)
    before = CrampEpisode.objects.filter(pk=record.pk).values().get()

    response = as_alice.patch("/api/v1/profile/", {"theme": "dark"}, format="json")

    assert response.status_code == 200
    assert (response.json()["night_start"], response.json()["night_end"]) == ("22:00", "07:00")
    assert CrampEpisode.objects.filter(pk=record.pk).values().get() == before
    assert before["is_nocturnal"] is False
    # Not clinical: the clinician's summary has nothing to recompute.
    assert PatientSummary.objects.get(patient=alice).stale is False


def test_a_night_window_change_still_recounts_cramps_and_marks_the_summary(as_alice, alice):
    # The counterpart of the test above, so that it cannot pass by nothing ever being re-derived.
    record = cramp_at_10_past_1_pm(alice)
    PatientSummary.objects.create(patient=alice, stale=False)

    as_alice.patch("/api/v1/profile/", {"night_start": "13:00", "night_end": "14:00"}, format="json")

    record.refresh_from_db()
    assert record.is_nocturnal is True
    assert PatientSummary.objects.get(patient=alice).stale is True


def test_a_theme_with_other_changes_still_marks_the_summary(as_alice, alice):
    PatientSummary.objects.create(patient=alice, stale=False)
    as_alice.patch("/api/v1/profile/", {"theme": "dark", "takes_diuretics": True}, format="json")
    assert PatientSummary.objects.get(patient=alice).stale is True


@pytest.mark.parametrize("value", ["purple", "", None, 3, "DARK"])
def test_a_bad_theme_is_a_400_naming_theme(as_alice, alice, value):
    response = as_alice.patch("/api/v1/profile/", {"theme": value}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["theme"]
    alice.refresh_from_db()
    assert alice.theme == "auto"


def test_the_bad_theme_message_says_what_to_choose(as_alice):
    message = as_alice.patch("/api/v1/profile/", {"theme": "purple"}, format="json").json()["theme"][0]
    assert "auto, light or dark" in message
    assert "purple" in message


def test_carol_changes_only_her_own_theme(as_carol, alice, carol):
    response = as_carol.patch("/api/v1/profile/", {"theme": "dark"}, format="json")
    assert response.status_code == 200
    assert response.json()["email"] == carol.email
    alice.refresh_from_db()
    carol.refresh_from_db()
    assert (alice.theme, carol.theme) == ("auto", "dark")


def test_dave_cannot_change_alices_theme(as_dave, alice):
    as_dave.patch("/api/v1/profile/", {"theme": "dark", "id": str(alice.pk)}, format="json")
    alice.refresh_from_db()
    assert alice.theme == "auto"


def test_nobody_signed_out_can_change_a_theme(anonymous, alice):
    response = anonymous.patch("/api/v1/profile/", {"theme": "dark"}, format="json")
    assert response.status_code in (401, 403)
    alice.refresh_from_db()
    assert alice.theme == "auto"


def test_the_database_refuses_an_unknown_theme(alice):
    alice.theme = "purple"
    with pytest.raises(IntegrityError), transaction.atomic():
        alice.save(update_fields=["theme"])
