"""History in Chromium at phone size: the whole diary (issue 14). alice's 150 entries of five kinds page
through to the start of her diary, each once and in order; days are her own; a check-in's red flags and
notes show; a filter pages one kind alone; Delete is undoable for a few seconds, and queued after them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.models import CheckIn, CompressionWear, CrampEpisode, Elevation, Hydration
from diary.services.records import record_create
from tests.e2e.conftest import axe_violations, screenshot, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

BERLIN = ZoneInfo("Europe/Berlin")
MODELS = {
    "cramps": (CrampEpisode, "started_at"),
    "checkins": (CheckIn, "recorded_at"),
    "compression": (CompressionWear, "started_at"),
    "hydration": (Hydration, "taken_at"),
    "elevations": (Elevation, "started_at"),
}


def log(patient, kind: str, at: datetime, **data) -> None:
    model, field = MODELS[kind]
    defaults = {
        "compression": {"pressure_class": "20-30", "garment": "knee", "legs": "both"},
        "hydration": {"volume_ml": 250},
        "elevations": {"duration_minutes": 15},
    }.get(kind, {})
    record_create(model=model, patient=patient, data={field: at, **defaults, **data})


def a_long_diary(alice) -> dict[str, int]:
    """150 entries: 100 cramps over 100 days and 50 of the other kinds over the first 10 days only,
    so a diary paged by page number per kind would end with cramps alone (as History did)."""
    now = timezone.now()
    for i in range(100):
        log(alice, "cramps", now - timedelta(days=i, hours=3))
    others = ["checkins", "compression", "hydration", "elevations"]
    for i in range(50):
        log(alice, others[i % 4], now - timedelta(hours=5 + i * 4))
    return {"cramps": 100, **{kind: sum(1 for i in range(50) if others[i % 4] == kind) for kind in others}}


def sign_in(phone, email: str = "alice@example.com"):
    return signed_in_on_today(phone, email)


def wait_for(page, condition, seconds: float = 20) -> bool:
    """Polls the database while the page runs (the undo time, then the queue's send)."""
    for _ in range(int(seconds * 2)):
        if condition():
            return True
        page.wait_for_timeout(500)
    return condition()


def page_to_the_start(page) -> None:
    for _ in range(40):
        if page.get_by_test_id("history-start").count():
            return
        page.get_by_test_id("history-older").click()
        page.wait_for_function("() => !document.querySelector('[data-testid=history-older][aria-busy=true]')")
    raise AssertionError("History never reached the start of the diary")


def kinds_shown(page) -> dict[str, int]:
    return page.evaluate(
        "() => { const c = {}; document.querySelectorAll('[data-testid=history-item]')"
        ".forEach((e) => { c[e.dataset.kind] = (c[e.dataset.kind] || 0) + 1; }); return c; }"
    )


def test_alices_history_pages_through_every_entry_once_newest_first(phone, alice):
    expected = a_long_diary(alice)
    page = sign_in(phone)
    page.goto("/history")
    page.get_by_test_id("history-item").first.wait_for()
    # The first screenful stops where every kind is complete: the cramps of the last 10 days sit among
    # the other kinds, and no older cramp comes before a newer check-in.
    assert page.get_by_test_id("history-older").is_visible()

    page_to_the_start(page)

    assert kinds_shown(page) == expected
    times = page.eval_on_selector_all("[data-testid=history-day]", "els => els.map((e) => e.dataset.date)")
    assert times == sorted(times, reverse=True)
    assert len(set(times)) == len(times)  # one heading per local day
    ids = page.eval_on_selector_all("[data-testid=history-item]", "els => els.map((e) => e.dataset.id)")
    assert len(ids) == len(set(ids)) == 150


def test_a_filter_pages_through_one_kind_alone(phone, alice):
    a_long_diary(alice)
    page = sign_in(phone)
    page.goto("/history")
    page.get_by_test_id("history-filter").select_option("cramps")
    page_to_the_start(page)
    assert kinds_shown(page) == {"cramps": 100}


def test_a_checkin_shows_its_red_flags_and_notes_in_alices_day(phone, alice):
    today_0840 = timezone.localtime(timezone.now(), BERLIN).replace(hour=8, minute=40)
    if today_0840 > timezone.now():
        today_0840 -= timedelta(days=1)
    log(
        alice,
        "checkins",
        today_0840,
        sudden_chest_pain_or_breathlessness=True,
        calf_pain_or_tenderness=True,
        swelling_left=2,
        notes="Walked to the shop; left calf tight since lunch <b>not bold</b>",
    )
    page = sign_in(phone)
    page.goto("/history")
    page.add_style_tag(content="html { font-size: 200% }")
    item = page.get_by_test_id("history-item").first
    flags = item.get_by_test_id("history-flags")
    flags.wait_for()
    assert flags.locator("li").all_text_contents() == [
        "Urgent: Chest pain or breathlessness reported",
        "Calf pain or tenderness",
    ]
    assert "<b>not bold</b>" in item.get_by_test_id("history-notes").inner_text()  # text, never markup
    assert "Swelling left moderate, right not said" in item.inner_text()
    heading = page.get_by_test_id("history-day").first.get_by_role("heading")
    assert heading.inner_text() in ("Today", "Yesterday")
    assert "08:40" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    item.scroll_into_view_if_needed()
    screenshot(page, "history-red-flags-200")
    assert axe_violations(page) == []


def test_delete_is_undone_within_its_seconds_and_sent_after_them(phone, alice):
    log(alice, "hydration", timezone.now() - timedelta(hours=1))
    log(alice, "hydration", timezone.now() - timedelta(hours=2))
    page = sign_in(phone)
    page.goto("/history")
    page.get_by_test_id("history-item").nth(1).wait_for()

    page.get_by_test_id("history-delete").first.click()
    assert page.get_by_test_id("history-item").count() == 1  # gone from the list at once
    page.get_by_test_id("toast-action").click()  # Undo
    assert page.get_by_test_id("history-item").count() == 2
    page.wait_for_timeout(7000)
    assert Hydration.objects.filter(patient=alice).count() == 2  # nothing was sent

    page.get_by_test_id("history-delete").first.click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=history-item]').length === 1")
    assert wait_for(page, lambda: Hydration.objects.filter(patient=alice).count() == 1)


def test_a_delete_still_waiting_is_sent_when_alice_leaves_the_page(phone, alice):
    log(alice, "hydration", timezone.now() - timedelta(hours=1))
    page = sign_in(phone)
    page.goto("/history")
    page.get_by_test_id("history-delete").first.click()
    page.get_by_test_id("tab-today").click()  # within the app: the timer runs on
    assert wait_for(page, lambda: not Hydration.objects.filter(patient=alice).exists())


def test_a_delete_still_waiting_survives_a_reload(phone, alice):
    log(alice, "hydration", timezone.now() - timedelta(hours=1))
    page = sign_in(phone)
    page.goto("/history")
    page.get_by_test_id("history-delete").first.click()
    page.reload()  # within the undo seconds: the page that held the timer is gone
    assert wait_for(page, lambda: not Hydration.objects.filter(patient=alice).exists())
