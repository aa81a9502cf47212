"""The urgent banner in Chromium at 390x844 (issue #15): "I got help" folds a warning to one line that still
opens the full text and the call, the Cramp button stays on the first screen whatever warnings are active,
and a new urgent check-in brings the warning back in full. Screenshots in light and dark, at 200% text."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import CheckIn, InsightAcknowledgement
from diary.services.records import record_create
from tests.e2e.conftest import ARTIFACTS, axe_violations
from tests.e2e.conftest import signed_in_on_today as on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE_390 = {"width": 390, "height": 844}
PHONE_360 = {"width": 360, "height": 740}


def chest_pain_and_a_swollen_painful_leg_an_hour_ago(patient) -> None:
    """One check-in that raises both urgent warnings: the emergency and the possible DVT."""
    record_create(
        model=CheckIn,
        patient=patient,
        data={
            "recorded_at": timezone.now() - timedelta(hours=1),
            "sudden_chest_pain_or_breathlessness": True,
            "swelling_left": 3,
            "swelling_right": 0,
            "calf_pain_or_tenderness": True,
            "sudden_onset": True,
        },
    )


def signed_in_on_today(phone, email: str):
    return on_today(phone, email, viewport=PHONE_390)


def warning(page, code: str):
    return page.get_by_test_id("urgent-banner").locator(f"[data-code={code}]")


def first_screen_bottom(page) -> float:
    """The top of the fixed tab bar: what lies above it is tappable without scrolling."""
    return page.evaluate(
        "() => { const bar = document.querySelector('nav.tabbar');"
        " return bar ? bar.getBoundingClientRect().top : innerHeight; }"
    )


def in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= first_screen_bottom(page)


def shot(page, name: str) -> None:
    """The first screen, as the patient sees it on opening the app (not the whole page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def dark_and_big_text(page) -> None:
    page.emulate_media(color_scheme="dark")
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")


def plain(page) -> None:
    page.emulate_media(color_scheme="light")
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")


def test_answered_warnings_fold_to_one_line_each_and_a_new_urgent_checkin_raises_one_again(phone, alice):
    chest_pain_and_a_swollen_painful_leg_an_hour_ago(alice)
    page = signed_in_on_today(phone, alice.email)
    chest, leg = warning(page, "emergency_warning"), warning(page, "urgent_dvt_warning")
    chest.wait_for()
    leg.wait_for()
    cramp = page.get_by_test_id("quick-cramp")

    # Both in full: the call and both answers, and still the Cramp button on the first screen.
    shot(page, "urgent-banner-full-390")
    assert chest.get_attribute("data-state") == "full"
    assert leg.get_attribute("data-state") == "full"
    assert in_first_screen(page, cramp)
    assert in_first_screen(page, page.get_by_test_id("call-link").first)
    assert chest.get_by_test_id("ack-got-help").is_visible()
    assert chest.get_by_test_id("ack-seen-doctor").is_visible()
    assert axe_violations(page) == []
    dark_and_big_text(page)
    shot(page, "urgent-banner-full-390-dark-200")
    # At 200% text the Cramp button is still whole on the first screen, and the call is one tap: a good
    # thumb's width of the first call button shows above the tab bar.
    assert in_first_screen(page, cramp)
    call = page.get_by_test_id("call-link").first.bounding_box()
    assert call is not None and call["y"] + 48 <= first_screen_bottom(page)
    chest.get_by_test_id("ack-got-help").scroll_into_view_if_needed()
    shot(page, "urgent-banner-full-390-dark-200-answers")
    plain(page)
    page.evaluate("() => scrollTo(0, 0)")

    # "I got help" on the emergency, "I have seen a doctor" on the leg: one line each.
    chest.get_by_test_id("ack-got-help").click()
    page.wait_for_function(
        "() => document.querySelector('[data-code=emergency_warning]')?.dataset.state === 'acknowledged'"
    )
    leg.get_by_test_id("ack-seen-doctor").click()
    page.wait_for_function(
        "() => document.querySelector('[data-code=urgent_dvt_warning]')?.dataset.state === 'acknowledged'"
    )
    said = dict(InsightAcknowledgement.objects.filter(patient=alice).values_list("code", "action"))
    assert said == {"emergency_warning": "got_help", "urgent_dvt_warning": "seen_doctor"}

    lines = page.get_by_test_id("urgent-folded")
    assert [" ".join(t.split()) for t in lines.all_inner_texts()] == [
        "⚠ Chest pain warning — you said you got help · Show",
        "⚠ Painful leg warning — you said you saw a doctor · Show",
    ]
    for line in lines.all():
        box = line.bounding_box()
        assert box["height"] <= 80  # a line of text (two on a narrow phone) and its padding, not a page
    box = cramp.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE_390["height"]
    assert in_first_screen(page, cramp)
    calls = page.get_by_test_id("call-link")
    assert calls.count() == 4  # in each folded warning, 112 and 911 ...
    assert not any(call.is_visible() for call in calls.all())  # ... one tap away, not on the screen
    shot(page, "urgent-banner-folded-390")
    assert axe_violations(page) == []

    # A folded line still opens the full text and the call, in one tap each.
    lines.first.click()
    assert chest.get_by_role("heading", name="Chest pain or breathlessness: call for help now").is_visible()
    call = chest.get_by_test_id("call-link").first
    assert call.is_visible() and call.get_attribute("href") == "tel:112"
    assert "You said so on" in chest.inner_text() and "Berlin time" in chest.inner_text()  # her clock, named
    shot(page, "urgent-banner-folded-open-390")
    lines.first.click()

    dark_and_big_text(page)
    shot(page, "urgent-banner-folded-390-dark-200")
    page.set_viewport_size(PHONE_360)
    shot(page, "urgent-banner-folded-360-dark-200")
    plain(page)
    page.set_viewport_size(PHONE_390)

    # The same banner on Trends: folded there too.
    page.get_by_test_id("tab-trends").click()
    page.get_by_test_id("urgent-folded").first.wait_for()
    assert page.get_by_test_id("urgent-banner").locator("[data-state=full]").count() == 0

    # A new check-in with chest pain: the emergency comes back in full (on the check-in's own screen and
    # on Today), the leg's warning stays one line.
    page.goto("/checkin")
    page.get_by_label("Sudden chest pain or breathlessness").check()
    page.get_by_test_id("save-checkin").click()
    page.locator(".saved-note").wait_for()  # the server's word on this check-in
    assert warning(page, "emergency_warning").get_attribute("data-state") == "full"
    shot(page, "urgent-banner-raised-again-checkin-390")

    page.get_by_test_id("tab-today").click()
    chest = warning(page, "emergency_warning")
    chest.and_(page.locator("[data-state=full]")).wait_for()
    assert warning(page, "urgent_dvt_warning").get_attribute("data-state") == "acknowledged"
    assert in_first_screen(page, page.get_by_test_id("quick-cramp"))
    assert in_first_screen(page, chest.get_by_test_id("call-link").first)
    shot(page, "urgent-banner-raised-again-390")
    dark_and_big_text(page)
    page.set_viewport_size(PHONE_360)
    shot(page, "urgent-banner-raised-again-360-dark-200")


def test_offline_the_answer_is_not_pretended_it_says_it_needs_a_connection(phone, alice):
    chest_pain_and_a_swollen_painful_leg_an_hour_ago(alice)
    page = signed_in_on_today(phone, alice.email)
    chest = warning(page, "emergency_warning")
    chest.wait_for()

    phone.set_offline(True)
    page.evaluate("() => dispatchEvent(new Event('offline'))")
    chest.get_by_test_id("ack-got-help").click()
    problem = chest.get_by_test_id("ack-problem")
    assert "needs a connection" in problem.inner_text()
    assert "call 112 or 911" in problem.inner_text()
    assert chest.get_attribute("data-state") == "full"
    assert not InsightAcknowledgement.objects.filter(patient=alice).exists()
    assert in_first_screen(page, problem)  # brought into view above the tab bar, not left under it
    shot(page, "urgent-banner-offline-answer-390")


def test_the_sharing_screen_says_who_is_told_and_that_nobody_watches_around_the_clock(phone, alice, bob):
    alice.country = "DE"
    alice.save(update_fields=["country"])
    page = signed_in_on_today(phone, alice.email)
    page.goto("/sharing")
    told = page.get_by_test_id("who-is-told")
    # The stored profile (with her country) may come a moment after the screen.
    expect(told).to_contain_text("If you feel unwell, call 112 — don’t wait for a reply here.")
    text = " ".join(told.inner_text().split())
    assert "Each clinician you share your diary with is told" in text
    assert "by a notification on their phone, by email, or both" in text
    assert "no symptom and no name on a lock screen" in text
    assert "Nobody watches your diary around the clock" in text
    assert "If you feel unwell, call 112 — don’t wait for a reply here." in text
    page.get_by_test_id("sharing-links").get_by_text(bob.display_name, exact=True).wait_for()
    told.scroll_into_view_if_needed()
    shot(page, "sharing-who-is-told-390")
    dark_and_big_text(page)
    page.set_viewport_size(PHONE_360)
    page.screenshot(path=str(ARTIFACTS / "sharing-who-is-told-360-dark-200.png"), full_page=True)
