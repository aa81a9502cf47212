"""The per-patient summary behind the clinician's list: marked stale by every write, recomputed by a task
every half minute for the stale ones, nightly for all (the 28-day window moves), and by the list itself
for any row still stale when it is shown."""

from datetime import datetime, timedelta

from django.db.models import Max, Q
from django.utils import timezone

from diary import insights
from diary.models import DIARY_MODELS, PatientSummary, User
from diary.selectors.facts import patient_facts

# A summary older than this is recomputed when shown, even if no write marked it: the window moved.
MAX_AGE = timedelta(hours=24)


def summary_mark_stale(*, patient_id) -> None:
    """For the writes that change a summary without touching a diary record (a profile, a questionnaire).
    Diary records need no call: the database marks the summary when one changes (migration 0005)."""
    PatientSummary.objects.filter(patient_id=patient_id, stale=False).update(stale=True)


def last_entry_at(patient: User) -> datetime | None:
    moments = [
        model.objects.filter(patient=patient).aggregate(latest=Max(model.TIME_FIELD))["latest"]
        for model in DIARY_MODELS
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


def summaries_refresh_outdated(*, patients, now: datetime | None = None) -> int:
    """Recompute the summaries of these patients that are missing, stale or a day old. Returns how many."""
    now = now or timezone.now()
    outdated = patients.filter(
        Q(summary__isnull=True) | Q(summary__stale=True) | Q(summary__computed_at__lt=now - MAX_AGE)
    )
    count = 0
    for patient in outdated:
        summary_refresh(patient=patient, now=now)
        count += 1
    return count
