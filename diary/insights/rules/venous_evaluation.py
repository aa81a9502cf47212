"""venous_evaluation (advice): night cramps with venous signs, see a vein specialist; and its words."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.insights.facts import Insight, PatientFacts
from diary.insights.nights import cramp_nights, night_moments
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import checkins_in_window
from diary.insights.wording import (
    NOT_A_DIAGNOSIS,
    isodates,
    joined_with_and,
    listed_isodates,
    span,
)


@dataclass(frozen=True)
class VenousSigns:
    """The days of the window on which each venous sign was reported."""

    swelling_days: frozenset[date] = frozenset()  # swelling >= mild on either leg
    heaviness_or_aching_days: frozenset[date] = frozenset()  # heaviness or aching >= 4
    visible_veins_days: frozenset[date] = frozenset()
    skin_changes_days: frozenset[date] = frozenset()

    def present(self) -> list[str]:
        """The signs that count for venous_evaluation, in a fixed order."""
        signs = []
        if len(self.swelling_days) >= THRESHOLDS.venous_sign_days:
            signs.append("swelling")
        if len(self.heaviness_or_aching_days) >= THRESHOLDS.venous_sign_days:
            signs.append("heaviness_or_aching")
        if self.visible_veins_days:
            signs.append("visible_veins")
        if self.skin_changes_days:
            signs.append("skin_changes")
        return signs

    def days_of(self, sign: str) -> frozenset[date]:
        return getattr(self, f"{sign}_days")


def said_max(*scores: int | None) -> int:
    """The highest of the answered scores; -1 when none was answered, so that no threshold is met (an
    unanswered slider is no sign, and no day against one either)."""
    return max((score for score in scores if score is not None), default=-1)


def venous_signs(facts: PatientFacts) -> VenousSigns:
    """The venous signs reported on the check-ins of the day window (distinct local dates)."""
    checkins = checkins_in_window(facts)
    return VenousSigns(
        swelling_days=frozenset(
            c.local_date for c in checkins if said_max(c.swelling_left, c.swelling_right) >= 1
        ),
        heaviness_or_aching_days=frozenset(
            c.local_date for c in checkins if said_max(c.heaviness, c.aching) >= THRESHOLDS.symptom_score
        ),
        visible_veins_days=frozenset(c.local_date for c in checkins if c.visible_veins),
        skin_changes_days=frozenset(c.local_date for c in checkins if c.skin_changes),
    )


def patient_sign_words(signs: VenousSigns, sign: str) -> str:
    """One venous sign as the patient reads it: "swollen legs on 10 days", "visible veins"."""
    if sign == "swelling":
        count = len(signs.swelling_days)
        return ngettext("swollen legs on %(count)s day", "swollen legs on %(count)s days", count) % {
            "count": count
        }
    if sign == "heaviness_or_aching":
        count = len(signs.heaviness_or_aching_days)
        return ngettext(
            "heavy or aching legs (%(score)s or more out of 10) on %(count)s day",
            "heavy or aching legs (%(score)s or more out of 10) on %(count)s days",
            count,
        ) % {"score": THRESHOLDS.symptom_score, "count": count}
    return _("visible veins") if sign == "visible_veins" else _("skin changes")


def rule_venous_evaluation(facts: PatientFacts) -> Insight | None:
    """Cramps on >= 8 observed nights and at least one venous sign."""
    nights = sorted(cramp_nights(facts))
    if len(nights) < THRESHOLDS.venous_cramp_nights:
        return None
    signs = venous_signs(facts)
    present = signs.present()
    if not present:
        return None
    seen = [patient_sign_words(signs, sign) for sign in present]
    sign_days = set().union(*(signs.days_of(sign) for sign in present))
    moments = night_moments(facts, nights)
    moments += [c.recorded_at for c in checkins_in_window(facts) if c.local_date in sign_days]
    first, last = span(moments)
    return Insight(
        code="venous_evaluation",
        level="advice",
        title=_("Night cramps and vein signs: see a vein specialist"),
        explanation=ngettext(
            "In the last 4 weeks you had cramps on %(count)s night, and you also reported %(signs)s. Night "
            "cramps together with such signs can be a sign of a vein problem (chronic venous insufficiency). "
            "Please talk to a vein specialist; they can check your veins with an ultrasound scan (duplex). "
            "%(not_a_diagnosis)s",
            "In the last 4 weeks you had cramps on %(count)s nights, and you also reported %(signs)s. Night "
            "cramps together with such signs can be a sign of a vein problem (chronic venous insufficiency). "
            "Please talk to a vein specialist; they can check your veins with an ultrasound scan (duplex). "
            "%(not_a_diagnosis)s",
            len(nights),
        )
        % {"count": len(nights), "signs": joined_with_and(seen), "not_a_diagnosis": NOT_A_DIAGNOSIS},
        evidence={
            "cramp_nights": len(nights),
            "nights": isodates(nights),
            "signs": present,
            "swelling_days": len(signs.swelling_days),
            "heaviness_or_aching_days": len(signs.heaviness_or_aching_days),
            "visible_veins_dates": isodates(signs.visible_veins_days),
            "skin_changes_dates": isodates(signs.skin_changes_days),
        },
        first_seen=first,
        last_seen=last,
    )


# --- For the clinician ---------------------------------------------------------------------


def sign_words(evidence: dict, sign: str, *, printed: bool) -> str:
    """One venous sign as the clinician and the printed summary name it: how many days, or (for the
    clinician) on which days it was seen."""
    e = evidence
    if sign == "swelling":
        count = e["swelling_days"]
        return ngettext("swelling on %(count)s day", "swelling on %(count)s days", count) % {"count": count}
    if sign == "heaviness_or_aching":
        count = e["heaviness_or_aching_days"]
        return ngettext(
            "heaviness or aching %(score)s/10 or more on %(count)s day",
            "heaviness or aching %(score)s/10 or more on %(count)s days",
            count,
        ) % {"score": THRESHOLDS.symptom_score, "count": count}
    if sign == "visible_veins":
        if printed:
            count = len(e["visible_veins_dates"])
            return ngettext("visible veins on %(count)s day", "visible veins on %(count)s days", count) % {
                "count": count
            }
        return _("visible veins (%(days)s)") % {"days": listed_isodates(e["visible_veins_dates"])}
    if printed:
        count = len(e["skin_changes_dates"])
        return ngettext("skin changes on %(count)s day", "skin changes on %(count)s days", count) % {
            "count": count
        }
    return _("skin changes (%(days)s)") % {"days": listed_isodates(e["skin_changes_dates"])}


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    signs = joined_with_and([sign_words(e, sign, printed=False) for sign in e["signs"]])
    return ngettext(
        "Night cramps on %(count)s night of the last 28, with %(signs)s; latest entry %(when)s. Suggested: a "
        "vein specialist's assessment (duplex ultrasound).",
        "Night cramps on %(count)s nights of the last 28, with %(signs)s; latest entry %(when)s. Suggested: "
        "a vein specialist's assessment (duplex ultrasound).",
        e["cramp_nights"],
    ) % {"count": e["cramp_nights"], "signs": signs, "when": when}


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    listed = ", ".join(sign_words(e, sign, printed=True) for sign in e["signs"])
    return ngettext(
        "Cramps on %(count)s night of the last 28, with %(signs)s.",
        "Cramps on %(count)s nights of the last 28, with %(signs)s.",
        e["cramp_nights"],
    ) % {"count": e["cramp_nights"], "signs": listed}


RULE = Rule(
    code="venous_evaluation",
    check=rule_venous_evaluation,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
