"""The Trends screen in Chromium at phone size: unknown is not zero (issue 14). A new patient sees "not
enough diary yet", a patient with walking cramps sees that chart first under the arterial advice (and
one with a one-sided swelling warning and many cramps, left against right and severity), and days and
weeks with nothing logged are hatched gaps with a legend, on the patient's and bob's pages.

Real records (ORM) against the live server, whose trends carry CONTRACT's 2026-12 fields (days logged,
nights observed, walking cramps, when the diary began): the screen draws them as the server counts them,
and bob's page draws alice's charts in the order of her insights, as she sees them.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.models import CareLink, CheckIn, CrampEpisode, Hydration, Role, User
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
    open_trends(page)

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
    # The server counts them: the screen does not fetch the cramp records to count them itself.
    assert asked_for_cramps == []
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


def test_a_week_with_days_logged_but_no_night_recorded_is_its_own_gap(phone, alice):
    # The last six days have drinks and check-ins but no answer to "cramps last night": the server counts
    # those weeks' nights as not observed.
    diary_with_a_hole(alice)

    page = phone.new_page()
    with page.expect_response(lambda r: "/api/v1/trends/" in r.url) as answer:
        open_trends(page)
    weeks = answer.value.json()["weeks"]
    assert any(w["logged_days"] > 0 and w["observed_nights"] == 0 for w in weeks)
    nights = page.get_by_test_id("trends-chart-cramp-nights")
    nights.wait_for()
    wait_for_canvas(page, "trends-chart-cramp-nights")
    legend = nights.get_by_test_id("gap-legend")
    assert legend.locator("li").all_inner_texts() == ["Gap: nothing logged", "Gap: no night recorded"]
    assert "with no night recorded" in nights.get_by_test_id("chart-summary").inner_text()
    # Those weeks' cramp nights are "not known" in the table, never 0.
    rows = [row.locator("th, td").all_text_contents() for row in nights.locator("details tbody tr").all()]
    assert rows[-1][1] == "not known"
    start = timezone.localtime(timezone.now(), BERLIN).date() - timedelta(days=45)
    summary = page.get_by_test_id("trends-chart-swelling").get_by_test_id("chart-summary").inner_text()
    assert f"{PERIOD - 46} of them before the diary began on {start.day} " in summary
    look(page, "no-night-recorded")


def sign_in_bob_to_alices_page(desktop, alice):
    bob = make_user("bob@example.com", Role.CLINICIAN, timezone="Europe/Berlin")
    CareLink.objects.create(patient=alice, clinician=bob)
    page = desktop.new_page()
    page.goto("/signin")
    page.get_by_label("Email").fill("bob@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("clinician-row").first.wait_for()
    page.goto(f"/clinician/patients/{alice.pk}")
    return page


def test_bob_sees_alices_gaps_and_legend_on_her_page(desktop, alice):
    diary_with_a_hole(alice)

    page = sign_in_bob_to_alices_page(desktop, alice)
    swelling = page.get_by_test_id("trends-chart-swelling")
    swelling.wait_for()
    wait_for_canvas(page, "trends-chart-swelling")
    assert swelling.get_by_test_id("gap-legend").inner_text() == "Gap: nothing logged"
    assert "days unknown: nothing logged" in swelling.get_by_test_id("chart-summary").inner_text()
    nights = page.get_by_test_id("trends-chart-cramp-nights")
    assert "Gap: no night recorded" in nights.get_by_test_id("gap-legend").inner_text()
    screenshot(page, "trends-clinician-gaps")


def test_bob_sees_alices_walking_chart_first_under_her_arterial_insight(desktop, alice):
    for days_ago in (2, 5, 9, 16):
        walking_cramp(alice, days_ago)
    for days_ago in range(1, 11):
        drink(alice, days_ago)

    page = sign_in_bob_to_alices_page(desktop, alice)
    card = page.locator("[data-testid=insight-card][data-code=arterial_evaluation]")
    card.wait_for()
    wait_for_canvas(page, "trends-chart-exertion")
    figures = page.locator(".charts figure.chart")
    assert [f.get_attribute("data-testid") for f in figures.all()] == [
        "trends-chart-exertion",
        "trends-chart-cramp-nights",
        "trends-chart-swelling",
        "trends-chart-adherence",
    ]
    walking = page.get_by_test_id("trends-chart-exertion")
    assert walking.get_attribute("data-because") == "arterial_evaluation"
    title = card.locator("h3").inner_text()
    assert walking.get_by_test_id("chart-because").inner_text() == f"This is the pattern behind: “{title}”"
    cells = [c.text_content() for c in walking.locator("details tbody td").all()]
    assert sum(int(c) for c in cells if c.isdigit()) == 4
    assert page.get_by_test_id("trends-not-enough").count() == 0
    assert axe_violations(page) == []
    screenshot(page, "trends-clinician-arterial")


def test_bob_sees_not_enough_diary_yet_and_only_the_chart_behind_alices_insight(desktop, alice):
    # Three walking cramps raise the arterial advice; with two drinks, five days logged: not enough.
    for days_ago in (2, 5, 9):
        walking_cramp(alice, days_ago)
    for days_ago in (1, 3):
        drink(alice, days_ago)

    page = sign_in_bob_to_alices_page(desktop, alice)
    message = page.get_by_test_id("trends-not-enough")
    message.wait_for()
    assert "Not enough diary yet" in message.inner_text()
    assert "5 days logged in the last 84 days" in message.inner_text()
    wait_for_canvas(page, "trends-chart-exertion")
    figures = page.locator(".charts figure.chart")
    assert [f.get_attribute("data-testid") for f in figures.all()] == ["trends-chart-exertion"]
    assert figures.first.get_attribute("data-because") == "arterial_evaluation"
    assert axe_violations(page) == []
    screenshot(page, "trends-clinician-not-enough")
