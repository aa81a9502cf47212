"""Medications and the patient's own factors in the rules, the facts, the trends and the printed summary.

The rule tests are pure (the four-week Berlin diary of test_insight_rules: "today" is Friday 20 March
2026); the rest read alice's diary from the database.
"""

import io
from datetime import UTC, date, datetime, time, timedelta

import pypdfium2
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from diary.exports.pdf import visit_summary_pdf
from diary.insights import (
    FactorFact,
    MedicationFact,
    evaluate,
    factor_association,
    rule_factor_association,
    rule_for,
    rule_medication_review,
)
from diary.models import CrampEpisode, Factor, FactorEntry, Medication
from diary.selectors.facts import patient_facts
from diary.selectors.trends import trend_series
from diary.services.records import record_create
from tests.test_insight_rules import ago, day_cramp, diary, morning, night_cramp
from tests.test_pdf_summary_honest import SCREENS

WHEN = "20 Mar 2026, 09:00 Berlin time"


THIRD_OF_MARCH = ago(17)


def medicine(name="bendroflumethiazide", drug_class="diuretic", *, started=THIRD_OF_MARCH, stopped=None):
    return MedicationFact(name=name, drug_class=drug_class, started_on=started, stopped_on=stopped)


def night_cramps(*days_ago: int):
    return [night_cramp(ago(n)) for n in days_ago]


# --- medication_review from the list ----------------------------------------------------------


def test_eight_cramp_nights_since_a_diuretic_was_started_fire_it_naming_the_medicine_and_its_start():
    insight = rule_medication_review(diary(cramps=night_cramps(*range(1, 9)), medications=[medicine()]))

    assert insight is not None and insight.level == "advice"
    assert insight.explanation.startswith(
        "You had cramps on 8 nights since you started bendroflumethiazide on 3 March."
    )
    assert "water tablets (diuretics)" in insight.explanation
    assert "Do not stop any medicine on your own" in insight.explanation
    assert insight.evidence["medication"] == {
        "name": "bendroflumethiazide",
        "drug_class": "diuretic",
        "started_on": "2026-03-03",
        "stopped_on": None,
    }
    assert insight.evidence["cramp_nights"] == 8
    assert insight.title == "Many cramp nights while taking bendroflumethiazide: ask about your medicines"


def test_seven_cramp_nights_on_a_diuretic_do_not_fire_it():
    assert rule_medication_review(diary(cramps=night_cramps(*range(1, 8)), medications=[medicine()])) is None


def test_nights_before_the_medicine_was_started_do_not_count():
    # 6 cramp nights before the start on 3 March (night 17 days ago), 7 from it on: 13 in all, 7 count.
    facts = diary(cramps=night_cramps(*range(11, 24)), medications=[medicine(started=ago(17))])
    assert rule_medication_review(facts) is None


def test_a_medicine_started_after_the_cramps_does_not_count():
    facts = diary(cramps=night_cramps(*range(10, 25)), medications=[medicine(started=ago(5))])
    assert rule_medication_review(facts) is None


def test_a_diuretic_stopped_before_the_window_does_not_count_even_with_the_profile_saying_yes():
    stopped = medicine(started=date(2025, 6, 1), stopped=ago(30))
    facts = diary(cramps=night_cramps(*range(1, 20)), medications=[stopped], takes_diuretics=True)
    assert rule_medication_review(facts) is None


def test_nights_after_a_diuretic_was_stopped_do_not_count():
    # Taken from before the window until the night 8 days ago: nights 8..20 count (13), nights 1..7 not.
    stopped = medicine(started=date(2026, 1, 5), stopped=ago(8))
    assert rule_medication_review(diary(cramps=night_cramps(*range(1, 15)), medications=[stopped])) is None
    insight = rule_medication_review(diary(cramps=night_cramps(*range(1, 16)), medications=[stopped]))
    assert insight.evidence["cramp_nights"] == 8
    assert insight.explanation.startswith(
        "In the last 4 weeks you had cramps on 8 nights while taking bendroflumethiazide (started 5 January, "
        "stopped 12 March)."
    )


@pytest.mark.parametrize("drug_class", ["magnesium", "quinine", "other"])
def test_magnesium_quinine_and_other_never_fire_it(drug_class):
    facts = diary(
        cramps=night_cramps(*range(1, 20)),
        medications=[medicine("a tablet", drug_class, started=ago(27))],
        takes_diuretics=True,  # a listed medicine, not the profile, decides
    )
    assert rule_medication_review(facts) is None


@pytest.mark.parametrize(
    ("drug_class", "words"),
    [
        ("diuretic", "water tablets (diuretics)"),
        ("beta_agonist", "long-acting asthma inhalers (beta-agonists)"),
        ("calcium_channel_blocker", "some blood-pressure tablets (calcium-channel blockers)"),
        ("statin", "statins"),
    ],
)
def test_each_predisposing_class_fires_it_in_its_own_words(drug_class, words):
    facts = diary(cramps=night_cramps(*range(1, 9)), medications=[medicine("x", drug_class)])
    assert words in rule_medication_review(facts).explanation


def test_daytime_cramps_and_unknown_nights_are_not_cramp_nights_but_a_some_answer_is():
    daytime = [day_cramp(ago(n), activity="sitting") for n in range(1, 6)]
    seven = diary(cramps=night_cramps(*range(1, 8)) + daytime, medications=[medicine()])
    assert rule_medication_review(seven) is None
    # The eighth night reported next morning rather than logged.
    eight = diary(cramps=seven.cramps, checkins=[morning(ago(8), "some")], medications=[medicine()])
    assert rule_medication_review(eight).evidence["cramp_nights"] == 8


def test_the_medicine_with_the_most_nights_is_named_and_the_other_mentioned():
    facts = diary(
        cramps=night_cramps(*range(1, 13)),
        medications=[
            medicine(started=ago(10)),
            medicine("nifedipine", "calcium_channel_blocker", started=ago(27)),
        ],
    )
    insight = rule_medication_review(facts)
    assert insight.evidence["medication"]["name"] == "nifedipine"
    assert [m["name"] for m in insight.evidence["also"]] == ["bendroflumethiazide"]
    assert "You also take bendroflumethiazide." in insight.explanation


def test_with_nothing_listed_the_profiles_said_yes_still_decides():
    cramps = night_cramps(*range(1, 9))
    assert rule_medication_review(diary(cramps=cramps, takes_diuretics=True)).evidence["episodes"] == 8
    assert rule_medication_review(diary(cramps=cramps, takes_diuretics=None)) is None


def test_the_clinician_and_the_page_read_the_medicine_and_its_start():
    insight = rule_medication_review(diary(cramps=night_cramps(*range(1, 10)), medications=[medicine()]))
    rule = rule_for("medication_review")
    assert rule.clinician_words(insight, WHEN) == (
        "Cramps on 9 nights of the last 28 while taking bendroflumethiazide (diuretic), started 3 Mar 2026 "
        "(the patient's medication list; nights before the start not counted). Latest 20 Mar 2026, 09:00 "
        "Berlin time. Suggested: a medication review."
    )
    assert rule.printed_evidence(insight, "Europe/Berlin") == (
        "Cramps on 9 nights of the last 28 while taking bendroflumethiazide (diuretic), started 3 Mar 2026; "
        "from the medication list."
    )


# --- factor_association -----------------------------------------------------------------------


def factor_diary(with_: tuple[int, int], without: tuple[int, int], *, name="coffee", **more):
    """`with_` = (cramp nights, nights) after days with the tag logged, `without` likewise after days
    without it (a drink logged those days, so the patient used the diary and did not tap the tag); every
    counted night is observed by its morning answer."""
    days, drinks, checkins = set(), {}, []
    nights = iter(range(1, 29))
    for logged, (cramped, total) in ((True, with_), (False, without)):
        for index in range(total):
            night = ago(next(nights))
            if logged:
                days.add(night)
            else:
                drinks[night] = 1500
            checkins.append(morning(night, "some" if index < cramped else "none"))
    return diary(
        checkins=checkins, fluid=drinks, factors=[FactorFact(name=name, days=frozenset(days))], **more
    )


def test_a_day_with_nothing_logged_is_not_a_day_without_the_tag():
    # Every other night, told about the next morning: coffee before five cramp nights, six quiet nights
    # after days without a coffee tap. The days before the quiet nights hold nothing but, in the first
    # diary, a drink.
    quiet, coffee_days = [ago(n) for n in range(2, 14, 2)], frozenset(ago(n) for n in range(15, 25, 2))
    checkins = [morning(night, "none") for night in quiet] + [morning(day, "some") for day in coffee_days]
    coffee = FactorFact(name="coffee", days=coffee_days)
    used_the_diary = diary(checkins=checkins, fluid={day: 1500 for day in quiet}, factors=[coffee])
    nothing_logged = diary(checkins=checkins, factors=[coffee])

    assert factor_association(used_the_diary, coffee)["without"].nights == 6
    assert rule_factor_association(used_the_diary) is not None
    assert factor_association(nothing_logged, coffee)["without"].nights == 0
    assert rule_factor_association(nothing_logged) is None


def test_more_cramp_nights_after_coffee_days_states_both_rates():
    insight = rule_factor_association(factor_diary(with_=(6, 8), without=(1, 10)))

    assert insight is not None and insight.level == "info"
    assert insight.title == "More cramp nights after days with “coffee”"
    assert "After days you logged “coffee”, you had cramps on 6 of 8 nights (75%)." in insight.explanation
    assert "After days without it, on 1 of 10 nights (10%)." in insight.explanation
    assert "association, not proof" in insight.explanation
    e = insight.evidence
    assert (e["factor"], e["rate_with"], e["rate_without"], e["more_with_factor"]) == (
        "coffee",
        0.75,
        0.1,
        True,
    )
    assert (e["with"]["nights"], e["without"]["cramp_nights"]) == (8, 1)


def test_fewer_cramp_nights_after_a_long_walk_fires_too():
    insight = rule_factor_association(factor_diary(with_=(1, 8), without=(6, 10), name="a long walk"))
    assert insight.title == "Fewer cramp nights after days with “a long walk”"
    assert insight.evidence["more_with_factor"] is False


@pytest.mark.parametrize(
    ("with_", "without", "fires"),
    [
        ((3, 5), (0, 5), True),  # a positive rate against zero, five days each side
        ((0, 5), (0, 5), False),  # zero against zero
        ((3, 10), (2, 10), True),  # exactly 1.5 times
        ((4, 10), (3, 10), False),  # 1.33 times
        ((4, 4), (0, 10), False),  # four days with the tag: too few
        ((5, 10), (0, 4), False),  # four days without it: too few
    ],
)
def test_factor_association_thresholds(with_, without, fires):
    assert (rule_factor_association(factor_diary(with_=with_, without=without)) is not None) is fires


def test_nights_nobody_answered_for_are_not_counted_as_cramp_free():
    # Coffee on 8 days, but only 4 of their nights known: too few, however the other side looks.
    facts = factor_diary(with_=(4, 4), without=(0, 10))
    unknown = frozenset(ago(n) for n in range(20, 24))  # coffee days whose nights nobody spoke of
    coffee = FactorFact(name="coffee", days=facts.factors[0].days | unknown)
    facts = diary(checkins=facts.checkins, fluid=facts.fluid_ml_by_day, factors=[coffee])
    rates = factor_association(facts, coffee)
    assert (rates["with"].nights, rates["without"].nights) == (4, 10)
    assert rule_factor_association(facts) is None


def test_days_before_the_tag_was_first_logged_are_not_days_without_it():
    # Cramp nights on the 15 nights before coffee was a tag; from 8 March (night 12 days ago), coffee on
    # five days, all cramp nights, and seven quiet nights without it.
    checkins = [morning(ago(n), "some") for n in range(13, 28)]
    checkins += [morning(ago(n), "some") for n in range(8, 13)] + [
        morning(ago(n), "none") for n in range(1, 8)
    ]
    coffee = FactorFact(name="coffee", days=frozenset(ago(n) for n in range(8, 13)), since=ago(12))
    drinks = {ago(n): 1500 for n in range(1, 28)}  # something logged every day
    insight = rule_factor_association(diary(checkins=checkins, fluid=drinks, factors=[coffee]))
    assert insight.evidence["without"]["nights"] == 7
    assert insight.evidence["since"] == "2026-03-08"
    assert "from 8 March when you began logging it" in insight.explanation
    # Counted from the start of the window, the 15 earlier nights would have made the rates too close.
    assert (
        rule_factor_association(
            diary(checkins=checkins, fluid=drinks, factors=[FactorFact("coffee", coffee.days)])
        )
        is None
    )


def test_the_widest_gap_is_named_and_the_other_tags_that_differ_are_mentioned():
    facts = factor_diary(with_=(6, 8), without=(1, 10))
    wine = FactorFact(name="wine", days=frozenset(ago(n) for n in (1, 2, 3, 4, 9, 10, 11, 12)))
    insight = rule_factor_association(diary(checkins=facts.checkins, factors=[wine, *facts.factors]))
    assert insight.evidence["factor"] == "coffee"
    assert insight.evidence["other_factors"] == ["wine"]
    assert "Nights also differed after days with “wine”." in insight.explanation


def test_the_clinician_and_the_page_state_both_rates():
    insight = rule_factor_association(factor_diary(with_=(6, 8), without=(1, 10)))
    rule = rule_for("factor_association")
    assert rule.clinician_words(insight, WHEN) == (
        "Cramp nights after days the patient logged “coffee”: 6 of 8 nights (75%); after days without: 1 of "
        "10 nights (10%). Association, not proof; latest entry 20 Mar 2026, 09:00 Berlin time."
    )
    assert rule.printed_evidence(insight) == (
        "Cramp nights after days with “coffee” logged: 6 of 8 nights (75%); after days without: 1 of 10 "
        "nights (10%). An association, not proof."
    )


def test_no_factor_logged_raises_nothing():
    assert "factor_association" not in {i.code for i in evaluate(factor_diary((0, 0), (3, 10)))}


# --- From the database --------------------------------------------------------------------------

NOW = datetime(2026, 6, 12, 16, 0, tzinfo=UTC)  # 12:00 in New York


@pytest.fixture
def in_new_york(alice):
    alice.timezone = "America/New_York"
    alice.save()
    with time_machine.travel(NOW, tick=False):
        yield alice


def local(patient, days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = NOW.astimezone(patient.zone).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=patient.zone)


def tap(patient, name: str, moment: datetime) -> FactorEntry:
    factor = Factor.objects.filter(patient=patient, name__iexact=name).first()
    factor = factor or Factor.objects.create(patient=patient, name=name)
    data = {"factor_id": factor.pk, "occurred_at": moment}
    return record_create(model=FactorEntry, patient=patient, data=data)[0]


def listed(patient, name: str, drug_class: str, started: date, stopped: date | None = None, dose: str = ""):
    return Medication.objects.create(
        patient=patient,
        local_date=started,
        create_fingerprint=f"test-{name}",
        name=name,
        drug_class=drug_class,
        dose=dose,
        schedule="regular",
        started_on=started,
        stopped_on=stopped,
    )


TODAY = date(2026, 6, 12)


@pytest.mark.django_db
def test_the_facts_hold_the_list_and_each_tags_local_days(in_new_york):
    listed(in_new_york, "bendroflumethiazide", "diuretic", date(2026, 5, 20))
    # 23:30 in New York on 10 June is 03:30 UTC on the 11th: the patient's day is the 10th.
    tap(in_new_york, "coffee", local(in_new_york, 2, 23, 30))
    tap(in_new_york, "Coffee", local(in_new_york, 2, 8))
    tap(in_new_york, "a long walk", local(in_new_york, 40, 8))  # before the look-back

    facts = patient_facts(in_new_york)

    assert facts.medications == [MedicationFact("bendroflumethiazide", "diuretic", date(2026, 5, 20), None)]
    # The tag was made today and its entries typed in for an earlier day: counted from the first entry.
    assert facts.factors == [
        FactorFact(name="coffee", days=frozenset({date(2026, 6, 10)}), since=date(2026, 6, 10))
    ]


@pytest.mark.django_db
def test_the_facts_take_the_same_queries_however_many_entries(in_new_york):
    def queries(days: int) -> int:
        for offset in range(days):
            tap(in_new_york, f"tag {offset % 3}", local(in_new_york, offset + 1, 9))
            listed(in_new_york, f"medicine {days}-{offset}", "other", TODAY - timedelta(days=offset))
        with CaptureQueriesContext(connection) as captured:
            patient_facts(in_new_york)
        return len(captured)

    assert queries(2) == queries(20) == 7


# --- Trends -------------------------------------------------------------------------------------


def cramp_at(patient, moment: datetime):
    data = {"started_at": moment, "severity": 5, "muscle": "calf", "side": "left", "activity": "sleeping"}
    return record_create(model=CrampEpisode, patient=patient, data=data)[0]


def day_of(trends: dict, day: date) -> dict:
    return next(row for row in trends["days"] if row["date"] == day)


@pytest.mark.django_db
def test_each_day_has_the_tags_logged_that_day_and_none_is_not_unknown(in_new_york):
    tap(in_new_york, "coffee", local(in_new_york, 2, 23, 30))
    tap(in_new_york, "a long walk", local(in_new_york, 2, 17))
    tap(in_new_york, "coffee", local(in_new_york, 2, 8))
    cramp_at(in_new_york, local(in_new_york, 3, 3))

    trends = trend_series(in_new_york, days=7)

    tagged = day_of(trends, date(2026, 6, 10))
    assert tagged["factors"] == ["a long walk", "coffee"]
    assert tagged["logged"] is True  # a tag alone makes a day logged
    assert day_of(trends, date(2026, 6, 9))["factors"] == []  # a cramp, no tag
    assert day_of(trends, date(2026, 6, 8))["factors"] is None  # nothing logged: unknown


@pytest.mark.django_db
def test_the_medicines_taken_in_the_range_are_listed_and_a_start_is_no_known_zero(in_new_york):
    listed(in_new_york, "old statin", "statin", date(2026, 1, 1), stopped=date(2026, 6, 1))
    listed(in_new_york, "bendroflumethiazide", "diuretic", date(2026, 6, 9), dose="2.5 mg")
    listed(in_new_york, "nifedipine", "calcium_channel_blocker", date(2026, 3, 1), stopped=date(2026, 6, 6))
    listed(in_new_york, "next month", "other", date(2026, 7, 1))

    trends = trend_series(in_new_york, days=7)  # 6 to 12 June

    assert trends["medications"] == [
        {
            "name": "nifedipine",
            "drug_class": "calcium_channel_blocker",
            "dose": "",
            "started_on": date(2026, 3, 1),
            "stopped_on": date(2026, 6, 6),
        },
        {
            "name": "bendroflumethiazide",
            "drug_class": "diuretic",
            "dose": "2.5 mg",
            "started_on": date(2026, 6, 9),
            "stopped_on": None,
        },
    ]
    # A start typed into the list says nothing about the cramps of its day: still unknown.
    assert not any(row["logged"] for row in trends["days"])


@pytest.mark.django_db
def test_the_trend_api_answers_with_the_tags_and_the_medicines(as_alice, in_new_york):
    tap(in_new_york, "coffee", local(in_new_york, 1, 8))
    listed(in_new_york, "bendroflumethiazide", "diuretic", date(2026, 6, 1))

    body = as_alice.get("/api/v1/trends/", {"days": 7}).json()

    assert body["days"][-2]["factors"] == ["coffee"]
    assert body["medications"][0]["started_on"] == "2026-06-01"


@pytest.mark.django_db
def test_trend_queries_do_not_grow_with_tags_or_medicines(in_new_york):
    def queries(count: int) -> int:
        for offset in range(count):
            tap(in_new_york, f"tag {offset % 4}", local(in_new_york, offset, 9))
            listed(in_new_york, f"medicine {count}-{offset}", "other", TODAY - timedelta(days=offset))
        with CaptureQueriesContext(connection) as captured:
            trend_series(in_new_york, days=90)
        return len(captured)

    assert queries(2) == queries(30) <= 8


# --- The printed summary --------------------------------------------------------------------------


def page_text(content: bytes, name: str) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    SCREENS.mkdir(parents=True, exist_ok=True)
    pypdfium2.PdfDocument(content)[0].render(scale=2).to_pil().save(SCREENS / f"pdf-{name}.png")
    return " ".join(reader.pages[0].extract_text().split())


def printed(patient) -> str:
    content = visit_summary_pdf(
        name="Alice",
        time_zone=patient.timezone,
        fluid_target_ml=2000,
        trends=trend_series(patient, days=28),
        insights=evaluate(patient_facts(patient)),
        generated_at=NOW,
        clinician="Bob",
    )
    return content


@pytest.mark.django_db
def test_the_page_lists_the_medicines_and_the_tags_of_the_period(in_new_york):
    listed(in_new_york, "bendroflumethiazide", "diuretic", date(2026, 5, 20), dose="2.5 mg")
    listed(in_new_york, "magnesium citrate", "magnesium", date(2026, 4, 2), stopped=date(2026, 6, 1))
    for days_ago in (1, 3, 5):
        tap(in_new_york, "coffee", local(in_new_york, days_ago, 8))
    tap(in_new_york, "a long walk", local(in_new_york, 2, 17))
    for days_ago in range(1, 10):
        cramp_at(in_new_york, local(in_new_york, days_ago, 3))

    text = page_text(printed(in_new_york), "medications-factors")

    assert (
        "Medications magnesium citrate (magnesium), since 2 Apr 2026, stopped 1 Jun 2026; "
        "bendroflumethiazide 2.5 mg (diuretic), since 20 May 2026"
    ) in text
    assert "Factors logged coffee: 3 days; a long walk: 1 day" in text
    assert "while taking bendroflumethiazide (diuretic), started 20 May 2026" in text


@pytest.mark.django_db
def test_the_page_says_none_listed_rather_than_leave_them_out(in_new_york):
    cramp_at(in_new_york, local(in_new_york, 1, 3))

    text = page_text(printed(in_new_york), "medications-factors-none")

    assert "Medications none listed" in text
    assert "Factors logged none logged" in text
