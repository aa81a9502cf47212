"""low_hydration_pattern (info): more cramp nights after days under the fluid target; and its words."""

from diary.insights.associations import (
    enough_days,
    hydration_association,
    rate_at_least_factor,
)
from diary.insights.facts import Insight, PatientFacts
from diary.insights.nights import night_moments
from diary.insights.rule import Rule
from diary.insights.wording import (
    group_words,
    printed_rate,
    rate_words,
    span,
)


def rule_low_hydration_pattern(facts: PatientFacts) -> Insight | None:
    """After days under the fluid target, cramp nights at >= 1.5 x the rate after days at or over it."""
    rates = hydration_association(facts)
    under, over = rates["under"], rates["at_or_over"]
    if not (enough_days(under, over) and rate_at_least_factor(under, over)):
        return None
    first, last = span(night_moments(facts, under.dates + over.dates))
    return Insight(
        code="low_hydration_pattern",
        level="info",
        title="More cramp nights after days you drank less",
        explanation=(
            f"After days you drank less than your target of {facts.fluid_target_ml} ml, you had cramps on "
            f"{rate_words(under)}. After days you reached it, on {rate_words(over)}. This is an "
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


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    return (
        f"Cramp nights after days under the fluid target of {e['fluid_target_ml']} ml: "
        f"{group_words(e['under'])}; after days at or over it: {group_words(e['at_or_over'])}. "
        f"Association, not proof; latest entry {when}."
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    return (
        f"Cramp nights after days under the {e['fluid_target_ml']:,} ml target: {printed_rate(e['under'])}; "
        f"after days at or over it: {printed_rate(e['at_or_over'])}. An association, not proof."
    )


RULE = Rule(
    code="low_hydration_pattern",
    check=rule_low_hydration_pattern,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
