"""A one-page printable visit summary of a patient's diary, drawn with fpdf2 (docs/decisions/0014)."""

import math
from collections.abc import Container, Sequence
from datetime import date, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from diary.insights import THRESHOLDS, Insight

NOT_A_DIAGNOSIS = "Self-reported by the patient; not a diagnosis."
NOT_SAID = "not said"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LEVEL_WORDS = {"urgent": "URGENT", "advice": "ADVICE", "info": "INFO"}
# As the trend view and the rules count a compression day (docs/decisions/0011).
COMPRESSION_DAY_HOURS = round(THRESHOLDS.compression_day_hours)

# A4 portrait in millimetres. Body type is 10 pt and nothing is smaller than 8 pt, so it reads on paper.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN = 15
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_TOP = PAGE_HEIGHT - 12
# Every week's figures fit under its bar up to half a year of weeks; beyond that only the bars are drawn.
MAX_WEEKS_WITH_FIGURES = 27
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


def day_words(day: date) -> str:
    # Month names without the process locale (strftime's %b follows it).
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def printable(text: str, glyphs: Container[int]) -> str:
    """The text with each character the font has no glyph for printed as "?" (Chinese or Hebrew, say),
    rather than left out by fpdf2 with a warning that would put the name in the log."""
    return "".join(char if char == "\n" or ord(char) in glyphs else "?" for char in text)


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


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
        "cramp_nights": sum(day["cramp_night"] for day in days),
        "cramps": sum(day["cramps"] for day in days),
        "nocturnal_cramps": sum(day["nocturnal_cramps"] for day in days),
        "checkin_days": len(checked),
        "swelling_days": sum(day["swelling_max"] >= 1 for day in checked),
        "compression_days": sum(day["compression_hours"] >= COMPRESSION_DAY_HOURS for day in days),
        "fluid_days": len(fluid),
        "mean_fluid_ml": round(sum(fluid) / len(fluid)) if fluid else None,
        "fluid_target_days": sum(ml >= fluid_target_ml for ml in fluid),
        "fluid_target_ml": fluid_target_ml,
    }


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    days = figures["days"]
    if figures["mean_fluid_ml"] is None:
        hydration = f"no drinks logged; target {figures['fluid_target_ml']:,} ml a day"
    else:
        hydration = (
            f"mean {figures['mean_fluid_ml']:,} ml a day on the {figures['fluid_days']} days with drinks "
            f"logged, against a target of {figures['fluid_target_ml']:,} ml (reached on "
            f"{figures['fluid_target_days']} days)"
        )
    return [
        (
            "Cramp nights",
            f"{figures['cramp_nights']} of {days} nights had a night cramp logged or reported next morning",
        ),
        ("Cramp episodes", f"{figures['cramps']} logged, {figures['nocturnal_cramps']} of them at night"),
        (
            "Swelling days",
            f"{figures['swelling_days']} days with swelling mild or worse, of {figures['checkin_days']} "
            "days with swelling answered",
        ),
        (
            "Compression adherence",
            f"{figures['compression_days']} of {days} days with stockings worn {COMPRESSION_DAY_HOURS} h or "
            f"more ({percent(figures['compression_days'], days)})",
        ),
        ("Hydration", hydration),
    ]


def _rate(group: dict) -> str:
    share = percent(group["cramp_nights"], group["nights"])
    return f"{group['cramp_nights']} of {group['nights']} nights ({share})"


def _score(value: int | None, maximum: int) -> str:
    """A self-rated score as printed: "2/3", or "not said" (never 0: docs/decisions/0022-not-said.md)."""
    return NOT_SAID if value is None else f"{value}/{maximum}"


def _on(iso: str | None) -> str:
    return day_words(date.fromisoformat(iso)) if iso else "an unknown date"


def evidence_words(insight: Insight) -> str:
    """What triggered the insight, in plain words for the clinician (the evidence of diary.insights)."""
    e = insight.evidence
    code = insight.code
    if code == "emergency_warning":
        return f"Sudden chest pain or breathlessness reported at the check-in of {_on(e['date'])}."
    if code == "urgent_dvt_warning":
        swelling = f"swelling left {_score(e['swelling_left'], 3)}, right {_score(e['swelling_right'], 3)}"
        if e.get("leg"):
            words = f"{e['leg'].title()} leg more swollen at the check-in of {_on(e['date'])}: {swelling}"
        else:
            words = f"Calf pain at the check-in of {_on(e['date'])}, one-sided swelling not said: {swelling}"
        if e["circumference_left_cm"] is not None and e["circumference_right_cm"] is not None:
            left, right = e["circumference_left_cm"], e["circumference_right_cm"]
            words += f"; circumference left {left} cm, right {right} cm"
        flags = [
            ("calf_pain_or_tenderness", "calf pain or tenderness"),
            ("sudden_onset", "sudden onset"),
            ("redness_or_warmth", "redness or warmth"),
            ("previous_dvt", "previous DVT"),
        ]
        return words + "".join(f"; {text}" for key, text in flags if e.get(key)) + "."
    if code == "venous_evaluation":
        signs = {
            "swelling": f"swelling on {e['swelling_days']} days",
            "heaviness_or_aching": (
                f"heaviness or aching {THRESHOLDS.symptom_score}/10 or more on "
                f"{e['heaviness_or_aching_days']} days"
            ),
            "visible_veins": f"visible veins on {len(e['visible_veins_dates'])} days",
            "skin_changes": f"skin changes on {len(e['skin_changes_dates'])} days",
        }
        listed = ", ".join(signs[sign] for sign in e["signs"])
        return f"Cramps on {e['cramp_nights']} nights of the last 28, with {listed}."
    if code == "arterial_evaluation":
        parts = []
        if e["by_walking_episodes"]:
            parts.append(f"{e['walking_episodes']} cramps while walking or exercising, relieved by rest")
        if e["by_questionnaire"]:
            answered = e["claudication_answered_at"][:10] if e["claudication_answered_at"] else None
            parts.append(f"Edinburgh Claudication Questionnaire {e['claudication_result']} ({_on(answered)})")
        return "; ".join(parts) + "."
    if code == "frequent_severe_cramps":
        unknown = e.get("severity_not_said", 0)
        return (
            f"{e['episodes']} cramp episodes in 28 days, {e['severe_episodes']} of severity "
            f"{e['severe_score']}/10 or more"
            + (f" (severity not said for {unknown})" if unknown else "")
            + "."
        )
    if code == "skin_changes":
        return f"Skin changes reported at {e['checkins']} check-ins, last on {_on(e['dates'][-1])}."
    if code == "medication_review":
        return f"{e['episodes']} cramps in 28 days; the profile says the patient takes diuretics."
    if code == "low_hydration_pattern":
        return (
            f"Cramp nights after days under the {e['fluid_target_ml']:,} ml target: {_rate(e['under'])}; "
            f"after days at or over it: {_rate(e['at_or_over'])}. An association, not proof."
        )
    if code == "compression_association":
        return (
            f"Cramp nights after days with {e['compression_day_hours']:g} h or more of compression: "
            f"{_rate(e['worn'])}; after days with none: {_rate(e['none'])}. An association, not proof."
        )
    # A rule added later still prints its evidence, as plain "name: value" pairs.
    scalars = {key: value for key, value in e.items() if isinstance(value, str | int | float)}
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

    def heading(self, text):
        self.use_font("B", 12)
        self.set_x(MARGIN)
        self.cell(CONTENT_WIDTH, 7, self.printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def draw_header(
    pdf: SummaryPage, *, name: str, time_zone: str, figures: dict, generated: str, clinician: str
):
    pdf.set_xy(MARGIN, MARGIN)
    pdf.text_cell(120, 9, "Crampwise visit summary", style="B", size=18)
    pdf.set_xy(MARGIN + 120, MARGIN + 1)
    pdf.text_cell(CONTENT_WIDTH - 120, 4.5, f"Exported {generated}", size=9, align="R")
    pdf.set_xy(MARGIN + 120, MARGIN + 5.5)
    pdf.text_cell(CONTENT_WIDTH - 120, 4.5, f"by {clinician}", size=9, align="R")

    pdf.set_xy(MARGIN, MARGIN + 12)
    pdf.text_cell(CONTENT_WIDTH, 6, f"Patient: {name}", style="B", size=12)
    pdf.set_xy(MARGIN, MARGIN + 18)
    period = (
        f"{day_words(figures['first'])} to {day_words(figures['last'])} ({figures['days']} days)"
        f"     Time zone: {time_zone}"
    )
    pdf.text_cell(CONTENT_WIDTH, 5.5, f"Period: {period}", size=10)

    # The notice is boxed and bold so that a photocopy of the page still carries it.
    top = MARGIN + 26
    pdf.set_line_width(0.6)
    pdf.rect(MARGIN, top, CONTENT_WIDTH, 15)
    pdf.set_line_width(0.2)
    pdf.set_xy(MARGIN, top + 1.5)
    pdf.text_cell(CONTENT_WIDTH, 6.5, NOT_A_DIAGNOSIS, style="B", size=13, align="C")
    pdf.set_xy(MARGIN, top + 8)
    pdf.text_cell(
        CONTENT_WIDTH,
        5,
        "The patient logged these entries in a diary app. A night with nothing logged is unknown, "
        "not cramp-free.",
        size=9,
        align="C",
    )
    pdf.set_xy(MARGIN, top + 19)


def draw_figures(pdf: SummaryPage, figures: dict):
    pdf.heading("Key figures")
    label_width = 46
    for label, value in figure_rows(figures):
        top = pdf.get_y()
        pdf.set_xy(MARGIN, top)
        pdf.text_cell(label_width, 5.2, label, style="B")
        pdf.set_xy(MARGIN + label_width, top)
        pdf.paragraph(value, height=5.2, width=CONTENT_WIDTH - label_width)
        pdf.set_y(max(pdf.get_y(), top + 5.2) + 0.8)


def draw_week_chart(pdf: SummaryPage, weeks: Sequence[dict]):
    """Cramp nights per week as bars (0 to 7), with each week's compression and swelling days below."""
    pdf.set_y(pdf.get_y() + 2)
    pdf.heading("Cramp nights per week")
    # Room above the chart for the figure over a full bar.
    top = pdf.get_y() + 5
    # The left band holds the axis numbers and the names of the rows of figures under the chart.
    axis_left = MARGIN + 32
    width = MARGIN + CONTENT_WIDTH - axis_left
    height = 52
    bottom = top + height
    unit = height / 7

    # Light grid lines at every night, numbers on the axis: they guide the eye without hiding the bars.
    for nights in range(8):
        y = bottom - nights * unit
        pdf.set_draw_color(190)
        pdf.set_line_width(0.1)
        pdf.line(axis_left, y, axis_left + width, y)
        pdf.set_xy(axis_left - 9, y - 2)
        pdf.text_cell(7, 4, str(nights), size=8, align="R")
    pdf.set_draw_color(0)
    pdf.set_line_width(0.3)
    pdf.line(axis_left, top, axis_left, bottom)
    pdf.line(axis_left, bottom, axis_left + width, bottom)

    count = max(len(weeks), 1)
    slot = width / count
    bar = min(slot * 0.62, 14)  # a few weeks' bars stay bars, not blocks
    label_every = max(1, math.ceil(count / 12))
    with_figures = count <= MAX_WEEKS_WITH_FIGURES
    pdf.set_fill_color(40)
    for index, week in enumerate(weeks):
        left = axis_left + index * slot
        bar_height = week["cramp_nights"] * unit
        if bar_height:
            pdf.rect(left + (slot - bar) / 2, bottom - bar_height, bar, bar_height, style="F")
        if with_figures:
            pdf.set_xy(left, bottom - bar_height - 4.5)
            pdf.text_cell(slot, 4, str(week["cramp_nights"]), size=8, style="B", align="C")
        if index % label_every == 0:
            partial = "*" if week["days"] < 7 else ""
            pdf.set_xy(left + slot / 2 - 10, bottom + 0.8)
            pdf.text_cell(20, 4, short_day(week["week_start"]) + partial, size=8, align="C")
    pdf.set_xy(MARGIN, bottom + 0.8)
    pdf.text_cell(22, 4, "week from", size=8)

    y = bottom + 6
    if with_figures:
        rows = (("Compression 8 h+ (days)", "compression_days"), ("Swelling (days)", "swelling_days"))
        for label, key in rows:
            pdf.set_xy(MARGIN, y)
            pdf.text_cell(axis_left - MARGIN - 2, 4.2, label, size=8)
            for index, week in enumerate(weeks):
                pdf.set_xy(axis_left + index * slot, y)
                pdf.text_cell(slot, 4.2, str(week[key]), size=8, align="C")
            y += 4.4
    if any(week["days"] < 7 for week in weeks):
        pdf.set_xy(MARGIN, y + 0.5)
        pdf.text_cell(CONTENT_WIDTH, 4, "* A week (from Monday) only partly inside the period.", size=8)
        y += 4.5
    pdf.set_xy(MARGIN, y + 2)


def draw_insights(pdf: SummaryPage, insights: Sequence[Insight]):
    pdf.heading("Insights (the app's rules over the last 4 weeks)")
    if not insights:
        pdf.paragraph("No rule fired over the last 4 weeks.")
        return
    for index, insight in enumerate(insights):
        title = f"{LEVEL_WORDS.get(insight.level, insight.level.upper())}: {insight.title}"
        evidence = evidence_words(insight)
        needed = pdf.paragraph_height(title, style="B") + pdf.paragraph_height(evidence, size=9, height=4.6)
        left = len(insights) - index
        # Keep the footer clear; say how many did not fit rather than cut one in half.
        if pdf.get_y() + needed + 1.5 > FOOTER_TOP - (6 if left > 1 else 0):
            pdf.paragraph(
                f"{left} more insight{'s' if left > 1 else ''} not shown here; see the patient's page in "
                "Crampwise.",
                style="I",
                size=9,
            )
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
    pdf.text_cell(CONTENT_WIDTH * 0.25, 4, "Page 1 of 1", size=8, align="R")


def visit_summary_pdf(
    *,
    name: str,
    time_zone: str,
    fluid_target_ml: int,
    trends: dict,
    insights: Sequence[Insight],
    generated_at: datetime,
    clinician: str,
) -> bytes:
    """The one-page summary as PDF bytes. `trends` is trend_series(...) output; `generated_at` is shown in
    the patient's zone as given."""
    figures = summary_figures(trends, fluid_target_ml=fluid_target_ml)
    pdf = SummaryPage()
    pdf.set_title(f"Crampwise visit summary: {name}")  # metadata: any character, no font needed
    pdf.set_author("Crampwise")
    pdf.set_subject(NOT_A_DIAGNOSIS)
    pdf.set_lang("en")
    pdf.add_page()
    generated = f"{day_words(generated_at.date())}, {generated_at:%H:%M}"
    draw_header(
        pdf, name=name, time_zone=time_zone, figures=figures, generated=generated, clinician=clinician
    )
    draw_figures(pdf, figures)
    draw_week_chart(pdf, trends["weeks"])
    draw_insights(pdf, insights)
    draw_footer(pdf, name=name)
    return bytes(pdf.output())
