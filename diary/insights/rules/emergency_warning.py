"""emergency_warning (urgent): sudden chest pain or breathlessness in the last 2 days, and its words."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.insights.evidence import checkin_evidence
from diary.insights.facts import CheckInFact, Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import recent_checkins
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    checkin_at,
    day_and_month,
)


def is_emergency(checkin: CheckInFact) -> bool:
    """Sudden chest pain or breathlessness: an emergency whatever its cause."""
    return checkin.sudden_chest_pain_or_breathlessness


def emergency_insight(checkins: Iterable[CheckInFact], *, past: bool = False) -> Insight | None:
    found = sorted((c for c in checkins if is_emergency(c)), key=lambda c: c.recorded_at)
    if not found:
        return None
    latest = found[-1]
    words = {"day": day_and_month(latest.local_date), "not_a_diagnosis": NOT_A_DIAGNOSIS}
    if past:
        title = _("Chest pain or breathlessness on %(day)s: if you still have it, call now") % words
        explanation = (
            _(
                "On %(day)s you reported sudden chest pain or breathlessness. If you still have these "
                "symptoms, or they come back, call your emergency number now (for example 112 or 911). Do "
                "not drive yourself. If they have passed, tell your doctor about them today: sudden chest "
                "pain or breathlessness can be a sign of a blood clot in the lungs, even after it eases. "
                "%(not_a_diagnosis)s"
            )
            % words
        )
    else:
        title = _("Chest pain or breathlessness: call for help now")
        explanation = (
            _(
                "In your check-in on %(day)s you reported sudden chest pain or breathlessness. Call your "
                "emergency number now (for example 112 or 911). Do not drive yourself and do not wait to see "
                "if it passes. Sudden chest pain or breathlessness is an emergency whatever its cause; it "
                "can be a sign of a blood clot in the lungs. %(not_a_diagnosis)s"
            )
            % words
        )
    return Insight(
        code="emergency_warning",
        level="urgent",
        title=title,
        explanation=explanation,
        evidence={
            **checkin_evidence(found),
            "past_dated": past,  # worded for a past report (urgent_for_checkin)
        },
        first_seen=found[0].recorded_at,
        last_seen=latest.recorded_at,
    )


def rule_emergency_warning(facts: PatientFacts) -> Insight | None:
    """A check-in in the last 2 days reports sudden chest pain or breathlessness."""
    return emergency_insight(recent_checkins(facts, THRESHOLDS.emergency_days))


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    count = insight.evidence["checkins"]
    if count > 1:
        return ngettext(
            "Reported sudden chest pain or breathlessness on %(when)s (%(count)s check-in with it in the "
            "last 2 days). Shown the advice to call the emergency number now.",
            "Reported sudden chest pain or breathlessness on %(when)s (%(count)s check-ins with it in the "
            "last 2 days). Shown the advice to call the emergency number now.",
            count,
        ) % {"when": when, "count": count}
    return _(
        "Reported sudden chest pain or breathlessness on %(when)s. Shown the advice to call the emergency "
        "number now."
    ) % {"when": when}


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    at = checkin_at(insight.evidence, time_zone)
    return _("Sudden chest pain or breathlessness reported at the check-in of %(at)s.") % {"at": at}


RULE = Rule(
    code="emergency_warning",
    check=rule_emergency_warning,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
