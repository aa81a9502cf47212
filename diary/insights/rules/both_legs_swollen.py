"""both_legs_swollen (advice): both legs suddenly, severely swollen and painful in the last 7 days: be
seen soon; and its words."""

from django.utils.translation import gettext as _

from diary.insights.evidence import checkin_evidence
from diary.insights.facts import CheckInFact, Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.rules.urgent_dvt_warning import rule_urgent_dvt_warning
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import recent_checkins
from diary.insights.wording import NOT_A_DIAGNOSIS, checkin_at, day_and_month, joined_with_and


def both_legs_suddenly_swollen(checkin: CheckInFact) -> bool:
    """Both legs answered severe (3), sudden onset and calf pain or tenderness. A leg not answered is not
    severe: one severe leg and one not said is no bilateral picture (docs/decisions/0022)."""
    level = THRESHOLDS.both_legs_swelling_level
    severe = all(s is not None and s >= level for s in (checkin.swelling_left, checkin.swelling_right))
    return severe and checkin.sudden_onset and checkin.calf_pain_or_tenderness


def rule_both_legs_swollen(facts: PatientFacts) -> Insight | None:
    """A check-in in the last 7 days reports both legs severely swollen, of sudden onset, with pain.

    Bilateral DVT, cellulitis and heart failure can all present so; none of them is one-sided, so the DVT
    rule does not see it. Silent while urgent_dvt_warning fires (the urgent advice covers the legs)."""
    found = sorted(
        (c for c in recent_checkins(facts, THRESHOLDS.leg_advice_days) if both_legs_suddenly_swollen(c)),
        key=lambda c: c.recorded_at,
    )
    if not found or rule_urgent_dvt_warning(facts) is not None:
        return None
    latest = found[-1]
    words = {"day": day_and_month(latest.local_date), "not_a_diagnosis": NOT_A_DIAGNOSIS}
    return Insight(
        code="both_legs_swollen",
        level="advice",
        title=_("Both legs suddenly swollen and painful: be seen soon"),
        explanation=_(
            "In your check-in on %(day)s you reported that both legs were severely swollen, that it started "
            "suddenly, and pain or tenderness in the calf. Swelling of both legs that comes on suddenly "
            "should be looked at by a doctor soon: please see your doctor today or tomorrow. If you feel "
            "short of breath, get chest pain, or a leg becomes red and hot, call your emergency number (for "
            "example 112 or 911) at once. %(not_a_diagnosis)s"
        )
        % words,
        evidence={
            **checkin_evidence(found),
            "swelling_left": latest.swelling_left,
            "swelling_right": latest.swelling_right,
            "sudden_onset": True,
            "calf_pain_or_tenderness": True,
            "redness_or_warmth": latest.redness_or_warmth,
        },
        first_seen=found[0].recorded_at,
        last_seen=latest.recorded_at,
    )


# --- For the clinician ---------------------------------------------------------------------


def signs_words(evidence: dict) -> str:
    """ "calf pain or tenderness", with "and redness or warmth" when it was reported too."""
    flags = [_("calf pain or tenderness")]
    if evidence["redness_or_warmth"]:
        flags.append(_("redness or warmth"))
    return joined_with_and(flags)


def clinician_words(insight: Insight, when: str) -> str:
    # Translators: %(signs)s is a list ("calf pain or tenderness and redness or warmth").
    return _(
        "Reported both legs severely swollen, of sudden onset, with %(signs)s, on %(when)s (bilateral DVT, "
        "cellulitis and heart failure can present so). Shown the advice to be seen soon, today or tomorrow."
    ) % {"signs": signs_words(insight.evidence), "when": when}


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    return _("Both legs severely swollen at the check-in of %(at)s: sudden onset; %(signs)s.") % {
        "at": checkin_at(insight.evidence, time_zone),
        "signs": signs_words(insight.evidence),
    }


RULE = Rule(
    code="both_legs_swollen",
    check=rule_both_legs_swollen,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
