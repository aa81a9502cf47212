"""The urgent insights a single check-in raises, for its own response and its alert: the two urgent rules'
conditions without their look-back, worded for the past when the check-in was typed in later."""

from datetime import datetime, timedelta

from diary.insights.facts import CheckInFact, Insight
from diary.insights.rules.emergency_warning import emergency_insight
from diary.insights.rules.urgent_dvt_warning import dvt_insight
from diary.insights.thresholds import THRESHOLDS
from diary.insights.windows import age


def is_past_dated(checkin: CheckInFact, *, logged_at: datetime) -> bool:
    """Recorded more than `past_dated_hours` before it was logged: a past report typed in (a paper diary)."""
    return age(logged_at, checkin.recorded_at) > timedelta(hours=THRESHOLDS.past_dated_hours)


def urgent_for_checkin(
    checkin: CheckInFact, *, previous_dvt: bool | None, logged_at: datetime | None = None
) -> list[Insight]:
    """The urgent insights this one check-in raises, emergency first: the same conditions as the two
    urgent rules, without their look-back, so an old report typed in today still warns.

    `logged_at` is when the check-in reached the diary (None: just now, as it was recorded). A check-in
    recorded more than a day before it was logged is worded for the past ("On 28 November you reported
    ...; if you still have these symptoms ..."), still urgent; evidence.past_dated says which wording.
    """
    past = logged_at is not None and is_past_dated(checkin, logged_at=logged_at)
    found = (
        emergency_insight([checkin], past=past),
        dvt_insight([checkin], previous_dvt=previous_dvt, past=past),
    )
    return [insight for insight in found if insight is not None]
