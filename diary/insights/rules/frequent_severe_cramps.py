"""frequent_severe_cramps (advice): many or many severe cramps in the window, and its words."""

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
    first, last = span(c.started_at for c in involved)
    severe_words = (
        f", {len(severe)} of them severe ({THRESHOLDS.severe_score} or more out of 10)" if severe else ""
    )
    return Insight(
        code="frequent_severe_cramps",
        level="advice",
        title="Frequent or severe cramps: talk to your doctor",
        explanation=(
            f"In the last 4 weeks you logged {plural(len(cramps), 'cramp')}{severe_words}. "
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
            "dates": isodates(c.local_date for c in involved),
        },
        first_seen=first,
        last_seen=last,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    severe = ""
    if e["severe_episodes"]:
        severe = f", {e['severe_episodes']} of severity {e['severe_score']}/10 or more"
    unsaid = f" (severity not said for {e['severity_not_said']})" if e["severity_not_said"] else ""
    return f"Logged {plural(e['episodes'], 'cramp')} in the last 4 weeks{severe}{unsaid}; latest {when}."


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    unknown = e.get("severity_not_said", 0)
    return (
        f"{plural(e['episodes'], 'cramp episode')} in 28 days, {e['severe_episodes']} of severity "
        f"{e['severe_score']}/10 or more" + (f" (severity not said for {unknown})" if unknown else "") + "."
    )


RULE = Rule(
    code="frequent_severe_cramps",
    check=rule_frequent_severe_cramps,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
