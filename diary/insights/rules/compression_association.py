"""compression_association (info): cramp nights after days in stockings against days without; and its
words."""

from django.utils.translation import gettext as _

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
        title = _("Fewer cramp nights after days in stockings")
        advice = _("Keep wearing your stockings as prescribed.")
    else:
        title = _("More cramp nights after days in stockings")
        advice = _(
            "If you are unsure about your stockings, talk to your vein specialist or the clinic that fitted "
            "them; do not change how you wear them on the strength of this alone."
        )
    seen = _(
        "After days you wore your stockings %(hours)s hours or more, you had cramps on %(worn)s. After days "
        "without stockings, on %(none)s."
    ) % {"hours": hours, "worn": rate_words(worn), "none": rate_words(none)}
    first, last = span(night_moments(facts, worn.dates + none.dates))
    return Insight(
        code="compression_association",
        level="info",
        title=title,
        explanation=" ".join(
            [seen, _("This is an association, not proof: other things can explain the difference."), advice]
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
    seen = _(
        "Cramp nights after days with %(hours)s h or more of compression: %(worn)s; after days without: "
        "%(none)s."
    ) % {
        "hours": f"{e['compression_day_hours']:g}",
        "worn": group_words(e["worn"]),
        "none": group_words(e["none"]),
    }
    return " ".join([seen, _("Association, not proof; latest entry %(when)s.") % {"when": when}])


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    seen = _(
        "Cramp nights after days with %(hours)s h or more of compression: %(worn)s; after days with none: "
        "%(none)s."
    ) % {
        "hours": f"{e['compression_day_hours']:g}",
        "worn": printed_rate(e["worn"]),
        "none": printed_rate(e["none"]),
    }
    return " ".join([seen, _("An association, not proof.")])


RULE = Rule(
    code="compression_association",
    check=rule_compression_association,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
