"""The visit summary's chart as plain data: which one matches the strongest insight, and its bars and gaps."""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from diary.insights import Insight
from diary.zones import short_day_and_month_words

# Fewer days logged than this in the period and no chart is drawn: a week or two of scattered entries
# shows no pattern, and bars over it would read as one.
MIN_LOGGED_DAYS = 7
# The DVT chart shows each leg day by day over the last weeks: one-sided swelling is an acute sign.
SWELLING_CHART_DAYS = 28
GAP_WORDS = gettext_lazy("gap: nothing logged – unknown, not zero")
NIGHT_GAP_WORDS = gettext_lazy(
    "gap: nothing logged, or no night known (no night cramp logged, no morning answer) – unknown, not zero"
)
SWELLING_GAP_WORDS = gettext_lazy(
    "gap: nothing logged, or that leg's swelling not answered – unknown, not zero"
)
NO_FIGURE = "–"
SWELLING_WORDS = {
    0: pgettext_lazy("swelling level", "none"),
    1: pgettext_lazy("swelling level", "mild"),
    2: pgettext_lazy("swelling level", "moderate"),
    3: pgettext_lazy("swelling level", "severe"),
}

# Each insight's pattern has a chart that shows it. The strongest insight with one decides (the
# insights come most urgent first); a chest-pain warning (or its follow-up) has no pattern to draw and
# passes to the next.
CHART_FOR_INSIGHT = {
    "urgent_dvt_warning": "swelling_sides",
    "swollen_painful_leg": "swelling_sides",
    "both_legs_swollen": "swelling_sides",
    "venous_evaluation": "cramp_nights",
    "arterial_evaluation": "exertion_cramps",
    "frequent_severe_cramps": "cramps",
    "medication_review": "cramps",
    "skin_changes": "cramp_nights",
    "low_hydration_pattern": "fluid",
    "compression_association": "compression",
    # The nights are what a factor's rates are about; the tag's days are named in the evidence.
    "factor_association": "cramp_nights",
}
DEFAULT_CHART = "cramp_nights"


@dataclass(frozen=True)
class Bars:
    label: str  # as the legend names it
    values: list[float | None]  # one a slot; None is a gap (unknown), never drawn as 0
    shade: int  # grey level of the bar: 0 black, 255 white


@dataclass(frozen=True)
class Chart:
    kind: str
    title: str
    slot_labels: list[str]  # under each slot; "" for none (long periods thin them out)
    bars: list[Bars]
    top: float  # the axis maximum
    step: float  # between the axis numbers
    gap_words: str
    axis_words: dict[int, str] = field(default_factory=dict)  # a number's name on the axis (swelling)
    unit: str = ""  # after the axis numbers' heading
    rows: list[tuple[str, list[str]]] = field(default_factory=list)  # figures under each slot
    target: tuple[float, str] | None = None  # a dashed line across the chart, and its words
    notes: list[str] = field(default_factory=list)

    @property
    def slots(self) -> int:
        return len(self.slot_labels)


def short_day(day: date) -> str:
    return short_day_and_month_words(day)


def chart_kind(insights: Sequence[Insight]) -> tuple[str, Insight | None]:
    """The chart of the strongest insight that has one, with that insight; the cramp nights without."""
    for insight in insights:
        if insight.code in CHART_FOR_INSIGHT:
            return CHART_FOR_INSIGHT[insight.code], insight
    return DEFAULT_CHART, None


def count_scale(values: Sequence[float | None], *, minimum: int = 7) -> tuple[int, int]:
    """An axis for counts: 0 to at least `minimum`, in whole steps, with at most 7 of them."""
    highest = max([minimum, *(value for value in values if value is not None)])
    step = math.ceil(highest / 7)
    return step * math.ceil(highest / step), step


def _week_days(days: Sequence[dict]) -> dict[date, list[dict]]:
    weeks: dict[date, list[dict]] = defaultdict(list)
    for day in days:
        weeks[day["date"] - timedelta(days=day["date"].weekday())].append(day)
    return weeks


def _logged(week: dict, value):
    """The week's figure, or None (a gap) when nothing at all was logged that week."""
    return value if week["logged_days"] else None


def _shown(value) -> str:
    return NO_FIGURE if value is None else str(value)


def _week_labels(weeks: Sequence[dict]) -> list[str]:
    every = max(1, math.ceil(len(weeks) / 12))
    return [
        short_day(week["week_start"]) + ("*" if week["days"] < 7 else "") if index % every == 0 else ""
        for index, week in enumerate(weeks)
    ]


def _week_notes(weeks: Sequence[dict]) -> list[str]:
    if any(week["days"] < 7 for week in weeks):
        return [_("* A week (from Monday) only partly inside the period.")]
    return []


def _cramp_nights(week: dict) -> int | None:
    # With no night of the week known, its cramp nights are unknown, not none.
    return week["cramp_nights"] if week["observed_nights"] else None


def _cramp_nights_of_known(week: dict) -> str:
    return f"{week['cramp_nights']}/{week['observed_nights']}" if week["observed_nights"] else NO_FIGURE


def weekly_rows(
    weeks: Sequence[dict], days: Sequence[dict], names: Sequence[str]
) -> list[tuple[str, list[str]]]:
    """The figures under a weekly chart, by name; a week with nothing logged shows NO_FIGURE, not 0."""
    by_week = _week_days(days)
    swelling_answered = {
        start: [day for day in week_days if day["swelling_max"] is not None]
        for start, week_days in by_week.items()
    }

    def swelling_days(week):
        answered = swelling_answered.get(week["week_start"], [])
        return sum(day["swelling_max"] >= 1 for day in answered) if answered else None

    def fluid_days(week):
        return sum(day["fluid_ml"] is not None for day in by_week.get(week["week_start"], []))

    figures = {
        "nights_known": (_("Nights known"), lambda week: str(week["observed_nights"])),
        "cramp_nights": (_("Cramp nights / known"), _cramp_nights_of_known),
        "cramps": (_("All cramps"), lambda week: _shown(_logged(week, week["cramps"]))),
        "compression": (
            _("Compression 8 h+ (days)"),
            lambda week: _shown(_logged(week, week["compression_days"])),
        ),
        "swelling": (_("Swelling (days)"), lambda week: _shown(swelling_days(week))),
        "fluid_days": (_("Days with drinks"), lambda week: str(fluid_days(week))),
        "logged_days": (_("Days logged"), lambda week: str(week["logged_days"])),
    }
    return [(figures[name][0], [figures[name][1](week) for week in weeks]) for name in names]


def cramp_nights_chart(weeks, days) -> Chart:
    return Chart(
        kind="cramp_nights",
        title=_("Cramp nights per week"),
        slot_labels=_week_labels(weeks),
        bars=[Bars(_("cramp nights"), [_cramp_nights(week) for week in weeks], 40)],
        top=7,
        step=1,
        gap_words=NIGHT_GAP_WORDS,
        rows=weekly_rows(weeks, days, ("nights_known", "compression", "swelling")),
        notes=_week_notes(weeks),
    )


def exertion_cramps_chart(weeks, days) -> Chart:
    values = [_logged(week, week["exertion_cramps"]) for week in weeks]
    top, step = count_scale(values)
    return Chart(
        kind="exertion_cramps",
        title=_("Cramps while walking or exercising, per week"),
        slot_labels=_week_labels(weeks),
        bars=[Bars(_("cramps while walking or exercising"), values, 40)],
        top=top,
        step=step,
        gap_words=GAP_WORDS,
        rows=weekly_rows(weeks, days, ("cramps", "cramp_nights", "logged_days")),
        notes=[
            *_week_notes(weeks),
            _("A cramp whose activity was not said is not counted as one while walking or exercising."),
        ],
    )


def cramps_chart(weeks, days) -> Chart:
    values = [_logged(week, week["cramps"]) for week in weeks]
    top, step = count_scale(values)
    return Chart(
        kind="cramps",
        title=_("Cramp episodes per week"),
        slot_labels=_week_labels(weeks),
        bars=[Bars(_("cramp episodes"), values, 40)],
        top=top,
        step=step,
        gap_words=GAP_WORDS,
        rows=weekly_rows(weeks, days, ("cramp_nights", "compression", "logged_days")),
        notes=_week_notes(weeks),
    )


def fluid_chart(weeks, days, *, fluid_target_ml: int) -> Chart:
    # A week's mean is over its days with a drink logged; with none, the week is a gap.
    values = [week["mean_fluid_ml"] for week in weeks]
    highest = max([fluid_target_ml, *(value for value in values if value is not None)])
    step = 500 if highest <= 3000 else 1000
    return Chart(
        kind="fluid",
        title=_("Fluid a day, per week (mean of the days with drinks logged)"),
        slot_labels=_week_labels(weeks),
        bars=[Bars(_("mean fluid a day"), values, 40)],
        top=step * math.ceil(highest * 1.1 / step),
        step=step,
        unit="ml",
        gap_words=_("gap: no drink logged that week – unknown, not zero"),
        rows=weekly_rows(weeks, days, ("fluid_days", "cramp_nights")),
        target=(
            fluid_target_ml,
            _("target %(target)s ml") % {"target": number_format(fluid_target_ml, force_grouping=True)},
        ),
        notes=_week_notes(weeks),
    )


def compression_chart(weeks, days) -> Chart:
    return Chart(
        kind="compression",
        title=_("Compression days (8 h+) and cramp nights, per week"),
        slot_labels=_week_labels(weeks),
        bars=[
            Bars(_("compression days"), [_logged(week, week["compression_days"]) for week in weeks], 40),
            Bars(_("cramp nights"), [_cramp_nights(week) for week in weeks], 165),
        ],
        top=7,
        step=1,
        gap_words=NIGHT_GAP_WORDS,
        rows=weekly_rows(weeks, days, ("logged_days", "nights_known")),
        notes=_week_notes(weeks),
    )


def swelling_sides_chart(days) -> Chart:
    recent = list(days)[-SWELLING_CHART_DAYS:]
    every = 7 if len(recent) > 14 else 1
    labels = [short_day(day["date"]) if index % every == 0 else "" for index, day in enumerate(recent)]
    return Chart(
        kind="swelling_sides",
        title=ngettext(
            "Swelling of each leg, per day (the last %(count)s day)",
            "Swelling of each leg, per day (the last %(count)s days)",
            len(recent),
        )
        % {"count": len(recent)},
        slot_labels=labels,
        bars=[
            Bars(_("left leg"), [day["swelling_left_max"] for day in recent], 40),
            Bars(_("right leg"), [day["swelling_right_max"] for day in recent], 165),
        ],
        top=3,
        step=1,
        axis_words=SWELLING_WORDS,
        gap_words=SWELLING_GAP_WORDS,
        notes=[_("Each day's highest level answered at a check-in.")],
    )


def chart_for(kind: str, trends: dict, *, fluid_target_ml: int) -> Chart:
    weeks, days = trends["weeks"], trends["days"]
    if kind == "swelling_sides":
        return swelling_sides_chart(days)
    if kind == "exertion_cramps":
        return exertion_cramps_chart(weeks, days)
    if kind == "cramps":
        return cramps_chart(weeks, days)
    if kind == "fluid":
        return fluid_chart(weeks, days, fluid_target_ml=fluid_target_ml)
    if kind == "compression":
        return compression_chart(weeks, days)
    return cramp_nights_chart(weeks, days)
