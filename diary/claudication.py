"""The Edinburgh Claudication Questionnaire (Leng & Fowkes, 1992): its questions and classification.

Pure: answers in, a result out. A positive result means the pattern of pain fits intermittent
claudication (narrowed leg arteries); it is a reason to see a doctor, not a diagnosis.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

# The patient reads these (the offer answers with them): lazy, so each answer is in the asker's language.
QUESTIONS = {
    "walking_pain": gettext_lazy("Do you get a pain or discomfort in your leg(s) when you walk?"),
    "pain_starts_at_rest": gettext_lazy("Does this pain ever begin when you are standing still or sitting?"),
    "pain_uphill_or_hurrying": gettext_lazy("Do you get it if you walk uphill or hurry?"),
    "pain_ordinary_pace": gettext_lazy("Do you get it when you walk at an ordinary pace on the level?"),
    "pain_when_standing_still": gettext_lazy("What happens to it if you stand still?"),
    "locations": gettext_lazy("Where do you get this pain or discomfort?"),
}
WALKING_PAIN = ("yes", "no", "unable_to_walk")
UPHILL = ("yes", "no", "never_uphill_or_hurry")
STANDING_STILL = ("continues_over_10_min", "gone_within_10_min")
LOCATIONS = ("calf", "thigh", "buttock", "hamstring", "shin", "foot", "joint", "other")


@dataclass(frozen=True)
class Classification:
    result: str  # "negative" | "atypical" | "definite"
    grade: int | None  # 1: only uphill or hurrying; 2: also at an ordinary pace


def classify(
    *,
    walking_pain: str,
    pain_starts_at_rest: bool | None,
    pain_uphill_or_hurrying: str | None,
    pain_ordinary_pace: bool | None,
    pain_when_standing_still: str | None,
    locations: list[str],
) -> Classification:
    """Positive when the pain comes on walking, never at rest, uphill or hurrying, and goes within
    10 minutes of standing still. Then: calf pain (with or without other places) is definite
    claudication; thigh or buttock pain without calf pain is atypical; other places alone are not
    claudication."""
    criteria_met = (
        walking_pain == "yes"
        and pain_starts_at_rest is False
        and pain_uphill_or_hurrying == "yes"
        and pain_when_standing_still == "gone_within_10_min"
    )
    if not criteria_met:
        return Classification(result="negative", grade=None)
    grade = 2 if pain_ordinary_pace else 1
    places = set(locations)
    if "calf" in places:
        return Classification(result="definite", grade=grade)
    if places & {"thigh", "buttock"}:
        return Classification(result="atypical", grade=grade)
    return Classification(result="negative", grade=None)
