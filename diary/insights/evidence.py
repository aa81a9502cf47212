"""The evidence the check-in rules share: which check-ins fired it and the latest one's date and time."""

from collections.abc import Sequence

from diary.insights.facts import CheckInFact
from diary.insights.wording import isodates


def checkin_evidence(found: Sequence[CheckInFact]) -> dict:
    """The check-ins that fired a rule (oldest first): how many, the latest's id, local date and time, and
    every local date, and the zone it was logged in. The clinician's words and the printed summary read
    `recorded_at` for the moment, on that zone's clock."""
    latest = found[-1]
    evidence = {
        "checkins": len(found),
        "checkin_id": latest.id,
        "date": latest.local_date.isoformat(),
        "recorded_at": latest.recorded_at.isoformat(),
        "dates": isodates(c.local_date for c in found),
    }
    if latest.timezone:
        # The moment is worded on the clock it was lived on, which may not be the patient's now.
        evidence["timezone"] = latest.timezone
    return evidence
