"""The patient's own visit summary: the headline's sentences (pure), the PDF they download, and who may."""

from datetime import UTC, date, datetime, time, timedelta

import pypdfium2
import pytest
import time_machine

from diary.exports.headline import COUNTING_WORDS, headline, period_words, stockings_start
from diary.models import AccessLogEntry, CareLink, CheckIn, CompressionWear, CrampEpisode, Hydration
from diary.selectors.report import report_series
from diary.selectors.trends import trend_series
from diary.services.records import record_create
from tests.test_pdf_summary_honest import SCREENS, pdf_text

EXPORT = "/api/v1/export/"
# Thursday 3 December 2026, 11:00 UTC: 12:00 in Berlin (alice).
NOW = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
TODAY = date(2026, 12, 3)


# --- The headline, a pure function over the trend view's days ---------------------------------------


def a_day(day: date, *, logged=True, known=True, cramp=False, stockings=0.0) -> dict:
    """One day as trend_series gives it, with only what the headline reads."""
    return {
        "date": day,
        "logged": logged,
        "night_observed": known,
        "cramp_night": known and cramp,
        "compression_hours": stockings,
    }


def days_of(count: int, *, last: date = TODAY, cramps_a_week: int = 0, **day) -> list[dict]:
    """`count` days up to `last`, with a cramp night on the first `cramps_a_week` nights of every 7."""
    first = last - timedelta(days=count - 1)
    return [a_day(first + timedelta(days=n), cramp=n % 7 < cramps_a_week, **day) for n in range(count)]


def two_periods(previous: list[dict], current: list[dict]) -> list[dict]:
    """The 2N days of the headline: the period before, then the period, dated to end today."""
    both = previous + current
    first = TODAY - timedelta(days=len(both) - 1)
    return [{**day, "date": first + timedelta(days=n)} for n, day in enumerate(both)]


def sentences_for(days: list[dict], *, period: int = 84, checkins=None, started=None) -> list[str]:
    every_day = {day["date"] for day in days}
    return headline(
        days,
        period=period,
        checkin_days=every_day if checkins is None else checkins,
        diary_started_on=started or days[0]["date"],
    )


def test_the_period_is_compared_with_the_one_before_in_cramp_nights_a_week():
    days = two_periods(days_of(84, cramps_a_week=5), days_of(84, cramps_a_week=3))

    assert sentences_for(days) == [
        "Cramp nights: 3 a week, against 5 a week in the 12 weeks before.",
        COUNTING_WORDS,
    ]


def test_weeks_with_no_night_known_are_left_out_not_counted_as_calm():
    # Two known weeks of 3 cramp nights each, then ten weeks with nothing known: 3 a week, not 0.5.
    current = days_of(14, cramps_a_week=3) + days_of(70, known=False, logged=False)
    days = two_periods(days_of(84, cramps_a_week=5), current)

    assert sentences_for(days)[0] == "Cramp nights: 3 a week, against 5 a week in the 12 weeks before."


def test_too_few_nights_known_before_says_so_instead_of_comparing():
    previous = days_of(10, cramps_a_week=5) + days_of(74, known=False)
    days = two_periods(previous, days_of(84, cramps_a_week=2))

    assert sentences_for(days)[0] == (
        "Cramp nights: 2 a week. Too few nights are known in the 12 weeks before (10 of 84) to compare with."
    )


def test_too_few_nights_known_in_the_period_gives_no_rate_and_no_counting_note():
    current = days_of(13, cramps_a_week=7) + days_of(71, known=False)
    days = two_periods(days_of(84, cramps_a_week=5), current)

    assert sentences_for(days) == [
        "Too few nights are known in this period to count cramp nights a week (13 of 84 nights known; "
        "14 are needed)."
    ]


def test_a_diary_begun_inside_the_period_has_nothing_earlier_to_compare_with():
    current = days_of(44, logged=False, known=False) + days_of(40, cramps_a_week=2)
    days = two_periods(days_of(84, logged=False, known=False), current)
    began = TODAY - timedelta(days=39)

    assert sentences_for(days, started=began)[0] == (
        "Cramp nights: 2 a week. Your diary began on 25 Oct, inside this period: there is nothing earlier "
        "to compare with."
    )


def test_too_little_diary_in_the_period_says_so_and_nothing_else():
    current = days_of(78, logged=False, known=False) + days_of(6, cramps_a_week=7)
    days = two_periods(days_of(84, cramps_a_week=5), current)

    assert sentences_for(days) == [
        "Too little diary in the last 12 weeks to compare with the 12 weeks before: 6 days logged (7 are "
        "needed)."
    ]


def test_nothing_logged_at_all_says_there_is_nothing_to_compare():
    days = days_of(56, logged=False, known=False)

    assert headline(days, period=28, checkin_days=set(), diary_started_on=None) == [
        "Nothing logged in the last 4 weeks, so there is nothing to compare."
    ]


def stockings_from(start_index: int, *, before: int, after: int, **day) -> list[dict]:
    """168 days to today (two periods of 84), stockings 10 h a day from the day at `start_index` on, and
    `before` or `after` cramp nights a week."""
    days = days_of(168, **day)
    return [
        {
            **d,
            "compression_hours": 10.0 if n >= start_index else 0.0,
            "cramp_night": d["night_observed"] and n % 7 < (after if n >= start_index else before),
        }
        for n, d in enumerate(days)
    ]


def test_cramp_nights_fell_after_a_start_of_regular_stockings():
    days = stockings_from(140, before=5, after=2)  # 27 days before today

    assert (
        sentences_for(days)[0] == "Cramp nights fell from 5 to 2 a week after you started stockings on 6 Nov."
    )


def test_cramp_nights_rose_or_stayed_after_a_start_of_regular_stockings():
    assert sentences_for(stockings_from(120, before=2, after=4))[0] == (
        "Cramp nights rose from 2 to 4 a week after you started stockings on 17 Oct."
    )
    assert sentences_for(stockings_from(120, before=3, after=3))[0] == (
        "Cramp nights stayed at 3 a week after you started stockings on 17 Oct."
    )


def test_stockings_worn_all_along_are_no_start():
    days = [{**day, "compression_hours": 10.0} for day in days_of(168, cramps_a_week=3)]

    assert stockings_start(days, not_before=days[84]["date"]) is None
    assert not sentences_for(days)[0].startswith("Cramp nights fell")


def test_stockings_after_days_with_nothing_logged_are_no_start_seen():
    # Nothing logged in the fortnight before: the stockings may have been worn all along, unlogged.
    days = stockings_from(140, before=5, after=2)
    days = [{**day, "logged": False} if 126 <= n < 140 else day for n, day in enumerate(days)]

    assert stockings_start(days, not_before=days[84]["date"]) is None


def test_stockings_now_and_then_are_no_start_of_regular_stockings():
    days = [
        {**day, "compression_hours": 10.0 if n >= 120 and n % 2 else 0.0}
        for n, day in enumerate(days_of(168, cramps_a_week=3))
    ]

    assert stockings_start(days, not_before=days[84]["date"]) is None


def test_a_start_of_stockings_before_the_period_is_not_this_periods_news():
    days = stockings_from(70, before=5, after=2)

    assert stockings_start(days, not_before=days[84]["date"]) is None
    assert stockings_start(days, not_before=days[0]["date"]) == days[70]["date"]


def test_a_start_of_stockings_with_too_few_nights_known_says_it_cannot_compare():
    days = stockings_from(140, before=5, after=2)
    days = [
        {**day, "night_observed": False, "cramp_night": False} if n >= 130 else day
        for n, day in enumerate(days)
    ]

    assert sentences_for(days)[0] == (
        "You started wearing stockings regularly on 6 Nov. Too few nights are known before or after that "
        "day to compare cramp nights."
    )


def test_three_weeks_without_a_check_in_is_said_with_its_dates():
    days = two_periods(days_of(84, cramps_a_week=5), days_of(84, cramps_a_week=3))
    gap = {TODAY - timedelta(days=n) for n in range(10, 31)}  # 21 days, ending ten days ago
    checkins = {day["date"] for day in days} - gap

    assert "3 weeks without a check-in, 3 Nov to 23 Nov." in sentences_for(days, checkins=checkins)


def test_a_gap_up_to_today_and_not_a_whole_number_of_weeks_says_over():
    days = two_periods(days_of(84, cramps_a_week=5), days_of(84, cramps_a_week=3))
    checkins = {day["date"] for day in days} - {TODAY - timedelta(days=n) for n in range(16)}

    assert "Over 2 weeks without a check-in, up to today (since 18 Nov)." in sentences_for(
        days, checkins=checkins
    )


def test_a_gap_under_two_weeks_or_before_the_diary_began_is_not_a_sentence():
    days = two_periods(days_of(84, cramps_a_week=5), days_of(84, cramps_a_week=3))
    short = {day["date"] for day in days} - {TODAY - timedelta(days=n) for n in range(13)}
    assert not any("check-in" in s for s in sentences_for(days, checkins=short))

    # No check-in before the diary began 30 days ago, and one every day since: no gap.
    began = TODAY - timedelta(days=29)
    since = {began + timedelta(days=n) for n in range(30)}
    assert not any("check-in" in s for s in sentences_for(days, checkins=since, started=began))


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (7, "week"),
        (14, "2 weeks"),
        (28, "4 weeks"),
        (84, "12 weeks"),
        (182, "26 weeks"),
        (365, "year"),
        (10, "10 days"),
    ],
)
def test_periods_are_said_as_a_person_says_them(days, words):
    assert period_words(days) == words


# --- The PDF the patient downloads ---------------------------------------------------------------


@pytest.fixture
def _at_a_fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


def at(patient, days_ago: int, hour: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour), tzinfo=patient.zone)


def log(model, patient, **data):
    return record_create(model=model, patient=patient, data=data)[0]


def diary_with_stockings_from(patient, start_days_ago: int, *, period: int = 84):
    """A morning answer every day for two periods, cramp nights 5 a week before stockings and 2 after,
    stockings 10 h a day from `start_days_ago` on."""
    for days_ago in range(2 * period - 1, 0, -1):
        night = TODAY - timedelta(days=days_ago + 1)
        before = days_ago > start_days_ago
        cramp = night.weekday() < (5 if before else 2)
        log(
            CheckIn,
            patient,
            recorded_at=at(patient, days_ago, 8),
            cramps_last_night="some" if cramp else "none",
        )
        if not before:
            log(
                CompressionWear,
                patient,
                started_at=at(patient, days_ago, 8),
                ended_at=at(patient, days_ago, 18),
                pressure_class="20-30",
                garment="knee",
                legs="both",
            )


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_the_patient_downloads_the_visit_summary_with_the_headline_on_top(
    as_alice, alice, bob, django_assert_max_num_queries
):
    diary_with_stockings_from(alice, 40)
    log(CrampEpisode, alice, started_at=at(alice, 3, 2), severity=6)
    CareLink.objects.filter(patient=alice, clinician=bob).update(clinic_reference="CLINIC-77")

    # The trend series of both periods (8), the check-in dates (1), the rules' facts (7): the same for
    # a diary of any size.
    with django_assert_max_num_queries(16):
        response = as_alice.get(EXPORT, {"format": "pdf", "days": 84})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="crampwise-alice-2026-12-03.pdf"'
    text = pdf_text(response.content, "patient-report")
    # For a person to look at, as the issue asks (the page the patient takes to the doctor).
    pypdfium2.PdfDocument(response.content)[0].render(scale=2).to_pil().save(SCREENS / "patient-report.png")
    assert "This period against the one before" in text
    assert "Cramp nights fell from 5 to 2 a week after you started stockings on 24 Oct." in text
    assert "Self-reported by the patient; not a diagnosis." in text
    assert "by the patient" in text
    assert "Clinic reference" not in text
    assert "CLINIC-77" not in text
    # The patient's own read is not a clinician's access.
    assert not AccessLogEntry.objects.filter(patient=alice).exists()


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_the_period_is_the_last_n_days_and_84_when_left_out(as_alice, alice):
    log(Hydration, alice, taken_at=at(alice, 1, 10), volume_ml=500)

    assert "(84 days)" in pdf_text(as_alice.get(EXPORT, {"format": "pdf"}).content, "patient-default")
    text = pdf_text(as_alice.get(EXPORT, {"format": "pdf", "days": 28}).content, "patient-28")
    assert "6 Nov 2026 to 3 Dec 2026 (28 days)" in text
    assert "Too little diary in the last 4 weeks to compare with the 4 weeks before: 1 day logged" in text


@pytest.mark.parametrize("days", ["6", "366", "twelve", "84.5", "-7"])
def test_a_period_out_of_range_or_not_a_number_is_a_400_naming_days(as_alice, days):
    response = as_alice.get(EXPORT, {"format": "pdf", "days": days})

    assert response.status_code == 400
    assert "days" in response.json()


def test_an_unknown_format_is_a_400_naming_format(as_alice):
    response = as_alice.get(EXPORT, {"format": "docx"})

    assert response.status_code == 400
    assert "format" in response.json()


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_carol_gets_her_own_summary_never_alices(as_carol, alice):
    log(CheckIn, alice, recorded_at=at(alice, 1, 8), cramps_last_night="some")

    response = as_carol.get(EXPORT, {"format": "pdf"})

    assert response.status_code == 200
    text = pdf_text(response.content, "patient-carol")
    assert "Patient: Carol" in text
    assert "Alice" not in text
    assert "Nothing logged in the last 12 weeks" in text


@pytest.mark.parametrize("who", ["as_bob", "as_dave"])
def test_a_clinician_calling_the_patient_path_is_refused(request, who, alice):
    response = request.getfixturevalue(who).get(EXPORT, {"format": "pdf"})

    assert response.status_code == 403
    assert not AccessLogEntry.objects.filter(patient=alice).exists()


def test_nobody_signed_out_gets_a_summary(anonymous):
    assert anonymous.get(EXPORT, {"format": "pdf"}).status_code in (401, 403)


@pytest.mark.usefixtures("_at_a_fixed_time")
def test_the_period_read_with_the_one_before_has_the_same_days_as_the_period_alone(alice):
    diary_with_stockings_from(alice, 20, period=28)
    log(CrampEpisode, alice, started_at=at(alice, 28, 3))  # the night before the period's first day
    log(CrampEpisode, alice, started_at=at(alice, 27, 3))  # the morning of its first day

    report = report_series(alice, days=28, now=NOW)
    alone = trend_series(alice, days=28, now=NOW)

    assert report["trends"]["days"] == alone["days"]
    assert report["trends"]["weeks"] == alone["weeks"]
    assert len(report["both"]) == 56
    assert TODAY - timedelta(days=1) in report["checkin_days"]
    assert TODAY not in report["checkin_days"]
