"""The reminders list tells the patient why an occurrence was skipped or not delivered, in her language
and on her clock, while `reason` keeps the operator's English record."""

from datetime import time, timedelta

import pytest

from diary.delivery_reasons import reason_words
from diary.models import Delivery, DeliveryStatus
from tests.conftest import signed_in_speaking
from tests.test_reminders import WEDNESDAY_8_BERLIN, dispatch, reminder_for

pytestmark = pytest.mark.django_db


def listed(client) -> dict:
    return client.get("/api/v1/reminders/deliveries/").json()["results"][0]


def test_a_reminder_skipped_in_quiet_hours_is_explained_in_german(alice):
    alice.quiet_start, alice.quiet_end = time(7, 0), time(9, 0)
    alice.save()
    reminder_for(alice)
    dispatch()
    row = listed(signed_in_speaking(alice, "de"))
    assert row["reason"] == "quiet hours"
    assert row["reason_text"] == "Nicht gesendet: Die Erinnerung fiel in Ihre Ruhezeiten."


def test_a_late_reminder_names_when_it_was_due_on_her_own_clock_in_spanish(alice):
    reminder_for(alice)
    dispatch(at=WEDNESDAY_8_BERLIN + timedelta(hours=2))
    row = listed(signed_in_speaking(alice, "es"))
    assert row["reason"].startswith("late: ")
    assert row["reason_text"].startswith("No enviado: tocaba a las 08:00 ")
    assert "10 de junio de 2026" in row["reason_text"]


def test_a_sent_reminder_has_no_reason_to_explain(as_alice, alice):
    reminder_for(alice)
    dispatch()
    assert listed(as_alice)["reason_text"] == ""


def test_a_push_service_failure_is_said_plainly_without_its_status_code(alice):
    words = reason_words(
        "push service refused the message (413)",
        status=DeliveryStatus.FAILED,
        scheduled_for=WEDNESDAY_8_BERLIN,
        zone_name=alice.timezone,
    )
    assert words.startswith("Not delivered: the notification could not be sent.")
    assert "413" not in words


def test_every_reason_the_dispatcher_skips_for_has_its_own_words(alice):
    # The skip reasons diary/services/reminders.py writes, as stored.
    for stored in (
        "check-in already logged today",
        "check-in already logged this evening",
        "stockings already on",
        "stockings already off",
        "elevation target already met today",
        "fluid target already met today",
        "nothing to say: nothing logged in the two weeks",
    ):
        words = reason_words(
            stored, status=DeliveryStatus.SKIPPED, scheduled_for=WEDNESDAY_8_BERLIN, zone_name=alice.timezone
        )
        assert words.startswith("Not "), stored
        assert words != "Not sent.", stored


def test_another_patient_and_an_unlinked_clinician_do_not_see_her_deliveries(as_carol, as_dave, alice):
    reminder_for(alice)
    dispatch()
    assert Delivery.objects.count() == 1
    assert as_carol.get("/api/v1/reminders/deliveries/").json()["count"] == 0
    assert as_dave.get("/api/v1/reminders/deliveries/").status_code == 403
