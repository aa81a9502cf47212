"""skin_changes (advice): skin changes reported on the legs, have them checked; and its words."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.insights.facts import Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.windows import checkins_in_window
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    isodates,
    listed_days,
    listed_isodates,
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
        title=_("Skin changes on your legs: have them checked"),
        explanation=_(
            "You reported skin changes on your legs (such as darker skin or a sore) on %(days)s. Skin "
            "changes can be a sign of advanced vein disease, and they do better when looked at early. Please "
            "have your doctor or a vein specialist look at your legs soon. %(not_a_diagnosis)s"
        )
        % {"days": listed_days(days), "not_a_diagnosis": NOT_A_DIAGNOSIS},
        evidence={"checkins": len(found), "dates": isodates(days)},
        first_seen=found[0].recorded_at,
        last_seen=found[-1].recorded_at,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    return _("Reported skin changes (discoloration or ulcer) on %(days)s; latest %(when)s.") % {
        "days": listed_isodates(e["dates"]),
        "when": when,
    }


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    count = e["checkins"]
    return ngettext(
        "Skin changes reported at %(count)s check-in, last on %(day)s.",
        "Skin changes reported at %(count)s check-ins, last on %(day)s.",
        count,
    ) % {"count": count, "day": printed_day(e["dates"][-1])}


RULE = Rule(
    code="skin_changes",
    check=rule_skin_changes,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
