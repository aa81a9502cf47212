"""The per-patient summary behind the clinician's list: marked stale by every write, recomputed by a task
every half minute for the stale and missing ones, nightly for all (the 28-day window moves), and by the
list itself for the rows it shows that are still outdated (a page's worth at most)."""

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from diary import insights
from diary.kinds import INSTANT_MODELS
from diary.models import PatientSummary, User
from diary.selectors.facts import patient_facts
from diary.selectors.patient_list import PatientRow

# A summary older than this is recomputed when shown, even if no write marked it: the window moved.
MAX_AGE = timedelta(hours=24)
# The most summaries one request of the clinician's list recomputes: its default page size. Each costs
# a patient's four weeks of reads, so a page of 500, or 200 patients gone stale at once, must not make
# one request do them all; the rest are the half-minute tick's (tasks.refresh_stale_summaries).
SHOWN_REFRESH_LIMIT = 50


def summary_mark_stale(*, patient_id) -> None:
    """For the writes that change a summary without touching a diary record (a profile, a questionnaire).
    Diary records need no call: the database marks the summary when one changes (migration 0005)."""
    PatientSummary.objects.filter(patient_id=patient_id, stale=False).update(stale=True)


def last_entry_at(patient: User) -> datetime | None:
    # A medication's start says when something began, not when the patient last logged.
    moments = [
        model.objects.filter(patient=patient).aggregate(latest=Max(model.TIME_FIELD))["latest"]
        for model in INSTANT_MODELS
    ]
    return max((moment for moment in moments if moment is not None), default=None)


def summary_values(patient: User, *, now: datetime) -> dict:
    facts = patient_facts(patient, now=now)
    found = insights.evaluate(facts)
    level = insights.highest_level(found)
    compression_days = sum(
        1
        for day, hours in facts.compression_hours_by_day.items()
        if insights.in_day_window(facts, day) and hours >= insights.THRESHOLDS.compression_day_hours
    )
    evidence_times = [insight.last_seen for insight in found if insight.last_seen is not None]
    return {
        "highest_level": level,
        "level_rank": insights.LEVEL_RANK.get(level, 0),
        "insight_codes": [insight.code for insight in found],
        "cramp_nights_28d": len(insights.cramp_nights(facts)),
        "compression_days_28d": compression_days,
        "last_entry_at": last_entry_at(patient),
        "last_evidence_at": max(evidence_times, default=None),
        "computed_at": now,
    }


def summary_refresh(*, patient: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    # Marked fresh *before* reading: a write that lands while we compute marks it stale again and
    # queues another refresh, so it is never lost.
    summary, created = PatientSummary.objects.get_or_create(patient=patient, defaults={"stale": False})
    if not created:
        PatientSummary.objects.filter(pk=summary.pk).update(stale=False)
    PatientSummary.objects.filter(pk=patient.pk).update(**summary_values(patient, now=now))


def summary_outdated(summary: PatientSummary | PatientRow | None, *, now: datetime) -> bool:
    """Missing, marked stale by a write, or computed a day ago or more (the 28-day window has moved)."""
    if summary is None or summary.stale:
        return True
    return summary.computed_at is not None and summary.computed_at < now - MAX_AGE


def summaries_refresh_shown(
    *, rows: list[PatientRow], now: datetime | None = None, limit: int = SHOWN_REFRESH_LIMIT
) -> int:
    """Recompute the outdated summaries among these rows of the clinician's list, about to be shown, at
    most `limit` of them in their order. Returns how many were recomputed."""
    now = now or timezone.now()
    outdated = [row.id for row in rows if summary_outdated(row if row.has_summary else None, now=now)][:limit]
    patients = User.objects.in_bulk(outdated) if outdated else {}
    for patient_id in outdated:
        if patient_id in patients:  # not an account deleted since the page was read
            summary_refresh(patient=patients[patient_id], now=now)
    return len(outdated)
