"""arterial_evaluation (advice): cramps on walking eased by rest, or a positive Edinburgh questionnaire;
and its words."""

from datetime import datetime, timedelta

from diary.insights.facts import CrampFact, Insight, PatientFacts
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import age, cramps_in_window, local_date_of
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    day_and_month,
    isodates,
    local_isodate,
    plural,
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
    seen = []
    moments: list[datetime] = []
    if by_walking:
        seen.append(
            f"in the last 4 weeks you logged {len(walking)} cramps while walking or exercising that eased "
            "with rest"
        )
        moments += [c.started_at for c in walking]
    if by_questionnaire:
        assert facts.claudication is not None
        answered_on = local_date_of(facts, facts.claudication.answered_at)
        seen.append(
            f"your answers to the walking questionnaire on {day_and_month(answered_on)} point to leg pain "
            "when walking"
        )
        moments.append(facts.claudication.answered_at)
    text = ", and ".join(seen)
    first, last = span(moments)
    return Insight(
        code="arterial_evaluation",
        level="advice",
        title="Leg pain when walking: ask about the circulation in your legs",
        explanation=(
            f"{text[0].upper()}{text[1:]}. Pain when walking that eases with rest can come from narrowed "
            "arteries. Please ask your doctor to check the circulation (arteries) in your legs. "
            f"{NOT_A_DIAGNOSIS}"
        ),
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
    seen = []
    if e["by_walking_episodes"]:
        seen.append(
            f"logged {plural(e['walking_episodes'], 'cramp')} while walking or exercising that eased with "
            "rest in the last 4 weeks"
        )
    if e["by_questionnaire"]:
        seen.append("answered the Edinburgh Claudication Questionnaire with a definite claudication result")
    text = "; ".join(seen)
    return f"{text[0].upper()}{text[1:]}; latest entry {when}. Suggested: an arterial assessment (PAD)."


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    parts = []
    if e["by_walking_episodes"]:
        walking = plural(e["walking_episodes"], "cramp")
        parts.append(f"{walking} while walking or exercising, relieved by rest")
    if e["by_questionnaire"]:
        answered = local_isodate(e["claudication_answered_at"], time_zone)
        parts.append(
            f"Edinburgh Claudication Questionnaire {e['claudication_result']} ({printed_day(answered)})"
        )
    return "; ".join(parts) + "."


RULE = Rule(
    code="arterial_evaluation",
    check=rule_arterial_evaluation,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
