"""The insight rules of PRODUCT.md: pure functions over plain facts, with every threshold in one place.

Nothing here touches the database. `diary.selectors.facts` loads a patient's last weeks into the plain
dataclasses of `facts`; `evaluate(facts)` returns the insights, most urgent first; `urgent_for_checkin(...)`
returns the urgent ones a single check-in raises (for the check-in's own response and, mirrored in the PWA,
offline). The definitions the rules share (the window, observed nights, cramp nights, the hydration,
compression and factor associations) are public too, so the trend view and the summaries count exactly as
the rules do. Decisions and sources: docs/decisions/0011.

The package, by concern: `facts` (what the rules read and say), `thresholds` (every number, once),
`windows`, `nights` and `associations` (the shared counting), `wording` (shared words), and `rules/`, one
module per rule holding its check, its patient's words, its clinician's words and its printed evidence,
registered in `rules.REGISTRY`. Callers import from here.

Decision support, never a diagnosis: each explanation says what was seen and what to do next.
"""

from diary.insights.associations import (
    NightRate,
    compression_association,
    factor_association,
    hydration_association,
    night_rates,
    rate_at_least_factor,
)
from diary.insights.evaluation import (
    CLINICIAN_WORDING,
    RULES,
    clinician_explanation,
    evaluate,
    highest_level,
    sort_insights,
)
from diary.insights.facts import (
    LEVEL_RANK,
    CheckInFact,
    ClaudicationFact,
    CrampFact,
    FactorFact,
    Insight,
    MedicationFact,
    PatientFacts,
)
from diary.insights.nights import answered_night, cramp_nights, night_moments, observed_nights
from diary.insights.rule import Rule
from diary.insights.rules import REGISTRY, rule_for
from diary.insights.rules.arterial_evaluation import (
    claudication_positive,
    rule_arterial_evaluation,
    walking_cramps,
)
from diary.insights.rules.both_legs_swollen import both_legs_suddenly_swollen, rule_both_legs_swollen
from diary.insights.rules.chest_pain_follow_up import rule_chest_pain_follow_up
from diary.insights.rules.compression_association import rule_compression_association
from diary.insights.rules.emergency_warning import is_emergency, rule_emergency_warning
from diary.insights.rules.factor_association import rule_factor_association
from diary.insights.rules.frequent_severe_cramps import rule_frequent_severe_cramps
from diary.insights.rules.low_hydration_pattern import rule_low_hydration_pattern
from diary.insights.rules.medication_review import PREDISPOSING_CLASSES, rule_medication_review
from diary.insights.rules.skin_changes import rule_skin_changes
from diary.insights.rules.swollen_painful_leg import rule_swollen_painful_leg
from diary.insights.rules.urgent_dvt_warning import (
    SITE_NOT_SAID,
    OneSidedSwelling,
    comparable_site,
    is_dvt_warning,
    one_sided_swelling,
    rule_urgent_dvt_warning,
    swelling_unknown,
)
from diary.insights.rules.venous_evaluation import VenousSigns, rule_venous_evaluation, venous_signs
from diary.insights.thresholds import THRESHOLDS, Thresholds
from diary.insights.urgent import is_past_dated, urgent_for_checkin
from diary.insights.windows import (
    checkins_in_window,
    cramps_in_window,
    in_day_window,
    in_night_window,
    local_date_of,
    window_days,
    window_nights,
)
from diary.insights.wording import NOT_A_DIAGNOSIS, SWELLING_WORDS

__all__ = [
    "CLINICIAN_WORDING",
    "LEVEL_RANK",
    "NOT_A_DIAGNOSIS",
    "PREDISPOSING_CLASSES",
    "REGISTRY",
    "RULES",
    "SITE_NOT_SAID",
    "SWELLING_WORDS",
    "THRESHOLDS",
    "CheckInFact",
    "ClaudicationFact",
    "CrampFact",
    "FactorFact",
    "Insight",
    "MedicationFact",
    "NightRate",
    "OneSidedSwelling",
    "PatientFacts",
    "Rule",
    "Thresholds",
    "VenousSigns",
    "answered_night",
    "both_legs_suddenly_swollen",
    "checkins_in_window",
    "claudication_positive",
    "clinician_explanation",
    "comparable_site",
    "compression_association",
    "cramp_nights",
    "cramps_in_window",
    "evaluate",
    "factor_association",
    "highest_level",
    "hydration_association",
    "in_day_window",
    "in_night_window",
    "is_dvt_warning",
    "is_emergency",
    "is_past_dated",
    "local_date_of",
    "night_moments",
    "night_rates",
    "observed_nights",
    "one_sided_swelling",
    "rate_at_least_factor",
    "rule_arterial_evaluation",
    "rule_both_legs_swollen",
    "rule_chest_pain_follow_up",
    "rule_compression_association",
    "rule_emergency_warning",
    "rule_factor_association",
    "rule_for",
    "rule_frequent_severe_cramps",
    "rule_low_hydration_pattern",
    "rule_medication_review",
    "rule_skin_changes",
    "rule_swollen_painful_leg",
    "rule_urgent_dvt_warning",
    "rule_venous_evaluation",
    "sort_insights",
    "swelling_unknown",
    "urgent_for_checkin",
    "venous_signs",
    "walking_cramps",
    "window_days",
    "window_nights",
]
