"""The insight rules of PRODUCT.md: pure functions over plain facts, with every threshold in one place.

Nothing here touches the database. `diary.selectors.facts` loads a patient's last weeks into the
plain dataclasses below; `evaluate(facts)` returns the insights, most urgent first;
`urgent_for_checkin(...)` returns the urgent ones a single check-in raises (for the check-in's own
response and, mirrored in the PWA, offline). The definitions the rules share (the window, observed
nights, cramp nights, the hydration and compression associations) are public too, so the trend view
and the summaries count exactly as the rules do. Decisions and sources: docs/decisions/0011.

Decision support, never a diagnosis: each explanation says what was seen and what to do next.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from diary.zones import short_moment_words

# --- Facts: what the rules read ---------------------------------------------------------------


@dataclass(frozen=True)
class CrampFact:
    started_at: datetime
    local_date: date
    night: date  # the night it belongs to (diary.nights.night_of)
    is_nocturnal: bool
    severity: int | None  # 0-10; None: not said
    activity: str | None  # sleeping | resting | sitting | standing | walking | exercising; None: not said
    relieved_by_rest: bool | None


@dataclass(frozen=True)
class CheckInFact:
    id: str
    recorded_at: datetime
    local_date: date
    # None: not answered, never read as 0 ("none") nor as any other level (docs/decisions/0022).
    swelling_left: int | None = None  # 0 none, 1 mild, 2 moderate, 3 severe
    swelling_right: int | None = None
    circumference_left_cm: float | None = None
    circumference_right_cm: float | None = None
    heaviness: int | None = None  # 0-10
    aching: int | None = None  # 0-10
    visible_veins: bool = False
    skin_changes: bool = False
    calf_pain_or_tenderness: bool = False
    sudden_onset: bool = False
    redness_or_warmth: bool = False
    sudden_chest_pain_or_breathlessness: bool = False
    cramps_last_night: str | None = None  # "none" | "some" | None (not said); about night local_date - 1


@dataclass(frozen=True)
class ClaudicationFact:
    answered_at: datetime
    result: str  # "negative" | "atypical" | "definite" (Edinburgh Claudication Questionnaire)
    grade: int | None = None


@dataclass(frozen=True)
class PatientFacts:
    """A patient's recent diary as plain data. Windows are in the patient's local dates."""

    today: date
    now: datetime
    fluid_target_ml: int = 2000
    # None: not said on the profile, read as unknown: it neither fires nor silences a rule (decision 0030).
    # The selector always passes the profile's own value; the defaults serve builders in tests.
    takes_diuretics: bool | None = False
    previous_dvt: bool | None = False
    cramps: list[CrampFact] = field(default_factory=list)
    checkins: list[CheckInFact] = field(default_factory=list)
    # Known-fluid days only: a day with no drink logged is absent, not zero.
    fluid_ml_by_day: dict[date, int] = field(default_factory=dict)
    # Hours of compression worn per local day (a wear counts on the day it was put on); absent = none.
    compression_hours_by_day: dict[date, float] = field(default_factory=dict)
    claudication: ClaudicationFact | None = None  # the latest answered questionnaire
    # The patient's IANA zone: the dates an explanation names are the patient's, never UTC's.
    timezone: str = "UTC"


@dataclass(frozen=True)
class Insight:
    code: str
    level: str  # info | advice | urgent
    title: str
    explanation: str
    evidence: dict
    first_seen: datetime | None
    last_seen: datetime | None

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "level": self.level,
            "title": self.title,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


# --- Thresholds: every number the rules use, with its reason and source ------------------------


@dataclass(frozen=True)
class Thresholds:
    # The look-back of every rule "unless stated" (PRODUCT.md, Insights): four weeks hold enough nights
    # for a pattern and are short enough to reflect the current state of the legs.
    window_days: int = 28
    # emergency_warning: sudden chest pain or breathlessness is an emergency whatever its cause; a pulmonary
    # embolism can follow a DVT. Only recent reports are actionable now (PRODUCT.md: "in the last 2 days").
    emergency_days: int = 2
    # urgent_dvt_warning: acute one-sided swelling, pain, tenderness (vein-clinic patient education);
    # "in the last 7 days" keeps it to an acute picture.
    dvt_days: int = 7
    # One leg at least two swelling levels (none, mild, moderate, severe) above the other: clearly one-sided,
    # not the everyday difference of one level.
    dvt_swelling_levels: int = 2
    # Wells criteria: calf swollen > 3 cm compared with the other leg (PRODUCT.md: calf/ankle >= 3 cm larger).
    dvt_circumference_cm: float = 3.0
    # venous_evaluation: nocturnal cramps on >= 8 distinct nights in 28 (about two a week). Idiopathic night
    # cramps are common after 60 (NICE CKS), so this alone is not enough: a venous sign must come with it.
    venous_cramp_nights: int = 8
    # A venous sign counts when present on >= 7 days of the 28 (about a quarter of days): swelling >= mild,
    # or heaviness or aching >= 4. Night cramps with swelling/heaviness point to CVI (vein-clinic patient
    # education).
    venous_sign_days: int = 7
    # Heaviness or aching from 4 of 10 upwards: a symptom the patient notices, not a passing twinge.
    symptom_score: int = 4
    # arterial_evaluation: >= 3 cramps while walking or exercising, relieved by rest: claudication suggests
    # PAD (vein-clinic patient education; Edinburgh Claudication Questionnaire). Three rules out a one-off.
    arterial_episodes: int = 3
    # The Edinburgh questionnaire counts if answered within the last year (claudication is a chronic picture).
    claudication_days: int = 365
    # frequent_severe_cramps: "more frequent and severe muscle cramps should be evaluated by a physician"
    # (vein-clinic patient education): >= 12 episodes (three a week) or >= 6 of severity >= 7 of 10.
    frequent_episodes: int = 12
    severe_episodes: int = 6
    severe_score: int = 7
    # medication_review: diuretics, long-acting beta-agonists and some calcium-channel blockers predispose
    # to leg cramps (NICE CKS leg cramps; Age and Ageing review of nocturnal leg cramps): >= 8 cramps (two a
    # week) while on diuretics.
    medication_cramps: int = 8
    # The associations: a cramp-night rate at least 1.5 times the other's is a difference worth showing; with
    # fewer than 5 days on either side one night more or less flips it, so both sides need 5.
    rate_factor: float = 1.5
    min_days_each_side: int = 5
    # compression_association: a "compression day" is one with >= 8 h worn (a working day's wear, as stockings
    # are prescribed); compression reduces pooling and cramps (vein-clinic patient education).
    compression_day_hours: float = 8.0
    # A check-in recorded more than this long before it was logged is a past report (a paper diary typed
    # in): its urgent warning is worded for the past ("if you still have these symptoms"), still urgent.
    # A day: a morning check-in typed in that evening is still today's; yesterday's or older is not.
    past_dated_hours: int = 24


THRESHOLDS = Thresholds()

LEVEL_RANK = {"info": 1, "advice": 2, "urgent": 3}
SWELLING_WORDS = {0: "none", 1: "mild", 2: "moderate", 3: "severe"}
NOT_A_DIAGNOSIS = "This is not a diagnosis."


# --- Windows ------------------------------------------------------------------------------------


def window_nights(facts: PatientFacts) -> list[date]:
    """The nights of the window, oldest first: local dates today-28 .. today-1.

    Night D runs from 12:00 on D to 12:00 on D + 1; tonight (night `today`) is not over, so it is left out.
    """
    return [facts.today - timedelta(days=n) for n in range(THRESHOLDS.window_days, 0, -1)]


def window_days(facts: PatientFacts) -> list[date]:
    """The days of the window, oldest first: local dates today-27 .. today.

    Used for "on >= 7 days" counts (check-ins) and for episode counts (cramps by their local date).
    """
    return [facts.today - timedelta(days=n) for n in range(THRESHOLDS.window_days - 1, -1, -1)]


def in_night_window(facts: PatientFacts, night: date) -> bool:
    return facts.today - timedelta(days=THRESHOLDS.window_days) <= night <= facts.today - timedelta(days=1)


def in_day_window(facts: PatientFacts, day: date) -> bool:
    return facts.today - timedelta(days=THRESHOLDS.window_days - 1) <= day <= facts.today


def cramps_in_window(facts: PatientFacts) -> list[CrampFact]:
    """All cramp episodes (day and night) whose local date is in the day window, oldest first."""
    return sorted((c for c in facts.cramps if in_day_window(facts, c.local_date)), key=lambda c: c.started_at)


def checkins_in_window(facts: PatientFacts) -> list[CheckInFact]:
    """The check-ins whose local date is in the day window, oldest first."""
    return sorted(
        (c for c in facts.checkins if in_day_window(facts, c.local_date)), key=lambda c: c.recorded_at
    )


def local_date_of(facts: PatientFacts, moment: datetime) -> date:
    """The patient's local date of an instant (an aware datetime's own .date() is its zone's, often UTC)."""
    return moment.astimezone(ZoneInfo(facts.timezone)).date()


def _age(now: datetime, moment: datetime) -> timedelta:
    # In UTC: aware datetimes that share a tzinfo object would otherwise subtract as wall clocks (DST).
    return now.astimezone(UTC) - moment.astimezone(UTC)


# --- Nights -------------------------------------------------------------------------------------


def answered_night(checkin: CheckInFact) -> date | None:
    """The night a check-in's "cramps last night" answer is about, or None when it did not say."""
    if checkin.cramps_last_night in ("none", "some"):
        return checkin.local_date - timedelta(days=1)
    return None


def observed_nights(facts: PatientFacts) -> dict[date, bool]:
    """Night -> whether it was a cramp night, for every observed night of the window, oldest first.

    Observed: a nocturnal cramp was logged in it, or the next day's check-in answered "none" or "some".
    Cramp night: a nocturnal cramp logged, or "some" answered. A logged cramp wins over a "none" answer,
    and "some" wins over "none" when two check-ins disagree. Nights with no word either way are unknown
    and absent (not cramp-free). Daytime cramps say nothing about the night and do not observe it.
    """
    nights: dict[date, bool] = {}
    for checkin in facts.checkins:
        night = answered_night(checkin)
        if night is not None and in_night_window(facts, night):
            nights[night] = nights.get(night, False) or checkin.cramps_last_night == "some"
    for cramp in facts.cramps:
        if cramp.is_nocturnal and in_night_window(facts, cramp.night):
            nights[cramp.night] = True
    return dict(sorted(nights.items()))


def cramp_nights(facts: PatientFacts) -> set[date]:
    """The observed cramp nights of the window."""
    return {night for night, cramped in observed_nights(facts).items() if cramped}


def night_moments(facts: PatientFacts, nights: Iterable[date]) -> list[datetime]:
    """The times of the records that observed these nights: their nocturnal cramps and check-in answers.

    Used for first_seen/last_seen of night-based insights (docs/decisions/0011).
    """
    wanted = set(nights)
    moments = [c.started_at for c in facts.cramps if c.is_nocturnal and c.night in wanted]
    moments += [c.recorded_at for c in facts.checkins if answered_night(c) in wanted]
    return sorted(moments)


@dataclass(frozen=True)
class NightRate:
    """The cramp-night rate of one group of observed nights."""

    nights: int = 0
    cramp_nights: int = 0
    dates: tuple[date, ...] = ()  # the nights of the group, oldest first

    @property
    def rate(self) -> float | None:
        return self.cramp_nights / self.nights if self.nights else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.cramp_nights / self.nights) if self.nights else None

    def as_evidence(self) -> dict:
        return {
            "nights": self.nights,
            "cramp_nights": self.cramp_nights,
            "rate": None if self.rate is None else round(self.rate, 2),
            "first_night": self.dates[0].isoformat() if self.dates else None,
            "last_night": self.dates[-1].isoformat() if self.dates else None,
        }


def night_rates(
    observed: Mapping[date, bool], group_of: Callable[[date], str | None], *, groups: Sequence[str] = ()
) -> dict[str, NightRate]:
    """The cramp-night rate per group of observed nights; `group_of(D)` puts night D in a group or leaves it
    out (None). The names in `groups` are always present, empty if no night fell in them."""
    members: dict[str, list[date]] = {name: [] for name in groups}
    for night in sorted(observed):
        name = group_of(night)
        if name is not None:
            members.setdefault(name, []).append(night)
    return {
        name: NightRate(
            nights=len(nights), cramp_nights=sum(1 for n in nights if observed[n]), dates=tuple(nights)
        )
        for name, nights in members.items()
    }


def hydration_association(facts: PatientFacts) -> dict[str, NightRate]:
    """Cramp-night rates after known-fluid days: "under" the fluid target and "at_or_over" it.

    Only days D with a drink logged (D in fluid_ml_by_day) whose night D is observed count.
    """

    def group_of(day: date) -> str | None:
        if day not in facts.fluid_ml_by_day:
            return None
        return "under" if facts.fluid_ml_by_day[day] < facts.fluid_target_ml else "at_or_over"

    return night_rates(observed_nights(facts), group_of, groups=("under", "at_or_over"))


def compression_association(facts: PatientFacts) -> dict[str, NightRate]:
    """Cramp-night rates after days with >= 8 h of compression ("worn") and after days with none ("none").

    Among observed nights D; days with some compression but less than 8 h are left out. A wear counts on
    the day it was put on (compression_hours_by_day).
    """

    def group_of(day: date) -> str | None:
        hours = facts.compression_hours_by_day.get(day, 0)
        if hours >= THRESHOLDS.compression_day_hours:
            return "worn"
        return "none" if hours == 0 else None

    return night_rates(observed_nights(facts), group_of, groups=("worn", "none"))


def rate_at_least_factor(higher: NightRate, lower: NightRate, *, factor: float | None = None) -> bool:
    """Whether `higher`'s rate is >= factor x `lower`'s (default THRESHOLDS.rate_factor); any positive rate
    against zero counts, zero never."""
    if not higher.nights or not lower.nights or higher.cramp_nights == 0:
        return False
    if lower.cramp_nights == 0:
        return True
    factor = THRESHOLDS.rate_factor if factor is None else factor
    # Exact fractions, so 3 of 10 against 2 of 10 is exactly 1.5 and fires.
    higher_rate = Fraction(higher.cramp_nights, higher.nights)
    return higher_rate >= Fraction(factor) * Fraction(lower.cramp_nights, lower.nights)


def _enough_days(*rates: NightRate) -> bool:
    return all(r.nights >= THRESHOLDS.min_days_each_side for r in rates)


# --- Wording helpers ----------------------------------------------------------------------------


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _day(day: date) -> str:
    # English month names without the process locale (strftime's %B follows it).
    return f"{day.day} {MONTHS[day.month - 1]}"


def _days(days: Iterable[date]) -> str:
    words = [_day(d) for d in sorted(set(days))]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _span(moments: Iterable[datetime]) -> tuple[datetime | None, datetime | None]:
    ordered = sorted(moments)
    return (ordered[0], ordered[-1]) if ordered else (None, None)


def _isodates(days: Iterable[date]) -> list[str]:
    return [d.isoformat() for d in sorted(set(days))]


def _cm(value: float) -> str:
    return f"{value:.1f} cm"


# --- Urgent rules: shared by evaluate() and urgent_for_checkin() --------------------------------


def is_emergency(checkin: CheckInFact) -> bool:
    """Sudden chest pain or breathlessness: an emergency whatever its cause."""
    return checkin.sudden_chest_pain_or_breathlessness


@dataclass(frozen=True)
class OneSidedSwelling:
    leg: str  # "left" | "right": the swollen leg
    other: str
    swelling_difference: int | None  # levels, swollen leg minus the other, when both were answered
    circumference_difference_cm: float | None  # swollen leg minus the other, when both were measured


def _both_levels(checkin: CheckInFact) -> bool:
    return checkin.swelling_left is not None and checkin.swelling_right is not None


def _both_circumferences(checkin: CheckInFact) -> bool:
    return checkin.circumference_left_cm is not None and checkin.circumference_right_cm is not None


def swelling_unknown(checkin: CheckInFact) -> bool:
    """Whether the check-in cannot tell one-sided swelling: neither both legs' swelling levels nor both
    circumferences were given (one leg alone compares with nothing)."""
    return not (_both_levels(checkin) or _both_circumferences(checkin))


def one_sided_swelling(checkin: CheckInFact) -> OneSidedSwelling | None:
    """The leg that is clearly more swollen than the other: >= 2 levels above it (both levels given), or
    >= 3.0 cm larger (both circumferences given). Two equally swollen legs are not one-sided, however
    swollen; a leg whose level was not answered is compared with nothing."""
    circumference: float | None = None
    if _both_circumferences(checkin):
        # Rounded to the millimetre the patient can measure, so 38.3 - 35.3 is 3.0, not 2.9999...
        circumference = round(checkin.circumference_left_cm - checkin.circumference_right_cm, 1)
    swelling = checkin.swelling_left - checkin.swelling_right if _both_levels(checkin) else None
    for leg, other, sign in (("left", "right", 1), ("right", "left", -1)):
        levels = None if swelling is None else sign * swelling
        cm = None if circumference is None else sign * circumference + 0.0  # + 0.0: no "-0.0" in evidence
        if (levels is not None and levels >= THRESHOLDS.dvt_swelling_levels) or (
            cm is not None and cm >= THRESHOLDS.dvt_circumference_cm
        ):
            return OneSidedSwelling(
                leg=leg, other=other, swelling_difference=levels, circumference_difference_cm=cm
            )
    return None


def is_dvt_warning(checkin: CheckInFact, *, previous_dvt: bool | None) -> bool:
    """One-sided swelling with calf pain or tenderness, and sudden onset or redness/warmth; after a previous
    DVT, one-sided swelling and pain are enough.

    Swelling not answered (swelling_unknown) does not silence it: calf pain with sudden onset or
    redness/warmth then warns on its own. It does not fire it either: without swelling, a previous DVT no
    longer makes pain alone enough (docs/decisions/0022-not-said.md). A previous DVT not said (None) is
    unknown: only a said yes relaxes the rule, and the acute signs warn whatever it is (decision 0030).
    """
    if not checkin.calf_pain_or_tenderness:
        return False
    acute = checkin.sudden_onset or checkin.redness_or_warmth
    if one_sided_swelling(checkin) is not None:
        return previous_dvt is True or acute
    return swelling_unknown(checkin) and acute


def _emergency_insight(checkins: Iterable[CheckInFact], *, past: bool = False) -> Insight | None:
    found = sorted((c for c in checkins if is_emergency(c)), key=lambda c: c.recorded_at)
    if not found:
        return None
    latest = found[-1]
    if past:
        title = f"Chest pain or breathlessness on {_day(latest.local_date)}: if you still have it, call now"
        explanation = (
            f"On {_day(latest.local_date)} you reported sudden chest pain or breathlessness. If you still "
            "have these symptoms, or they come back, call your emergency number now (for example 112 or "
            "911). Do not drive yourself. If they have passed, tell your doctor about them today: sudden "
            "chest pain or breathlessness can be a sign of a blood clot in the lungs, even after it "
            f"eases. {NOT_A_DIAGNOSIS}"
        )
    else:
        title = "Chest pain or breathlessness: call for help now"
        explanation = (
            f"In your check-in on {_day(latest.local_date)} you reported sudden chest pain or "
            "breathlessness. Call your emergency number now (for example 112 or 911). Do not drive yourself "
            "and do not wait to see if it passes. Sudden chest pain or breathlessness is an emergency "
            f"whatever its cause; it can be a sign of a blood clot in the lungs. {NOT_A_DIAGNOSIS}"
        )
    return Insight(
        code="emergency_warning",
        level="urgent",
        title=title,
        explanation=explanation,
        evidence={
            "checkins": len(found),
            "checkin_id": latest.id,
            "date": latest.local_date.isoformat(),
            "recorded_at": latest.recorded_at.isoformat(),
            "dates": _isodates(c.local_date for c in found),
            "past_dated": past,  # worded for a past report (urgent_for_checkin)
        },
        first_seen=found[0].recorded_at,
        last_seen=latest.recorded_at,
    )


def _dvt_insight(
    checkins: Iterable[CheckInFact], *, previous_dvt: bool | None, past: bool = False
) -> Insight | None:
    found = sorted(
        (c for c in checkins if is_dvt_warning(c, previous_dvt=previous_dvt)), key=lambda c: c.recorded_at
    )
    if not found:
        return None
    latest = found[-1]
    side = one_sided_swelling(latest)  # None: swelling not answered (is_dvt_warning)
    if side is not None:
        levels = {"left": latest.swelling_left, "right": latest.swelling_right}
        details = []
        if _both_levels(latest) and levels[side.leg] != levels[side.other]:
            details.append(
                f"swelling {SWELLING_WORDS.get(levels[side.leg], levels[side.leg])} "
                f"against {SWELLING_WORDS.get(levels[side.other], levels[side.other])}"
            )
        if _both_circumferences(latest):
            sizes = {"left": latest.circumference_left_cm, "right": latest.circumference_right_cm}
            details.append(f"measuring {_cm(sizes[side.leg])} against {_cm(sizes[side.other])}")
        seen = f"your {side.leg} leg was more swollen than your {side.other} leg ({'; '.join(details)})"
        subject = "One swollen, painful leg"
        picture = "One swollen, painful leg"
    else:
        seen = "you had pain or tenderness in the calf"
        subject = "A painful calf"
        picture = "A painful leg, swollen or not,"
    extras = [
        words
        for flag, words in (
            (latest.sudden_onset, "it started suddenly"),
            (latest.redness_or_warmth, "the leg was red or warm"),
        )
        if flag
    ]
    if side is not None:
        seen += ", with pain or tenderness in the calf"
    if extras:
        seen += ", and " + " and ".join(extras)
    if side is None:
        seen += " (you did not say whether one leg was swollen)"
    previous = (
        " You told us you had a blood clot in the leg before, so this matters even more."
        if previous_dvt is True
        else ""
    )
    if past:
        title = f"{subject} on {_day(latest.local_date)}: if it is still there, get care today"
        explanation = (
            f"On {_day(latest.local_date)} you reported that {seen}.{previous} If you still have these "
            "symptoms, get medical care today: call your doctor or go to an urgent care or emergency "
            "department. If they have passed, tell your doctor about them soon. "
            f"{picture} can be a sign of a blood clot in a leg vein (DVT). "
            "If you get chest pain or breathlessness, call your emergency number (for example 112 or 911) "
            f"at once. {NOT_A_DIAGNOSIS}"
        )
    else:
        title = f"{subject}: get medical care today"
        explanation = (
            f"In your check-in on {_day(latest.local_date)} you reported that {seen}.{previous} "
            f"{picture} can be a sign of a blood clot in a leg vein (DVT). "
            "Get medical care today: call your doctor or go to an urgent care or emergency department. "
            "If you also get chest pain or breathlessness, call your emergency number (for example 112 or "
            f"911) at once. {NOT_A_DIAGNOSIS}"
        )
    return Insight(
        code="urgent_dvt_warning",
        level="urgent",
        title=title,
        explanation=explanation,
        evidence={
            "checkins": len(found),
            "checkin_id": latest.id,
            "date": latest.local_date.isoformat(),
            "recorded_at": latest.recorded_at.isoformat(),
            "dates": _isodates(c.local_date for c in found),
            "leg": side.leg if side else None,
            "swelling_said": side is not None,
            "swelling_left": latest.swelling_left,
            "swelling_right": latest.swelling_right,
            "swelling_difference": side.swelling_difference if side else None,
            "circumference_left_cm": latest.circumference_left_cm,
            "circumference_right_cm": latest.circumference_right_cm,
            "circumference_difference_cm": side.circumference_difference_cm if side else None,
            "calf_pain_or_tenderness": latest.calf_pain_or_tenderness,
            "sudden_onset": latest.sudden_onset,
            "redness_or_warmth": latest.redness_or_warmth,
            "previous_dvt": previous_dvt,
            "past_dated": past,  # worded for a past report (urgent_for_checkin)
        },
        first_seen=found[0].recorded_at,
        last_seen=latest.recorded_at,
    )


def _recent(facts: PatientFacts, days: int) -> list[CheckInFact]:
    # "In the last N days" by the clock: recorded no more than N x 24 h before now.
    return [c for c in facts.checkins if _age(facts.now, c.recorded_at) <= timedelta(days=days)]


def rule_emergency_warning(facts: PatientFacts) -> Insight | None:
    """A check-in in the last 2 days reports sudden chest pain or breathlessness."""
    return _emergency_insight(_recent(facts, THRESHOLDS.emergency_days))


def rule_urgent_dvt_warning(facts: PatientFacts) -> Insight | None:
    """A check-in in the last 7 days reports one swollen, painful leg with sudden onset or redness/warmth
    (after a previous DVT, swelling and pain are enough)."""
    return _dvt_insight(_recent(facts, THRESHOLDS.dvt_days), previous_dvt=facts.previous_dvt)


def is_past_dated(checkin: CheckInFact, *, logged_at: datetime) -> bool:
    """Recorded more than `past_dated_hours` before it was logged: a past report typed in (a paper diary)."""
    return _age(logged_at, checkin.recorded_at) > timedelta(hours=THRESHOLDS.past_dated_hours)


def urgent_for_checkin(
    checkin: CheckInFact, *, previous_dvt: bool | None, logged_at: datetime | None = None
) -> list[Insight]:
    """The urgent insights this one check-in raises, emergency first: the same conditions as the two
    urgent rules, without their look-back, so an old report typed in today still warns.

    `logged_at` is when the check-in reached the diary (None: just now, as it was recorded). A check-in
    recorded more than a day before it was logged is worded for the past ("On 28 November you reported
    ...; if you still have these symptoms ..."), still urgent; evidence.past_dated says which wording.
    """
    past = logged_at is not None and is_past_dated(checkin, logged_at=logged_at)
    found = (
        _emergency_insight([checkin], past=past),
        _dvt_insight([checkin], previous_dvt=previous_dvt, past=past),
    )
    return [insight for insight in found if insight is not None]


# --- Advice rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VenousSigns:
    """The days of the window on which each venous sign was reported."""

    swelling_days: frozenset[date] = frozenset()  # swelling >= mild on either leg
    heaviness_or_aching_days: frozenset[date] = frozenset()  # heaviness or aching >= 4
    visible_veins_days: frozenset[date] = frozenset()
    skin_changes_days: frozenset[date] = frozenset()

    def present(self) -> list[str]:
        """The signs that count for venous_evaluation, in a fixed order."""
        signs = []
        if len(self.swelling_days) >= THRESHOLDS.venous_sign_days:
            signs.append("swelling")
        if len(self.heaviness_or_aching_days) >= THRESHOLDS.venous_sign_days:
            signs.append("heaviness_or_aching")
        if self.visible_veins_days:
            signs.append("visible_veins")
        if self.skin_changes_days:
            signs.append("skin_changes")
        return signs

    def days_of(self, sign: str) -> frozenset[date]:
        return getattr(self, f"{sign}_days")


def _said_max(*scores: int | None) -> int:
    """The highest of the answered scores; -1 when none was answered, so that no threshold is met (an
    unanswered slider is no sign, and no day against one either)."""
    return max((score for score in scores if score is not None), default=-1)


def venous_signs(facts: PatientFacts) -> VenousSigns:
    """The venous signs reported on the check-ins of the day window (distinct local dates)."""
    checkins = checkins_in_window(facts)
    return VenousSigns(
        swelling_days=frozenset(
            c.local_date for c in checkins if _said_max(c.swelling_left, c.swelling_right) >= 1
        ),
        heaviness_or_aching_days=frozenset(
            c.local_date for c in checkins if _said_max(c.heaviness, c.aching) >= THRESHOLDS.symptom_score
        ),
        visible_veins_days=frozenset(c.local_date for c in checkins if c.visible_veins),
        skin_changes_days=frozenset(c.local_date for c in checkins if c.skin_changes),
    )


def rule_venous_evaluation(facts: PatientFacts) -> Insight | None:
    """Cramps on >= 8 observed nights and at least one venous sign."""
    nights = sorted(cramp_nights(facts))
    if len(nights) < THRESHOLDS.venous_cramp_nights:
        return None
    signs = venous_signs(facts)
    present = signs.present()
    if not present:
        return None
    words = {
        "swelling": f"swollen legs on {len(signs.swelling_days)} days",
        "heaviness_or_aching": (
            f"heavy or aching legs ({THRESHOLDS.symptom_score} or more out of 10) "
            f"on {len(signs.heaviness_or_aching_days)} days"
        ),
        "visible_veins": "visible veins",
        "skin_changes": "skin changes",
    }
    seen = [words[sign] for sign in present]
    listed = seen[0] if len(seen) == 1 else ", ".join(seen[:-1]) + " and " + seen[-1]
    sign_days = set().union(*(signs.days_of(sign) for sign in present))
    moments = night_moments(facts, nights)
    moments += [c.recorded_at for c in checkins_in_window(facts) if c.local_date in sign_days]
    first, last = _span(moments)
    return Insight(
        code="venous_evaluation",
        level="advice",
        title="Night cramps and vein signs: see a vein specialist",
        explanation=(
            f"In the last 4 weeks you had cramps on {_plural(len(nights), 'night')}, and you also reported "
            f"{listed}. Night cramps together with such signs can be a sign of a vein problem (chronic "
            "venous insufficiency). Please talk to a vein specialist; they can check your veins with an "
            f"ultrasound scan (duplex). {NOT_A_DIAGNOSIS}"
        ),
        evidence={
            "cramp_nights": len(nights),
            "nights": _isodates(nights),
            "signs": present,
            "swelling_days": len(signs.swelling_days),
            "heaviness_or_aching_days": len(signs.heaviness_or_aching_days),
            "visible_veins_dates": _isodates(signs.visible_veins_days),
            "skin_changes_dates": _isodates(signs.skin_changes_days),
        },
        first_seen=first,
        last_seen=last,
    )


def walking_cramps(facts: PatientFacts) -> list[CrampFact]:
    """Cramps of the window while walking or exercising that rest relieved (the claudication pattern).

    Only cramps whose activity was said: a cramp with no activity is not a walking cramp, nor evidence
    against one."""
    return [
        c
        for c in cramps_in_window(facts)
        if c.activity in ("walking", "exercising") and c.relieved_by_rest is True
    ]


def claudication_positive(facts: PatientFacts) -> bool:
    """The latest Edinburgh Claudication Questionnaire found definite claudication, within the last year."""
    answer = facts.claudication
    return (
        answer is not None
        and answer.result == "definite"
        and _age(facts.now, answer.answered_at) <= timedelta(days=THRESHOLDS.claudication_days)
    )


def rule_arterial_evaluation(facts: PatientFacts) -> Insight | None:
    """>= 3 walking/exercising cramps relieved by rest, or a positive Edinburgh questionnaire (either)."""
    walking = walking_cramps(facts)
    by_walking = len(walking) >= THRESHOLDS.arterial_episodes
    by_questionnaire = claudication_positive(facts)
    if not (by_walking or by_questionnaire):
        return None
    seen = []
    moments: list[datetime] = []
    if by_walking:
        seen.append(
            f"in the last 4 weeks you logged {len(walking)} cramps while walking or exercising that eased "
            "with rest"
        )
        moments += [c.started_at for c in walking]
    if by_questionnaire:
        assert facts.claudication is not None
        answered_on = local_date_of(facts, facts.claudication.answered_at)
        seen.append(
            f"your answers to the walking questionnaire on {_day(answered_on)} point to leg pain when walking"
        )
        moments.append(facts.claudication.answered_at)
    text = ", and ".join(seen)
    first, last = _span(moments)
    return Insight(
        code="arterial_evaluation",
        level="advice",
        title="Leg pain when walking: ask about the circulation in your legs",
        explanation=(
            f"{text[0].upper()}{text[1:]}. Pain when walking that eases with rest can come from narrowed "
            "arteries. Please ask your doctor to check the circulation (arteries) in your legs. "
            f"{NOT_A_DIAGNOSIS}"
        ),
        evidence={
            "walking_episodes": len(walking),
            "walking_dates": _isodates(c.local_date for c in walking),
            "claudication_result": facts.claudication.result if facts.claudication else None,
            "claudication_answered_at": (
                facts.claudication.answered_at.isoformat() if facts.claudication else None
            ),
            "by_walking_episodes": by_walking,
            "by_questionnaire": by_questionnaire,
        },
        first_seen=first,
        last_seen=last,
    )


def rule_frequent_severe_cramps(facts: PatientFacts) -> Insight | None:
    """>= 12 episodes, or >= 6 of severity >= 7, in the window (day and night cramps alike)."""
    cramps = cramps_in_window(facts)
    # Every cramp counts as an episode; only a said severity can make one severe.
    severe = [c for c in cramps if c.severity is not None and c.severity >= THRESHOLDS.severe_score]
    by_count = len(cramps) >= THRESHOLDS.frequent_episodes
    by_severity = len(severe) >= THRESHOLDS.severe_episodes
    if not (by_count or by_severity):
        return None
    involved = cramps if by_count else severe
    first, last = _span(c.started_at for c in involved)
    severe_words = (
        f", {len(severe)} of them severe ({THRESHOLDS.severe_score} or more out of 10)" if severe else ""
    )
    return Insight(
        code="frequent_severe_cramps",
        level="advice",
        title="Frequent or severe cramps: talk to your doctor",
        explanation=(
            f"In the last 4 weeks you logged {_plural(len(cramps), 'cramp')}{severe_words}. "
            "Cramps this frequent or severe should be looked at by a doctor. Please talk to your doctor "
            "about them and bring this diary along. "
            f"{NOT_A_DIAGNOSIS}"
        ),
        evidence={
            "episodes": len(cramps),
            "severe_episodes": len(severe),
            "severity_not_said": sum(1 for c in cramps if c.severity is None),
            "severe_score": THRESHOLDS.severe_score,
            "by_count": by_count,
            "by_severity": by_severity,
            "dates": _isodates(c.local_date for c in involved),
        },
        first_seen=first,
        last_seen=last,
    )


def rule_skin_changes(facts: PatientFacts) -> Insight | None:
    """Skin changes reported on any check-in of the window."""
    found = [c for c in checkins_in_window(facts) if c.skin_changes]
    if not found:
        return None
    days = [c.local_date for c in found]
    return Insight(
        code="skin_changes",
        level="advice",
        title="Skin changes on your legs: have them checked",
        explanation=(
            f"You reported skin changes on your legs (such as darker skin or a sore) on {_days(days)}. "
            "Skin changes can be a sign of advanced vein disease, and they do better when looked at early. "
            f"Please have your doctor or a vein specialist look at your legs soon. {NOT_A_DIAGNOSIS}"
        ),
        evidence={"checkins": len(found), "dates": _isodates(days)},
        first_seen=found[0].recorded_at,
        last_seen=found[-1].recorded_at,
    )


def rule_medication_review(facts: PatientFacts) -> Insight | None:
    """>= 8 cramps in the window while the profile says the patient takes diuretics (a said yes: not said
    is unknown, and an unknown is not a reason to name a medicine)."""
    cramps = cramps_in_window(facts)
    if facts.takes_diuretics is not True or len(cramps) < THRESHOLDS.medication_cramps:
        return None
    first, last = _span(c.started_at for c in cramps)
    return Insight(
        code="medication_review",
        level="advice",
        title="Many cramps while taking water tablets: ask about your medicines",
        explanation=(
            f"In the last 4 weeks you logged {_plural(len(cramps), 'cramp')}, and your profile says you take "
            "water tablets (diuretics). Some medicines, water tablets among them, can make leg cramps more "
            "likely. Do not stop any medicine on your own; ask your doctor or pharmacist whether one of your "
            f"medicines could play a part. {NOT_A_DIAGNOSIS}"
        ),
        evidence={
            "episodes": len(cramps),
            "takes_diuretics": True,
            "dates": _isodates(c.local_date for c in cramps),
        },
        first_seen=first,
        last_seen=last,
    )


# --- Info rules: associations -------------------------------------------------------------------


def _rate_words(rate: NightRate) -> str:
    return f"{rate.cramp_nights} of {rate.nights} nights ({rate.percent}%)"


def rule_low_hydration_pattern(facts: PatientFacts) -> Insight | None:
    """After days under the fluid target, cramp nights at >= 1.5 x the rate after days at or over it."""
    rates = hydration_association(facts)
    under, over = rates["under"], rates["at_or_over"]
    if not (_enough_days(under, over) and rate_at_least_factor(under, over)):
        return None
    first, last = _span(night_moments(facts, under.dates + over.dates))
    return Insight(
        code="low_hydration_pattern",
        level="info",
        title="More cramp nights after days you drank less",
        explanation=(
            f"After days you drank less than your target of {facts.fluid_target_ml} ml, you had cramps on "
            f"{_rate_words(under)}. After days you reached it, on {_rate_words(over)}. This is an "
            "association, not proof: other things can explain it. Drinking enough through the day may be "
            "worth trying; if your doctor has told you to limit how much you drink, keep to their advice."
        ),
        evidence={
            "fluid_target_ml": facts.fluid_target_ml,
            "under": under.as_evidence(),
            "at_or_over": over.as_evidence(),
            "rate_under": under.as_evidence()["rate"],
            "rate_at_or_over": over.as_evidence()["rate"],
        },
        first_seen=first,
        last_seen=last,
    )


def rule_compression_association(facts: PatientFacts) -> Insight | None:
    """Cramp-night rates after days with >= 8 h of compression and after days with none differ by >= 1.5x."""
    rates = compression_association(facts)
    worn, none = rates["worn"], rates["none"]
    if not _enough_days(worn, none):
        return None
    fewer_with_stockings = rate_at_least_factor(none, worn)
    if not (fewer_with_stockings or rate_at_least_factor(worn, none)):
        return None
    hours = f"{THRESHOLDS.compression_day_hours:g}"
    if fewer_with_stockings:
        advice = "Keep wearing your stockings as prescribed."
    else:
        advice = (
            "If you are unsure about your stockings, talk to your vein specialist or the clinic that fitted "
            "them; do not change how you wear them on the strength of this alone."
        )
    first, last = _span(night_moments(facts, worn.dates + none.dates))
    return Insight(
        code="compression_association",
        level="info",
        title=f"{'Fewer' if fewer_with_stockings else 'More'} cramp nights after days in stockings",
        explanation=(
            f"After days you wore your stockings {hours} hours or more, you had cramps on "
            f"{_rate_words(worn)}. After days without stockings, on {_rate_words(none)}. This is an "
            f"association, not proof: other things can explain the difference. {advice}"
        ),
        evidence={
            "compression_day_hours": THRESHOLDS.compression_day_hours,
            "worn": worn.as_evidence(),
            "none": none.as_evidence(),
            "rate_worn": worn.as_evidence()["rate"],
            "rate_none": none.as_evidence()["rate"],
            "fewer_with_compression": fewer_with_stockings,
        },
        first_seen=first,
        last_seen=last,
    )


# --- All rules ----------------------------------------------------------------------------------

RULES: tuple[Callable[[PatientFacts], Insight | None], ...] = (
    rule_emergency_warning,
    rule_urgent_dvt_warning,
    rule_venous_evaluation,
    rule_arterial_evaluation,
    rule_frequent_severe_cramps,
    rule_skin_changes,
    rule_medication_review,
    rule_low_hydration_pattern,
    rule_compression_association,
)


def sort_insights(insights: Iterable[Insight]) -> list[Insight]:
    """Most urgent first (urgent, advice, info); within a level the newest evidence first."""

    def key(insight: Insight) -> tuple:
        newest = insight.last_seen.timestamp() if insight.last_seen else float("-inf")
        return (-LEVEL_RANK[insight.level], -newest)

    return sorted(insights, key=key)


def evaluate(facts: PatientFacts) -> list[Insight]:
    """Every rule over the facts; the fired insights, most urgent first."""
    return sort_insights(insight for rule in RULES if (insight := rule(facts)) is not None)


def highest_level(insights: Iterable[Insight]) -> str | None:
    """The highest level among the insights ("urgent" > "advice" > "info"), or None when there are none."""
    levels = [insight.level for insight in insights]
    return max(levels, key=LEVEL_RANK.__getitem__) if levels else None


# --- The clinician's wording --------------------------------------------------------------------


def _listed(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _dates_words(isodates: Iterable[str]) -> str:
    return _days(date.fromisoformat(day) for day in isodates)


def _clinician_emergency(insight: Insight, when: str) -> str:
    e = insight.evidence
    more = f" ({_plural(e['checkins'], 'check-in')} with it in the last 2 days)" if e["checkins"] > 1 else ""
    return (
        f"Reported sudden chest pain or breathlessness on {when}{more}. Shown the advice to call the "
        "emergency number now."
    )


def _clinician_dvt(insight: Insight, when: str) -> str:
    e = insight.evidence
    flags = ["calf pain or tenderness"] + [
        words
        for name, words in (("sudden_onset", "sudden onset"), ("redness_or_warmth", "redness or warmth"))
        if e[name]
    ]
    if e["swelling_said"]:
        leg, other = e["leg"], "right" if e["leg"] == "left" else "left"
        details = []
        if e["swelling_difference"] is not None and e["swelling_difference"] != 0:
            details.append(
                f"{SWELLING_WORDS[e[f'swelling_{leg}']]} against {SWELLING_WORDS[e[f'swelling_{other}']]}"
            )
        if e["circumference_difference_cm"] is not None:
            details.append(
                f"{_cm(e[f'circumference_{leg}_cm'])} against {_cm(e[f'circumference_{other}_cm'])}"
            )
        seen = f"one-sided swelling of the {leg} leg ({'; '.join(details)}) with {_listed(flags)}"
    else:
        seen = f"{_listed(flags)} (swelling not answered)"
    history = "; previous DVT on the profile" if e["previous_dvt"] else ""
    return f"Reported {seen} on {when}{history}. Shown the advice to get medical care today."


def _clinician_venous(insight: Insight, when: str) -> str:
    e = insight.evidence
    words = {
        "swelling": f"swelling on {_plural(e['swelling_days'], 'day')}",
        "heaviness_or_aching": (
            f"heaviness or aching {THRESHOLDS.symptom_score}/10 or more on "
            f"{_plural(e['heaviness_or_aching_days'], 'day')}"
        ),
        "visible_veins": f"visible veins ({_dates_words(e['visible_veins_dates'])})",
        "skin_changes": f"skin changes ({_dates_words(e['skin_changes_dates'])})",
    }
    return (
        f"Night cramps on {_plural(e['cramp_nights'], 'night')} of the last 28, with "
        f"{_listed([words[sign] for sign in e['signs']])}; latest entry {when}. Suggested: a vein "
        "specialist's assessment (duplex ultrasound)."
    )


def _clinician_arterial(insight: Insight, when: str) -> str:
    e = insight.evidence
    seen = []
    if e["by_walking_episodes"]:
        seen.append(
            f"logged {_plural(e['walking_episodes'], 'cramp')} while walking or exercising that eased with "
            "rest in the last 4 weeks"
        )
    if e["by_questionnaire"]:
        seen.append("answered the Edinburgh Claudication Questionnaire with a definite claudication result")
    text = "; ".join(seen)
    return f"{text[0].upper()}{text[1:]}; latest entry {when}. Suggested: an arterial assessment (PAD)."


def _clinician_frequent(insight: Insight, when: str) -> str:
    e = insight.evidence
    severe = ""
    if e["severe_episodes"]:
        severe = f", {e['severe_episodes']} of severity {e['severe_score']}/10 or more"
    unsaid = f" (severity not said for {e['severity_not_said']})" if e["severity_not_said"] else ""
    return f"Logged {_plural(e['episodes'], 'cramp')} in the last 4 weeks{severe}{unsaid}; latest {when}."


def _clinician_skin(insight: Insight, when: str) -> str:
    e = insight.evidence
    return f"Reported skin changes (discoloration or ulcer) on {_dates_words(e['dates'])}; latest {when}."


def _clinician_medication(insight: Insight, when: str) -> str:
    e = insight.evidence
    return (
        f"Logged {_plural(e['episodes'], 'cramp')} in the last 4 weeks; the profile says diuretics are "
        f"taken. Latest {when}. Suggested: a medication review."
    )


def _group_words(group: dict) -> str:
    percent = "" if group["rate"] is None else f" ({round(100 * group['rate'])}%)"
    return f"{group['cramp_nights']} of {group['nights']} nights{percent}"


def _clinician_hydration(insight: Insight, when: str) -> str:
    e = insight.evidence
    return (
        f"Cramp nights after days under the fluid target of {e['fluid_target_ml']} ml: "
        f"{_group_words(e['under'])}; after days at or over it: {_group_words(e['at_or_over'])}. "
        f"Association, not proof; latest entry {when}."
    )


def _clinician_compression(insight: Insight, when: str) -> str:
    e = insight.evidence
    return (
        f"Cramp nights after days with {e['compression_day_hours']:g} h or more of compression: "
        f"{_group_words(e['worn'])}; after days without: {_group_words(e['none'])}. "
        f"Association, not proof; latest entry {when}."
    )


CLINICIAN_WORDING: dict[str, Callable[[Insight, str], str]] = {
    "emergency_warning": _clinician_emergency,
    "urgent_dvt_warning": _clinician_dvt,
    "venous_evaluation": _clinician_venous,
    "arterial_evaluation": _clinician_arterial,
    "frequent_severe_cramps": _clinician_frequent,
    "skin_changes": _clinician_skin,
    "medication_review": _clinician_medication,
    "low_hydration_pattern": _clinician_hydration,
    "compression_association": _clinician_compression,
}


def clinician_explanation(insight: Insight, *, time_zone: str) -> str:
    """The insight worded for a clinician: third person, what was reported and when, on the patient's
    clock and labelled with its zone ("Reported one-sided swelling ... on 1 Dec 2026, 19:40 New York
    time"); self-reported, never a diagnosis. Read from the evidence alone, so an insight stored or
    rebuilt elsewhere words the same."""
    recorded_at = insight.evidence.get("recorded_at")
    moment = datetime.fromisoformat(recorded_at) if recorded_at else insight.last_seen
    when = short_moment_words(moment, time_zone) if moment is not None else "a time not recorded"
    wording = CLINICIAN_WORDING.get(insight.code)
    if wording is None:
        # A rule without its own clinician wording yet: its title, never the patient's "you" text.
        return f"{insight.title} (rule {insight.code}); latest entry {when}. Self-reported."
    return f"{wording(insight, when)} Self-reported; not a diagnosis."
