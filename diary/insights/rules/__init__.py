"""The registry of insight rules: one module per rule, each declaring its RULE (check and words)."""

from diary.insights.rule import Rule
from diary.insights.rules import (
    arterial_evaluation,
    both_legs_swollen,
    chest_pain_follow_up,
    compression_association,
    emergency_warning,
    factor_association,
    frequent_severe_cramps,
    low_hydration_pattern,
    medication_review,
    skin_changes,
    swollen_painful_leg,
    urgent_dvt_warning,
    venous_evaluation,
)

# In the order evaluate() runs them (urgent first, as the insights are then sorted anyway; the three
# follow-ups of the urgent pictures beside them).
REGISTRY: tuple[Rule, ...] = tuple(
    module.RULE
    for module in (
        emergency_warning,
        urgent_dvt_warning,
        swollen_painful_leg,
        both_legs_swollen,
        chest_pain_follow_up,
        venous_evaluation,
        arterial_evaluation,
        frequent_severe_cramps,
        skin_changes,
        medication_review,
        low_hydration_pattern,
        compression_association,
        factor_association,
    )
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in REGISTRY}


def rule_for(code: str) -> Rule | None:
    """The rule that raises insights of this code; None for a code no rule has (an insight stored by a
    rule since removed)."""
    return BY_CODE.get(code)
