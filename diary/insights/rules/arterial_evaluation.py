"""arterial_evaluation (advice): cramps on walking eased by rest, or a positive Edinburgh questionnaire;
and its words."""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from diary.insights.facts import CrampFact, Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import age, cramps_in_window, local_date_of
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    day_and_month,
    isodates,
    local_isodate,
    printed_day,
    span,
)


def walking_cramps(facts: PatientFacts) -> list[CrampFact]:
    """Cramps of the window while walking or exercising that rest relieved (the claudication pattern).

    Only cramps whose activity was said: a cramp with no activity is not a walking cramp, nor evidence
    against one."""
    return [
        c
        for c in cramps_in_window(facts)
        if c.activity in ("walking", "exercising") and c.relieved_by_rest is True
    ]


def claudication_positive(facts: PatientFacts) -> bool:
    """The latest Edinburgh Claudication Questionnaire found definite claudication, within the last year."""
    answer = facts.claudication
    return (
        answer is not None
        and answer.result == "definite"
        and age(facts.now, answer.answered_at) <= timedelta(days=THRESHOLDS.claudication_days)
    )


def rule_arterial_evaluation(facts: PatientFacts) -> Insight | None:
    """>= 3 walking/exercising cramps relieved by rest, or a positive Edinburgh questionnaire (either)."""
    walking = walking_cramps(facts)
    by_walking = len(walking) >= THRESHOLDS.arterial_episodes
    by_questionnaire = claudication_positive(facts)
    if not (by_walking or by_questionnaire):
        return None
    moments: list[datetime] = []
    count = len(walking)
    words = {"count": count, "not_a_diagnosis": NOT_A_DIAGNOSIS}
    if by_walking:
        moments += [c.started_at for c in walking]
    if by_questionnaire:
        assert facts.claudication is not None
        words["day"] = day_and_month(local_date_of(facts, facts.claudication.answered_at))
        moments.append(facts.claudication.answered_at)
    if by_walking and by_questionnaire:
        seen = ngettext(
            "In the last 4 weeks you logged %(count)s cramp while walking or exercising that eased with "
            "rest, and your answers to the walking questionnaire on %(day)s point to leg pain when walking.",
            "In the last 4 weeks you logged %(count)s cramps while walking or exercising that eased with "
            "rest, and your answers to the walking questionnaire on %(day)s point to leg pain when walking.",
            count,
        )
    elif by_walking:
        seen = ngettext(
            "In the last 4 weeks you logged %(count)s cramp while walking or exercising that eased with "
            "rest.",
            "In the last 4 weeks you logged %(count)s cramps while walking or exercising that eased with "
            "rest.",
            count,
        )
    else:
        seen = _("Your answers to the walking questionnaire on %(day)s point to leg pain when walking.")
    first, last = span(moments)
    return Insight(
        code="arterial_evaluation",
        level="advice",
        title=_("Leg pain when walking: ask about the circulation in your legs"),
        explanation=_(
            "%(seen)s Pain when walking that eases with rest can come from narrowed arteries. Please ask "
            "your doctor to check the circulation (arteries) in your legs. %(not_a_diagnosis)s"
        )
        % {**words, "seen": seen % words},
        evidence={
            "walking_episodes": len(walking),
            "walking_dates": isodates(c.local_date for c in walking),
            "claudication_result": facts.claudication.result if facts.claudication else None,
            "claudication_answered_at": (
                facts.claudication.answered_at.isoformat() if facts.claudication else None
            ),
            "by_walking_episodes": by_walking,
            "by_questionnaire": by_questionnaire,
        },
        first_seen=first,
        last_seen=last,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    count = e["walking_episodes"]
    words = {"count": count, "when": when}
    if e["by_walking_episodes"] and e["by_questionnaire"]:
        return (
            ngettext(
                "Logged %(count)s cramp while walking or exercising that eased with rest in the last 4 "
                "weeks; answered the Edinburgh Claudication Questionnaire with a definite claudication "
                "result; latest entry %(when)s. Suggested: an arterial assessment (PAD).",
                "Logged %(count)s cramps while walking or exercising that eased with rest in the last 4 "
                "weeks; answered the Edinburgh Claudication Questionnaire with a definite claudication "
                "result; latest entry %(when)s. Suggested: an arterial assessment (PAD).",
                count,
            )
            % words
        )
    if e["by_walking_episodes"]:
        return (
            ngettext(
                "Logged %(count)s cramp while walking or exercising that eased with rest in the last 4 "
                "weeks; latest entry %(when)s. Suggested: an arterial assessment (PAD).",
                "Logged %(count)s cramps while walking or exercising that eased with rest in the last 4 "
                "weeks; latest entry %(when)s. Suggested: an arterial assessment (PAD).",
                count,
            )
            % words
        )
    return (
        _(
            "Answered the Edinburgh Claudication Questionnaire with a definite claudication result; latest "
            "entry %(when)s. Suggested: an arterial assessment (PAD)."
        )
        % words
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------

# The questionnaire's result (ClaudicationFact.result, a stored code) as the summary prints it.
CLAUDICATION_RESULT_WORDS = {
    "negative": pgettext_lazy("Edinburgh Claudication Questionnaire result", "negative"),
    "atypical": pgettext_lazy("Edinburgh Claudication Questionnaire result", "atypical"),
    "definite": pgettext_lazy("Edinburgh Claudication Questionnaire result", "definite"),
}


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    parts = []
    if e["by_walking_episodes"]:
        count = e["walking_episodes"]
        parts.append(
            ngettext(
                "%(count)s cramp while walking or exercising, relieved by rest",
                "%(count)s cramps while walking or exercising, relieved by rest",
                count,
            )
            % {"count": count}
        )
    if e["by_questionnaire"]:
        answered = local_isodate(e["claudication_answered_at"], time_zone)
        result = e["claudication_result"]
        parts.append(
            _("Edinburgh Claudication Questionnaire %(result)s (%(day)s)")
            % {"result": CLAUDICATION_RESULT_WORDS.get(result, result), "day": printed_day(answered)}
        )
    return "; ".join(parts) + "."


RULE = Rule(
    code="arterial_evaluation",
    check=rule_arterial_evaluation,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
