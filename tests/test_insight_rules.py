"""The insight rules of PRODUCT.md over synthetic four-week diaries: pure functions, no database.

The diary lives in Europe/Berlin; "today" is Friday 20 March 2026 and "now" is 21:30 that evening.
"""

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.insights import (
    LEVEL_RANK,
    RULES,
    SITE_NOT_SAID,
    THRESHOLDS,
    CheckInFact,
    ClaudicationFact,
    CrampFact,
    FactorFact,
    Insight,
    PatientFacts,
    comparable_site,
    compression_association,
    cramp_nights,
    evaluate,
    highest_level,
    hydration_association,
    night_rates,
    observed_nights,
    one_sided_swelling,
    rule_arterial_evaluation,
    rule_both_legs_swollen,
    rule_chest_pain_follow_up,
    rule_compression_association,
    rule_emergency_warning,
    rule_frequent_severe_cramps,
    rule_low_hydration_pattern,
    rule_medication_review,
    rule_skin_changes,
    rule_swollen_painful_leg,
    rule_urgent_dvt_warning,
    rule_venous_evaluation,
    urgent_for_checkin,
    window_days,
    window_nights,
)
from diary.nights import night_of

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 21, 30, tzinfo=BERLIN)
ALL_CODES = {
    "emergency_warning",
    "urgent_dvt_warning",
    "venous_evaluation",
    "arterial_evaluation",
    "frequent_severe_cramps",
    "skin_changes",
    "medication_review",
    "low_hydration_pattern",
    "compression_association",
    "factor_association",
}
# The advice that follows an urgent picture: silent while the urgent one fires, so busy_month (whose
# tonight's check-in is urgent) raises none of them; follow_up_week raises all three.
FOLLOW_UP_CODES = {"swollen_painful_leg", "both_legs_swollen", "chest_pain_follow_up"}


# --- Builders -----------------------------------------------------------------------------------


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


def night_cramp(night: date, *, severity: int = 5, hour: int = 3) -> CrampFact:
    """A cramp that woke the patient in `night`: after midnight (hour < 12) or in the evening."""
    moment = local(night + timedelta(days=1), hour) if hour < 12 else local(night, hour)
    return CrampFact(
        started_at=moment,
        local_date=moment.date(),
        night=night_of(moment),
        is_nocturnal=True,
        severity=severity,
        activity="sleeping",
        relieved_by_rest=None,
    )


def day_cramp(
    day: date,
    *,
    activity: str = "walking",
    relieved_by_rest: bool | None = True,
    severity: int = 4,
    hour: int = 15,
) -> CrampFact:
    """A daytime cramp (not nocturnal), by default while walking and relieved by rest."""
    moment = local(day, hour)
    return CrampFact(
        started_at=moment,
        local_date=day,
        night=night_of(moment),
        is_nocturnal=False,
        severity=severity,
        activity=activity,
        relieved_by_rest=relieved_by_rest,
    )


def checkin(day: date, *, hour: int = 8, minute: int = 0, **answers) -> CheckInFact:
    return CheckInFact(
        id=f"ci-{day.isoformat()}-{hour:02d}{minute:02d}",
        recorded_at=local(day, hour, minute),
        local_date=day,
        **answers,
    )


def morning(night: date, answer: str | None, **answers) -> CheckInFact:
    """The morning check-in after `night`, answering "cramps last night"."""
    return checkin(night + timedelta(days=1), cramps_last_night=answer, **answers)


def diary(
    *,
    cramps=(),
    checkins=(),
    fluid: dict[date, int] | None = None,
    compression: dict[date, float] | None = None,
    **profile,
) -> PatientFacts:
    return PatientFacts(
        today=TODAY,
        now=NOW,
        cramps=list(cramps),
        checkins=list(checkins),
        fluid_ml_by_day=fluid or {},
        compression_hours_by_day=compression or {},
        **profile,
    )


def at_moment(moment: datetime, **answers) -> CheckInFact:
    """A check-in recorded at an exact moment (for the look-back boundaries)."""
    return CheckInFact(id=f"ci-{moment.isoformat()}", recorded_at=moment, local_date=moment.date(), **answers)


def quiet_month() -> PatientFacts:
    """Four ordinary weeks: a morning check-in most days with nothing much, three mild night cramps,
    enough to drink, stockings every day."""
    cramp_on = {ago(25), ago(14), ago(3)}
    checkins = [
        morning(ago(n), "some" if ago(n) in cramp_on else "none", heaviness=2, aching=1)
        for n in range(1, 29)
        if n % 5 != 0  # a few mornings missed
    ]
    return diary(
        cramps=[night_cramp(night, severity=3) for night in sorted(cramp_on)],
        checkins=checkins,
        fluid={ago(n): 2100 + 50 * (n % 3) for n in range(0, 28)},
        compression={ago(n): 9.0 for n in range(0, 28)},
    )


def busy_month(**profile) -> PatientFacts:
    """Four hard weeks that raise every rule: cramps on the nights after low-fluid days without stockings
    (and with coffee), swollen legs every day, walking cramps that ease with rest, water tablets, skin
    changes, and tonight's check-in with a swollen painful left leg and breathlessness."""
    cramps, checkins, fluid, compression = [], [], {}, {}
    for n in range(1, 29):
        night = ago(n)
        low_day = n % 2 == 1
        fluid[night] = 1100 if low_day else 2300
        if not low_day:
            compression[night] = 9.5
        if low_day:
            cramps.append(night_cramp(night, severity=8 if n % 3 == 0 else 6))
        checkins.append(
            morning(
                night,
                "some" if low_day else "none",
                swelling_left=1,
                swelling_right=1,
                heaviness=5,
                visible_veins=n == 9,
                skin_changes=n == 12,
            )
        )
    cramps += [day_cramp(ago(20)), day_cramp(ago(11), activity="exercising"), day_cramp(ago(4))]
    checkins.append(
        checkin(
            TODAY,
            hour=19,
            swelling_left=3,
            swelling_right=1,
            circumference_left_cm=41.0,
            circumference_right_cm=37.0,
            circumference_site_left="calf",
            circumference_site_right="calf",
            calf_pain_or_tenderness=True,
            sudden_onset=True,
            sudden_chest_pain_or_breathlessness=True,
        )
    )
    # Coffee on the low-fluid days, the days before the cramp nights.
    coffee = FactorFact(name="coffee", days=frozenset(ago(n) for n in range(1, 29, 2)))
    return diary(
        cramps=cramps,
        checkins=checkins,
        fluid=fluid,
        compression=compression,
        takes_diuretics=True,
        factors=[coffee],
        **profile,
    )


# A right leg two levels more swollen than the left and 3.5 cm larger at the calf, tender, no acute sign.
# Both legs suddenly, severely swollen and painful: both_legs_swollen's picture.
BOTH_LEGS_SUDDENLY_SWOLLEN = {
    "swelling_left": 3,
    "swelling_right": 3,
    "sudden_onset": True,
    "calf_pain_or_tenderness": True,
}
TENDER_RIGHT_CALF = {
    "swelling_left": 0,
    "swelling_right": 2,
    "circumference_left_cm": 36.0,
    "circumference_right_cm": 39.5,
    "circumference_site_left": "calf",
    "circumference_site_right": "calf",
    "calf_pain_or_tenderness": True,
}


def follow_up_week(**profile) -> PatientFacts:
    """A week after busy_month's alarm: breathlessness reported five days ago (past the emergency's two),
    a swollen tender right leg three days ago that came on slowly, and yesterday both legs suddenly severely
    swollen and painful. Raises the three follow-ups and nothing urgent."""
    return diary(
        checkins=[
            checkin(ago(5), hour=19, sudden_chest_pain_or_breathlessness=True),
            checkin(ago(3), hour=20, **TENDER_RIGHT_CALF),
            checkin(ago(1), hour=20, **BOTH_LEGS_SUDDENLY_SWOLLEN),
        ],
        **profile,
    )


def nightly(cramped_nights: int, *, signs: dict | None = None, sign_days: int = 0) -> PatientFacts:
    """Night cramps logged on the first `cramped_nights` nights (ago 1, 2, ...), and check-ins with `signs`
    on the first `sign_days` days."""
    return diary(
        cramps=[night_cramp(ago(n)) for n in range(1, cramped_nights + 1)],
        checkins=[checkin(ago(n), hour=20, **(signs or {})) for n in range(sign_days)],
    )


def hydration_diary(under: tuple[int, int], over: tuple[int, int], **profile) -> PatientFacts:
    """`under` = (cramp nights, nights) after days under the 2000 ml target; `over` likewise at or over it.
    Every counted night is observed by its morning answer."""
    fluid, checkins = {}, []
    nights = iter(range(1, 29))
    for ml, (cramped, total) in ((1200, under), (2400, over)):
        for i in range(total):
            night = ago(next(nights))
            fluid[night] = ml
            checkins.append(morning(night, "some" if i < cramped else "none"))
    return diary(checkins=checkins, fluid=fluid, **profile)


def compression_diary(worn: tuple[int, int], none: tuple[int, int], *, part_days: int = 0) -> PatientFacts:
    """`worn` = (cramp nights, nights) after days with 9 h of stockings; `none` likewise after days without;
    `part_days` more observed cramp nights after days with 4 h (which do not count either way)."""
    compression, checkins = {}, []
    nights = iter(range(1, 29))
    for hours, (cramped, total) in ((9.0, worn), (0.0, none), (4.0, (part_days, part_days))):
        for i in range(total):
            night = ago(next(nights))
            if hours:
                compression[night] = hours
            checkins.append(morning(night, "some" if i < cramped else "none"))
    return diary(checkins=checkins, compression=compression)


def codes(facts: PatientFacts) -> set[str]:
    return {insight.code for insight in evaluate(facts)}


# --- Windows and nights -------------------------------------------------------------------------


def test_the_night_window_is_the_28_nights_before_tonight():
    nights = window_nights(diary())
    assert len(nights) == 28
    assert nights[0] == ago(28)
    assert nights[-1] == ago(1)


def test_the_day_window_is_the_28_days_up_to_today():
    days = window_days(diary())
    assert len(days) == 28
    assert days[0] == ago(27)
    assert days[-1] == TODAY


def test_tonight_is_not_counted_and_a_night_29_days_ago_is_outside_the_window():
    facts = diary(
        cramps=[night_cramp(TODAY, hour=21), night_cramp(ago(28)), night_cramp(ago(29))],
        checkins=[morning(ago(29), "some"), morning(ago(1), "none")],
    )
    assert night_cramp(TODAY, hour=21).night == TODAY
    assert observed_nights(facts) == {ago(28): True, ago(1): False}


def test_unknown_nights_are_not_cramp_free():
    # Cramps on 6 nights, "none" on 6 more, and 16 nights nobody said anything about.
    cramps = [night_cramp(ago(n)) for n in (2, 5, 9, 13, 20, 26)]
    answers = [morning(ago(n), "none") for n in (1, 3, 7, 11, 17, 23)]
    not_said = [morning(ago(n), None, heaviness=2) for n in (4, 6, 8)]
    facts = diary(cramps=cramps, checkins=answers + not_said, fluid={ago(n): 1000 for n in range(1, 29)})

    observed = observed_nights(facts)
    assert len(observed) == 12
    assert sum(observed.values()) == 6
    assert all(ago(n) not in observed for n in (4, 6, 8, 10, 27))
    assert cramp_nights(facts) == {ago(n) for n in (2, 5, 9, 13, 20, 26)}
    # The rate over 28 logged fluid days uses only the 12 observed nights: 6 of 12, not 6 of 28.
    under = hydration_association(facts)["under"]
    assert (under.cramp_nights, under.nights, under.rate) == (6, 12, 0.5)


def test_a_some_answer_makes_a_cramp_night_and_a_none_answer_a_cramp_free_one():
    facts = diary(checkins=[morning(ago(3), "some"), morning(ago(2), "none")])
    assert observed_nights(facts) == {ago(3): True, ago(2): False}


def test_a_none_answer_and_a_logged_night_cramp_the_same_night_make_a_cramp_night():
    facts = diary(cramps=[night_cramp(ago(4))], checkins=[morning(ago(4), "none")])
    assert observed_nights(facts) == {ago(4): True}
    assert cramp_nights(facts) == {ago(4)}


def test_a_daytime_walking_cramp_says_nothing_about_the_night():
    facts = diary(cramps=[day_cramp(ago(5), hour=16)])
    assert facts.cramps[0].night == ago(5)
    assert observed_nights(facts) == {}


def test_night_rates_groups_observed_nights_and_leaves_out_the_unclassified():
    observed = {ago(1): True, ago(2): False, ago(3): True, ago(4): True}
    rates = night_rates(
        observed,
        lambda night: None if night == ago(4) else ("odd" if night.day % 2 else "even"),
        groups=("x",),
    )
    assert rates["x"].nights == 0
    assert rates["x"].rate is None
    assert sum(rate.nights for rate in rates.values()) == 3
    assert sum(rate.cramp_nights for rate in rates.values()) == 2


# --- emergency_warning --------------------------------------------------------------------------


def test_emergency_warning_fires_on_chest_pain_reported_this_evening():
    facts = diary(checkins=[checkin(TODAY, hour=19, sudden_chest_pain_or_breathlessness=True)])
    insight = rule_emergency_warning(facts)
    assert insight is not None
    assert insight.level == "urgent"
    assert insight.evidence["date"] == TODAY.isoformat()
    assert "Call your emergency number now (for example 112 or 911)" in insight.explanation
    assert insight.first_seen == insight.last_seen == local(TODAY, 19)


def test_emergency_warning_fires_on_a_check_in_exactly_two_days_old():
    facts = diary(checkins=[at_moment(NOW - timedelta(days=2), sudden_chest_pain_or_breathlessness=True)])
    assert rule_emergency_warning(facts) is not None


def test_emergency_warning_does_not_fire_on_a_check_in_three_days_old():
    facts = diary(checkins=[at_moment(NOW - timedelta(days=3), sudden_chest_pain_or_breathlessness=True)])
    assert rule_emergency_warning(facts) is None


def test_emergency_warning_does_not_fire_on_a_quiet_month():
    assert rule_emergency_warning(quiet_month()) is None


# --- urgent_dvt_warning -------------------------------------------------------------------------


def test_dvt_warning_fires_on_one_swollen_painful_leg_that_came_on_suddenly():
    facts = diary(
        checkins=[
            checkin(
                ago(2), swelling_left=0, swelling_right=2, calf_pain_or_tenderness=True, sudden_onset=True
            )
        ]
    )
    insight = rule_urgent_dvt_warning(facts)
    assert insight is not None
    assert insight.level == "urgent"
    assert insight.evidence["leg"] == "right"
    assert insight.evidence["swelling_left"] == 0
    assert insight.evidence["swelling_right"] == 2
    assert insight.evidence["date"] == ago(2).isoformat()
    assert "right leg" in insight.explanation
    assert "moderate against none" in insight.explanation


def test_dvt_warning_fires_on_an_ankle_3_cm_larger_with_redness():
    facts = diary(
        checkins=[
            checkin(
                ago(1),
                swelling_left=1,
                swelling_right=1,
                circumference_left_cm=38.3,
                circumference_right_cm=35.3,
                circumference_site_left="ankle",
                circumference_site_right="ankle",
                calf_pain_or_tenderness=True,
                redness_or_warmth=True,
            )
        ]
    )
    insight = rule_urgent_dvt_warning(facts)
    assert insight is not None
    assert insight.evidence["leg"] == "left"
    assert insight.evidence["circumference_difference_cm"] == 3.0
    assert insight.evidence["circumference_site"] == "ankle"
    assert "the ankle measuring 38.3 cm against 35.3 cm" in insight.explanation


def test_dvt_warning_fires_on_a_calf_more_than_3_cm_larger_and_not_on_exactly_3():
    # Wells: "calf swelling > 3 cm compared with the asymptomatic leg".
    signs = {"calf_pain_or_tenderness": True, "sudden_onset": True}
    calves = {"circumference_site_left": "calf", "circumference_site_right": "calf"}
    larger = checkin(ago(1), circumference_left_cm=38.4, circumference_right_cm=35.3, **calves, **signs)
    exactly = checkin(ago(1), circumference_left_cm=38.3, circumference_right_cm=35.3, **calves, **signs)
    insight = rule_urgent_dvt_warning(diary(checkins=[larger]))
    assert insight is not None
    assert (insight.evidence["circumference_difference_cm"], insight.evidence["circumference_site"]) == (
        3.1,
        "calf",
    )
    assert "the calf measuring 38.4 cm against 35.3 cm" in insight.explanation
    assert one_sided_swelling(exactly) is None
    # Measured and compared, so not "unknown": the acute signs alone do not warn through it.
    assert rule_urgent_dvt_warning(diary(checkins=[exactly])) is None


@pytest.mark.parametrize(
    "answers",
    [
        {"swelling_left": 2, "swelling_right": 1},  # one level apart
        {
            "swelling_left": 1,
            "swelling_right": 1,
            "circumference_left_cm": 38.2,
            "circumference_right_cm": 35.3,
            "circumference_site_left": "ankle",
            "circumference_site_right": "ankle",
        },
        {"swelling_left": 1, "swelling_right": 1, "circumference_left_cm": 45.0},  # one leg measured only
    ],
    ids=["one-level", "2.9-cm", "one-circumference"],
)
def test_dvt_warning_does_not_fire_one_step_short_of_one_sided_swelling(answers):
    signs = {"calf_pain_or_tenderness": True, "sudden_onset": True, "redness_or_warmth": True}
    facts = diary(checkins=[checkin(ago(1), **answers, **signs)])
    assert rule_urgent_dvt_warning(facts) is None


@pytest.mark.parametrize(
    ("rule", "signs"),
    [
        (rule_urgent_dvt_warning, {"swelling_left": 3, "swelling_right": 0, "sudden_onset": True}),
        (rule_swollen_painful_leg, {"swelling_left": 3, "swelling_right": 0}),
        (rule_both_legs_swollen, {"swelling_left": 3, "swelling_right": 3, "sudden_onset": True}),
    ],
    ids=["urgent_dvt_warning", "swollen_painful_leg", "both_legs_swollen"],
)
def test_the_leg_rules_fire_on_a_check_in_exactly_seven_days_old_and_not_older(rule, signs):
    signs = {**signs, "calf_pain_or_tenderness": True}
    assert rule(diary(checkins=[at_moment(NOW - timedelta(days=7), **signs)])) is not None
    assert rule(diary(checkins=[at_moment(NOW - timedelta(days=7, minutes=1), **signs)])) is None
    assert rule(diary(checkins=[at_moment(NOW - timedelta(days=8), **signs)])) is None


@pytest.mark.parametrize(
    "answers",
    [
        {"swelling_left": 2, "swelling_right": 2},
        {"swelling_left": 2, "swelling_right": 2, "calf_pain_or_tenderness": True, "sudden_onset": True},
        {"swelling_left": 3, "swelling_right": 2},
        {"swelling_left": 3, "swelling_right": 2, "calf_pain_or_tenderness": True, "redness_or_warmth": True},
        {"swelling_left": 3, "swelling_right": 3, "redness_or_warmth": True},
        {
            "swelling_left": 2,
            "swelling_right": 2,
            "circumference_left_cm": 40.0,
            "circumference_right_cm": 39.0,
        },
    ],
    ids=["2-2-painless", "2-2-pain-sudden", "3-2-painless", "3-2-pain-redness", "3-3-redness", "2-2-1cm"],
)
def test_swelling_of_both_legs_is_not_a_dvt_warning(answers):
    facts = diary(checkins=[checkin(ago(1), **answers)])
    assert one_sided_swelling(facts.checkins[0]) is None
    assert rule_urgent_dvt_warning(facts) is None
    assert rule_urgent_dvt_warning(diary(checkins=facts.checkins, previous_dvt=True)) is None


def test_one_swollen_leg_without_pain_is_not_a_dvt_warning():
    facts = diary(
        checkins=[checkin(ago(1), swelling_left=3, swelling_right=0, sudden_onset=True)], previous_dvt=True
    )
    assert rule_urgent_dvt_warning(facts) is None


def test_after_a_previous_dvt_one_swollen_painful_leg_is_enough():
    answers = {"swelling_left": 0, "swelling_right": 2, "calf_pain_or_tenderness": True}
    without_history = diary(checkins=[checkin(ago(1), **answers)])
    with_history = diary(checkins=[checkin(ago(1), **answers)], previous_dvt=True)
    assert rule_urgent_dvt_warning(without_history) is None
    insight = rule_urgent_dvt_warning(with_history)
    assert insight is not None
    assert insight.evidence["previous_dvt"] is True


def test_dvt_warning_does_not_fire_on_a_quiet_month():
    assert rule_urgent_dvt_warning(quiet_month()) is None


# --- venous_evaluation --------------------------------------------------------------------------


def test_venous_evaluation_fires_on_cramps_on_ten_nights_with_swollen_legs_on_ten_days():
    facts = nightly(10, signs={"swelling_left": 1, "swelling_right": 2}, sign_days=10)
    insight = rule_venous_evaluation(facts)
    assert insight is not None
    assert insight.level == "advice"
    assert insight.evidence["cramp_nights"] == 10
    assert insight.evidence["signs"] == ["swelling"]
    assert insight.evidence["swelling_days"] == 10
    assert "10 nights" in insight.explanation
    assert "ultrasound scan (duplex)" in insight.explanation
    assert insight.first_seen == local(ago(9), 3)  # the cramp of the oldest cramp night, ago(10)
    assert insight.last_seen == local(TODAY, 20)  # the newest check-in with swelling


@pytest.mark.parametrize(
    ("signs", "sign_days", "expected"),
    [
        ({"heaviness": 4}, 7, ["heaviness_or_aching"]),
        ({"aching": 6}, 7, ["heaviness_or_aching"]),
        ({"visible_veins": True}, 1, ["visible_veins"]),
        ({"skin_changes": True}, 1, ["skin_changes"]),
        ({"swelling_left": 1}, 7, ["swelling"]),
    ],
)
def test_venous_evaluation_fires_with_any_one_venous_sign(signs, sign_days, expected):
    insight = rule_venous_evaluation(nightly(8, signs=signs, sign_days=sign_days))
    assert insight is not None
    assert insight.evidence["signs"] == expected


def test_venous_evaluation_counts_nights_answered_some_as_cramp_nights():
    facts = diary(checkins=[morning(ago(n), "some", swelling_right=1) for n in range(1, 9)])
    insight = rule_venous_evaluation(facts)
    assert insight is not None
    assert insight.evidence["cramp_nights"] == 8


def test_venous_evaluation_does_not_fire_on_seven_cramp_nights():
    assert (
        rule_venous_evaluation(nightly(7, signs={"swelling_left": 2, "visible_veins": True}, sign_days=20))
        is None
    )


@pytest.mark.parametrize("signs", [{"swelling_left": 1}, {"heaviness": 9}, {"aching": 4}])
def test_venous_evaluation_does_not_fire_on_signs_on_only_six_days(signs):
    assert rule_venous_evaluation(nightly(12, signs=signs, sign_days=6)) is None


def test_night_cramps_alone_do_not_raise_venous_evaluation():
    assert rule_venous_evaluation(nightly(20, signs={"heaviness": 3}, sign_days=28)) is None


def test_venous_evaluation_does_not_fire_on_a_quiet_month():
    assert rule_venous_evaluation(quiet_month()) is None


# --- arterial_evaluation ------------------------------------------------------------------------


def test_arterial_evaluation_fires_on_three_walking_cramps_relieved_by_rest():
    facts = diary(cramps=[day_cramp(ago(20)), day_cramp(ago(12), activity="exercising"), day_cramp(ago(2))])
    insight = rule_arterial_evaluation(facts)
    assert insight is not None
    assert insight.level == "advice"
    assert insight.evidence["walking_episodes"] == 3
    assert "circulation (arteries)" in insight.explanation
    assert insight.first_seen == local(ago(20), 15)
    assert insight.last_seen == local(ago(2), 15)


def test_arterial_evaluation_does_not_fire_on_two_walking_cramps():
    assert rule_arterial_evaluation(diary(cramps=[day_cramp(ago(20)), day_cramp(ago(2))])) is None


def test_walking_cramps_that_rest_did_not_relieve_do_not_raise_arterial_evaluation():
    cramps = [day_cramp(ago(n), relieved_by_rest=relief) for n, relief in ((3, False), (5, None), (9, False))]
    assert rule_arterial_evaluation(diary(cramps=cramps)) is None


def test_a_definite_edinburgh_answer_alone_raises_arterial_evaluation():
    answer = ClaudicationFact(answered_at=local(ago(40), 10), result="definite", grade=1)
    insight = rule_arterial_evaluation(diary(claudication=answer))
    assert insight is not None
    assert insight.evidence["by_questionnaire"] is True
    assert insight.evidence["walking_episodes"] == 0


@pytest.mark.parametrize(
    "answer",
    [
        ClaudicationFact(answered_at=local(ago(40), 10), result="atypical"),
        ClaudicationFact(answered_at=local(ago(40), 10), result="negative"),
        ClaudicationFact(answered_at=local(ago(400), 10), result="definite"),
    ],
    ids=["atypical", "negative", "over-a-year-old"],
)
def test_a_non_positive_or_old_edinburgh_answer_does_not_raise_arterial_evaluation(answer):
    assert rule_arterial_evaluation(diary(claudication=answer)) is None


def test_walking_cramps_relieved_by_rest_raise_arterial_and_not_venous_evaluation():
    # Ten afternoons of walking cramps, swollen legs every day, and no night cramps at all.
    cramps = [day_cramp(ago(n), severity=5) for n in range(1, 20, 2)]
    checkins = [checkin(ago(n), hour=20, swelling_left=1, swelling_right=1) for n in range(0, 28)]
    facts = diary(cramps=cramps, checkins=checkins)
    assert observed_nights(facts) == {}
    assert "arterial_evaluation" in codes(facts)
    assert "venous_evaluation" not in codes(facts)


def test_arterial_evaluation_does_not_fire_on_a_quiet_month():
    assert rule_arterial_evaluation(quiet_month()) is None


# --- frequent_severe_cramps ---------------------------------------------------------------------


def test_frequent_severe_cramps_fires_on_twelve_episodes():
    insight = rule_frequent_severe_cramps(nightly(12))
    assert insight is not None
    assert insight.evidence["episodes"] == 12
    assert insight.evidence["by_count"] is True


def test_frequent_severe_cramps_does_not_fire_on_eleven_mild_episodes():
    facts = nightly(11)
    # A twelfth one whose local date is 28 days ago is outside the day window.
    facts = diary(cramps=[*facts.cramps, day_cramp(ago(28))])
    assert rule_frequent_severe_cramps(facts) is None


def test_frequent_severe_cramps_fires_on_six_severe_episodes():
    insight = rule_frequent_severe_cramps(
        diary(cramps=[night_cramp(ago(n), severity=7) for n in range(1, 7)])
    )
    assert insight is not None
    assert insight.evidence == {
        "episodes": 6,
        "severe_episodes": 6,
        "severity_not_said": 0,
        "severe_score": 7,
        "by_count": False,
        "by_severity": True,
        "dates": [ago(n).isoformat() for n in range(0, 6)][::-1],
    }


def test_frequent_severe_cramps_does_not_fire_on_five_severe_episodes():
    cramps = [night_cramp(ago(n), severity=9) for n in range(1, 6)] + [
        night_cramp(ago(n), severity=6) for n in (8, 9)
    ]
    assert rule_frequent_severe_cramps(diary(cramps=cramps)) is None


def test_frequent_severe_cramps_does_not_fire_on_a_quiet_month():
    assert rule_frequent_severe_cramps(quiet_month()) is None


# --- skin_changes -------------------------------------------------------------------------------


def test_skin_changes_fires_on_one_check_in_reporting_them():
    insight = rule_skin_changes(diary(checkins=[checkin(ago(6), skin_changes=True), checkin(ago(5))]))
    assert insight is not None
    assert insight.evidence == {"checkins": 1, "dates": [ago(6).isoformat()]}
    assert "14 March" in insight.explanation


def test_skin_changes_28_days_ago_are_outside_the_window():
    assert rule_skin_changes(diary(checkins=[checkin(ago(28), skin_changes=True)])) is None
    assert rule_skin_changes(diary(checkins=[checkin(ago(27), skin_changes=True)])) is not None


def test_skin_changes_does_not_fire_on_a_quiet_month():
    assert rule_skin_changes(quiet_month()) is None


# --- medication_review --------------------------------------------------------------------------


def test_medication_review_fires_on_eight_cramps_on_diuretics():
    facts = diary(
        cramps=nightly(5).cramps + [day_cramp(ago(n), activity="sitting") for n in (3, 9, 15)],
        takes_diuretics=True,
    )
    insight = rule_medication_review(facts)
    assert insight is not None
    assert insight.evidence["episodes"] == 8
    assert "Do not stop any medicine on your own" in insight.explanation
    assert "doctor or pharmacist" in insight.explanation


def test_medication_review_does_not_fire_on_seven_cramps_on_diuretics():
    assert rule_medication_review(diary(cramps=nightly(7).cramps, takes_diuretics=True)) is None


def test_medication_review_does_not_fire_without_diuretics():
    assert rule_medication_review(diary(cramps=nightly(15).cramps)) is None


def test_medication_review_does_not_fire_on_a_quiet_month():
    assert rule_medication_review(diary(cramps=quiet_month().cramps, takes_diuretics=True)) is None


# --- low_hydration_pattern ----------------------------------------------------------------------


def test_low_hydration_pattern_fires_on_six_of_eight_against_one_of_eight():
    insight = rule_low_hydration_pattern(hydration_diary(under=(6, 8), over=(1, 8)))
    assert insight is not None
    assert insight.level == "info"
    assert insight.evidence["under"]["cramp_nights"] == 6
    assert insight.evidence["under"]["nights"] == 8
    assert insight.evidence["at_or_over"]["cramp_nights"] == 1
    assert insight.evidence["at_or_over"]["nights"] == 8
    assert insight.evidence["rate_under"] == 0.75
    assert "6 of 8 nights (75%)" in insight.explanation
    assert "1 of 8 nights (12%)" in insight.explanation
    assert "association, not proof" in insight.explanation


@pytest.mark.parametrize(
    ("under", "over", "fires"),
    [
        ((3, 5), (0, 5), True),  # a positive rate against zero
        ((0, 5), (0, 5), False),  # zero against zero
        ((3, 10), (2, 10), True),  # exactly 1.5 times
        ((4, 10), (3, 10), False),  # 1.33 times
        ((4, 4), (0, 10), False),  # four days under the target: too few
        ((5, 10), (0, 4), False),  # four days at or over it: too few
        ((1, 8), (6, 8), False),  # more cramp nights after good days: not this pattern
    ],
)
def test_low_hydration_pattern_thresholds(under, over, fires):
    assert (rule_low_hydration_pattern(hydration_diary(under=under, over=over)) is not None) is fires


def test_a_day_exactly_at_the_fluid_target_counts_as_at_or_over():
    facts = diary(
        fluid={ago(1): 2000, ago(2): 1999}, checkins=[morning(ago(1), "none"), morning(ago(2), "some")]
    )
    rates = hydration_association(facts)
    assert (rates["under"].nights, rates["at_or_over"].nights) == (1, 1)
    assert rates["under"].dates == (ago(2),)


def test_days_without_a_drink_logged_and_unobserved_nights_are_left_out_of_the_hydration_rates():
    facts = hydration_diary(under=(6, 8), over=(1, 8))
    more = [morning(ago(n), "some") for n in range(17, 25)]  # observed, but no fluid logged
    fluid = {**facts.fluid_ml_by_day, **{ago(n): 900 for n in range(25, 29)}}  # logged, never observed
    rates = hydration_association(diary(checkins=facts.checkins + more, fluid=fluid))
    assert (rates["under"].cramp_nights, rates["under"].nights) == (6, 8)
    assert (rates["at_or_over"].cramp_nights, rates["at_or_over"].nights) == (1, 8)


def test_low_hydration_pattern_does_not_fire_on_a_quiet_month():
    assert rule_low_hydration_pattern(quiet_month()) is None


# --- compression_association --------------------------------------------------------------------


def test_compression_association_fires_on_fewer_cramp_nights_after_days_in_stockings():
    insight = rule_compression_association(compression_diary(worn=(1, 8), none=(6, 8)))
    assert insight is not None
    assert insight.level == "info"
    assert insight.evidence["fewer_with_compression"] is True
    assert insight.evidence["rate_none"] == 0.75
    assert "1 of 8 nights (12%)" in insight.explanation
    assert "6 of 8 nights (75%)" in insight.explanation
    assert "association, not proof" in insight.explanation


def test_compression_association_fires_either_way():
    insight = rule_compression_association(compression_diary(worn=(6, 8), none=(1, 8)))
    assert insight is not None
    assert insight.evidence["fewer_with_compression"] is False


@pytest.mark.parametrize(
    ("worn", "none", "fires"),
    [
        ((0, 5), (3, 5), True),
        ((3, 5), (0, 5), True),
        ((0, 5), (0, 5), False),
        ((4, 10), (3, 10), False),
        ((1, 4), (6, 10), False),  # four compression days: too few
        ((1, 10), (4, 4), False),  # four days without: too few
    ],
)
def test_compression_association_thresholds(worn, none, fires):
    assert (rule_compression_association(compression_diary(worn=worn, none=none)) is not None) is fires


def test_days_with_some_compression_but_under_eight_hours_are_left_out():
    facts = compression_diary(worn=(1, 8), none=(6, 8), part_days=6)
    rates = compression_association(facts)
    assert (rates["worn"].nights, rates["none"].nights) == (8, 8)
    assert len(observed_nights(facts)) == 22


def test_compression_association_does_not_fire_on_a_quiet_month():
    assert rule_compression_association(quiet_month()) is None


# --- Circumference sites: like with like (issue 21) ---------------------------------------------

CALVES = {"circumference_site_left": "calf", "circumference_site_right": "calf"}
ANKLES = {"circumference_site_left": "ankle", "circumference_site_right": "ankle"}


def test_a_left_ankle_against_a_right_calf_is_compared_with_nothing():
    measured = checkin(
        ago(1),
        circumference_left_cm=30.0,
        circumference_right_cm=40.0,
        calf_pain_or_tenderness=True,
        circumference_site_left="ankle",
        circumference_site_right="calf",
    )
    assert comparable_site(measured) is None
    assert one_sided_swelling(measured) is None
    # Not compared, so one-sidedness is unknown: no advice for a swollen leg that nobody could tell.
    assert rule_swollen_painful_leg(diary(checkins=[measured])) is None
    assert rule_urgent_dvt_warning(diary(checkins=[measured], previous_dvt=True)) is None


@pytest.mark.parametrize(
    "sites",
    [{"circumference_site_left": "calf", "circumference_site_right": None}, {}],
    ids=["one-site-not-said", "no-site"],
)
def test_a_site_not_said_does_not_silence_the_comparison(sites):
    # A blank is not an answer either way: 10 cm between the legs still counts, as it did before sites.
    measured = checkin(
        ago(1), circumference_left_cm=30.0, circumference_right_cm=40.0, calf_pain_or_tenderness=True, **sites
    )
    assert comparable_site(measured) == SITE_NOT_SAID
    assert one_sided_swelling(measured).leg == "right"
    assert rule_swollen_painful_leg(diary(checkins=[measured])) is not None
    assert rule_urgent_dvt_warning(diary(checkins=[measured], previous_dvt=True)) is not None


@pytest.mark.parametrize(("left", "one_sided"), [(38.3, True), (38.2, False)], ids=["3.0", "2.9"])
def test_where_the_site_was_not_said_3_cm_or_more_is_one_sided(left, one_sided):
    measured = checkin(ago(1), circumference_left_cm=left, circumference_right_cm=35.3)
    assert (one_sided_swelling(measured) is not None) is one_sided


def test_the_same_site_on_both_legs_is_compared():
    assert comparable_site(
        checkin(ago(1), circumference_left_cm=30.0, circumference_right_cm=31.0, **ANKLES)
    ) == ("ankle")
    # A site said without its measurement compares nothing either.
    assert comparable_site(checkin(ago(1), circumference_left_cm=30.0, **CALVES)) is None


@pytest.mark.parametrize(
    ("sites", "left", "one_sided"),
    [
        (CALVES, 38.4, True),  # 3.1 cm: more than 3
        (CALVES, 38.3, False),  # 3.0 cm: not more than 3 (Wells)
        (ANKLES, 38.3, True),  # 3.0 cm: at least 3 at the ankle
        (ANKLES, 38.2, False),  # 2.9 cm
    ],
    ids=["calf-3.1", "calf-3.0", "ankle-3.0", "ankle-2.9"],
)
def test_the_circumference_thresholds_by_site(sites, left, one_sided):
    measured = checkin(ago(1), circumference_left_cm=left, circumference_right_cm=35.3, **sites)
    assert (one_sided_swelling(measured) is not None) is one_sided


# --- swollen_painful_leg (advice) --------------------------------------------------------------


def test_swollen_painful_leg_fires_on_one_swollen_tender_leg_without_sudden_onset_or_redness():
    facts = diary(
        checkins=[checkin(ago(2), hour=20, swelling_left=0, swelling_right=2, calf_pain_or_tenderness=True)]
    )
    insight = rule_swollen_painful_leg(facts)
    assert insight is not None
    assert insight.level == "advice"
    assert insight.evidence["leg"] == "right"
    assert insight.evidence["swelling_difference"] == 2
    assert insight.title == "One swollen, painful leg: see a doctor within a day or two"
    assert insight.explanation.startswith(
        "In your check-in on 18 March you reported that your right leg was more swollen than your left leg "
        "(swelling moderate against none), with pain or tenderness in the calf."
    )
    assert "please see your doctor within a day or two" in insight.explanation
    assert "if you feel short of breath or get chest pain, call your emergency number" in insight.explanation
    assert insight.first_seen == insight.last_seen == local(ago(2), 20)
    assert rule_urgent_dvt_warning(facts) is None
    assert "urgent_dvt_warning" not in codes(facts)


@pytest.mark.parametrize(
    ("answers", "fires"),
    [
        ({"swelling_left": 2, "swelling_right": 0}, True),  # two levels: at the threshold
        ({"swelling_left": 2, "swelling_right": 1}, False),  # one level: one below
        ({"circumference_left_cm": 39.4, "circumference_right_cm": 36.3, **CALVES}, True),  # calf 3.1
        ({"circumference_left_cm": 39.3, "circumference_right_cm": 36.3, **CALVES}, False),  # calf 3.0
        ({"circumference_left_cm": 39.3, "circumference_right_cm": 36.3, **ANKLES}, True),  # ankle 3.0
        ({"circumference_left_cm": 39.2, "circumference_right_cm": 36.3, **ANKLES}, False),  # ankle 2.9
    ],
    ids=["2-levels", "1-level", "calf-3.1", "calf-3.0", "ankle-3.0", "ankle-2.9"],
)
def test_swollen_painful_leg_thresholds(answers, fires):
    facts = diary(checkins=[checkin(ago(1), calf_pain_or_tenderness=True, **answers)])
    assert (rule_swollen_painful_leg(facts) is not None) is fires


def test_a_swollen_leg_without_pain_raises_no_swollen_painful_leg():
    assert (
        rule_swollen_painful_leg(diary(checkins=[checkin(ago(1), swelling_left=3, swelling_right=0)])) is None
    )


def test_a_swollen_right_leg_is_not_read_as_the_left():
    facts = diary(checkins=[checkin(ago(1), swelling_left=0, swelling_right=3, calf_pain_or_tenderness=True)])
    assert rule_swollen_painful_leg(facts).evidence["leg"] == "right"


def test_a_leg_whose_swelling_was_not_said_is_compared_with_nothing():
    # Not said is not "none": a severe right leg beside an unanswered left one is not one-sided.
    facts = diary(checkins=[checkin(ago(1), swelling_right=3, calf_pain_or_tenderness=True)])
    assert rule_swollen_painful_leg(facts) is None


@pytest.mark.parametrize(
    ("signs", "profile"),
    [({"sudden_onset": True}, {}), ({"redness_or_warmth": True}, {}), ({}, {"previous_dvt": True})],
    ids=["sudden-onset", "redness", "previous-dvt"],
)
def test_when_the_urgent_dvt_warning_fires_swollen_painful_leg_stays_silent(signs, profile):
    facts = diary(
        checkins=[checkin(ago(1), swelling_left=3, swelling_right=0, calf_pain_or_tenderness=True, **signs)],
        **profile,
    )
    assert rule_urgent_dvt_warning(facts) is not None
    assert rule_swollen_painful_leg(facts) is None


def test_an_urgent_check_in_days_later_silences_the_earlier_advice_too():
    slow = checkin(ago(4), swelling_left=0, swelling_right=2, calf_pain_or_tenderness=True)
    sudden = checkin(
        ago(1), swelling_left=0, swelling_right=2, calf_pain_or_tenderness=True, sudden_onset=True
    )
    assert rule_swollen_painful_leg(diary(checkins=[slow])) is not None
    assert codes(diary(checkins=[slow, sudden])) == {"urgent_dvt_warning"}


def test_a_previous_dvt_not_said_neither_fires_the_urgent_warning_nor_silences_the_advice():
    facts = diary(
        checkins=[checkin(ago(1), swelling_left=2, swelling_right=0, calf_pain_or_tenderness=True)],
        previous_dvt=None,
    )
    assert rule_urgent_dvt_warning(facts) is None
    assert rule_swollen_painful_leg(facts) is not None


def test_swollen_painful_leg_is_not_urgent_so_the_check_in_raises_no_urgent_warning():
    tender = checkin(TODAY, hour=21, swelling_left=2, swelling_right=0, calf_pain_or_tenderness=True)
    assert urgent_for_checkin(tender, previous_dvt=False) == []
    assert [i.level for i in evaluate(diary(checkins=[tender]))] == ["advice"]


# --- both_legs_swollen (advice) ----------------------------------------------------------------


def test_both_legs_swollen_fires_on_both_legs_suddenly_severely_swollen_and_painful():
    facts = diary(checkins=[checkin(ago(1), hour=20, **BOTH_LEGS_SUDDENLY_SWOLLEN)])
    insight = rule_both_legs_swollen(facts)
    assert insight is not None
    assert insight.level == "advice"
    assert insight.title == "Both legs suddenly swollen and painful: be seen soon"
    assert "please see your doctor today or tomorrow" in insight.explanation
    assert "call your emergency number (for example 112 or 911) at once" in insight.explanation
    assert insight.evidence["date"] == ago(1).isoformat()
    assert rule_urgent_dvt_warning(facts) is None


@pytest.mark.parametrize(
    ("answers", "fires"),
    [
        ({"swelling_left": 3, "swelling_right": 3}, True),  # severe on both: at the threshold
        ({"swelling_left": 3, "swelling_right": 2}, False),  # one leg a level below
        ({"swelling_left": 2, "swelling_right": 3}, False),  # the other leg
        ({"swelling_left": 3, "swelling_right": None}, False),  # one leg not said: not severe
        ({"swelling_left": 3, "swelling_right": 3, "sudden_onset": False}, False),  # came on slowly
        ({"swelling_left": 3, "swelling_right": 3, "calf_pain_or_tenderness": False}, False),  # painless
    ],
    ids=["3-3", "3-2", "2-3", "3-not-said", "not-sudden", "painless"],
)
def test_both_legs_swollen_thresholds(answers, fires):
    signs = {"sudden_onset": True, "calf_pain_or_tenderness": True}
    facts = diary(checkins=[checkin(ago(1), **{**signs, **answers})])
    assert (rule_both_legs_swollen(facts) is not None) is fires


def test_both_legs_swollen_stays_silent_while_the_urgent_dvt_warning_fires():
    # Both severe, yet the calves differ by 4 cm: one-sided by measure, with sudden onset and pain.
    facts = diary(
        checkins=[
            checkin(
                ago(1),
                swelling_left=3,
                swelling_right=3,
                circumference_left_cm=42.0,
                circumference_right_cm=38.0,
                sudden_onset=True,
                calf_pain_or_tenderness=True,
                **CALVES,
            )
        ]
    )
    assert rule_urgent_dvt_warning(facts) is not None
    assert rule_both_legs_swollen(facts) is None


# --- chest_pain_follow_up (advice) -------------------------------------------------------------


def chest_pain_at(moment: datetime) -> PatientFacts:
    return diary(checkins=[at_moment(moment, sudden_chest_pain_or_breathlessness=True)])


def test_chest_pain_two_days_old_is_the_emergency_and_a_minute_later_the_follow_up():
    two_days = chest_pain_at(NOW - timedelta(days=2))
    assert codes(two_days) == {"emergency_warning"}
    a_minute_more = chest_pain_at(NOW - timedelta(days=2, minutes=1))
    assert codes(a_minute_more) == {"chest_pain_follow_up"}


def test_the_chest_pain_follow_up_names_the_episode_on_the_patients_date():
    insight = rule_chest_pain_follow_up(
        diary(checkins=[checkin(ago(5), hour=19, sudden_chest_pain_or_breathlessness=True)])
    )
    assert insight.level == "advice"
    assert insight.title == "Chest pain or breathlessness on 15 March: tell your doctor"
    assert (
        "Please tell your doctor about the episode on 15 March, even if it has passed" in insight.explanation
    )
    assert "If it comes back, call your emergency number now" in insight.explanation
    assert insight.evidence["dates"] == [ago(5).isoformat()]


def test_the_follow_up_date_is_the_patients_local_date_not_utc():
    # 00:30 in Berlin on 15 March is 23:30 UTC on 14 March.
    moment = datetime(2026, 3, 15, 0, 30, tzinfo=BERLIN)
    insight = rule_chest_pain_follow_up(chest_pain_at(moment))
    assert insight.evidence["date"] == "2026-03-15"
    assert "on 15 March" in insight.explanation


def test_the_chest_pain_follow_up_lasts_the_28_local_days_of_the_window():
    # Today is 20 March: the 28 days are 21 February .. 20 March, whatever the hour.
    assert rule_chest_pain_follow_up(chest_pain_at(local(ago(27), 0, 5))) is not None  # the 28th day
    assert rule_chest_pain_follow_up(chest_pain_at(local(ago(28), 23, 55))) is None  # the 29th


def test_a_newer_emergency_silences_the_follow_up_of_an_older_episode():
    older = checkin(ago(10), sudden_chest_pain_or_breathlessness=True)
    newer = checkin(TODAY, hour=19, sudden_chest_pain_or_breathlessness=True)
    assert codes(diary(checkins=[older, newer])) == {"emergency_warning"}
    both_past = rule_chest_pain_follow_up(
        diary(checkins=[older, checkin(ago(4), sudden_chest_pain_or_breathlessness=True)])
    )
    assert both_past.evidence["dates"] == [ago(10).isoformat(), ago(4).isoformat()]
    assert "about the episodes on 10 March and 16 March" in both_past.explanation


def test_no_chest_pain_no_follow_up():
    assert (
        rule_chest_pain_follow_up(diary(checkins=[checkin(ago(5), swelling_left=1, swelling_right=1)]))
        is None
    )


def test_follow_up_week_raises_the_three_follow_ups_and_nothing_urgent():
    insights = evaluate(follow_up_week())
    assert {i.code for i in insights} == FOLLOW_UP_CODES
    assert {i.level for i in insights} == {"advice"}


# --- evaluate, ordering, levels -----------------------------------------------------------------


def test_a_busy_month_raises_every_rule():
    assert codes(busy_month()) == ALL_CODES


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_no_rule_fires_on_a_quiet_month(rule):
    assert rule(quiet_month()) is None


def test_a_quiet_month_raises_nothing_above_info():
    assert highest_level(evaluate(quiet_month())) in (None, "info")


def test_evaluate_orders_urgent_first_then_advice_then_info_newest_evidence_first():
    insights = evaluate(busy_month())
    ranks = [LEVEL_RANK[insight.level] for insight in insights]
    assert ranks == sorted(ranks, reverse=True)
    assert insights[0].level == "urgent"
    assert insights[-1].level == "info"
    for level in LEVEL_RANK:
        seen = [insight.last_seen for insight in insights if insight.level == level]
        assert seen == sorted(seen, reverse=True)


def test_highest_level():
    def make(level: str) -> Insight:
        return Insight(
            code="x", level=level, title="", explanation="", evidence={}, first_seen=None, last_seen=None
        )

    assert highest_level([]) is None
    assert highest_level([make("info")]) == "info"
    assert highest_level([make("info"), make("urgent"), make("advice")]) == "urgent"
    assert highest_level(evaluate(busy_month())) == "urgent"


def test_urgent_for_checkin_returns_the_same_two_urgent_insights_as_the_rules():
    alarming = checkin(
        TODAY,
        hour=21,
        swelling_left=0,
        swelling_right=3,
        calf_pain_or_tenderness=True,
        redness_or_warmth=True,
        sudden_chest_pain_or_breathlessness=True,
    )
    from_rules = [insight for insight in evaluate(diary(checkins=[alarming])) if insight.level == "urgent"]
    assert [insight.code for insight in from_rules] == ["emergency_warning", "urgent_dvt_warning"]
    assert urgent_for_checkin(alarming, previous_dvt=False) == from_rules


def test_urgent_for_checkin_uses_the_previous_dvt_it_is_given():
    swollen = checkin(TODAY, hour=21, swelling_left=2, swelling_right=0, calf_pain_or_tenderness=True)
    assert urgent_for_checkin(swollen, previous_dvt=False) == []
    assert [i.code for i in urgent_for_checkin(swollen, previous_dvt=True)] == ["urgent_dvt_warning"]


def test_urgent_for_checkin_returns_nothing_for_a_harmless_check_in():
    harmless = checkin(TODAY, hour=21, swelling_left=1, swelling_right=1, heaviness=6, visible_veins=True)
    assert urgent_for_checkin(harmless, previous_dvt=True) == []


# --- Wording and evidence -----------------------------------------------------------------------


def busy_insights() -> list[Insight]:
    answer = ClaudicationFact(answered_at=local(ago(30), 10), result="definite")
    return evaluate(busy_month()) + evaluate(busy_month(previous_dvt=True, claudication=answer))


def test_explanations_make_no_diagnosis_claims():
    for insight in busy_insights():
        text = insight.explanation.lower()
        assert "you have" not in text, insight.code
        assert "you are suffering" not in text, insight.code
        assert "diagnosed" not in text, insight.code
        if insight.level == "info":
            assert "association, not proof" in text, insight.code
        else:
            assert "this is not a diagnosis" in text, insight.code


def test_explanations_never_promise_that_stretching_works():
    for insight in busy_insights():
        assert "stretch" not in insight.explanation.lower()


def test_urgent_explanations_say_what_to_do_now():
    by_code = {insight.code: insight for insight in evaluate(busy_month())}
    emergency = by_code["emergency_warning"].explanation
    dvt = by_code["urgent_dvt_warning"].explanation
    assert "Call your emergency number now" in emergency
    assert "Get medical care today" in dvt
    assert "call your emergency number" in dvt
    assert "left leg" in dvt


def test_every_insight_has_a_title_json_safe_evidence_and_an_ordered_first_and_last_seen():
    for insight in busy_insights():
        assert insight.title
        assert insight.level in LEVEL_RANK
        json.dumps(insight.evidence)  # raises on dates, datetimes and other non-JSON values
        assert insight.first_seen is not None
        assert insight.last_seen is not None
        assert insight.first_seen <= insight.last_seen
        assert insight.last_seen <= NOW


def test_the_thresholds_are_the_documented_defaults():
    assert THRESHOLDS.window_days == 28
    assert (THRESHOLDS.emergency_days, THRESHOLDS.dvt_days) == (2, 7)
    assert (THRESHOLDS.dvt_swelling_levels, THRESHOLDS.dvt_circumference_cm) == (2, 3.0)
    assert (THRESHOLDS.venous_cramp_nights, THRESHOLDS.venous_sign_days, THRESHOLDS.symptom_score) == (
        8,
        7,
        4,
    )
    assert THRESHOLDS.arterial_episodes == 3
    assert (THRESHOLDS.frequent_episodes, THRESHOLDS.severe_episodes, THRESHOLDS.severe_score) == (12, 6, 7)
    assert THRESHOLDS.medication_cramps == 8
    assert (THRESHOLDS.rate_factor, THRESHOLDS.min_days_each_side) == (1.5, 5)
    assert THRESHOLDS.compression_day_hours == 8
