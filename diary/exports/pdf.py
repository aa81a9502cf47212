"""A one-page printable visit summary of a patient's diary, drawn with fpdf2 (docs/decisions/0014)."""

from collections.abc import Container, Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext, pgettext, pgettext_lazy
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from diary.exports.headline import COUNTING_WORDS
from diary.exports.pdf_charts import MIN_LOGGED_DAYS, Chart, chart_for, chart_kind, short_day
from diary.insights import THRESHOLDS, Insight, rule_for
from diary.insights.wording import DRUG_CLASS_WORDS, percent
from diary.zones import clock_in_zone, short_day_words, short_moment_words, zone_label

NOT_A_DIAGNOSIS = gettext_lazy("Self-reported by the patient; not a diagnosis.")
LEVEL_WORDS = {
    "urgent": pgettext_lazy("an insight's level, printed in capitals", "URGENT"),
    "advice": pgettext_lazy("an insight's level, printed in capitals", "ADVICE"),
    "info": pgettext_lazy("an insight's level, printed in capitals", "INFO"),
}

# A4 portrait in millimetres. Body type is 10 pt and nothing is smaller than 8 pt, so it reads on paper.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN = 15
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_TOP = PAGE_HEIGHT - 12
# Every week's figures fit under its bar up to half a year of weeks; beyond that only the bars are drawn.
MAX_WEEKS_WITH_FIGURES = 27
# Two bars a slot leave room for their figures up to a quarter of a year of weeks.
MAX_PAIRS_WITH_FIGURES = 14
CHART_HEIGHT = 44
# Greys: bars dark, a gap (unknown) a light band the grid shows through, so a photocopy keeps them apart.
GAP_SHADE = 228
# A known zero is a short mark on the axis, so that it never looks like a gap.
ZERO_MARK = 0.8
# DejaVu Sans Condensed, shipped in the repository (fonts/LICENSE, made by scripts/pdf_fonts.sh): close to
# Helvetica's width, so the page keeps its layout, with the Latin, Greek, Cyrillic, Armenian and Georgian
# alphabets.
FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSansCondensed"
FONT_FILES = {
    "": "DejaVuSansCondensed.ttf",
    "B": "DejaVuSansCondensed-Bold.ttf",
    "I": "DejaVuSansCondensed-Oblique.ttf",
}


def printable(text: str, glyphs: Container[int]) -> str:
    """The text with each character the font has no glyph for printed as "?" (Chinese or Hebrew, say),
    rather than left out by fpdf2 with a warning that would put the name in the log."""
    return "".join(char if char == "\n" or ord(char) in glyphs else "?" for char in str(text))


def grouped(number: int) -> str:
    """A whole number with the reader's thousands separator: "2,000" ("2.000" in German)."""
    return formats.number_format(number, force_grouping=True)


def summary_figures(trends: dict, *, fluid_target_ml: int) -> dict:
    """The key figures of the range, counted as the trend view counts them."""
    days = trends["days"]
    fluid = [day["fluid_ml"] for day in days if day["fluid_ml"] is not None]
    # Days whose swelling was answered: a check-in that left it out says nothing either way.
    checked = [day for day in days if day["swelling_max"] is not None]
    return {
        "days": len(days),
        "first": days[0]["date"],
        "last": days[-1]["date"],
        "logged_days": sum(day["logged"] for day in days),
        "diary_started_on": trends["diary_started_on"],
        "last_entry_at": trends["last_entry_at"],
        "observed_nights": sum(day["night_observed"] for day in days),
        "cramp_nights": sum(day["cramp_night"] for day in days),
        "cramps": sum(day["cramps"] for day in days),
        "nocturnal_cramps": sum(day["nocturnal_cramps"] for day in days),
        "exertion_cramps": sum(day["exertion_cramps"] for day in days),
        "checkin_days": len(checked),
        "swelling_days": sum(day["swelling_max"] >= 1 for day in checked),
        "compression_days": sum(day["compression_hours"] >= THRESHOLDS.compression_day_hours for day in days),
        "fluid_days": len(fluid),
        "mean_fluid_ml": round(sum(fluid) / len(fluid)) if fluid else None,
        "fluid_target_days": sum(ml >= fluid_target_ml for ml in fluid),
        "fluid_target_ml": fluid_target_ml,
        "medications": trends["medications"],
        "factor_days": factor_days(days),
    }


def diary_words(figures: dict, *, time_zone: str) -> str:
    if figures["last_entry_at"] is None:
        return _("nothing logged yet")
    words = [
        ngettext(
            "%(logged)s of %(count)s day with anything logged",
            "%(logged)s of %(count)s days with anything logged",
            figures["days"],
        )
        % {"logged": figures["logged_days"], "count": figures["days"]}
    ]
    if figures["diary_started_on"] is not None:
        words.append(_("the diary began on %(day)s") % {"day": short_day_words(figures["diary_started_on"])})
    words.append(
        _("last entry %(moment)s") % {"moment": short_moment_words(figures["last_entry_at"], time_zone)}
    )
    return "; ".join(words)


def medication_words(medications: Sequence[dict]) -> str:
    """The medicines taken in the period, as the patient listed them: name, dose, class, since, stopped.
    "none listed" rather than nothing, so that a reader knows the list was not left out."""
    if not medications:
        return _("none listed")
    words = []
    for medicine in medications:
        dose = f" {medicine['dose']}" if medicine["dose"] else ""
        drug_class = DRUG_CLASS_WORDS.get(medicine["drug_class"], medicine["drug_class"])
        started = short_day_words(medicine["started_on"])
        if medicine["stopped_on"] is None:
            taken = _("since %(started)s") % {"started": started}
        else:
            taken = _("since %(started)s, stopped %(stopped)s") % {
                "started": started,
                "stopped": short_day_words(medicine["stopped_on"]),
            }
        words.append(f"{medicine['name']}{dose} ({drug_class}), {taken}")
    return "; ".join(words)


def factor_days(days: Sequence[dict]) -> dict[str, int]:
    """How many days of the period each of the patient's own factors was logged on, most days first."""
    counts: dict[str, int] = {}
    for day in days:
        for name in day["factors"] or ():
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold())))


def factor_words(counts: dict[str, int]) -> str:
    if not counts:
        return _("none logged")
    return "; ".join(
        ngettext("%(name)s: %(count)s day", "%(name)s: %(count)s days", count)
        % {"name": name, "count": count}
        for name, count in counts.items()
    )


def figure_rows(figures: dict, *, time_zone: str) -> list[tuple[str, str]]:
    days, logged, observed = figures["days"], figures["logged_days"], figures["observed_nights"]
    target = grouped(figures["fluid_target_ml"])
    if figures["mean_fluid_ml"] is None:
        hydration = _("no drinks logged; target %(target)s ml a day") % {"target": target}
    else:
        reached = figures["fluid_target_days"]
        hydration = ngettext(
            "mean %(mean)s ml a day on the %(count)s day with drinks logged, against a target of "
            "%(target)s ml (reached on %(reached)s)",
            "mean %(mean)s ml a day on the %(count)s days with drinks logged, against a target of "
            "%(target)s ml (reached on %(reached)s)",
            figures["fluid_days"],
        ) % {
            "mean": grouped(figures["mean_fluid_ml"]),
            "count": figures["fluid_days"],
            "target": target,
            "reached": npgettext("the fluid target reached on", "%(count)s day", "%(count)s days", reached)
            % {"count": reached},
        }
    # A night with no word either way is unknown, not cramp-free: the count is of the nights known.
    if observed:
        known = ngettext(
            "%(cramp_nights)s of %(count)s night known had a night cramp (logged, or reported next morning)",
            "%(cramp_nights)s of %(count)s nights known had a night cramp (logged, or reported next morning)",
            observed,
        ) % {"cramp_nights": figures["cramp_nights"], "count": observed}
        unknown = ngettext(
            "%(unknown)s of %(count)s night unknown", "%(unknown)s of %(count)s nights unknown", days
        ) % {"unknown": days - observed, "count": days}
        nights = f"{known}; {unknown}"
    else:
        nights = ngettext(
            "no night known: no night cramp logged and no morning answer in this %(count)s night",
            "no night known: no night cramp logged and no morning answer in these %(count)s nights",
            days,
        ) % {"count": days}
    if figures["checkin_days"]:
        swelling_days = figures["swelling_days"]
        swelling = ngettext(
            "%(swelling)s with swelling mild or worse, of %(count)s day with swelling answered",
            "%(swelling)s with swelling mild or worse, of %(count)s days with swelling answered",
            figures["checkin_days"],
        ) % {
            "swelling": npgettext("days with swelling", "%(count)s day", "%(count)s days", swelling_days)
            % {"count": swelling_days},
            "count": figures["checkin_days"],
        }
    else:
        swelling = _("swelling not answered on any day")
    if logged:
        compression = ngettext(
            "%(worn)s of the %(count)s day with anything logged had stockings worn %(hours)s h or more "
            "(%(percent)s)",
            "%(worn)s of the %(count)s days with anything logged had stockings worn %(hours)s h or more "
            "(%(percent)s)",
            logged,
        ) % {
            "worn": figures["compression_days"],
            "count": logged,
            "hours": f"{THRESHOLDS.compression_day_hours:g}",
            "percent": percent(figures["compression_days"], logged),
        }
    else:
        compression = _("unknown: nothing logged in the period")
    return [
        (_("Diary"), diary_words(figures, time_zone=time_zone)),
        (_("Cramp nights"), nights),
        (
            _("Cramp episodes"),
            _("%(cramps)s logged, %(nocturnal)s of them at night, %(exertion)s while walking or exercising")
            % {
                "cramps": figures["cramps"],
                "nocturnal": figures["nocturnal_cramps"],
                "exertion": figures["exertion_cramps"],
            },
        ),
        (_("Swelling days"), swelling),
        (_("Compression adherence"), compression),
        (_("Hydration"), hydration),
        (_("Medications"), medication_words(figures["medications"])),
        (_("Factors logged"), factor_words(figures["factor_days"])),
    ]


def evidence_words(insight: Insight, *, time_zone: str | None = None) -> str:
    """What triggered the insight, in plain words for the clinician: the rule's own printed evidence
    (diary.insights.rules). Times are in `time_zone` (the patient's), labelled with it."""
    rule = rule_for(insight.code)
    if rule is not None:
        return rule.printed_evidence(insight, time_zone)
    # An insight of a rule since removed still prints its evidence, as plain "name: value" pairs.
    scalars = {key: value for key, value in insight.evidence.items() if isinstance(value, str | int | float)}
    return "; ".join(f"{key.replace('_', ' ')}: {value}" for key, value in scalars.items()) + "."


class SummaryPage(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.font_styles_added: set[str] = set()
        # One page, always: nothing may spill onto a second sheet.
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_text_color(0)
        self.set_draw_color(0)

    def use_font(self, style: str, size: float):
        """Embedded (only the glyphs used), so names in Polish, Greek or Russian print as written, with
        nothing needed from the system (ADR 0014). Each style is added on first use: fpdf2 reads and
        embeds every font added, used or not (the oblique one only prints when insights overflow)."""
        if style not in self.font_styles_added:
            self.add_font(FONT, style, FONTS / FONT_FILES[style])
            self.font_styles_added.add(style)
        self.set_font(FONT, style, size)

    def printable(self, text: str) -> str:
        return printable(text, self.current_font.cmap)

    def text_cell(self, width, height, text, *, style="", size=10, align="L", border=0, fill=False):
        """One line; a text too long for it (a German label, say) is set smaller, down to 8 pt."""
        size = self.fitting_size(text, width - 2 * self.c_margin, size, style=style, smallest=min(size, 8))
        self.use_font(style, size)
        self.cell(width, height, self.printable(text), border=border, align=align, fill=fill)

    def paragraph(self, text, *, style="", size=10, height=5.0, width=CONTENT_WIDTH):
        self.use_font(style, size)
        self.set_x(MARGIN + (CONTENT_WIDTH - width))
        self.multi_cell(width, height, self.printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph_height(self, text, *, style="", size=10, height=5.0, width=CONTENT_WIDTH) -> float:
        self.use_font(style, size)
        lines = self.multi_cell(width, height, self.printable(text), dry_run=True, output="LINES")
        return len(lines) * height

    def fitting_size(self, text, width: float, size: float, *, style: str = "", smallest: float = 8) -> float:
        """The font size, at most `size` and at least `smallest`, at which `text` fits on one line of
        `width`: a longer translation (German runs long) is set smaller rather than cut off."""
        self.use_font(style, size)
        natural = self.get_string_width(self.printable(text))
        if natural <= width:
            return size
        return max(smallest, size * width / natural)

    def heading(self, text):
        self.use_font("B", 12)
        self.set_x(MARGIN)
        self.cell(CONTENT_WIDTH, 7, self.printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def exported_words(*, generated_at: datetime, viewer_time_zone: str, time_zone: str, by: str) -> str:
    """ "Exported <when, in the reader's zone> by <whom>", with the patient's clock beside it when they
    live in another zone: the reader knows their own clock; the diary's times are the patient's."""
    words = _("Exported %(moment)s by %(by)s") % {
        "moment": short_moment_words(generated_at, viewer_time_zone),
        "by": by,
    }
    if viewer_time_zone == time_zone:
        return words
    theirs = clock_in_zone(generated_at, time_zone)
    their_day = generated_at.astimezone(ZoneInfo(time_zone)).date()
    if their_day != generated_at.astimezone(ZoneInfo(viewer_time_zone)).date():
        theirs = f"{short_day(their_day)}, {theirs}"
    return _("%(exported)s (%(clock)s for the patient)") % {"exported": words, "clock": theirs}


def identity_words(
    *, date_of_birth: date | None, clinic_reference: str | None, for_patient: bool = False
) -> str:
    """Who the patient is beyond the name, for the clinic's file: born, and the clinic's own number (the
    clinician's, so not on the patient's own copy)."""
    born = short_day_words(date_of_birth) if date_of_birth else pgettext("a date of birth", "not said")
    if for_patient:
        return _("Born: %(born)s") % {"born": born}
    reference = clinic_reference or pgettext("a clinic reference", "none set")
    return _("Born: %(born)s     Clinic reference: %(reference)s") % {"born": born, "reference": reference}


def draw_header(pdf: SummaryPage, *, name: str, time_zone: str, figures: dict, exported: str, identity: str):
    pdf.set_xy(MARGIN, MARGIN)
    pdf.text_cell(CONTENT_WIDTH, 9, _("Crampwise visit summary"), style="B", size=18)

    pdf.set_xy(MARGIN, MARGIN + 12)
    pdf.text_cell(CONTENT_WIDTH, 6, _("Patient: %(name)s") % {"name": name}, style="B", size=12)
    # Under the name, so two patients of one name are told apart on paper.
    pdf.set_xy(MARGIN, MARGIN + 18)
    pdf.text_cell(CONTENT_WIDTH, 5, identity, size=10)
    pdf.set_xy(MARGIN, MARGIN + 23)
    period = ngettext(
        "Period: %(first)s to %(last)s (%(count)s day)",
        "Period: %(first)s to %(last)s (%(count)s days)",
        figures["days"],
    ) % {
        "first": short_day_words(figures["first"]),
        "last": short_day_words(figures["last"]),
        "count": figures["days"],
    }
    times = _("Times are the patient's: %(zone)s (%(zone_name)s)") % {
        "zone": zone_label(time_zone),
        "zone_name": time_zone,
    }
    pdf.text_cell(CONTENT_WIDTH, 5.5, f"{period}     {times}", size=10)
    pdf.set_xy(MARGIN, MARGIN + 28.5)
    pdf.text_cell(CONTENT_WIDTH, 5, exported, size=9)

    # The notice is boxed and bold so that a photocopy of the page still carries it.
    top = MARGIN + 35
    pdf.set_line_width(0.6)
    pdf.rect(MARGIN, top, CONTENT_WIDTH, 15)
    pdf.set_line_width(0.2)
    pdf.set_xy(MARGIN, top + 1.5)
    pdf.text_cell(CONTENT_WIDTH, 6.5, NOT_A_DIAGNOSIS, style="B", size=13, align="C")
    pdf.set_xy(MARGIN, top + 8)
    notice = _(
        "The patient logged these entries in a diary app. A night or a day with nothing logged is "
        "unknown, not zero."
    )
    pdf.text_cell(CONTENT_WIDTH, 5, notice, size=9, align="C")
    pdf.set_xy(MARGIN, top + 19)


def draw_headline(pdf: SummaryPage, sentences: Sequence[str]):
    """The patient's copy opens with the period against the one before, in sentences (ADR 0029). How a
    week is counted is a note in small type: the insights below need the room."""
    pdf.heading(_("This period against the one before"))
    for sentence in sentences:
        top = pdf.get_y()
        if sentence == str(COUNTING_WORDS):
            pdf.paragraph(sentence, size=8, height=4, width=CONTENT_WIDTH - 4)
            continue
        pdf.set_xy(MARGIN, top)
        pdf.text_cell(4, 5.2, "•")
        pdf.paragraph(sentence, height=5.2, width=CONTENT_WIDTH - 4)
        pdf.set_y(pdf.get_y() + 0.4)
    pdf.set_y(pdf.get_y() + 1.5)


def draw_figures(pdf: SummaryPage, figures: dict, *, time_zone: str):
    pdf.heading(_("Key figures"))
    label_width = 46
    for label, value in figure_rows(figures, time_zone=time_zone):
        top = pdf.get_y()
        pdf.set_xy(MARGIN, top)
        pdf.text_cell(label_width, 5.2, label, style="B")
        pdf.set_xy(MARGIN + label_width, top)
        pdf.paragraph(value, height=5.2, width=CONTENT_WIDTH - label_width)
        pdf.set_y(max(pdf.get_y(), top + 5.2) + 0.8)


def draw_not_enough_diary(pdf: SummaryPage, figures: dict):
    """Instead of charts: too few days for bars to show anything but the gaps in them."""
    pdf.set_y(pdf.get_y() + 2)
    pdf.heading(_("Charts"))
    logged = figures["logged_days"]
    not_enough = ngettext(
        "Not enough diary yet to show a pattern: %(count)s day logged in the %(days)s of this period.",
        "Not enough diary yet to show a pattern: %(count)s days logged in the %(days)s of this period.",
        logged,
    ) % {
        "count": logged,
        "days": npgettext("in the … of this period", "%(count)s day", "%(count)s days", figures["days"])
        % {"count": figures["days"]},
    }
    starts = ngettext(
        "Charts start from %(count)s day logged.", "Charts start from %(count)s days logged.", MIN_LOGGED_DAYS
    ) % {"count": MIN_LOGGED_DAYS}
    pdf.paragraph(f"{not_enough} {starts}")
    pdf.set_y(pdf.get_y() + 3)


def _axis_number(chart: Chart, value: float) -> str:
    if round(value) in chart.axis_words:
        return chart.axis_words[round(value)]
    return grouped(round(value))


def draw_legend(pdf: SummaryPage, y: float, chart: Chart) -> float:
    """The bars' names (when there are two), what a gap means and what a known zero looks like."""
    x = MARGIN
    items = [(bars.shade, bars.label) for bars in chart.bars] if len(chart.bars) > 1 else []
    for shade, label in items:
        pdf.set_fill_color(shade)
        pdf.set_draw_color(0)
        pdf.rect(x, y + 0.7, 3.2, 2.8, style="DF")
        pdf.set_xy(x + 4, y)
        pdf.use_font("", 8)
        width = pdf.get_string_width(pdf.printable(label)) + 2
        pdf.text_cell(width, 4, label, size=8)
        x += 4 + width + 3
    pdf.set_fill_color(40)
    pdf.rect(x, y + 3.5 - ZERO_MARK, 3.2, ZERO_MARK, style="F")
    pdf.set_xy(x + 4, y)
    zero = _("a mark on the axis: zero")
    pdf.use_font("", 8)
    pdf.text_cell(pdf.get_string_width(pdf.printable(zero)) + 2, 4, zero, size=8)
    y += 4.4
    pdf.set_fill_color(GAP_SHADE)
    pdf.rect(MARGIN, y + 0.4, 3.2, 3.4, style="F")
    pdf.set_xy(MARGIN + 4, y)
    # Wrapped, not shrunk: a translation of the longest gap words takes a second line.
    pdf.set_y(y)
    pdf.paragraph(chart.gap_words, size=8, height=4, width=CONTENT_WIDTH - 4)
    return pdf.get_y() + 0.4


def draw_chart(pdf: SummaryPage, chart: Chart, *, caption: str | None):
    """Bars over slots (weeks or days), a gap (unknown) as a light band, never as a zero bar; the
    figures of each slot under it; a legend."""
    pdf.set_y(pdf.get_y() + 2)
    pdf.heading(chart.title)
    if caption:
        pdf.paragraph(caption, size=9, height=4.4)
    # Room above the chart for the figure over a full bar.
    top = pdf.get_y() + 5
    # The left band holds the axis numbers and the names of the rows of figures under the chart.
    axis_left = MARGIN + 32
    width = MARGIN + CONTENT_WIDTH - axis_left
    bottom = top + CHART_HEIGHT
    unit = CHART_HEIGHT / chart.top

    count = max(chart.slots, 1)
    slot = width / count
    pairs = len(chart.bars)
    group = min(slot * 0.62, 14 if pairs == 1 else 16)  # a few weeks' bars stay bars, not blocks
    bar = group / pairs
    with_rows = count <= MAX_WEEKS_WITH_FIGURES
    with_figures = count <= (MAX_WEEKS_WITH_FIGURES if pairs == 1 else MAX_PAIRS_WITH_FIGURES)

    def bar_left(index: int, series: int) -> float:
        return axis_left + index * slot + (slot - group) / 2 + series * bar

    # Gaps first, so the grid lines show through them.
    pdf.set_fill_color(GAP_SHADE)
    for series, bars in enumerate(chart.bars):
        for index, value in enumerate(bars.values):
            if value is None:
                pdf.rect(bar_left(index, series), top, bar, CHART_HEIGHT, style="F")

    # Light grid lines at every step, numbers on the axis: they guide the eye without hiding the bars.
    value = 0.0
    while value <= chart.top + 1e-9:
        y = bottom - value * unit
        pdf.set_draw_color(190)
        pdf.set_line_width(0.1)
        pdf.line(axis_left, y, axis_left + width, y)
        pdf.set_xy(axis_left - 15, y - 2)
        pdf.text_cell(13, 4, _axis_number(chart, value), size=8, align="R")
        value += chart.step
    if chart.unit:
        pdf.set_xy(axis_left - 15, top - 6.5)
        pdf.text_cell(13, 4, chart.unit, size=8, align="R")
    pdf.set_draw_color(0)
    pdf.set_line_width(0.3)
    pdf.line(axis_left, top, axis_left, bottom)
    pdf.line(axis_left, bottom, axis_left + width, bottom)

    for series, bars in enumerate(chart.bars):
        pdf.set_fill_color(bars.shade)
        pdf.set_draw_color(0)
        for index, value in enumerate(bars.values):
            if value is None:
                continue
            left = bar_left(index, series)
            height = max(min(value, chart.top) * unit, ZERO_MARK)
            # An outline keeps a light bar apart from a gap on paper.
            pdf.set_line_width(0.15)
            pdf.rect(left, bottom - height, bar, height, style="DF" if bars.shade > 100 else "F")
            if with_figures:
                pdf.set_xy(left - 2, bottom - height - 4.5)
                pdf.text_cell(bar + 4, 4, grouped(round(value)), size=8, style="B", align="C")
    if chart.target is not None:
        level, words = chart.target
        y = bottom - level * unit
        pdf.set_draw_color(0)
        pdf.set_line_width(0.3)
        pdf.set_dash_pattern(dash=1.5, gap=1.2)
        pdf.line(axis_left, y, axis_left + width, y)
        pdf.set_dash_pattern()
        pdf.set_xy(axis_left + width - 60, y - 4.5)
        pdf.text_cell(60, 4, words, size=8, align="R")

    for index, label in enumerate(chart.slot_labels):
        if label:
            pdf.set_xy(axis_left + index * slot + slot / 2 - 10, bottom + 0.8)
            pdf.text_cell(20, 4, label, size=8, align="C")
    pdf.set_xy(MARGIN, bottom + 0.8)
    slot_words = pgettext("under a daily chart", "day") if chart.kind == "swelling_sides" else _("week from")
    pdf.text_cell(axis_left - MARGIN - 10, 4, slot_words, size=8)

    y = bottom + 6
    if with_rows:
        for label, figures in chart.rows:
            pdf.set_xy(MARGIN, y)
            pdf.text_cell(axis_left - MARGIN - 2, 4.2, label, size=8)
            for index, figure in enumerate(figures):
                pdf.set_xy(axis_left + index * slot, y)
                pdf.text_cell(slot, 4.2, figure, size=8, align="C")
            y += 4.4
    y = draw_legend(pdf, y + 0.5, chart)
    for note in chart.notes:
        pdf.set_y(y)
        pdf.paragraph(note, size=8, height=4)
        y = pdf.get_y() + 0.4
    pdf.set_xy(MARGIN, y + 2)


def chart_caption(insight: Insight | None) -> str | None:
    if insight is None:
        return None
    level = LEVEL_WORDS.get(insight.level, insight.level.upper())
    return _("Chosen for the strongest insight with a pattern to chart: %(level)s: %(title)s") % {
        "level": level,
        "title": insight.title,
    }


def draw_insights(
    pdf: SummaryPage, insights: Sequence[Insight], *, time_zone: str, for_patient: bool = False
):
    pdf.heading(_("Insights (the app's rules over the last 4 weeks)"))
    if not insights:
        pdf.paragraph(_("No rule fired over the last 4 weeks."))
        return
    for index, insight in enumerate(insights):
        level = LEVEL_WORDS.get(insight.level, insight.level.upper())
        title = _("%(level)s: %(title)s") % {"level": level, "title": insight.title}
        evidence = evidence_words(insight, time_zone=time_zone)
        needed = pdf.paragraph_height(title, style="B") + pdf.paragraph_height(evidence, size=9, height=4.6)
        left = len(insights) - index
        # Keep the footer clear; say how many did not fit rather than cut one in half.
        if pdf.get_y() + needed + 1.5 > FOOTER_TOP - (6 if left > 1 else 0):
            if for_patient:
                more = ngettext(
                    "%(count)s more insight not shown here; see Insights in the Crampwise app.",
                    "%(count)s more insights not shown here; see Insights in the Crampwise app.",
                    left,
                )
            else:
                more = ngettext(
                    "%(count)s more insight not shown here; see the patient's page in Crampwise.",
                    "%(count)s more insights not shown here; see the patient's page in Crampwise.",
                    left,
                )
            pdf.paragraph(more % {"count": left}, style="I", size=9)
            return
        pdf.paragraph(title, style="B")
        pdf.paragraph(evidence, size=9, height=4.6)
        pdf.set_y(pdf.get_y() + 1.5)


def draw_footer(pdf: SummaryPage, *, name: str):
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, FOOTER_TOP, MARGIN + CONTENT_WIDTH, FOOTER_TOP)
    pdf.set_xy(MARGIN, FOOTER_TOP + 1.5)
    pdf.text_cell(CONTENT_WIDTH * 0.75, 4, f"Crampwise – {name} – {NOT_A_DIAGNOSIS}", size=8)
    pdf.set_xy(MARGIN + CONTENT_WIDTH * 0.75, FOOTER_TOP + 1.5)
    pdf.text_cell(CONTENT_WIDTH * 0.25, 4, _("Page 1 of 1"), size=8, align="R")


def visit_summary_pdf(
    *,
    name: str,
    time_zone: str,
    fluid_target_ml: int,
    trends: dict,
    insights: Sequence[Insight],
    generated_at: datetime,
    clinician: str,
    viewer_time_zone: str | None = None,
    date_of_birth: date | None = None,
    clinic_reference: str | None = None,
    headline: Sequence[str] | None = None,
) -> bytes:
    """The one-page summary as PDF bytes. `trends` is trend_series(...) output, `insights` most urgent
    first; every time of the diary is shown in the patient's `time_zone`, labelled with it.
    `generated_at` (aware) is shown in the reader's `viewer_time_zone` (the patient's when not given),
    with the patient's clock beside it when that is another zone. `clinician` is who exported it;
    `date_of_birth` (None: not said) and that clinician's `clinic_reference` (None: none set) head it.
    With a `headline` (diary.exports.headline) it is the patient's own copy: the headline under the
    notice, and nothing of the clinician's (no clinic reference)."""
    for_patient = headline is not None
    figures = summary_figures(trends, fluid_target_ml=fluid_target_ml)
    pdf = SummaryPage()
    # Metadata: any character, no font needed. The page is in the reader's language (the request's).
    pdf.set_title(_("Crampwise visit summary: %(name)s") % {"name": name})
    pdf.set_author("Crampwise")
    pdf.set_subject(str(NOT_A_DIAGNOSIS))
    pdf.set_lang(translation.get_language() or "en")
    pdf.add_page()
    exported = exported_words(
        generated_at=generated_at,
        viewer_time_zone=viewer_time_zone or time_zone,
        time_zone=time_zone,
        by=clinician,
    )
    identity = identity_words(
        date_of_birth=date_of_birth, clinic_reference=clinic_reference, for_patient=for_patient
    )
    draw_header(pdf, name=name, time_zone=time_zone, figures=figures, exported=exported, identity=identity)
    if for_patient:
        draw_headline(pdf, headline)
    draw_figures(pdf, figures, time_zone=time_zone)
    if figures["logged_days"] < MIN_LOGGED_DAYS:
        draw_not_enough_diary(pdf, figures)
    else:
        kind, insight = chart_kind(insights)
        draw_chart(
            pdf, chart_for(kind, trends, fluid_target_ml=fluid_target_ml), caption=chart_caption(insight)
        )
    draw_insights(pdf, insights, time_zone=time_zone, for_patient=for_patient)
    draw_footer(pdf, name=name)
    return bytes(pdf.output())
