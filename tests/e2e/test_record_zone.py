"""A record keeps the zone it was lived in (issue 21), in Chromium at phone size: after alice moved from
Berlin to Tokyo, History shows her Berlin evening on the Berlin clock, labelled, and her Tokyo entries
unlabelled; a cramp she logs on the phone carries the phone's zone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.models import CrampEpisode
from diary.services.records import record_create
from tests.e2e.conftest import axe_violations, launch_phone, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

BERLIN, TOKYO = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo")


@pytest.fixture
def phone_in_tokyo(playwright_driver, tmp_path, live_server):
    context = launch_phone(playwright_driver, tmp_path / "profile", live_server.url, timezone_id="Asia/Tokyo")
    yield context
    context.close()


def test_history_labels_alices_berlin_evening_after_her_move_to_tokyo(phone_in_tokyo, alice):
    # 20:00 in Berlin, a few days ago: 03:00 or 04:00 the next morning in Tokyo.
    evening = (timezone.localtime(timezone.now(), BERLIN) - timedelta(days=3)).replace(
        hour=20, minute=0, second=0, microsecond=0
    )
    record_create(model=CrampEpisode, patient=alice, data={"started_at": evening, "activity": "resting"})
    alice.timezone = "Asia/Tokyo"
    alice.save(update_fields=["timezone"])
    lunch = (timezone.localtime(timezone.now(), TOKYO) - timedelta(days=1)).replace(
        hour=12, minute=15, second=0, microsecond=0
    )
    record_create(model=CrampEpisode, patient=alice, data={"started_at": lunch, "activity": "walking"})

    page = signed_in_on_today(phone_in_tokyo, "alice@example.com")
    page.get_by_test_id("quick-cramp").click()  # the cramp form, opened now
    page.get_by_test_id("save-cramp").click()
    page.get_by_test_id("quick-cramp").wait_for()
    page.goto("/history")
    times = page.get_by_test_id("entry-time")
    times.nth(2).wait_for()

    shown = times.all_inner_texts()
    assert "20:00 (Berlin time)" in shown
    assert "12:15" in shown  # logged where she lives now: no label
    labelled = page.get_by_test_id("entry-time").filter(has_text="Berlin time")
    assert labelled.get_attribute("title") == "Logged in another time zone: the time there."
    # Its day is the Berlin evening's, as the server dates it, not Tokyo's next morning.
    berlin_day = labelled.locator("xpath=ancestor::*[@data-testid='history-day']")
    assert berlin_day.get_attribute("data-date") == evening.date().isoformat()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/zone-history.png", full_page=True)
    assert axe_violations(page) == []

    quick = CrampEpisode.objects.filter(patient=alice).order_by("-created_at").first()
    assert quick.timezone == "Asia/Tokyo"  # the phone's zone, sent with the cramp
