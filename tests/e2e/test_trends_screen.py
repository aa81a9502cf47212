"""The Trends screen in Chromium at phone size: unknown is not zero (issue 14). A new patient sees "not
enough diary yet", a patient with walking cramps sees that chart first under the arterial advice (and
one with a one-sided swelling warning and many cramps, left against right and severity), and days and
weeks with nothing logged are hatched gaps with a legend, on the patient's and bob's pages.

Real records (ORM) against the live server. This server predates CONTRACT's 2026-12 trends fields, so
the screen's fallbacks are what run here (logged days read from the figures, walking cramps counted
from the cramp records); the last patient test adds those fields to the real response, computed from
the same records by PRODUCT.md's rules, to show the "no night recorded" gap the fallback cannot know.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.models import DIARY_MODELS, CareLink, CheckIn, CrampEpisode, Hydration, Role, User
from diary.services.records import record_create
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import ARTIFACTS, axe_violations, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

BERLIN = ZoneInfo("Europe/Berlin")
PERIOD = 90


@pytest.fixture
def alice(db) -> User:
    """alice, with a one-minute night window two hours from now: the light screenshots stay light
    whatever the hour the test runs (dark comes from the phone's setting alone)."""
    patient = make_user("alice@example.com", Role.PATIENT, timezone="Europe/Berlin")
    soon = timezone.localtime(timezone.now(), BERLIN) + timedelta(hours=2)
    patient.night_start = soon.time().replace(second=0, microsecond=0)
    patient.night_end = (soon + timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    patient.save()
    return patient


def local_moment(patient: User, days_ago: int) -> datetime:
    """A moment `days_ago` local days back, at a clock time well outside the test's night window."""
    today = timezone.localtime(timezone.now(), BERLIN).date()
    clock = (datetime.combine(today, patient.night_start) + timedelta(hours=8)).time()
    return datetime.combine(today - timedelta(days=days_ago), clock, tzinfo=BERLIN)


def log(patient: User, model, **data) -> None:
    record_create(model=model, patient=patient, data=data)


def walking_cramp(patient: User, days_ago: int) -> None:
    log(
        patient,
        CrampEpisode,
        started_at=local_moment(patient, days_ago),
        duration_seconds=120,
        severity=5,
        muscle="calf",
        side="left",
        activity="walking",
        relieved_by_rest=True,
    )


def night_cramp(patient: User, days_ago: int) -> None:
    log(patient, CrampEpisode, started_at=local_moment(patient, days_ago), woke_from_sleep=True, severity=6)


def check_in(patient: User, days_ago: int, cramps_last_night: str | None = None) -> None:
    log(
        patient,
        CheckIn,
        recorded_at=local_moment(patient, days_ago),
        swelling_left=1,
        swelling_right=1,
        cramps_last_night=cramps_last_night,
    )


def drink(patient: User, days_ago: int, ml: int = 1500) -> None:
    log(patient, Hydration, taken_at=local_moment(patient, days_ago), volume_ml=ml)


def open_trends(page, email: str = "alice@example.com") -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("quick-cramp").wait_for()
    page.goto("/trends")


def wait_for_canvas(page, testid: str) -> None:
    page.wait_for_function(f"() => document.querySelector('[data-testid={testid}] canvas') !== null")


def look(page, name: str) -> None:
    """The four ways to look at it, on a small phone: light and dark, normal text and 200%."""
    page.set_viewport_size({"width": 360, "height": 740})
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(
            "dark => (document.documentElement.dataset.theme === 'dark') === dark", arg=scheme == "dark"
        )
        for size in ("100%", "200%"):
            page.evaluate("size => { document.documentElement.style.fontSize = size; }", size)
            page.wait_for_timeout(150)
            shot = f"trends-{name}-{scheme}-{size.rstrip('%')}"
            screenshot(page, shot)
            page.screenshot(path=str(ARTIFACTS / f"{shot}-screen.png"))
            # The first thing on the screen, whole: the chart with its caption and legend, or the message
            # (the sticky top bar and the tab bar hidden for this picture only, or they would cover it).
            page.locator(".charts > *").first.screenshot(
                path=str(ARTIFACTS / f"{shot}-first.png"), style=".topbar, .tabbar { visibility: hidden; }"
            )
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")


def test_a_new_patient_with_three_days_logged_sees_not_enough_diary_yet_not_weeks_of_zero(phone, alice):
    night_cramp(alice, 5)
    drink(alice, 3)
    check_in(alice, 1, cramps_last_night="none")

    page = phone.new_page()
    open_trends(page)
    message = page.get_by_test_id("trends-not-enough")
    message.wait_for()
    text = message.inner_text()
    assert "Not enough diary yet" in text
    assert f"3 days logged in the last {PERIOD} days" in text
    assert "4 more days of diary" in text
    assert "morning check-in" in text
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid^=trends-chart-]").count() == 0
    assert axe_violations(page) == []
    look(page, "new-patient")


def test_walking_cramps_with_the_arterial_advice_put_that_chart_first_with_its_caption(phone, alice):
    for days_ago in (2, 5, 9, 16):
        walking_cramp(alice, days_ago)
    for days_ago in range(1, 11):
        drink(alice, days_ago)

    page = phone.new_page()
    asked_for_cramps = []
    page.on("request", lambda r: "/api/v1/cramps/?since=" in r.url and asked_for_cramps.append(r.url))
    with page.expect_response(lambda r: "/api/v1/trends/" in r.url) as answer:
        open_trends(page)
    server_counts_them = "exertion_cramps" in answer.value.json()["days"][0]

    advice = page.locator("[data-testid=insight-card][data-code=arterial_evaluation]")
    advice.wait_for()
    chart = page.get_by_test_id("trends-chart-exertion")
    chart.wait_for()
    wait_for_canvas(page, "trends-chart-exertion")
    first = page.locator(".charts figure.chart").first
    assert first.get_attribute("data-testid") == "trends-chart-exertion"
    assert first.get_attribute("data-because") == "arterial_evaluation"
    title = advice.locator("h3").inner_text()
    assert chart.get_by_test_id("chart-because").inner_text() == f"This is the pattern behind: “{title}”"
    # The four walking cramps are in the chart's weeks, none lost and none invented.
    cells = [c.text_content() for c in chart.locator("details tbody td").all()]
    assert sum(int(c) for c in cells if c.isdigit()) == 4
    # The standing charts follow, without a caption.
    order = [f.get_attribute("data-testid") for f in page.locator(".charts figure.chart").all()]
    assert order == [
        "trends-chart-exertion",
        "trends-chart-cramp-nights",
        "trends-chart-swelling",
        "trends-chart-adherence",
    ]
    assert page.get_by_test_id("chart-because").count() == 1
    # Counted from the cramp records only while the server does not count them itself.
    assert bool(asked_for_cramps) is not server_counts_them
    assert axe_violations(page) == []
    look(page, "arterial")


def test_a_one_sided_swelling_warning_and_frequent_cramps_lead_with_their_own_charts(phone, alice):
    for days_ago in range(12, 0, -1):
        log(alice, CrampEpisode, started_at=local_moment(alice, days_ago), severity=4 + days_ago % 5)
    log(
        alice,
        CheckIn,
        recorded_at=local_moment(alice, 1),
        swelling_left=3,
        swelling_right=0,
        calf_pain_or_tenderness=True,
        sudden_onset=True,
    )

    page = phone.new_page()
    open_trends(page)
    page.locator("[data-testid=insight-card][data-code=frequent_severe_cramps]").wait_for()
    page.get_by_test_id("trends-chart-severity").wait_for()
    wait_for_canvas(page, "trends-chart-swelling-sides")
    figures = page.locator(".charts figure.chart")
    # The urgent warning first, as /insights/ orders them; the standing charts after.
    assert [f.get_attribute("data-because") for f in figures.all()[:2]] == [
        "urgent_dvt_warning",
        "frequent_severe_cramps",
    ]
    assert [f.get_attribute("data-testid") for f in figures.all()] == [
        "trends-chart-swelling-sides",
        "trends-chart-severity",
        "trends-chart-cramp-nights",
        "trends-chart-swelling",
        "trends-chart-adherence",
    ]
    sides = page.get_by_test_id("trends-chart-swelling-sides")
    cells = sides.locator("details tbody tr").first.locator("th, td").all_text_contents()
    assert cells[1:] == ["Severe", "None"]
    severity = page.get_by_test_id("trends-chart-severity")
    assert len(severity.locator("details tbody tr").all()) == 12
    assert axe_violations(page) == []
    look(page, "urgent-and-severe")


def diary_with_a_hole(patient: User) -> None:
    """Eleven days from 45 to 35 days ago, nights answered each morning; nothing for four weeks;
    then six days of drinks and swelling without a word about the nights."""
    for days_ago in range(45, 34, -1):
        check_in(patient, days_ago, cramps_last_night="some" if days_ago % 4 == 0 else "none")
    night_cramp(patient, 42)
    for days_ago in range(6, 0, -1):
        drink(patient, days_ago)
        check_in(patient, days_ago)


def test_days_and_weeks_with_nothing_logged_are_gaps_with_a_legend(phone, alice):
    diary_with_a_hole(alice)

    page = phone.new_page()
    open_trends(page)
    swelling = page.get_by_test_id("trends-chart-swelling")
    swelling.wait_for()
    wait_for_canvas(page, "trends-chart-swelling")
    assert (
        swelling.get_by_test_id("chart-summary")
        .inner_text()
        .startswith(f"{PERIOD - 17} of {PERIOD} days unknown: nothing logged")
    )
    assert swelling.get_by_test_id("gap-legend").inner_text() == "Gap: nothing logged"
    nights = page.get_by_test_id("trends-chart-cramp-nights")
    assert "Gap: nothing logged" in nights.get_by_test_id("gap-legend").inner_text()
    rows = [
        [c.text_content() for c in row.locator("th, td").all()]
        for row in nights.locator("details tbody tr").all()
    ]
    # The weeks of the hole are not known, never 0; the answered weeks have their cramp nights.
    assert sum(1 for row in rows if row[1] == "not known") >= 3
    assert sum(int(row[1]) for row in rows if row[1].isdigit()) == 4
    assert axe_violations(page) == []
    look(page, "gaps")


def with_2026_12_fields(body: dict, patient: User) -> dict:
    """The trends fields of CONTRACT's 2026-12 additions, from the patient's records by PRODUCT.md's
    rules (a server that sends them already is passed through)."""
    if "diary_started_on" in body:
        return body
    logged: set[date] = set()
    for model in DIARY_MODELS:
        logged |= set(model.objects.filter(patient=patient).values_list("local_date", flat=True))
    observed = set(
        CrampEpisode.objects.filter(patient=patient, is_nocturnal=True).values_list("night", flat=True)
    )
    answers = CheckIn.objects.filter(patient=patient, cramps_last_night__isnull=False).values_list(
        "local_date", flat=True
    )
    observed |= {answer - timedelta(days=1) for answer in answers}
    exertion: dict[date, int] = {}
    for cramp in CrampEpisode.objects.filter(patient=patient, activity__in=("walking", "exercising")):
        exertion[cramp.local_date] = exertion.get(cramp.local_date, 0) + 1
    in_range = {date.fromisoformat(day["date"]) for day in body["days"]}
    for day in body["days"]:
        moment = date.fromisoformat(day["date"])
        day["logged"] = moment in logged
        day["exertion_cramps"] = exertion.get(moment, 0)
    for week in body["weeks"]:
        start = date.fromisoformat(week["week_start"])
        days = {start + timedelta(days=n) for n in range(7)} & in_range
        week["observed_nights"] = len(days & observed)
        week["logged_days"] = len(days & logged)
        week["exertion_cramps"] = sum(exertion.get(d, 0) for d in days)
    body["diary_started_on"] = min(logged).isoformat() if logged else None
    return body


def test_with_the_servers_new_fields_a_week_with_no_night_recorded_is_its_own_gap(phone, alice):
    diary_with_a_hole(alice)

    def add_fields(route):
        response = route.fetch()
        route.fulfill(response=response, json=with_2026_12_fields(response.json(), alice))

    page = phone.new_page()
    page.route("**/api/v1/trends/**", add_fields)
    open_trends(page)
    nights = page.get_by_test_id("trends-chart-cramp-nights")
    nights.wait_for()
    wait_for_canvas(page, "trends-chart-cramp-nights")
    legend = nights.get_by_test_id("gap-legend")
    assert legend.locator("li").all_inner_texts() == ["Gap: nothing logged", "Gap: no night recorded"]
    assert "with no night recorded" in nights.get_by_test_id("chart-summary").inner_text()
    start = timezone.localtime(timezone.now(), BERLIN).date() - timedelta(days=45)
    summary = page.get_by_test_id("trends-chart-swelling").get_by_test_id("chart-summary").inner_text()
    assert f"{PERIOD - 46} of them before your diary began on {start.day} " in summary
    look(page, "no-night-recorded")


def test_bob_sees_alices_gaps_and_legend_on_her_page(desktop, alice):
    bob = make_user("bob@example.com", Role.CLINICIAN, timezone="Europe/Berlin")
    CareLink.objects.create(patient=alice, clinician=bob)
    diary_with_a_hole(alice)

    page = desktop.new_page()
    page.goto("/signin")
    page.get_by_label("Email").fill("bob@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("clinician-row").first.wait_for()
    page.goto(f"/clinician/patients/{alice.pk}")
    swelling = page.get_by_test_id("trends-chart-swelling")
    swelling.wait_for()
    wait_for_canvas(page, "trends-chart-swelling")
    assert swelling.get_by_test_id("gap-legend").inner_text() == "Gap: nothing logged"
    assert "days unknown: nothing logged" in swelling.get_by_test_id("chart-summary").inner_text()
    screenshot(page, "trends-clinician-gaps")
