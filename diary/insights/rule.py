"""What every insight rule declares: its check (which words the insight for the patient) and its words
for the clinician and for the printed summary, so no reader of an insight words it by its code."""

from collections.abc import Callable
from dataclasses import dataclass

from diary.insights.facts import Insight, PatientFacts


@dataclass(frozen=True)
class Rule:
    code: str
    # The rule itself: the insight, worded for the patient ("you"), or None when it does not fire.
    check: Callable[[PatientFacts], Insight | None]
    # The insight for a clinician, third person, from its evidence and when it was seen
    # ("1 Dec 2026, 19:40 New York time"); diary.insights.clinician_explanation frames it.
    clinician_words: Callable[[Insight, str], str]
    # The insight's evidence as the printed visit summary lists it; times in the patient's zone when given.
    printed_evidence: Callable[[Insight, str | None], str]
