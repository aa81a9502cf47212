"""compression_association (info): cramp nights after days in stockings against days without; and its
words."""

from diary.insights.associations import (
    compression_association,
    enough_days,
    rate_at_least_factor,
)
from diary.insights.facts import Insight, PatientFacts
from diary.insights.nights import night_moments
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.wording import (
    group_words,
    printed_rate,
    rate_words,
    span,
)


def rule_compression_association(facts: PatientFacts) -> Insight | None:
    """Cramp-night rates after days with >= 8 h of compression and after days with none differ by >= 1.5x."""
    rates = compression_association(facts)
    worn, none = rates["worn"], rates["none"]
    if not enough_days(worn, none):
        return None
    fewer_with_stockings = rate_at_least_factor(none, worn)
    if not (fewer_with_stockings or rate_at_least_factor(worn, none)):
        return None
    hours = f"{THRESHOLDS.compression_day_hours:g}"
    if fewer_with_stockings:
        advice = "Keep wearing your stockings as prescribed."
    else:
        advice = (
            "If you are unsure about your stockings, talk to your vein specialist or the clinic that fitted "
            "them; do not change how you wear them on the strength of this alone."
        )
    first, last = span(night_moments(facts, worn.dates + none.dates))
    return Insight(
        code="compression_association",
        level="info",
        title=f"{'Fewer' if fewer_with_stockings else 'More'} cramp nights after days in stockings",
        explanation=(
            f"After days you wore your stockings {hours} hours or more, you had cramps on "
            f"{rate_words(worn)}. After days without stockings, on {rate_words(none)}. This is an "
            f"association, not proof: other things can explain the difference. {advice}"
        ),
        evidence={
            "compression_day_hours": THRESHOLDS.compression_day_hours,
            "worn": worn.as_evidence(),
            "none": none.as_evidence(),
            "rate_worn": worn.as_evidence()["rate"],
            "rate_none": none.as_evidence()["rate"],
            "fewer_with_compression": fewer_with_stockings,
        },
        first_seen=first,
        last_seen=last,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    return (
        f"Cramp nights after days with {e['compression_day_hours']:g} h or more of compression: "
        f"{group_words(e['worn'])}; after days without: {group_words(e['none'])}. "
        f"Association, not proof; latest entry {when}."
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    return (
        f"Cramp nights after days with {e['compression_day_hours']:g} h or more of compression: "
        f"{printed_rate(e['worn'])}; after days with none: {printed_rate(e['none'])}. "
        "An association, not proof."
    )


RULE = Rule(
    code="compression_association",
    check=rule_compression_association,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
