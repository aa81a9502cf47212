"""A record keeps the zone it was lived in (issue 21), in Chromium at phone size: after alice moved from
Berlin to Tokyo, History shows her Berlin evening on the Berlin clock, labelled, and her Tokyo entries
unlabelled, and so does bob's table of her entries; a cramp she logs on the phone carries the phone's
zone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.models import CrampEpisode
from diary.services.records import record_create
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, axe_violations, launch_phone, screenshot, signed_in_on_today
from tests.e2e.test_patient_app import sign_in, small_phone_at_night

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

BERLIN, TOKYO = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo")


@pytest.fixture
def phone_in_tokyo(playwright_driver, tmp_path, live_server):
    context = launch_phone(playwright_driver, tmp_path / "profile", live_server.url, timezone_id="Asia/Tokyo")
    yield context
    context.close()


def alice_moves_from_berlin_to_tokyo(alice):
    """A cramp at 20:00 in Berlin a few days ago (03:00 or 04:00 the next morning in Tokyo), the move, and a
    walking cramp at 12:15 yesterday in Tokyo. Returns the Berlin evening."""
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
    return evening


def test_history_labels_alices_berlin_evening_after_her_move_to_tokyo(phone_in_tokyo, alice):
    evening = alice_moves_from_berlin_to_tokyo(alice)

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


def test_bob_sees_alices_berlin_evening_on_the_berlin_clock_labelled_after_her_move(desktop, alice, bob):
    # bob's own clock is Berlin's (the desktop's), alice's is Tokyo's now: the row's label names Berlin
    # because the record was lived there, not because it is bob's zone.
    alice_moves_from_berlin_to_tokyo(alice)

    page = desktop.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "bob@example.com", PASSWORD)
    page.get_by_test_id("clinician-row").first.wait_for()  # signed in: the list is his first screen
    page.goto(f"/clinician/patients/{alice.pk}")
    table = page.get_by_test_id("entries-table")
    rows = table.get_by_test_id("entry-row")
    rows.nth(1).wait_for()
    assert table.locator("thead th").first.inner_text() == "When (Tokyo time)"
    whens = [row.locator("th").inner_text() for row in rows.all()]
    assert any(when.endswith("20:00 (Berlin time)") for when in whens), whens
    assert any(when.endswith("12:15") for when in whens), whens  # Tokyo's own: no label
    assert axe_violations(page) == []
    table.scroll_into_view_if_needed()
    screenshot(page, "clinician-entries-record-zone")

    small_phone_at_night(page)
    table.get_by_text("Berlin time").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "clinician-entries-record-zone-phone-200.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
