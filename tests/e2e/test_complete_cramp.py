"""The morning after a two-tap night cramp, Today offers to complete it one tap per question, and says
nothing once answered or dismissed (issue 14): alice in Berlin, her browser's clock set to 09:00."""

import json
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.models import CrampEpisode
from diary.services.records import record_create
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, axe_violations, screenshot
from tests.e2e.test_patient_app import sign_in, small_phone_at_night

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

BERLIN = ZoneInfo("Europe/Berlin")
QUESTIONS = {"side", "severity", "duration_seconds"}


def quick_night_cramp(alice) -> tuple[CrampEpisode, datetime]:
    """A two-tap cramp (its time only) at 03:00 Berlin yesterday, and 09:00 of that morning."""
    yesterday = timezone.localtime(timezone.now(), BERLIN).date() - timedelta(days=1)
    three_am = datetime.combine(yesterday, clock(3, 0), tzinfo=BERLIN)
    cramp, _ = record_create(model=CrampEpisode, patient=alice, data={"started_at": three_am})
    assert (cramp.side, cramp.severity, cramp.duration_seconds, cramp.muscle) == (None,) * 4
    assert cramp.is_nocturnal
    return cramp, three_am + timedelta(hours=6)


def open_today_that_morning(phone, morning: datetime):
    page = phone.new_page()
    page.clock.install(time=morning)  # the browser's clock only; the server keeps real time
    patches: list[dict] = []
    page.on(
        "request",
        lambda r: (
            patches.append(json.loads(r.post_data or "{}"))
            if r.method == "PATCH" and "/api/v1/cramps/" in r.url
            else None
        ),
    )
    sign_in(page, "alice@example.com", PASSWORD)
    page.get_by_test_id("quick-cramp").wait_for()
    return page, patches


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def wait_until(page, condition, what: str) -> None:
    """Polls with the page's own wait, so the browser's events (the requests seen) keep arriving meanwhile."""
    for _ in range(60):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError(what)


def test_alice_completes_last_nights_quick_cramp_in_three_taps(phone, alice):
    cramp, morning = quick_night_cramp(alice)
    page, patches = open_today_that_morning(phone, morning)
    card = page.get_by_test_id("complete-cramp")
    card.wait_for()
    assert "Last night’s cramp at 03:00 (Berlin time)" in card.inner_text()
    assert page.get_by_test_id("complete-question").inner_text() == "Which leg?"
    screenshot(page, "complete-cramp-today")
    assert axe_violations(page) == []

    small_phone_at_night(page)
    card.screenshot(path=str(ARTIFACTS / "complete-cramp-side-phone-200.png"))
    screenshot(page, "complete-cramp-today-phone-200")
    assert no_sideways_scroll(page)

    page.get_by_test_id("complete-side-left").click()
    page.get_by_test_id("complete-question").filter(has_text="How bad?").wait_for()
    page.get_by_test_id("complete-severity-8").click()  # Severe
    page.get_by_test_id("complete-question").filter(has_text="How long?").wait_for()
    card.screenshot(path=str(ARTIFACTS / "complete-cramp-duration-phone-200.png"))
    assert no_sideways_scroll(page)
    page.get_by_test_id("complete-duration_seconds-30").click()  # Under a minute
    card.wait_for(state="detached")

    def filled() -> bool:
        cramp.refresh_from_db()
        return cramp.duration_seconds is not None

    wait_until(page, filled, "the last answer never reached the server")
    assert (cramp.side, cramp.severity, cramp.duration_seconds) == ("left", 8, 30)
    assert (cramp.muscle, cramp.activity) == (None, None)  # never asked, never invented
    page.wait_for_timeout(250)  # the last request's event may still be on its way to this thread
    # Each tap sent its own answer and nothing else (the queue may merge taps made before one was sent).
    assert patches and all(set(body) <= QUESTIONS for body in patches)
    assert set().union(*patches) == QUESTIONS

    page.reload()
    page.locator("[data-diary-read=yes]").wait_for()  # Today has read the diary
    assert page.get_by_test_id("complete-cramp").count() == 0
    # The night cramp in the diary answers "Cramps last night?": asking it would invite a contradiction.
    assert page.get_by_test_id("checkin-none").count() == 0


def test_not_now_stores_nothing_and_the_card_stays_gone(phone, alice):
    cramp, morning = quick_night_cramp(alice)
    page, patches = open_today_that_morning(phone, morning)
    page.get_by_test_id("complete-cramp").wait_for()
    page.get_by_test_id("complete-not-now").click()
    page.get_by_test_id("complete-cramp").wait_for(state="detached")

    page.reload()
    page.locator("[data-diary-read=yes]").wait_for()  # Today has read the diary: a card would be back by now
    assert page.get_by_test_id("complete-cramp").count() == 0
    declined = json.loads(page.evaluate("() => localStorage.getItem('crampwise.completeCramp')"))
    assert declined[str(cramp.id)]["all"] is True

    page.wait_for_timeout(500)
    assert patches == []
    before = (cramp.side, cramp.severity, cramp.duration_seconds, cramp.muscle, cramp.updated_at)
    cramp.refresh_from_db()
    assert (cramp.side, cramp.severity, cramp.duration_seconds, cramp.muscle, cramp.updated_at) == before
