"""venous_evaluation (advice): night cramps with venous signs, see a vein specialist; and its words."""

from dataclasses import dataclass
from datetime import date

from diary.insights.facts import Insight, PatientFacts
from diary.insights.nights import cramp_nights, night_moments
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import checkins_in_window
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    isodates,
    joined_with_and,
    listed_isodates,
    plural,
    span,
)


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


def said_max(*scores: int | None) -> int:
    """The highest of the answered scores; -1 when none was answered, so that no threshold is met (an
    unanswered slider is no sign, and no day against one either)."""
    return max((score for score in scores if score is not None), default=-1)


def venous_signs(facts: PatientFacts) -> VenousSigns:
    """The venous signs reported on the check-ins of the day window (distinct local dates)."""
    checkins = checkins_in_window(facts)
    return VenousSigns(
        swelling_days=frozenset(
            c.local_date for c in checkins if said_max(c.swelling_left, c.swelling_right) >= 1
        ),
        heaviness_or_aching_days=frozenset(
            c.local_date for c in checkins if said_max(c.heaviness, c.aching) >= THRESHOLDS.symptom_score
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
    sign_days = set().union(*(signs.days_of(sign) for sign in present))
    moments = night_moments(facts, nights)
    moments += [c.recorded_at for c in checkins_in_window(facts) if c.local_date in sign_days]
    first, last = span(moments)
    return Insight(
        code="venous_evaluation",
        level="advice",
        title="Night cramps and vein signs: see a vein specialist",
        explanation=(
            f"In the last 4 weeks you had cramps on {plural(len(nights), 'night')}, and you also reported "
            f"{joined_with_and(seen)}. Night cramps together with such signs can be a sign of a vein problem "
            "(chronic venous insufficiency). Please talk to a vein specialist; they can check your veins "
            f"with an ultrasound scan (duplex). {NOT_A_DIAGNOSIS}"
        ),
        evidence={
            "cramp_nights": len(nights),
            "nights": isodates(nights),
            "signs": present,
            "swelling_days": len(signs.swelling_days),
            "heaviness_or_aching_days": len(signs.heaviness_or_aching_days),
            "visible_veins_dates": isodates(signs.visible_veins_days),
            "skin_changes_dates": isodates(signs.skin_changes_days),
        },
        first_seen=first,
        last_seen=last,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    words = {
        "swelling": f"swelling on {plural(e['swelling_days'], 'day')}",
        "heaviness_or_aching": (
            f"heaviness or aching {THRESHOLDS.symptom_score}/10 or more on "
            f"{plural(e['heaviness_or_aching_days'], 'day')}"
        ),
        "visible_veins": f"visible veins ({listed_isodates(e['visible_veins_dates'])})",
        "skin_changes": f"skin changes ({listed_isodates(e['skin_changes_dates'])})",
    }
    return (
        f"Night cramps on {plural(e['cramp_nights'], 'night')} of the last 28, with "
        f"{joined_with_and([words[sign] for sign in e['signs']])}; latest entry {when}. Suggested: a vein "
        "specialist's assessment (duplex ultrasound)."
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    signs = {
        "swelling": f"swelling on {plural(e['swelling_days'], 'day')}",
        "heaviness_or_aching": (
            f"heaviness or aching {THRESHOLDS.symptom_score}/10 or more on "
            f"{plural(e['heaviness_or_aching_days'], 'day')}"
        ),
        "visible_veins": f"visible veins on {plural(len(e['visible_veins_dates']), 'day')}",
        "skin_changes": f"skin changes on {plural(len(e['skin_changes_dates']), 'day')}",
    }
    listed = ", ".join(signs[sign] for sign in e["signs"])
    return f"Cramps on {plural(e['cramp_nights'], 'night')} of the last 28, with {listed}."


RULE = Rule(
    code="venous_evaluation",
    check=rule_venous_evaluation,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
