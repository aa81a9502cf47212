"""urgent_dvt_warning (urgent): one swollen, painful leg in the last 7 days (a possible DVT); and its
words."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from diary.insights.evidence import checkin_evidence
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
    joined_with_and,
    printed_circumferences,
    score,
)


@dataclass(frozen=True)
class OneSidedSwelling:
    leg: str  # "left" | "right": the swollen leg
    other: str
    swelling_difference: int | None  # levels, swollen leg minus the other, when both were answered
    circumference_difference_cm: float | None  # swollen leg minus the other, when comparable
    circumference_site: str | None = None  # "calf" | "ankle": where both legs were measured, when comparable


def both_levels(checkin: CheckInFact) -> bool:
    return checkin.swelling_left is not None and checkin.swelling_right is not None


# comparable_site's answer when both legs were measured but where was not said for both.
SITE_NOT_SAID = ""


def comparable_site(checkin: CheckInFact) -> str | None:
    """Where both legs were measured, when their circumferences can be compared: "calf" or "ankle" when
    said for both, SITE_NOT_SAID when not said for one or both; None when they cannot be compared: a leg
    not measured, or a calf against an ankle (issue 21: like with like). A site not said never silences
    the comparison the check-in always had (docs/decisions/0038)."""
    if checkin.circumference_left_cm is None or checkin.circumference_right_cm is None:
        return None
    left, right = checkin.circumference_site_left, checkin.circumference_site_right
    if left is None or right is None:
        return SITE_NOT_SAID
    return left if left == right else None


def both_circumferences(checkin: CheckInFact) -> bool:
    """Both legs measured, and not at two different sites: the circumferences the rules compare."""
    return comparable_site(checkin) is not None


def swelling_unknown(checkin: CheckInFact) -> bool:
    """Whether the check-in cannot tell one-sided swelling: neither both legs' swelling levels nor two
    comparable circumferences were given (one leg alone, or a calf against an ankle, compare nothing)."""
    return not (both_levels(checkin) or both_circumferences(checkin))


def circumference_one_sided(site: str, difference_cm: float) -> bool:
    """At the calf more than 3.0 cm (Wells); at the ankle, or where not said, 3.0 cm or more (PRODUCT.md's
    "calf/ankle >= 3 cm larger"; THRESHOLDS.dvt_circumference_cm)."""
    if site == "calf":
        return difference_cm > THRESHOLDS.dvt_circumference_cm
    return difference_cm >= THRESHOLDS.dvt_circumference_cm


def one_sided_swelling(checkin: CheckInFact) -> OneSidedSwelling | None:
    """The leg that is clearly more swollen than the other: >= 2 levels above it (both levels given), or
    larger by more than 3.0 cm at the calf, or by 3.0 cm or more at the ankle or where the site was not said
    (comparable_site). Two equally swollen legs are not one-sided, however swollen; a leg whose level was
    not answered, or a calf measured against an ankle, is compared with nothing."""
    site = comparable_site(checkin)
    circumference: float | None = None
    if site is not None:
        # Rounded to the millimetre the patient can measure, so 38.3 - 35.3 is 3.0, not 2.9999...
        circumference = round(checkin.circumference_left_cm - checkin.circumference_right_cm, 1)
    swelling = checkin.swelling_left - checkin.swelling_right if both_levels(checkin) else None
    for leg, other, sign in (("left", "right", 1), ("right", "left", -1)):
        levels = None if swelling is None else sign * swelling
        cm = None if circumference is None else sign * circumference + 0.0  # + 0.0: no "-0.0" in evidence
        if (levels is not None and levels >= THRESHOLDS.dvt_swelling_levels) or (
            cm is not None and circumference_one_sided(site, cm)
        ):
            return OneSidedSwelling(
                leg=leg,
                other=other,
                swelling_difference=levels,
                circumference_difference_cm=cm,
                circumference_site=(site or None) if cm is not None else None,
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


def acute_signs_words(checkin: CheckInFact) -> str:
    """ "it started suddenly", "the leg was red or warm", both, or "" (the patient's words)."""
    if checkin.sudden_onset and checkin.redness_or_warmth:
        return _("it started suddenly and the leg was red or warm")
    if checkin.sudden_onset:
        return _("it started suddenly")
    if checkin.redness_or_warmth:
        return _("the leg was red or warm")
    return ""


def measured_words(checkin: CheckInFact, side: OneSidedSwelling) -> str:
    """ "the calf measuring 41.0 cm against 37.0 cm": the two comparable circumferences, for the patient."""
    sizes = {"left": checkin.circumference_left_cm, "right": checkin.circumference_right_cm}
    words = {"swollen": cm_words(sizes[side.leg]), "other": cm_words(sizes[side.other])}
    site = comparable_site(checkin)
    if site == "calf":
        return _("the calf measuring %(swollen)s against %(other)s") % words
    if site == "ankle":
        return _("the ankle measuring %(swollen)s against %(other)s") % words
    return _("measuring %(swollen)s against %(other)s") % words


def swollen_leg_words(checkin: CheckInFact, side: OneSidedSwelling, signs: str) -> str:
    """What the patient reported of the swollen leg, measures in brackets: the middle of "you reported
    that ..."."""
    levels = {"left": checkin.swelling_left, "right": checkin.swelling_right}
    details = []
    if both_levels(checkin) and levels[side.leg] != levels[side.other]:
        details.append(
            _("swelling %(swollen)s against %(other)s")
            % {
                "swollen": SWELLING_WORDS.get(levels[side.leg], levels[side.leg]),
                "other": SWELLING_WORDS.get(levels[side.other], levels[side.other]),
            }
        )
    if both_circumferences(checkin):
        details.append(measured_words(checkin, side))
    words = {"details": "; ".join(details), "signs": signs}
    # One message per leg: "left" and "right" take different endings in German and Spanish.
    if side.leg == "left":
        if signs:
            return (
                _(
                    "your left leg was more swollen than your right leg (%(details)s), with pain or "
                    "tenderness in the calf, and %(signs)s"
                )
                % words
            )
        return (
            _(
                "your left leg was more swollen than your right leg (%(details)s), with pain or tenderness "
                "in the calf"
            )
            % words
        )
    if signs:
        return (
            _(
                "your right leg was more swollen than your left leg (%(details)s), with pain or tenderness "
                "in the calf, and %(signs)s"
            )
            % words
        )
    return (
        _(
            "your right leg was more swollen than your left leg (%(details)s), with pain or tenderness "
            "in the calf"
        )
        % words
    )


def leg_evidence(checkin: CheckInFact, side: OneSidedSwelling | None) -> dict:
    """Both legs as the check-in gave them, and the more swollen one (None: not one-sided, or unknown)."""
    return {
        "leg": side.leg if side else None,
        "swelling_left": checkin.swelling_left,
        "swelling_right": checkin.swelling_right,
        "swelling_difference": side.swelling_difference if side else None,
        "circumference_left_cm": checkin.circumference_left_cm,
        "circumference_right_cm": checkin.circumference_right_cm,
        "circumference_site_left": checkin.circumference_site_left,
        "circumference_site_right": checkin.circumference_site_right,
        "circumference_difference_cm": side.circumference_difference_cm if side else None,
        "circumference_site": side.circumference_site if side else None,
    }


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
    signs = acute_signs_words(latest)
    if side is not None:
        seen = swollen_leg_words(latest, side, signs)
    elif signs:
        seen = _(
            "you had pain or tenderness in the calf, and %(signs)s (you did not say whether one leg was "
            "swollen)"
        ) % {"signs": signs}
    else:
        seen = _("you had pain or tenderness in the calf (you did not say whether one leg was swollen)")
    # With its leading space, or nothing: the sentence after "you reported that ...".
    previous = (
        " " + _("You told us you had a blood clot in the leg before, so this matters even more.")
        if previous_dvt is True
        else ""
    )
    if side is not None:
        picture = _("One swollen, painful leg can be a sign of a blood clot in a leg vein (DVT).")
    else:
        picture = _("A painful leg, swollen or not, can be a sign of a blood clot in a leg vein (DVT).")
    words = {
        "day": day_and_month(latest.local_date),
        "seen": seen,
        "previous": previous,
        "picture": picture,
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
    }
    if past:
        if side is not None:
            title = _("One swollen, painful leg on %(day)s: if it is still there, get care today") % words
        else:
            title = _("A painful calf on %(day)s: if it is still there, get care today") % words
        explanation = (
            # Translators: %(seen)s is what the patient reported (a clause: "your left leg was more swollen
            # ..."); %(previous)s is nothing or a sentence with its leading space; %(picture)s is a sentence.
            _(
                "On %(day)s you reported that %(seen)s.%(previous)s If you still have these symptoms, get "
                "medical care today: call your doctor or go to an urgent care or emergency department. If "
                "they have passed, tell your doctor about them soon. %(picture)s If you get chest pain or "
                "breathlessness, call your emergency number (for example 112 or 911) at once. "
                "%(not_a_diagnosis)s"
            )
            % words
        )
    else:
        title = (
            _("One swollen, painful leg: get medical care today")
            if side is not None
            else _("A painful calf: get medical care today")
        )
        explanation = (
            # Translators: %(seen)s is what the patient reported (a clause: "your left leg was more swollen
            # ..."); %(previous)s is nothing or a sentence with its leading space; %(picture)s is a sentence.
            _(
                "In your check-in on %(day)s you reported that %(seen)s.%(previous)s %(picture)s Get "
                "medical care today: call your doctor or go to an urgent care or emergency department. If "
                "you also get chest pain or breathlessness, call your emergency number (for example 112 or "
                "911) at once. "
                "%(not_a_diagnosis)s"
            )
            % words
        )
    return Insight(
        code="urgent_dvt_warning",
        level="urgent",
        title=title,
        explanation=explanation,
        evidence={
            **checkin_evidence(found),
            "swelling_said": side is not None,
            **leg_evidence(latest, side),
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


def clinician_measured_words(evidence: dict, leg: str, other: str) -> str:
    """ "calf 41.0 cm against 37.0 cm": the compared circumferences, for the clinician."""
    words = {
        "swollen": cm_words(evidence[f"circumference_{leg}_cm"]),
        "other": cm_words(evidence[f"circumference_{other}_cm"]),
    }
    # Evidence stored before issue 21 has no site: the measures alone, as they were worded then.
    site = evidence.get("circumference_site")
    if site == "calf":
        return _("calf %(swollen)s against %(other)s") % words
    if site == "ankle":
        return _("ankle %(swollen)s against %(other)s") % words
    return _("%(swollen)s against %(other)s") % words


def clinician_swelling_details(evidence: dict) -> str:
    """ "severe against none; calf 41.0 cm against 37.0 cm": what made the swollen leg one-sided."""
    e = evidence
    leg, other = e["leg"], "right" if e["leg"] == "left" else "left"
    details = []
    if e["swelling_difference"] is not None and e["swelling_difference"] != 0:
        details.append(
            _("%(swollen)s against %(other)s")
            % {
                "swollen": SWELLING_WORDS[e[f"swelling_{leg}"]],
                "other": SWELLING_WORDS[e[f"swelling_{other}"]],
            }
        )
    if e["circumference_difference_cm"] is not None:
        details.append(clinician_measured_words(e, leg, other))
    return "; ".join(details)


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    flags = [_("calf pain or tenderness")] + [
        words
        for name, words in (
            ("sudden_onset", _("sudden onset")),
            ("redness_or_warmth", _("redness or warmth")),
        )
        if e[name]
    ]
    words = {
        "signs": joined_with_and(flags),
        "when": when,
        # With its leading "; ", or nothing: after the moment of the report.
        # Translators: follows the moment of the report in "... on %(when)s%(history)s."
        "history": _("; previous DVT on the profile") if e["previous_dvt"] else "",
    }
    if not e["swelling_said"]:
        return (
            # Translators: %(signs)s is a list ("calf pain or tenderness and sudden onset"); %(history)s is
            # nothing or "; previous DVT on the profile".
            _(
                "Reported %(signs)s (swelling not answered) on %(when)s%(history)s. Shown the advice to get "
                "medical care today."
            )
            % words
        )
    words["details"] = clinician_swelling_details(e)
    if e["leg"] == "left":
        return (
            _(
                "Reported one-sided swelling of the left leg (%(details)s) with %(signs)s on %(when)s"
                "%(history)s. Shown the advice to get medical care today."
            )
            % words
        )
    return (
        _(
            "Reported one-sided swelling of the right leg (%(details)s) with %(signs)s on %(when)s"
            "%(history)s. Shown the advice to get medical care today."
        )
        % words
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_leg_parts(e: dict, time_zone: str | None) -> list[str]:
    """Which leg was more swollen at which check-in, with both legs' levels and circumferences."""
    words = {
        "at": checkin_at(e, time_zone),
        "swelling": _("swelling left %(left)s, right %(right)s")
        % {"left": score(e["swelling_left"], 3), "right": score(e["swelling_right"], 3)},
    }
    if e.get("leg") == "left":
        parts = [_("Left leg more swollen at the check-in of %(at)s: %(swelling)s") % words]
    elif e.get("leg"):
        parts = [_("Right leg more swollen at the check-in of %(at)s: %(swelling)s") % words]
    else:
        parts = [_("Calf pain at the check-in of %(at)s, one-sided swelling not said: %(swelling)s") % words]
    measured = printed_circumferences(e)
    if measured:
        parts.append(measured)
    return parts


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    parts = printed_leg_parts(e, time_zone)
    flags = [
        ("calf_pain_or_tenderness", _("calf pain or tenderness")),
        ("sudden_onset", _("sudden onset")),
        ("redness_or_warmth", _("redness or warmth")),
        ("previous_dvt", _("previous DVT")),
    ]
    parts += [text for key, text in flags if e.get(key)]
    return "; ".join(parts) + "."


RULE = Rule(
    code="urgent_dvt_warning",
    check=rule_urgent_dvt_warning,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
