"""chest_pain_follow_up (advice): sudden chest pain or breathlessness reported more than 2 days ago, within
the last 28 local days: tell your doctor about the episode; and its words."""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.insights.evidence import checkin_evidence
from diary.insights.facts import CheckInFact, Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.rules.emergency_warning import is_emergency, rule_emergency_warning
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import age
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    checkin_at,
    day_and_month,
    listed_days,
    listed_isodates,
)


def follows_up(facts: PatientFacts, checkin: CheckInFact) -> bool:
    """A chest-pain check-in past the emergency's look-back (more than 2 x 24 h old, by the clock as that
    rule counts, so no moment has neither) whose local date is one of the 28 of the day window (today-27 ..
    today, in the patient's zone, as every 28-day rule)."""
    first_day: date = facts.today - timedelta(days=THRESHOLDS.follow_up_days - 1)
    return (
        is_emergency(checkin)
        and age(facts.now, checkin.recorded_at) > timedelta(days=THRESHOLDS.emergency_days)
        and first_day <= checkin.local_date <= facts.today
    )


def rule_chest_pain_follow_up(facts: PatientFacts) -> Insight | None:
    """Sudden chest pain or breathlessness reported more than 2 days ago and within the last 28 local days:
    the emergency is over, the episode still matters. Silent while emergency_warning fires (a newer report):
    "call now" is the one thing to read then."""
    found = sorted((c for c in facts.checkins if follows_up(facts, c)), key=lambda c: c.recorded_at)
    if not found or rule_emergency_warning(facts) is not None:
        return None
    latest = found[-1]
    days = sorted({c.local_date for c in found})
    words = {
        "day": day_and_month(latest.local_date),
        "days": listed_days(days),
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
    }
    return Insight(
        code="chest_pain_follow_up",
        level="advice",
        title=_("Chest pain or breathlessness on %(day)s: tell your doctor") % words,
        explanation=ngettext(
            "On %(days)s you reported sudden chest pain or breathlessness. Please tell your doctor about the "
            "episode on %(days)s, even if it has passed: it can be a sign of a blood clot in the lungs, and "
            "your doctor may want to check. If it comes back, call your emergency number now (for example "
            "112 or 911). %(not_a_diagnosis)s",
            "On %(days)s you reported sudden chest pain or breathlessness. Please tell your doctor about the "
            "episodes on %(days)s, even if they have passed: they can be a sign of a blood clot in the "
            "lungs, and your doctor may want to check. If it comes back, call your emergency number now "
            "(for example 112 or 911). %(not_a_diagnosis)s",
            len(days),
        )
        % words,
        evidence=checkin_evidence(found),
        first_seen=found[0].recorded_at,
        last_seen=latest.recorded_at,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    count = len(e["dates"])
    return ngettext(
        "Reported sudden chest pain or breathlessness on %(when)s, more than 2 days ago (on %(count)s day "
        "of the last 28: %(days)s). Shown the advice to tell the doctor about the episode.",
        "Reported sudden chest pain or breathlessness, last on %(when)s, more than 2 days ago (on %(count)s "
        "days of the last 28: %(days)s). Shown the advice to tell the doctor about the episodes.",
        count,
    ) % {"when": when, "count": count, "days": listed_isodates(e["dates"])}


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    count = len(e["dates"])
    return ngettext(
        "Sudden chest pain or breathlessness reported at the check-in of %(at)s, more than 2 days before; "
        "follow-up advised.",
        "Sudden chest pain or breathlessness reported on %(count)s days, last at the check-in of %(at)s, "
        "more than 2 days before; follow-up advised.",
        count,
    ) % {"at": checkin_at(e, time_zone), "count": count}


RULE = Rule(
    code="chest_pain_follow_up",
    check=rule_chest_pain_follow_up,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
