"""factor_association (info): cramp nights after days with one of the patient's own tags against days
without it; and its words."""

from fractions import Fraction

from diary.insights.associations import NightRate, enough_days, factor_association, rate_at_least_factor
from diary.insights.facts import FactorFact, Insight, PatientFacts
from diary.insights.nights import night_moments
from diary.insights.rule import Rule
from diary.insights.windows import window_nights
from diary.insights.wording import (
    day_and_month,
    group_words,
    joined_with_and,
    printed_rate,
    rate_words,
    span,
)


def rate_gap(rates: dict[str, NightRate]) -> Fraction:
    """How far apart the two rates are, exactly (a share of nights, 0 to 1)."""
    with_, without = rates["with"], rates["without"]
    return abs(Fraction(with_.cramp_nights, with_.nights) - Fraction(without.cramp_nights, without.nights))


def differing_factors(facts: PatientFacts) -> list[tuple[FactorFact, dict[str, NightRate]]]:
    """The tags whose two rates differ by >= 1.5x either way with >= 5 days each side, the widest gap
    between the rates first (then the most nights counted, then the name)."""
    found = []
    for factor in facts.factors:
        rates = factor_association(facts, factor)
        with_, without = rates["with"], rates["without"]
        if enough_days(with_, without) and (
            rate_at_least_factor(with_, without) or rate_at_least_factor(without, with_)
        ):
            found.append((factor, rates))
    return sorted(
        found,
        key=lambda item: (
            -rate_gap(item[1]),
            -(item[1]["with"].nights + item[1]["without"].nights),
            item[0].name.casefold(),
        ),
    )


def rule_factor_association(facts: PatientFacts) -> Insight | None:
    """For the tag whose cramp-night rates after days with and without it differ most (>= 1.5x either
    way, >= 5 days each side): both rates. One insight, as every rule gives one; other tags that also
    differ are named in it."""
    found = differing_factors(facts)
    if not found:
        return None
    (factor, rates), others = found[0], [other.name for other, _ in found[1:]]
    with_, without = rates["with"], rates["without"]
    more_with = rate_at_least_factor(with_, without)
    # Counted from the first day the tag could be logged, when that is inside the window.
    counted_from = factor.since if factor.since and factor.since > window_nights(facts)[0] else None
    since = f", from {day_and_month(counted_from)} when you began logging it" if counted_from else ""
    also = (
        f" Nights also differed after days with {joined_with_and([f'“{name}”' for name in others])}."
        if others
        else ""
    )
    first, last = span(night_moments(facts, with_.dates + without.dates))
    return Insight(
        code="factor_association",
        level="info",
        title=f"{'More' if more_with else 'Fewer'} cramp nights after days with “{factor.name}”",
        explanation=(
            f"After days you logged “{factor.name}”, you had cramps on {rate_words(with_)}. After days "
            f"without it, on {rate_words(without)}. Counted over the nights you told the app about{since}. "
            "This is an association, not proof: other things can explain the difference."
            f"{also} You could bring it up at your next visit; do not change a medicine or a treatment on "
            "the strength of this alone."
        ),
        evidence={
            "factor": factor.name,
            "since": counted_from.isoformat() if counted_from else None,
            "with": with_.as_evidence(),
            "without": without.as_evidence(),
            "rate_with": with_.as_evidence()["rate"],
            "rate_without": without.as_evidence()["rate"],
            "more_with_factor": more_with,
            "other_factors": others,
        },
        first_seen=first,
        last_seen=last,
    )


def _others_words(e: dict) -> str:
    others = e.get("other_factors") or []
    return f" Also differing: {joined_with_and([f'“{name}”' for name in others])}." if others else ""


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    return (
        f"Cramp nights after days the patient logged “{e['factor']}”: {group_words(e['with'])}; after days "
        f"without: {group_words(e['without'])}.{_others_words(e)} Association, not proof; latest entry "
        f"{when}."
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    return (
        f"Cramp nights after days with “{e['factor']}” logged: {printed_rate(e['with'])}; after days "
        f"without: {printed_rate(e['without'])}.{_others_words(e)} An association, not proof."
    )


RULE = Rule(
    code="factor_association",
    check=rule_factor_association,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
