"""medication_review (advice): many cramp nights while taking a medicine that predisposes to cramps, ask
about the medicines; and its words."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diary.insights.facts import Insight, MedicationFact, PatientFacts
from diary.insights.nights import cramp_nights, night_moments
from diary.insights.rule import Rule
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import cramps_in_window, in_night_window
from diary.insights.wording import (
    DRUG_CLASS_WORDS,
    NOT_A_DIAGNOSIS,
    day_and_month,
    isodates,
    joined_with_and,
    span,
)
from diary.zones import day_words, short_day_words

# The classes that predispose to leg cramps (NICE CKS leg cramps; Age and Ageing review of nocturnal leg
# cramps). Magnesium and quinine are taken for cramps, and "other" says nothing: they never fire it.
PREDISPOSING_CLASSES = ("diuretic", "beta_agonist", "calcium_channel_blocker", "statin")
# For the patient: the everyday name first.
CLASS_WORDS = {
    "diuretic": gettext_lazy("water tablets (diuretics)"),
    "beta_agonist": gettext_lazy("long-acting asthma inhalers (beta-agonists)"),
    "calcium_channel_blocker": gettext_lazy("some blood-pressure tablets (calcium-channel blockers)"),
    "statin": gettext_lazy("statins"),
}


def nights_taking(facts: PatientFacts, medication: MedicationFact) -> list[date]:
    """The window's cramp nights on which the medicine was taken: night D from its start day (a tablet
    begun on D is taken before night D) to its stop day. Nights before the start never count."""
    return sorted(night for night in cramp_nights(facts) if medication.taken_on(night))


def medication_as_evidence(medication: MedicationFact) -> dict:
    return {
        "name": medication.name,
        "drug_class": medication.drug_class,
        "started_on": medication.started_on.isoformat(),
        "stopped_on": medication.stopped_on.isoformat() if medication.stopped_on else None,
    }


def said_day(day: date, today: date) -> str:
    """ "3 November", with the year when it is not this year's ("3 November 2025")."""
    return day_and_month(day) if day.year == today.year else day_words(day)


def rule_medication_review(facts: PatientFacts) -> Insight | None:
    """From the medication list: >= 8 cramp nights in the window while taking a medicine of a class that
    predisposes to cramps, counted from the day it was started (the one with the most such nights is
    named). With nothing listed, the profile's said-yes to diuretics and >= 8 cramps in the window (not
    said is unknown, and an unknown is not a reason to name a medicine)."""
    if not facts.medications:
        return profile_medication_review(facts)
    taking = [
        (medication, nights)
        for medication in facts.medications
        if medication.drug_class in PREDISPOSING_CLASSES
        and len(nights := nights_taking(facts, medication)) >= THRESHOLDS.medication_cramps
    ]
    if not taking:
        return None
    taking.sort(key=lambda item: (-len(item[1]), -item[0].started_on.toordinal(), item[0].name.casefold()))
    (medication, nights), others = taking[0], taking[1:]
    started = said_day(medication.started_on, facts.today)
    said = {"count": len(nights), "medicine": medication.name, "started": started}
    if in_night_window(facts, medication.started_on) and medication.stopped_on is None:
        seen = (
            ngettext(
                "You had cramps on %(count)s night since you started %(medicine)s on %(started)s.",
                "You had cramps on %(count)s nights since you started %(medicine)s on %(started)s.",
                len(nights),
            )
            % said
        )
    elif medication.stopped_on:
        seen = ngettext(
            "In the last 4 weeks you had cramps on %(count)s night while taking %(medicine)s (started "
            "%(started)s, stopped %(stopped)s).",
            "In the last 4 weeks you had cramps on %(count)s nights while taking %(medicine)s (started "
            "%(started)s, stopped %(stopped)s).",
            len(nights),
        ) % {**said, "stopped": said_day(medication.stopped_on, facts.today)}
    else:
        seen = (
            ngettext(
                "In the last 4 weeks you had cramps on %(count)s night while taking %(medicine)s (started "
                "%(started)s).",
                "In the last 4 weeks you had cramps on %(count)s nights while taking %(medicine)s (started "
                "%(started)s).",
                len(nights),
            )
            % said
        )
    if others:
        also = _("You also take %(medicines)s.") % {
            "medicines": joined_with_and([m.name for m, _n in others])
        }
        seen = f"{seen} {also}"
    classes = list(dict.fromkeys(str(CLASS_WORDS[m.drug_class]) for m, _n in taking))
    first, last = span(night_moments(facts, nights))
    return Insight(
        code="medication_review",
        level="advice",
        title=_("Many cramp nights while taking %(medicine)s: ask about your medicines")
        % {"medicine": medication.name},
        explanation=" ".join(
            [
                seen,
                _("Some medicines, %(classes)s among them, can make leg cramps more likely.")
                % {"classes": joined_with_and(classes)},
                do_not_stop_words(),
                str(NOT_A_DIAGNOSIS),
            ]
        ),
        evidence={
            "medication": medication_as_evidence(medication),
            "cramp_nights": len(nights),
            "nights": isodates(nights),
            "also": [{**medication_as_evidence(m), "cramp_nights": len(n)} for m, n in others],
        },
        first_seen=first,
        last_seen=last,
    )


def do_not_stop_words() -> str:
    return _(
        "Do not stop any medicine on your own; ask your doctor or pharmacist whether one of your medicines "
        "could play a part."
    )


def profile_medication_review(facts: PatientFacts) -> Insight | None:
    """No medicine listed: >= 8 cramps in the window while the profile says diuretics are taken."""
    cramps = cramps_in_window(facts)
    if facts.takes_diuretics is not True or len(cramps) < THRESHOLDS.medication_cramps:
        return None
    first, last = span(c.started_at for c in cramps)
    return Insight(
        code="medication_review",
        level="advice",
        title=_("Many cramps while taking water tablets: ask about your medicines"),
        explanation=" ".join(
            [
                ngettext(
                    "In the last 4 weeks you logged %(count)s cramp, and your profile says you take water "
                    "tablets (diuretics).",
                    "In the last 4 weeks you logged %(count)s cramps, and your profile says you take water "
                    "tablets (diuretics).",
                    len(cramps),
                )
                % {"count": len(cramps)},
                _("Some medicines, water tablets among them, can make leg cramps more likely."),
                do_not_stop_words(),
                str(NOT_A_DIAGNOSIS),
            ]
        ),
        evidence={
            "episodes": len(cramps),
            "takes_diuretics": True,
            "dates": isodates(c.local_date for c in cramps),
        },
        first_seen=first,
        last_seen=last,
    )


# --- For the clinician ---------------------------------------------------------------------


def listed_medicine_words(medicine: dict) -> str:
    """ "bendroflumethiazide (diuretic), started 3 Nov 2026" and its stop day when it has one."""
    said = {
        "medicine": medicine["name"],
        "drug_class": DRUG_CLASS_WORDS.get(medicine["drug_class"], medicine["drug_class"]),
        "started": short_day_words(date.fromisoformat(medicine["started_on"])),
    }
    if medicine.get("stopped_on"):
        said["stopped"] = short_day_words(date.fromisoformat(medicine["stopped_on"]))
        return _("%(medicine)s (%(drug_class)s), started %(started)s, stopped %(stopped)s") % said
    return _("%(medicine)s (%(drug_class)s), started %(started)s") % said


def _also_words(e: dict) -> list[str]:
    """The other medicines listed, as a sentence of its own (none: no sentence)."""
    also = e.get("also") or []
    if not also:
        return []
    each = [
        ngettext(
            "%(medicine)s, %(count)s cramp night while taken",
            "%(medicine)s, %(count)s cramp nights while taken",
            m["cramp_nights"],
        )
        % {"medicine": listed_medicine_words(m), "count": m["cramp_nights"]}
        for m in also
    ]
    return [_("Also listed: %(medicines)s.") % {"medicines": "; ".join(each)}]


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    latest = _("Latest %(when)s. Suggested: a medication review.") % {"when": when}
    if "medication" not in e:  # from the profile alone
        logged = ngettext(
            "Logged %(count)s cramp in the last 4 weeks; the profile says diuretics are taken.",
            "Logged %(count)s cramps in the last 4 weeks; the profile says diuretics are taken.",
            e["episodes"],
        ) % {"count": e["episodes"]}
        return " ".join([logged, latest])
    seen = ngettext(
        "Cramps on %(count)s night of the last 28 while taking %(medicine)s (the patient's medication list; "
        "nights before the start not counted).",
        "Cramps on %(count)s nights of the last 28 while taking %(medicine)s (the patient's medication list; "
        "nights before the start not counted).",
        e["cramp_nights"],
    ) % {"count": e["cramp_nights"], "medicine": listed_medicine_words(e["medication"])}
    return " ".join([seen, *_also_words(e), latest])


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    if "medication" not in e:
        return ngettext(
            "%(count)s cramp in 28 days; the profile says the patient takes diuretics.",
            "%(count)s cramps in 28 days; the profile says the patient takes diuretics.",
            e["episodes"],
        ) % {"count": e["episodes"]}
    seen = ngettext(
        "Cramps on %(count)s night of the last 28 while taking %(medicine)s; from the medication list.",
        "Cramps on %(count)s nights of the last 28 while taking %(medicine)s; from the medication list.",
        e["cramp_nights"],
    ) % {"count": e["cramp_nights"], "medicine": listed_medicine_words(e["medication"])}
    return " ".join([seen, *_also_words(e)])


RULE = Rule(
    code="medication_review",
    check=rule_medication_review,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
