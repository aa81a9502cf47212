"""medication_review (advice): many cramp nights while taking a medicine that predisposes to cramps, ask
about the medicines; and its words."""

from datetime import date

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
    plural,
    span,
)
from diary.zones import short_day_words

# The classes that predispose to leg cramps (NICE CKS leg cramps; Age and Ageing review of nocturnal leg
# cramps). Magnesium and quinine are taken for cramps, and "other" says nothing: they never fire it.
PREDISPOSING_CLASSES = ("diuretic", "beta_agonist", "calcium_channel_blocker", "statin")
# For the patient: the everyday name first.
CLASS_WORDS = {
    "diuretic": "water tablets (diuretics)",
    "beta_agonist": "long-acting asthma inhalers (beta-agonists)",
    "calcium_channel_blocker": "some blood-pressure tablets (calcium-channel blockers)",
    "statin": "statins",
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
    """ "3 Nov", with the year when it is not this year's."""
    return day_and_month(day) if day.year == today.year else f"{day_and_month(day)} {day.year}"


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
    if in_night_window(facts, medication.started_on) and medication.stopped_on is None:
        seen = (
            f"You had cramps on {plural(len(nights), 'night')} since you started {medication.name} on "
            f"{started}."
        )
    else:
        stopped = f", stopped {said_day(medication.stopped_on, facts.today)}" if medication.stopped_on else ""
        seen = (
            f"In the last 4 weeks you had cramps on {plural(len(nights), 'night')} while taking "
            f"{medication.name} (started {started}{stopped})."
        )
    if others:
        seen += f" You also take {joined_with_and([other.name for other, _ in others])}."
    classes = list(dict.fromkeys(CLASS_WORDS[m.drug_class] for m, _ in taking))
    first, last = span(night_moments(facts, nights))
    return Insight(
        code="medication_review",
        level="advice",
        title=f"Many cramp nights while taking {medication.name}: ask about your medicines",
        explanation=(
            f"{seen} Some medicines, {joined_with_and(classes)} among them, can make "
            "leg cramps more likely. Do not stop any medicine on your own; ask your doctor or pharmacist "
            f"whether one of your medicines could play a part. {NOT_A_DIAGNOSIS}"
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


def profile_medication_review(facts: PatientFacts) -> Insight | None:
    """No medicine listed: >= 8 cramps in the window while the profile says diuretics are taken."""
    cramps = cramps_in_window(facts)
    if facts.takes_diuretics is not True or len(cramps) < THRESHOLDS.medication_cramps:
        return None
    first, last = span(c.started_at for c in cramps)
    return Insight(
        code="medication_review",
        level="advice",
        title="Many cramps while taking water tablets: ask about your medicines",
        explanation=(
            f"In the last 4 weeks you logged {plural(len(cramps), 'cramp')}, and your profile says you take "
            "water tablets (diuretics). Some medicines, water tablets among them, can make leg cramps more "
            "likely. Do not stop any medicine on your own; ask your doctor or pharmacist whether one of your "
            f"medicines could play a part. {NOT_A_DIAGNOSIS}"
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
    words = (
        f"{medicine['name']} ({DRUG_CLASS_WORDS.get(medicine['drug_class'], medicine['drug_class'])}), "
        f"started {short_day_words(date.fromisoformat(medicine['started_on']))}"
    )
    if medicine.get("stopped_on"):
        words += f", stopped {short_day_words(date.fromisoformat(medicine['stopped_on']))}"
    return words


def _also_words(e: dict) -> str:
    also = e.get("also") or []
    if not also:
        return ""
    return (
        " Also listed: "
        + "; ".join(
            f"{listed_medicine_words(m)}, {plural(m['cramp_nights'], 'cramp night')} while taken"
            for m in also
        )
        + "."
    )


def clinician_words(insight: Insight, when: str) -> str:
    e = insight.evidence
    if "medication" not in e:  # from the profile alone
        return (
            f"Logged {plural(e['episodes'], 'cramp')} in the last 4 weeks; the profile says diuretics are "
            f"taken. Latest {when}. Suggested: a medication review."
        )
    return (
        f"Cramps on {plural(e['cramp_nights'], 'night')} of the last 28 while taking "
        f"{listed_medicine_words(e['medication'])} (the patient's medication list; nights before the start "
        f"not counted).{_also_words(e)} Latest {when}. Suggested: a medication review."
    )


# --- For the printed visit summary (diary.exports.pdf) -----------------------------------


def printed_evidence(insight: Insight, time_zone: str | None = None) -> str:
    e = insight.evidence
    if "medication" not in e:
        return f"{plural(e['episodes'], 'cramp')} in 28 days; the profile says the patient takes diuretics."
    return (
        f"Cramps on {plural(e['cramp_nights'], 'night')} of the last 28 while taking "
        f"{listed_medicine_words(e['medication'])}; from the medication list.{_also_words(e)}"
    )


RULE = Rule(
    code="medication_review",
    check=rule_medication_review,
    clinician_words=clinician_words,
    printed_evidence=printed_evidence,
)
