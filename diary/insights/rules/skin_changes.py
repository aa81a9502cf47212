"""skin_changes (advice): skin changes reported on the legs, have them checked; and its words."""

from diary.insights.facts import Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.windows import checkins_in_window
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    isodates,
    listed_days,
    listed_isodates,
    plural,
    printed_day,
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
            f"You reported skin changes on your legs (such as darker skin or a sore) on {listed_days(days)}. "
            "Skin changes can be a sign of advanced vein disease, and they do better when looked at early. "
            f"Please have your doctor or a vein specialist look at your legs soon. {NOT_A_DIAGNOSIS}"
        ),
        evidence={"checkins": len(found), "dates": isodates(days)},
        first_seen=found[0].recorded_at,
        last_seen=found[-1].recorded_at,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    return f"Reported skin changes (discoloration or ulcer) on {listed_isodates(e['dates'])}; latest {when}."


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    last = printed_day(e["dates"][-1])
    return f"Skin changes reported at {plural(e['checkins'], 'check-in')}, last on {last}."


RULE = Rule(
    code="skin_changes",
    check=rule_skin_changes,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
