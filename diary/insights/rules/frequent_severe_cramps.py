"""frequent_severe_cramps (advice): many or many severe cramps in the window, and its words."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.insights.facts import Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import cramps_in_window
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    isodates,
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
    words = {"count": len(cramps), "severe": len(severe), "score": THRESHOLDS.severe_score}
    if severe:
        seen = ngettext(
            "In the last 4 weeks you logged %(count)s cramp, %(severe)s of them severe (%(score)s or more "
            "out of 10).",
            "In the last 4 weeks you logged %(count)s cramps, %(severe)s of them severe (%(score)s or more "
            "out of 10).",
            len(cramps),
        )
    else:
        seen = ngettext(
            "In the last 4 weeks you logged %(count)s cramp.",
            "In the last 4 weeks you logged %(count)s cramps.",
            len(cramps),
        )
    return Insight(
        code="frequent_severe_cramps",
        level="advice",
        title=_("Frequent or severe cramps: talk to your doctor"),
        explanation=_(
            "%(seen)s Cramps this frequent or severe should be looked at by a doctor. Please talk to your "
            "doctor about them and bring this diary along. %(not_a_diagnosis)s"
        )
        % {"seen": seen % words, "not_a_diagnosis": NOT_A_DIAGNOSIS},
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
    count = e["episodes"]
    words = {
        "count": count,
        "severe": e["severe_episodes"],
        "score": e["severe_score"],
        "unsaid": e["severity_not_said"],
        "when": when,
    }
    if e["severe_episodes"] and e["severity_not_said"]:
        text = ngettext(
            "Logged %(count)s cramp in the last 4 weeks, %(severe)s of severity %(score)s/10 or more "
            "(severity not said for %(unsaid)s); latest %(when)s.",
            "Logged %(count)s cramps in the last 4 weeks, %(severe)s of severity %(score)s/10 or more "
            "(severity not said for %(unsaid)s); latest %(when)s.",
            count,
        )
    elif e["severe_episodes"]:
        text = ngettext(
            "Logged %(count)s cramp in the last 4 weeks, %(severe)s of severity %(score)s/10 or more; latest "
            "%(when)s.",
            "Logged %(count)s cramps in the last 4 weeks, %(severe)s of severity %(score)s/10 or more; "
            "latest %(when)s.",
            count,
        )
    elif e["severity_not_said"]:
        text = ngettext(
            "Logged %(count)s cramp in the last 4 weeks (severity not said for %(unsaid)s); latest %(when)s.",
            "Logged %(count)s cramps in the last 4 weeks (severity not said for %(unsaid)s); latest "
            "%(when)s.",
            count,
        )
    else:
        text = ngettext(
            "Logged %(count)s cramp in the last 4 weeks; latest %(when)s.",
            "Logged %(count)s cramps in the last 4 weeks; latest %(when)s.",
            count,
        )
    return text % words


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    count = e["episodes"]
    unknown = e.get("severity_not_said", 0)
    words = {"count": count, "severe": e["severe_episodes"], "score": e["severe_score"], "unsaid": unknown}
    if unknown:
        return (
            ngettext(
                "%(count)s cramp episode in 28 days, %(severe)s of severity %(score)s/10 or more (severity "
                "not said for %(unsaid)s).",
                "%(count)s cramp episodes in 28 days, %(severe)s of severity %(score)s/10 or more (severity "
                "not said for %(unsaid)s).",
                count,
            )
            % words
        )
    return (
        ngettext(
            "%(count)s cramp episode in 28 days, %(severe)s of severity %(score)s/10 or more.",
            "%(count)s cramp episodes in 28 days, %(severe)s of severity %(score)s/10 or more.",
            count,
        )
        % words
    )


RULE = Rule(
    code="frequent_severe_cramps",
    check=rule_frequent_severe_cramps,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
