"""Every rule over a patient's facts, most urgent first; and an insight worded for a clinician."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils.translation import gettext as _

from diary.insights.facts import LEVEL_RANK, Insight, PatientFacts
from diary.insights.rules import REGISTRY
from diary.zones import short_moment_words

RULES: tuple[Callable[[PatientFacts], Insight | None], ...] = tuple(rule.check for rule in REGISTRY)


def sort_insights(insights: Iterable[Insight]) -> list[Insight]:
    """Most urgent first (urgent, advice, info); within a level the newest evidence first."""

    def key(insight: Insight) -> tuple:
        newest = insight.last_seen.timestamp() if insight.last_seen else float("-inf")
        return (-LEVEL_RANK[insight.level], -newest)

    return sorted(insights, key=key)


def evaluate(facts: PatientFacts) -> list[Insight]:
    """Every rule over the facts; the fired insights, most urgent first."""
    return sort_insights(insight for rule in RULES if (insight := rule(facts)) is not None)


def highest_level(insights: Iterable[Insight]) -> str | None:
    """The highest level among the insights ("urgent" > "advice" > "info"), or None when there are none."""
    levels = [insight.level for insight in insights]
    return max(levels, key=LEVEL_RANK.__getitem__) if levels else None


CLINICIAN_WORDING: dict[str, Callable[[Insight, str], str]] = {
    rule.code: rule.clinician_words for rule in REGISTRY
}


def clinician_explanation(insight: Insight, *, time_zone: str) -> str:
    """The insight worded for a clinician: third person, what was reported and when, on the patient's
    clock and labelled with its zone ("Reported one-sided swelling ... on 1 Dec 2026, 19:40 New York
    time"); self-reported, never a diagnosis. Read from the evidence alone, so an insight stored or
    rebuilt elsewhere words the same."""
    recorded_at = insight.evidence.get("recorded_at")
    moment = datetime.fromisoformat(recorded_at) if recorded_at else insight.last_seen
    # On the clock of the zone the check-in was logged in, when the evidence names one (decision 0037).
    zone = insight.evidence.get("timezone") or time_zone
    when = short_moment_words(moment, zone) if moment is not None else _("a time not recorded")
    wording = CLINICIAN_WORDING.get(insight.code)
    if wording is None:
        # A rule without its own clinician wording yet: its title, never the patient's "you" text.
        return _("%(title)s (rule %(code)s); latest entry %(when)s. Self-reported.") % {
            "title": insight.title,
            "code": insight.code,
            "when": when,
        }
    return _("%(words)s Self-reported; not a diagnosis.") % {"words": wording(insight, when)}
