"""urgent_dvt_warning (urgent): one swollen, painful leg in the last 7 days (a possible DVT); and its
words."""

from collections.abc import Iterable
from dataclasses import dataclass

from diary.insights.facts import CheckInFact, Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import recent_checkins
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    SWELLING_WORDS,
    checkin_at,
    cm_words,
    day_and_month,
    isodates,
    joined_with_and,
    score,
)


@dataclass(frozen=True)
class OneSidedSwelling:
    leg: str  # "left" | "right": the swollen leg
    other: str
    swelling_difference: int | None  # levels, swollen leg minus the other, when both were answered
    circumference_difference_cm: float | None  # swollen leg minus the other, when both were measured


def both_levels(checkin: CheckInFact) -> bool:
    return checkin.swelling_left is not None and checkin.swelling_right is not None


def both_circumferences(checkin: CheckInFact) -> bool:
    return checkin.circumference_left_cm is not None and checkin.circumference_right_cm is not None


def swelling_unknown(checkin: CheckInFact) -> bool:
    """Whether the check-in cannot tell one-sided swelling: neither both legs' swelling levels nor both
    circumferences were given (one leg alone compares with nothing)."""
    return not (both_levels(checkin) or both_circumferences(checkin))


def one_sided_swelling(checkin: CheckInFact) -> OneSidedSwelling | None:
    """The leg that is clearly more swollen than the other: >= 2 levels above it (both levels given), or
    >= 3.0 cm larger (both circumferences given). Two equally swollen legs are not one-sided, however
    swollen; a leg whose level was not answered is compared with nothing."""
    circumference: float | None = None
    if both_circumferences(checkin):
        # Rounded to the millimetre the patient can measure, so 38.3 - 35.3 is 3.0, not 2.9999...
        circumference = round(checkin.circumference_left_cm - checkin.circumference_right_cm, 1)
    swelling = checkin.swelling_left - checkin.swelling_right if both_levels(checkin) else None
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


def dvt_insight(
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
        if both_levels(latest) and levels[side.leg] != levels[side.other]:
            details.append(
                f"swelling {SWELLING_WORDS.get(levels[side.leg], levels[side.leg])} "
                f"against {SWELLING_WORDS.get(levels[side.other], levels[side.other])}"
            )
        if both_circumferences(latest):
            sizes = {"left": latest.circumference_left_cm, "right": latest.circumference_right_cm}
            details.append(f"measuring {cm_words(sizes[side.leg])} against {cm_words(sizes[side.other])}")
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
        day = day_and_month(latest.local_date)
        title = f"{subject} on {day}: if it is still there, get care today"
        explanation = (
            f"On {day} you reported that {seen}.{previous} If you still have these "
            "symptoms, get medical care today: call your doctor or go to an urgent care or emergency "
            "department. If they have passed, tell your doctor about them soon. "
            f"{picture} can be a sign of a blood clot in a leg vein (DVT). "
            "If you get chest pain or breathlessness, call your emergency number (for example 112 or 911) "
            f"at once. {NOT_A_DIAGNOSIS}"
        )
    else:
        title = f"{subject}: get medical care today"
        explanation = (
            f"In your check-in on {day_and_month(latest.local_date)} you reported that {seen}.{previous} "
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
            "dates": isodates(c.local_date for c in found),
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


def rule_urgent_dvt_warning(facts: PatientFacts) -> Insight | None:
    """A check-in in the last 7 days reports one swollen, painful leg with sudden onset or redness/warmth
    (after a previous DVT, swelling and pain are enough)."""
    return dvt_insight(recent_checkins(facts, THRESHOLDS.dvt_days), previous_dvt=facts.previous_dvt)


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
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
                f"{cm_words(e[f'circumference_{leg}_cm'])} against {cm_words(e[f'circumference_{other}_cm'])}"
            )
        seen = f"one-sided swelling of the {leg} leg ({'; '.join(details)}) with {joined_with_and(flags)}"
    else:
        seen = f"{joined_with_and(flags)} (swelling not answered)"
    history = "; previous DVT on the profile" if e["previous_dvt"] else ""
    return f"Reported {seen} on {when}{history}. Shown the advice to get medical care today."


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    swelling = f"swelling left {score(e['swelling_left'], 3)}, right {score(e['swelling_right'], 3)}"
    at = checkin_at(e, time_zone)
    if e.get("leg"):
        words = f"{e['leg'].title()} leg more swollen at the check-in of {at}: {swelling}"
    else:
        words = f"Calf pain at the check-in of {at}, one-sided swelling not said: {swelling}"
    if e["circumference_left_cm"] is not None and e["circumference_right_cm"] is not None:
        left, right = e["circumference_left_cm"], e["circumference_right_cm"]
        words += f"; circumference left {left} cm, right {right} cm"
    flags = [
        ("calf_pain_or_tenderness", "calf pain or tenderness"),
        ("sudden_onset", "sudden onset"),
        ("redness_or_warmth", "redness or warmth"),
        ("previous_dvt", "previous DVT"),
    ]
    return words + "".join(f"; {text}" for key, text in flags if e.get(key)) + "."


RULE = Rule(
    code="urgent_dvt_warning",
    check=rule_urgent_dvt_warning,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
