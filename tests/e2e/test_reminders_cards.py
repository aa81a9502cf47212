"""The reminder cards, seen in Chromium on small phones (360 by 740 and 320 by 568), dark, at 200% text:
Done and Snooze only on a reminder that came and is not done, the rest behind one "Change"; which address
email reminders go to; a push reminder saved on a phone without notifications says so and offers email;
the weekly summary's kind with its one-day picker, and its page opened from the card."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from diary.models import CheckIn, CompressionWear, CrampEpisode, Delivery, Hydration, Reminder
from diary.services.records import record_create
from diary.services.reminders import reminder_create
from tests.e2e.conftest import ARTIFACTS, axe_violations, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

SMALL_PHONES = [{"width": 360, "height": 740}, {"width": 320, "height": 568}]


def small_phone_dark_big_text(page, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme="dark")
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")


def go(page, path: str) -> None:
    """In-app navigation, as a tap on a link does (a reload would drop the 200% text set on the page)."""
    page.evaluate(
        "(p) => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')); }", path
    )
    page.wait_for_function("(p) => location.pathname + location.search === p", arg=path)
    page.locator("#page-title").wait_for()


def look(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def came(reminder: Reminder, *, hours_ago: float, channel="push") -> None:
    """An occurrence of the reminder, sent `hours_ago`."""
    moment = timezone.now() - timedelta(hours=hours_ago)
    Delivery.objects.create(
        reminder=reminder, scheduled_for=moment, channel=channel, status="sent", sent_at=moment
    )


@pytest.fixture
def alices_reminders(alice):
    """A check-in reminder that came an hour ago, stockings-off by email never yet sent, a weekly summary
    that came an hour ago, and water reminders turned off; and a fortnight of diary for the summary."""
    now = timezone.now()
    for days in (1, 3, 9):
        record_create(
            model=CheckIn,
            patient=alice,
            data={"recorded_at": now - timedelta(days=days), "cramps_last_night": "none"},
        )
    record_create(
        model=CrampEpisode,
        patient=alice,
        data={"started_at": now - timedelta(days=2), "woke_from_sleep": True},
    )
    record_create(
        model=Hydration, patient=alice, data={"taken_at": now - timedelta(days=2), "volume_ml": 2000}
    )
    record_create(
        model=CompressionWear,
        patient=alice,
        data={
            "started_at": now - timedelta(days=4, hours=10),
            "ended_at": now - timedelta(days=4),
            "pressure_class": "20-30",
            "garment": "knee",
            "legs": "both",
        },
    )
    checkin = reminder_create(patient=alice, data={"kind": "morning_checkin", "local_time": time(8, 0)})
    came(checkin, hours_ago=1)
    reminder_create(
        patient=alice, data={"kind": "compression_off", "local_time": time(20, 0), "channels": ["email"]}
    )
    weekly = reminder_create(
        patient=alice,
        data={"kind": "weekly_summary", "local_time": time(19, 0), "weekdays": [6], "channels": ["push"]},
    )
    came(weekly, hours_ago=1)
    reminder_create(patient=alice, data={"kind": "hydration", "local_time": time(11, 0), "enabled": False})
    return alice


# Each card's visible buttons and button-like links, by the card's heading.
BUTTONS = """() => Object.fromEntries(
  [...document.querySelectorAll('[data-testid=reminder-item]')].map((card) => [
    card.querySelector('strong').textContent,
    [...card.querySelectorAll('button, a.btn')]
      .filter((b) => b.checkVisibility())
      .map((b) => b.textContent.trim()),
  ]))"""


def card(page, name: str):
    return page.get_by_test_id("reminder-item").filter(has=page.locator("strong", has_text=name))


def test_each_card_shows_only_what_fits_its_state(phone, alices_reminders):
    page = signed_in_on_today(phone, alices_reminders.email)
    go(page, "/reminders")
    page.get_by_test_id("reminder-item").nth(3).wait_for()
    page.wait_for_timeout(300)  # the deliveries arrive after the list

    assert page.evaluate(BUTTONS) == {
        "Morning check-in": ["Done", "Snooze", "Change"],
        "Take stockings off": ["Change"],
        "Weekly summary": ["Read your weekly summary", "Change"],
        "Drink water": ["Change"],
    }
    assert card(page, "Take stockings off").get_by_test_id("reminder-email").inner_text() == (
        "Emails go to alice@example.com."
    )
    assert card(page, "Morning check-in").get_by_test_id("reminder-email").count() == 0

    # Snooze opens its three lengths; Change opens edit, turn off/on and delete.
    checkin = card(page, "Morning check-in")
    checkin.get_by_test_id("reminder-snooze").click()
    assert [b.inner_text() for b in checkin.get_by_role("group").get_by_role("button").all()] == [
        "10 min",
        "30 min",
        "60 min",
    ]
    water = card(page, "Drink water")
    water.get_by_test_id("reminder-change").click()
    assert water.get_by_test_id("reminder-change-panel").inner_text().split("\n") == [
        "Edit",
        "Turn on",
        "Delete",
    ]

    for viewport in SMALL_PHONES:
        small_phone_dark_big_text(page, viewport)
        page.wait_for_timeout(200)
        sideways = page.evaluate("() => [innerWidth, document.documentElement.scrollWidth]")
        assert sideways == [viewport["width"], viewport["width"]]
        look(page, f"reminders-cards-{viewport['width']}-dark-200")
    assert axe_violations(page) == []

    # Done: the card has nothing left to ask.
    checkin.get_by_test_id("reminder-done").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=reminder-item][data-state=done]') !== null"
    )
    assert card(page, "Morning check-in").get_by_test_id("reminder-done").count() == 0
    assert Delivery.objects.filter(reminder__kind="morning_checkin", done_at__isnull=False).count() == 1


def test_a_push_reminder_saved_without_notifications_here_says_so_and_offers_email(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    go(page, "/reminders")
    page.get_by_test_id("add-reminder").click()
    page.get_by_test_id("reminder-kind").select_option("stretch")
    page.get_by_label("Time").fill("21:30")
    page.get_by_test_id("reminder-form").get_by_role("button", name="Save").click()

    notice = page.get_by_test_id("no-push-notice")
    notice.wait_for()
    assert "“Stretch before bed” is set to come as a notification" in notice.inner_text()
    assert notice.get_by_test_id("no-push-enable").inner_text() == "Turn them on"
    assert "have it come by email instead, to alice@example.com." in notice.inner_text()
    assert notice.get_by_test_id("no-push-email").inner_text() == "Use email instead"
    for viewport in SMALL_PHONES:
        small_phone_dark_big_text(page, viewport)
        page.wait_for_timeout(200)
        look(page, f"reminders-no-push-{viewport['width']}-dark-200")
    assert axe_violations(page) == []

    notice.get_by_test_id("no-push-email").click()
    page.get_by_text("It will come by email, to alice@example.com.").wait_for()
    assert notice.count() == 0
    assert Reminder.objects.get(patient=alice, kind="stretch").channels == ["email"]
    card(page, "Stretch before bed").get_by_test_id("reminder-email").wait_for()


def test_an_email_reminder_saved_says_nothing_of_notifications(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    go(page, "/reminders")
    page.get_by_test_id("add-reminder").click()
    form = page.get_by_test_id("reminder-form")
    form.get_by_label("Notify me on this phone").uncheck()
    form.get_by_label("Email").check()
    assert "Emails go to alice@example.com." in form.inner_text()
    form.get_by_role("button", name="Save").click()
    page.get_by_test_id("reminder-item").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_test_id("no-push-notice").count() == 0


def test_the_weekly_summary_is_a_kind_with_one_day_suggested_sunday_evening(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    go(page, "/reminders")
    page.get_by_test_id("add-reminder").click()
    form = page.get_by_test_id("reminder-form")
    form.get_by_test_id("reminder-kind").select_option("weekly_summary")

    assert form.get_by_label("Time").input_value() == "19:00"
    day = form.get_by_test_id("summary-day")
    assert day.get_by_role("radio", name="Sunday").is_checked()
    assert day.get_by_role("radio").count() == 7
    assert form.get_by_role("checkbox", name="Monday").count() == 0  # one day, not a set of them
    assert "The lock screen only says that your summary is ready." in form.inner_text()
    day.get_by_role("radio", name="Saturday").check()
    for viewport in SMALL_PHONES:
        small_phone_dark_big_text(page, viewport)
        page.wait_for_timeout(200)
        look(page, f"reminders-weekly-form-{viewport['width']}-dark-200")
    assert axe_violations(page) == []
    form.get_by_label("Email").check()
    form.get_by_label("Notify me on this phone").uncheck()
    form.get_by_role("button", name="Save").click()
    card(page, "Weekly summary").wait_for()

    saved = Reminder.objects.get(patient=alice, kind="weekly_summary")
    assert (saved.weekdays, saved.local_time, saved.channels) == ([5], time(19, 0), ["email"])


def test_the_weekly_summary_opens_from_its_card_in_plain_words(phone, alices_reminders):
    page = signed_in_on_today(phone, alices_reminders.email)
    go(page, "/reminders")
    page.get_by_test_id("reminder-read-summary").click()
    page.wait_for_function("() => location.pathname === '/summary/weekly'")
    sentences = page.get_by_test_id("weekly-sentences")
    sentences.wait_for()
    text = sentences.inner_text()
    assert "You logged on" in text and "of 7 days this week" in text
    assert "unknown, not cramp-free" in text
    assert "These are counts of what you logged, not a diagnosis." in text
    assert "Berlin time" in page.get_by_test_id("weekly-card").inner_text()
    for viewport in SMALL_PHONES:
        small_phone_dark_big_text(page, viewport)
        page.wait_for_timeout(200)
        sideways = page.evaluate("() => [innerWidth, document.documentElement.scrollWidth]")
        assert sideways == [viewport["width"], viewport["width"]]
        look(page, f"weekly-summary-{viewport['width']}-dark-200")
    assert axe_violations(page) == []


def test_the_summary_page_of_a_fortnight_with_nothing_logged_says_so(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    go(page, "/summary/weekly")
    page.get_by_test_id("weekly-nothing").wait_for()
    small_phone_dark_big_text(page, SMALL_PHONES[1])
    page.wait_for_timeout(200)
    look(page, "weekly-summary-nothing-320-dark-200")
    assert axe_violations(page) == []
