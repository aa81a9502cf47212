"""The visit summary PDF is honest: gaps for the unknown, a chart that shows the strongest insight's
pattern, too little diary said plainly, and every time in a named zone."""

import io
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pypdfium2
import pytest
import time_machine
from pypdf import PdfReader

from diary import insights
from diary.exports.pdf import evidence_words, visit_summary_pdf
from diary.exports.pdf_charts import chart_for, chart_kind
from diary.models import CheckIn, CompressionWear, CrampEpisode, Hydration
from diary.selectors.facts import patient_facts
from diary.selectors.trends import trend_series
from diary.services.records import record_create
from tests.test_clinician_exports import every_insight

pytestmark = pytest.mark.django_db

SCREENS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screens"
EXPORT = "/api/v1/clinician/patients/{patient}/export/"
# Friday 12 June 2026, 16:00 UTC: 18:00 in Berlin (Bob), 12:00 in New York.
NOW = datetime(2026, 6, 12, 16, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _at_a_fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


def local(patient, days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = NOW.astimezone(patient.zone).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=patient.zone)


def log(model, patient, **data):
    return record_create(model=model, patient=patient, data=data)[0]


def drinks(patient, days_ago: range, ml: int = 1500):
    for days in days_ago:
        log(Hydration, patient, taken_at=local(patient, days, 10), volume_ml=ml)


def export_text(client, patient, name: str, **params) -> str:
    response = client.get(EXPORT.format(patient=patient.pk), {"format": "pdf", **params})
    assert response.status_code == 200
    return pdf_text(response.content, name)


def pdf_text(content: bytes, name: str) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    SCREENS.mkdir(parents=True, exist_ok=True)
    pypdfium2.PdfDocument(content)[0].render(scale=2).to_pil().save(SCREENS / f"pdf-{name}.png")
    # One space for each run of white space: a sentence may wrap onto the next line of the page.
    return " ".join(reader.pages[0].extract_text().split())


def week_of(trends: dict, days_ago: int) -> int:
    day = NOW.date() - timedelta(days=days_ago)
    start = day - timedelta(days=day.weekday())
    return next(index for index, week in enumerate(trends["weeks"]) if week["week_start"] == start)


# --- Gaps ---------------------------------------------------------------------------------------


def test_weeks_with_nothing_logged_or_no_night_known_are_gaps_with_a_legend(as_bob, alice):
    drinks(alice, range(1, 11))  # ten days of drinks: logged, but no night known
    log(CheckIn, alice, recorded_at=local(alice, 2, 8), cramps_last_night="none")
    text = export_text(as_bob, alice, "gaps", days=56)

    assert "Cramp nights per week" in text
    assert "gap: nothing logged, or no night known" in text
    chart = chart_for("cramp_nights", trend_series(alice, days=56), fluid_target_ml=2000)
    bars = chart.bars[0].values
    this_week = week_of(trend_series(alice, days=56), 2)
    # Known: one night answered "none" this week is 0 cramp nights, drawn as a zero, not a gap.
    assert bars[this_week] == 0
    # Every other week: nothing known of its nights, a gap rather than 0.
    assert [value for index, value in enumerate(bars) if index != this_week] == [None] * (len(bars) - 1)


def test_a_week_before_the_diary_began_is_a_gap_in_every_row(as_bob, alice):
    drinks(alice, range(1, 9))
    trends = trend_series(alice, days=56)
    chart = chart_for("cramps", trends, fluid_target_ml=2000)
    assert chart.bars[0].values[0] is None
    rows = dict(chart.rows)
    assert rows["Compression 8 h+ (days)"][0] == "–"
    assert rows["Days logged"][0] == "0"
    # The weeks of the drinks are known: no cramp logged there is 0 cramps.
    assert chart.bars[0].values[week_of(trends, 1)] == 0


def test_a_week_with_drinks_is_known_in_the_fluid_chart_and_one_without_is_a_gap(alice):
    drinks(alice, range(1, 4), ml=1200)
    chart = chart_for("fluid", trend_series(alice, days=28), fluid_target_ml=2000)
    assert chart.bars[0].values[-1] == 1200
    assert chart.bars[0].values[0] is None
    assert chart.target == (2000, "target 2,000 ml")


def test_one_legs_swelling_not_answered_is_a_gap_for_that_leg_only(alice):
    log(CheckIn, alice, recorded_at=local(alice, 1, 20), swelling_left=2)
    log(CheckIn, alice, recorded_at=local(alice, 2, 20), swelling_left=0, swelling_right=0)
    chart = chart_for("swelling_sides", trend_series(alice, days=28), fluid_target_ml=2000)
    left, right = (bars.values for bars in chart.bars)
    assert (left[-2], right[-2]) == (2, None)
    assert (left[-3], right[-3]) == (0, 0)  # "none" answered: a zero, not a gap
    assert (left[-1], right[-1]) == (None, None)


# --- Too little diary ---------------------------------------------------------------------------


def test_fewer_than_7_days_logged_gets_a_plain_line_instead_of_charts(as_bob, alice):
    drinks(alice, range(1, 4))
    log(CrampEpisode, alice, started_at=local(alice, 2, 3), woke_from_sleep=True)
    text = export_text(as_bob, alice, "not-enough")
    assert "Not enough diary yet to show a pattern: 3 days logged" in text
    assert "Cramp nights per week" not in text
    assert "gap:" not in text


def test_a_new_patient_has_nothing_logged_yet_and_no_charts(as_bob, alice):
    text = export_text(as_bob, alice, "new-patient")
    assert "Not enough diary yet to show a pattern: 0 days logged" in text
    assert "nothing logged yet" in text
    assert "no night known" in text


def test_seven_days_logged_are_enough_for_a_chart(as_bob, alice):
    drinks(alice, range(1, 8))
    text = export_text(as_bob, alice, "seven-days")
    assert "Not enough diary yet" not in text
    assert "Cramp nights per week" in text


# --- The chart of the strongest insight ---------------------------------------------------------


def test_an_arterial_patient_gets_walking_and_exercise_cramps_per_week(as_bob, alice):
    for days_ago in (2, 5, 9, 12):
        log(
            CrampEpisode,
            alice,
            started_at=local(alice, days_ago, 15),
            activity="walking" if days_ago % 2 else "exercising",
            relieved_by_rest=True,
        )
    log(CrampEpisode, alice, started_at=local(alice, 3, 16))  # activity not said: not counted
    drinks(alice, range(1, 15))
    assert insights.evaluate(patient_facts(alice))[0].code == "arterial_evaluation"

    text = export_text(as_bob, alice, "arterial")

    assert "Cramps while walking or exercising, per week" in text
    assert "Chosen for the strongest insight with a pattern to chart: ADVICE: Leg pain when walking" in text
    assert "Cramp nights per week" not in text
    chart = chart_for("exertion_cramps", trend_series(alice, days=84), fluid_target_ml=2000)
    assert sum(value or 0 for value in chart.bars[0].values) == 4


@pytest.mark.parametrize(
    ("codes", "kind"),
    [
        (["emergency_warning", "urgent_dvt_warning", "venous_evaluation"], "swelling_sides"),
        (["venous_evaluation", "arterial_evaluation"], "cramp_nights"),
        (["arterial_evaluation", "venous_evaluation"], "exertion_cramps"),
        (["low_hydration_pattern"], "fluid"),
        (["compression_association"], "compression"),
        (["frequent_severe_cramps"], "cramps"),
        (["emergency_warning"], "cramp_nights"),
        ([], "cramp_nights"),
    ],
)
def test_the_chart_follows_the_strongest_insight_that_has_a_pattern(codes, kind):
    by_code = {insight.code: insight for insight in every_insight()}
    chosen, insight = chart_kind([by_code[code] for code in codes])
    assert chosen == kind
    assert (insight.code if insight else None) == next((c for c in codes if c != "emergency_warning"), None)


def test_the_compression_chart_sets_compression_days_beside_cramp_nights(as_bob, alice):
    for days_ago in range(1, 15):
        worn = days_ago % 2 == 0
        if worn:
            log(
                CompressionWear,
                alice,
                started_at=local(alice, days_ago, 7),
                ended_at=local(alice, days_ago, 17),
                pressure_class="20-30",
                garment="knee",
                legs="both",
            )
        # The morning after: no cramps after a day in stockings, cramps after a day without.
        answer = "none" if worn else "some"
        log(CheckIn, alice, recorded_at=local(alice, days_ago - 1, 8), cramps_last_night=answer)
    found = insights.evaluate(patient_facts(alice))
    assert found[0].code == "compression_association"

    text = export_text(as_bob, alice, "compression")

    assert "Compression days (8 h+) and cramp nights, per week" in text
    assert "compression days" in text and "cramp nights" in text  # the legend


# --- Times and zones ----------------------------------------------------------------------------


@pytest.fixture
def in_new_york(alice):
    alice.timezone = "America/New_York"
    alice.save()
    return alice


def test_times_are_the_patients_labelled_and_the_export_time_is_the_clinicians(as_bob, in_new_york):
    alice = in_new_york
    drinks(alice, range(2, 10))
    log(CrampEpisode, alice, started_at=local(alice, 1, 3, 48), woke_from_sleep=True)
    log(
        CheckIn,
        alice,
        recorded_at=local(alice, 0, 6, 10),
        sudden_chest_pain_or_breathlessness=True,
    )

    text = export_text(as_bob, alice, "zones")

    assert "Times are the patient's: New York time (America/New_York)" in text
    # Bob reads it in Berlin at 18:00; for Alice in New York it is noon.
    assert "Exported 12 Jun 2026, 18:00 Berlin time by Bob (12:00 New York time for the patient)" in text
    assert "last entry 12 Jun 2026, 06:10 New York time" in text
    assert "at the check-in of 12 Jun 2026, 06:10 New York time." in text


def test_the_export_names_the_patients_day_when_it_is_another(in_new_york):
    late = datetime(2026, 6, 12, 23, 30, tzinfo=UTC)  # 01:30 on the 13th in Berlin, 19:30 on the 12th here
    content = visit_summary_pdf(
        name="Alice",
        time_zone="America/New_York",
        fluid_target_ml=2000,
        trends=trend_series(in_new_york, days=28),
        insights=[],
        generated_at=late,
        clinician="Bob",
        viewer_time_zone="Europe/Berlin",
    )
    text = pdf_text(content, "zones-other-day")
    assert (
        "Exported 13 Jun 2026, 01:30 Berlin time by Bob (12 Jun, 19:30 New York time for the patient)" in text
    )


def test_the_patients_own_copy_has_one_zone(in_new_york):
    content = visit_summary_pdf(
        name="Alice",
        time_zone="America/New_York",
        fluid_target_ml=2000,
        trends=trend_series(in_new_york, days=28),
        insights=[],
        generated_at=NOW,
        clinician="Alice",
    )
    text = pdf_text(content, "own-copy")
    assert "Exported 12 Jun 2026, 12:00 New York time by Alice" in text
    assert "for the patient" not in text


def test_a_questionnaires_date_is_the_patients_local_date():
    arterial = next(insight for insight in every_insight() if insight.code == "arterial_evaluation")
    evidence = {**arterial.evidence, "claudication_answered_at": "2026-11-02T02:00:00+00:00"}
    late_evening = arterial.__class__(**{**arterial.as_dict(), "evidence": evidence})
    assert "(1 Nov 2026)" in evidence_words(late_evening, time_zone="America/New_York")
    assert "(2 Nov 2026)" in evidence_words(late_evening, time_zone="Europe/Berlin")
