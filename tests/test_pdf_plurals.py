"""The printed reports count in whole words: "1 day", "1 night", "1 check-in", never "1 days"."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from diary.exports.pdf import figure_rows
from diary.insights.wording import plural
from diary.models import CheckIn, Hydration
from diary.services.records import record_create
from tests.test_pdf_summary_honest import pdf_text

pytestmark = pytest.mark.django_db

PATIENT_EXPORT = "/api/v1/export/"
CLINICIAN_EXPORT = "/api/v1/clinician/patients/{patient}/export/"
# Thursday 3 December 2026, 11:00 UTC: 12:00 in Berlin (alice).
NOW = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
TODAY = date(2026, 12, 3)
# A count of one with a plural noun after it: what the patient saw on her copy ("1 days").
ONE_WITH_A_PLURAL = re.compile(r"\b1 (days|nights|weeks|check-ins|cramps|cramp episodes|insights)\b")


@pytest.fixture(autouse=True)
def _at_a_fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


def one_day_of_diary(patient):
    """Yesterday only: one drink and one check-in (mild swelling on the left, skin changes, no cramps
    last night), so every count on the page that can be one is one."""
    morning = datetime.combine(TODAY - timedelta(days=1), time(8), tzinfo=patient.zone)
    record_create(model=Hydration, patient=patient, data={"taken_at": morning, "volume_ml": 250})
    record_create(
        model=CheckIn,
        patient=patient,
        data={
            "recorded_at": morning,
            "swelling_left": 1,
            "swelling_right": 0,
            "skin_changes": True,
            "cramps_last_night": "none",
        },
    )


def test_a_count_of_one_takes_the_singular_and_any_other_the_plural():
    assert plural(1, "day") == "1 day"
    assert plural(2, "day") == "2 days"
    assert plural(0, "night") == "0 nights"
    assert plural(1, "week") == "1 week"
    assert plural(1, "check-in") == "1 check-in"
    assert plural(3, "check-in") == "3 check-ins"
    assert plural(2, "entry") == "2 entries"


def test_the_key_figures_of_a_one_day_period_say_1_day_and_1_night():
    figures = {
        "days": 1,
        "first": TODAY,
        "last": TODAY,
        "logged_days": 1,
        "diary_started_on": TODAY,
        "last_entry_at": NOW,
        "observed_nights": 1,
        "cramp_nights": 0,
        "cramps": 0,
        "nocturnal_cramps": 0,
        "exertion_cramps": 0,
        "checkin_days": 1,
        "swelling_days": 1,
        "compression_days": 0,
        "fluid_days": 1,
        "mean_fluid_ml": 2500,
        "fluid_target_ml": 2000,
        "fluid_target_days": 1,
        "medications": [],
        "factor_days": {"coffee": 1},
    }
    rows = dict(figure_rows(figures, time_zone="Europe/Berlin"))

    assert rows["Diary"].startswith("1 of 1 day with anything logged")
    assert rows["Cramp nights"] == (
        "0 of 1 night known had a night cramp (logged, or reported next morning); 0 of 1 night unknown"
    )
    assert rows["Swelling days"] == "1 day with swelling mild or worse, of 1 day with swelling answered"
    assert "on the 1 day with drinks logged" in rows["Hydration"]
    assert rows["Hydration"].endswith("(reached on 1 day)")
    assert rows["Factors logged"] == "coffee: 1 day"


def test_alices_own_visit_summary_of_one_week_counts_in_whole_words(as_alice, alice):
    one_day_of_diary(alice)

    response = as_alice.get(PATIENT_EXPORT, {"format": "pdf", "days": 7})
    assert response.status_code == 200
    text = pdf_text(response.content, "plurals-patient")

    assert "Too little diary in the last week to compare with the week before: 1 day logged" in text
    assert "1 day with swelling mild or worse, of 1 day with swelling answered" in text
    assert "Skin changes reported at 1 check-in, last on 2 Dec 2026." in text
    assert "Not enough diary yet to show a pattern: 1 day logged in the 7 days of this period." in text
    assert ONE_WITH_A_PLURAL.findall(text) == []


def test_the_summary_bob_exports_for_alice_counts_in_whole_words(as_bob, alice):
    one_day_of_diary(alice)

    response = as_bob.get(CLINICIAN_EXPORT.format(patient=alice.pk), {"format": "pdf", "days": 7})
    assert response.status_code == 200
    text = pdf_text(response.content, "plurals-clinician")

    assert "0 of 1 night known had a night cramp" in text
    assert "on the 1 day with drinks logged" in text
    assert "Skin changes reported at 1 check-in" in text
    assert ONE_WITH_A_PLURAL.findall(text) == []


@pytest.mark.parametrize("who", ["as_carol", "as_dave"])
def test_carol_and_dave_cannot_read_alices_counts(request, who, alice):
    one_day_of_diary(alice)
    client = request.getfixturevalue(who)

    response = client.get(CLINICIAN_EXPORT.format(patient=alice.pk), {"format": "pdf", "days": 7})

    assert response.status_code in (403, 404)
