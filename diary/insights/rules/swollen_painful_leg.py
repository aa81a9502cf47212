"""swollen_painful_leg (advice): one swollen, painful leg in the last 7 days without sudden onset or
redness, the picture urgent_dvt_warning leaves unanswered: see a doctor within a day or two; and its words.
"""

from django.utils.translation import gettext as _

from diary.insights.evidence import checkin_evidence
from diary.insights.facts import Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.rules.urgent_dvt_warning import (
    clinician_swelling_details,
    leg_evidence,
    one_sided_swelling,
    printed_leg_parts,
    rule_urgent_dvt_warning,
    swollen_leg_words,
)
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import recent_checkins
from diary.insights.wording import NOT_A_DIAGNOSIS, day_and_month


def rule_swollen_painful_leg(facts: PatientFacts) -> Insight | None:
    """A check-in in the last 7 days reports one leg swollen (2 levels above the other, or larger by the
    circumference thresholds) with calf pain or tenderness, and urgent_dvt_warning does not fire.

    Wells needs no sudden onset: a one-sided, tender, swollen leg is reason enough to be seen, though not
    today's emergency. While the urgent rule fires (sudden onset, redness, or a previous DVT) this one is
    silent: one message about the leg, the stronger (docs/decisions/0038)."""
    found = sorted(
        (
            c
            for c in recent_checkins(facts, THRESHOLDS.leg_advice_days)
            if c.calf_pain_or_tenderness and one_sided_swelling(c) is not None
        ),
        key=lambda c: c.recorded_at,
    )
    if not found or rule_urgent_dvt_warning(facts) is not None:
        return None
    latest = found[-1]
    side = one_sided_swelling(latest)
    words = {
        "day": day_and_month(latest.local_date),
        "seen": swollen_leg_words(latest, side, ""),
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
    }
    return Insight(
        code="swollen_painful_leg",
        level="advice",
        title=_("One swollen, painful leg: see a doctor within a day or two"),
        explanation=(
            # Translators: %(seen)s is what the patient reported (a clause: "your left leg was more swollen
            # ...").
            _(
                "In your check-in on %(day)s you reported that %(seen)s. One swollen, painful leg should be "
                "looked at by a doctor: please see your doctor within a day or two. If it gets worse, if the "
                "leg becomes red or warm, or if you feel short of breath or get chest pain, call your "
                "emergency number (for example 112 or 911) at once. %(not_a_diagnosis)s"
            )
            % words
        ),
        evidence={
            **checkin_evidence(found),
            **leg_evidence(latest, side),
            "calf_pain_or_tenderness": True,
            "previous_dvt": facts.previous_dvt,
        },
        first_seen=found[0].recorded_at,
        last_seen=latest.recorded_at,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    words = {"details": clinician_swelling_details(e), "when": when}
    if e["leg"] == "left":
        return (
            _(
                "Reported one-sided swelling of the left leg (%(details)s) with calf pain or tenderness, "
                "without sudden onset or redness, on %(when)s. Shown the advice to see a doctor within a day "
                "or two."
            )
            % words
        )
    return (
        _(
            "Reported one-sided swelling of the right leg (%(details)s) with calf pain or tenderness, "
            "without sudden onset or redness, on %(when)s. Shown the advice to see a doctor within a day or "
            "two."
        )
        % words
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    parts = printed_leg_parts(insight.evidence, time_zone)
    parts.append(_("calf pain or tenderness, without sudden onset or redness"))
    return "; ".join(parts) + "."


RULE = Rule(
    code="swollen_painful_leg",
    check=rule_swollen_painful_leg,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
