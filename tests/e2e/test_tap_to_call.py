"""Tap-to-call in Chromium at 390x844: the urgent banner on Today calls the emergency number of the patient's
country (000 in Australia), and spells out 112 and 911 when her country is not said (issue #15)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from diary.models import CheckIn, Role
from diary.services.records import record_create
from tests.conftest import make_user
from tests.e2e.conftest import ARTIFACTS, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE_390 = {"width": 390, "height": 844}


def chest_pain_a_minute_ago(patient) -> None:
    record_create(
        model=CheckIn,
        patient=patient,
        data={
            "recorded_at": timezone.now() - timedelta(minutes=1),
            "sudden_chest_pain_or_breathlessness": True,
        },
    )


def today_with_the_banner(phone, email: str):
    page = signed_in_on_today(phone, email, viewport=PHONE_390)
    page.get_by_test_id("urgent-banner").locator("[data-code=emergency_warning]").wait_for()
    return page


def call_links(page) -> list[tuple[str, str]]:
    links = page.get_by_test_id("urgent-banner").get_by_test_id("call-link")
    return [(a.get_attribute("href"), " ".join(a.inner_text().split())) for a in links.all()]


def in_first_screen(page, locator) -> bool:
    """Wholly on the first screen, above the fixed tab bar: tappable without scrolling."""
    box = locator.bounding_box()
    bottom = page.evaluate(
        "() => { const bar = document.querySelector('nav.tabbar');"
        " return bar ? bar.getBoundingClientRect().top : innerHeight; }"
    )
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bottom


def big_text(page) -> None:
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")


def test_an_australian_patients_banner_calls_000_in_one_tap(phone):
    zoe = make_user("zoe@example.com", Role.PATIENT, timezone="Australia/Sydney", country="AU")
    chest_pain_a_minute_ago(zoe)
    page = today_with_the_banner(phone, zoe.email)

    assert call_links(page) == [("tel:000", "Call 000")]
    link = page.get_by_test_id("call-link")
    assert in_first_screen(page, link)  # no scrolling before the call
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tap-to-call-au-390.png"))

    page.emulate_media(color_scheme="dark")
    big_text(page)
    assert link.bounding_box()["height"] >= 96  # 3.5rem at 200% text: a thumb's target, and then some
    link.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "tap-to-call-au-390-dark-200.png"))


def test_a_patient_of_no_country_is_offered_112_and_911_spelled_out(phone, alice):
    assert alice.country is None
    chest_pain_a_minute_ago(alice)
    page = today_with_the_banner(phone, alice.email)

    assert call_links(page) == [
        ("tel:112", "Call 112 (Europe and most countries)"),
        ("tel:911", "Call 911 (US and Canada)"),
    ]
    page.screenshot(path=str(ARTIFACTS / "tap-to-call-unknown-390.png"))
    assert in_first_screen(page, page.get_by_test_id("call-link").last)

    page.emulate_media(color_scheme="dark")
    big_text(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_test_id("urgent-call").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "tap-to-call-unknown-360-dark-200.png"))
