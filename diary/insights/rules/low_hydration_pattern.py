"""low_hydration_pattern (info): more cramp nights after days under the fluid target; and its words."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from diary.insights.associations import (
    enough_days,
    hydration_association,
    rate_at_least_factor,
)
from diary.insights.facts import Insight, PatientFacts
from diary.insights.nights import night_moments
from diary.insights.rule import Rule
from diary.insights.wording import (
    group_words,
    printed_rate,
    rate_words,
    span,
)


def rule_low_hydration_pattern(facts: PatientFacts) -> Insight | None:
    """After days under the fluid target, cramp nights at >= 1.5 x the rate after days at or over it."""
    rates = hydration_association(facts)
    under, over = rates["under"], rates["at_or_over"]
    if not (enough_days(under, over) and rate_at_least_factor(under, over)):
        return None
    seen = _(
        "After days you drank less than your target of %(target)s ml, you had cramps on %(under)s. After "
        "days you reached it, on %(over)s."
    ) % {"target": facts.fluid_target_ml, "under": rate_words(under), "over": rate_words(over)}
    advice = _(
        "Drinking enough through the day may be worth trying; if your doctor has told you to limit how much "
        "you drink, keep to their advice."
    )
    first, last = span(night_moments(facts, under.dates + over.dates))
    return Insight(
        code="low_hydration_pattern",
        level="info",
        title=_("More cramp nights after days you drank less"),
        explanation=" ".join(
            [seen, _("This is an association, not proof: other things can explain it."), advice]
        ),
        evidence={
            "fluid_target_ml": facts.fluid_target_ml,
            "under": under.as_evidence(),
            "at_or_over": over.as_evidence(),
            "rate_under": under.as_evidence()["rate"],
            "rate_at_or_over": over.as_evidence()["rate"],
        },
        first_seen=first,
        last_seen=last,
    )


# --- For the clinician ---------------------------------------------------------------------


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    seen = _(
        "Cramp nights after days under the fluid target of %(target)s ml: %(under)s; after days at or over "
        "it: %(over)s."
    ) % {
        "target": e["fluid_target_ml"],
        "under": group_words(e["under"]),
        "over": group_words(e["at_or_over"]),
    }
    return " ".join([seen, _("Association, not proof; latest entry %(when)s.") % {"when": when}])


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    seen = _(
        "Cramp nights after days under the %(target)s ml target: %(under)s; after days at or over it: "
        "%(over)s."
    ) % {
        # Grouped as the language writes thousands: 1,500 / 1.500 / 1 500.
        "target": number_format(e["fluid_target_ml"], force_grouping=True),
        "under": printed_rate(e["under"]),
        "over": printed_rate(e["at_or_over"]),
    }
    return " ".join([seen, _("An association, not proof.")])


RULE = Rule(
    code="low_hydration_pattern",
    check=rule_low_hydration_pattern,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
