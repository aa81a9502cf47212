"""factor_association (info): cramp nights after days with one of the patient's own tags against days
without it; and its words."""

from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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


def quoted(name: str) -> str:
    """A tag's name in the language's quotation marks: “coffee”, „Kaffee“, «café»."""
    return pgettext("a tag's name in quotation marks", "“%(name)s”") % {"name": name}


def quoted_names(names: list[str]) -> str:
    return joined_with_and([quoted(name) for name in names])


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
    (factor, rates), others = found[0], [other.name for other, _rates in found[1:]]
    with_, without = rates["with"], rates["without"]
    more_with = rate_at_least_factor(with_, without)
    # Counted from the first day the tag could be logged, when that is inside the window.
    counted_from = factor.since if factor.since and factor.since > window_nights(facts)[0] else None
    if counted_from:
        counted = _(
            "Counted over the nights you told the app about, from %(day)s when you began logging it."
        ) % {"day": day_and_month(counted_from)}
    else:
        counted = _("Counted over the nights you told the app about.")
    if more_with:
        title = _("More cramp nights after days with %(factor)s")
    else:
        title = _("Fewer cramp nights after days with %(factor)s")
    seen = _(
        "After days you logged %(factor)s, you had cramps on %(with)s. After days without it, on %(without)s."
    ) % {"factor": quoted(factor.name), "with": rate_words(with_), "without": rate_words(without)}
    also = (
        [_("Nights also differed after days with %(factors)s.") % {"factors": quoted_names(others)}]
        if others
        else []
    )
    advice = _(
        "You could bring it up at your next visit; do not change a medicine or a treatment on the strength "
        "of this alone."
    )
    first, last = span(night_moments(facts, with_.dates + without.dates))
    return Insight(
        code="factor_association",
        level="info",
        title=title % {"factor": quoted(factor.name)},
        explanation=" ".join(
            [
                seen,
                counted,
                _("This is an association, not proof: other things can explain the difference."),
                *also,
                advice,
            ]
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


def _others_words(e: dict) -> list[str]:
    """The other tags that differ, as a sentence of its own (none: no sentence)."""
    others = e.get("other_factors") or []
    return [_("Also differing: %(factors)s.") % {"factors": quoted_names(others)}] if others else []


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    seen = _(
        "Cramp nights after days the patient logged %(factor)s: %(with)s; after days without: %(without)s."
    ) % {
        "factor": quoted(e["factor"]),
        "with": group_words(e["with"]),
        "without": group_words(e["without"]),
    }
    return " ".join(
        [seen, *_others_words(e), _("Association, not proof; latest entry %(when)s.") % {"when": when}]
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    seen = _("Cramp nights after days with %(factor)s logged: %(with)s; after days without: %(without)s.") % {
        "factor": quoted(e["factor"]),
        "with": printed_rate(e["with"]),
        "without": printed_rate(e["without"]),
    }
    return " ".join([seen, *_others_words(e), _("An association, not proof.")])


RULE = Rule(
    code="factor_association",
    check=rule_factor_association,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
