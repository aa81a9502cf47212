"""Reads for the patient's visit summary: the period and the one before it, and the days with a check-in."""

from datetime import date, datetime

from diary.models import CheckIn, User
from diary.selectors.trends import trend_series, weekly


def checkin_dates(patient: User, *, first: date, last: date) -> set[date]:
    """The local dates in [first, last] with a check-in."""
    rows = CheckIn.objects.filter(patient=patient, local_date__gte=first, local_date__lte=last)
    return set(rows.values_list("local_date", flat=True).distinct())


def report_series(patient: User, *, days: int, now: datetime) -> dict:
    """{trends, both, checkin_days}: `trends` is trend_series(days=days) for the period, `both` the days
    of the period before and of the period (2 * days, oldest first), read once for the two.

    A day's figures do not depend on the range it is read in (a night belongs to its own day), so the
    period's days are those of the longer read."""
    both = trend_series(patient, days=2 * days, now=now)
    current = both["days"][-days:]
    first = current[0]["date"]
    # The medicines of the period alone: the longer read also has those stopped before it began.
    medications = [m for m in both["medications"] if m["stopped_on"] is None or m["stopped_on"] >= first]
    trends = {**both, "days": current, "weeks": weekly(current), "medications": medications}
    dates = checkin_dates(patient, first=both["days"][0]["date"], last=current[-1]["date"])
    return {"trends": trends, "both": both["days"], "checkin_days": dates}
