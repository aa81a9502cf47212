"""medication_review (advice): many cramps while taking diuretics, ask about the medicines; and its words."""

from diary.insights.facts import Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import cramps_in_window
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    isodates,
    plural,
    span,
)


def rule_medication_review(facts: PatientFacts) -> Insight | None:
    """>= 8 cramps in the window while the profile says the patient takes diuretics (a said yes: not said
    is unknown, and an unknown is not a reason to name a medicine)."""
    cramps = cramps_in_window(facts)
    if facts.takes_diuretics is not True or len(cramps) < THRESHOLDS.medication_cramps:
        return None
    first, last = span(c.started_at for c in cramps)
    return Insight(
        code="medication_review",
        level="advice",
        title="Many cramps while taking water tablets: ask about your medicines",
        explanation=(
            f"In the last 4 weeks you logged {plural(len(cramps), 'cramp')}, and your profile says you take "
            "water tablets (diuretics). Some medicines, water tablets among them, can make leg cramps more "
            "likely. Do not stop any medicine on your own; ask your doctor or pharmacist whether one of your "
            f"medicines could play a part. {NOT_A_DIAGNOSIS}"
        ),
        evidence={
            "episodes": len(cramps),
            "takes_diuretics": True,
            "dates": isodates(c.local_date for c in cramps),
        },
        first_seen=first,
        last_seen=last,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    return (
        f"Logged {plural(e['episodes'], 'cramp')} in the last 4 weeks; the profile says diuretics are "
        f"taken. Latest {when}. Suggested: a medication review."
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    return f"{plural(e['episodes'], 'cramp')} in 28 days; the profile says the patient takes diuretics."


RULE = Rule(
    code="medication_review",
    check=rule_medication_review,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
