"""The theme in Chromium on a small phone at 200% text: automatic is dark inside the night window, Dark
and Light apply at the tap (also offline), and the dark screens have no large pale block (issue #14)."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from diary.models import User
from diary.services.accounts import profile_update
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.test_patient_app import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

# Relative luminance (WCAG): the dark surfaces are below 0.03; the old pale Cramp button was 0.54.
PALE = 0.1
LARGE = 0.10  # of the viewport's area

# Every element with a background at least LARGE of the viewport whose colour is paler than PALE.
PALE_BLOCKS = """([large, pale]) => {
  const lum = (c) => {
    const m = c.match(/rgba?\\(([\\d.]+),?\\s*([\\d.]+),?\\s*([\\d.]+)(?:[,\\s/]+([\\d.]+))?/);
    if (!m) return null;
    if (m[4] !== undefined && Number(m[4]) < 0.5) return null; // (nearly) transparent: the parent shows
    const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const area = innerWidth * innerHeight;
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width * box.height < large * area) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const l = lum(style.backgroundColor);
    if (l !== null && l > pale) {
      found.push(`${el.tagName.toLowerCase()}.${el.className} ${style.backgroundColor} L=${l.toFixed(2)}`);
    }
  }
  return found;
}"""


def pale_blocks(page) -> list[str]:
    return page.evaluate(PALE_BLOCKS, [LARGE, PALE])


def the_old_pale_cramp_button_would_be_caught(page) -> None:
    """The check is real: the Cramp button as it was before the dim theme (#8cc8ff) is reported."""
    page.evaluate(
        "() => { const s = document.createElement('style'); s.id = 'old-pale';"
        " s.textContent = '.quick-cramp { background: #8cc8ff !important; }';"
        " document.head.append(s); }"
    )
    try:
        assert any("quick-cramp" in block for block in pale_blocks(page))
    finally:
        page.evaluate("() => document.getElementById('old-pale').remove()")


def small_phone_big_text(page, color_scheme: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.emulate_media(color_scheme=color_scheme)
    big_text(page)


def big_text(page) -> None:
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")


def normal_text(page) -> None:
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")


def shown_theme(page) -> str:
    return page.evaluate("() => document.documentElement.dataset.theme")


def both_sizes(page, name: str) -> None:
    """What fits on the screen, at 200% text and at normal size (then back to 200%)."""
    page.screenshot(path=str(ARTIFACTS / f"{name}-200.png"))
    normal_text(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}-100.png"))
    big_text(page)


def night_window_around_now(patient: User, *, inside: bool) -> None:
    local = timezone.now().astimezone(patient.zone)  # her night, on her clock
    if inside:
        start, end = local - timedelta(hours=2), local + timedelta(hours=2)
    else:
        start, end = local + timedelta(hours=3), local + timedelta(hours=5)
    profile_update(
        user=patient,
        data={
            "night_start": start.time().replace(second=0, microsecond=0),
            "night_end": end.time().replace(second=0, microsecond=0),
        },
    )


def tap_theme(page, name: str) -> None:
    """As a thumb would: the option brought to the middle of the screen, clear of the tab bar, then a tap
    on its centre (Playwright's own scrolling put it under the fixed tab bar)."""
    option = page.get_by_test_id("theme").get_by_role("radio", name=name, exact=True)
    option.evaluate("(el) => el.scrollIntoView({ block: 'center' })")
    box = option.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert option.is_checked()


def wait_for_theme(patient: User, theme: str) -> None:
    for _ in range(60):
        patient.refresh_from_db()
        if patient.theme == theme:
            return
        time.sleep(0.25)
    raise AssertionError(f"the server never got theme {theme!r}, still {patient.theme!r}")


def test_automatic_is_dark_in_the_night_window_and_the_night_screens_are_dim(phone):
    call_command("load_demo", verbosity=0)
    erin = User.objects.get(email="erin@example.com")  # the demo patient with an urgent warning
    assert erin.theme == "auto"
    night_window_around_now(erin, inside=True)

    page = phone.new_page()
    # The phone asks for light: dark can only come from the night window.
    page.emulate_media(color_scheme="light")
    sign_in(page, erin.email)
    page.get_by_test_id("quick-cramp").wait_for()
    small_phone_big_text(page, "light")
    page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")

    banner = page.get_by_test_id("urgent-banner")
    banner.wait_for()
    red, green, blue = page.evaluate(
        "(el) => getComputedStyle(el).backgroundColor.match(/[\\d.]+/g).slice(0, 3).map(Number)",
        banner.element_handle(),
    )
    assert red > 2 * max(green, blue) and red < 128, "urgent stays red, as a dark surface, not a bright slab"
    assert pale_blocks(page) == []
    the_old_pale_cramp_button_would_be_caught(page)
    both_sizes(page, "night-auto-today")
    screenshot(page, "night-auto-today-full")

    page.get_by_test_id("quick-cramp").click()
    page.get_by_test_id("save-cramp").wait_for()
    assert pale_blocks(page) == []
    both_sizes(page, "night-auto-log")
    screenshot(page, "night-auto-log-full")


def test_dark_and_light_apply_at_the_tap_also_offline_and_leave_the_night_window_alone(phone):
    alice = make_user("alice@example.com", "patient", timezone="Europe/Berlin")
    night_window_around_now(alice, inside=False)
    alice.refresh_from_db()
    window = (alice.night_start, alice.night_end)

    page = phone.new_page()
    page.emulate_media(color_scheme="light")
    sign_in(page, alice.email, PASSWORD)
    page.get_by_test_id("quick-cramp").wait_for()
    small_phone_big_text(page, "light")
    assert shown_theme(page) == "light"  # automatic, by day

    page.goto("/profile")
    big_text(page)
    choice = page.get_by_test_id("theme")
    choice.wait_for()
    # The night window's help says what it decides, and that the colours are not it.
    assert "night cramps" in page.get_by_text("Cramps in these hours").inner_text()
    assert "does not change the screen colours" in page.get_by_text("Cramps in these hours").inner_text()
    page.screenshot(path=str(ARTIFACTS / "theme-profile-light-200.png"))

    tap_theme(page, "Dark")
    assert shown_theme(page) == "dark"  # at the tap, no Save
    wait_for_theme(alice, "dark")
    assert (alice.night_start, alice.night_end) == window
    assert pale_blocks(page) == []
    both_sizes(page, "theme-dark-profile")
    screenshot(page, "theme-dark-profile-full")

    page.get_by_test_id("tab-today").click()
    page.get_by_test_id("quick-cramp").wait_for()
    assert pale_blocks(page) == []
    the_old_pale_cramp_button_would_be_caught(page)
    both_sizes(page, "theme-dark-today")
    page.get_by_test_id("quick-cramp").click()
    page.get_by_test_id("save-cramp").wait_for()
    assert pale_blocks(page) == []
    both_sizes(page, "theme-dark-log")

    # Offline: Light applies at once, and reaches the server when the phone is back online.
    page.goto("/profile")
    page.get_by_test_id("theme").wait_for()
    phone.set_offline(True)
    page.evaluate("() => window.dispatchEvent(new Event('offline'))")
    tap_theme(page, "Light")
    assert shown_theme(page) == "light"
    page.get_by_text("when you are back online").wait_for()
    alice.refresh_from_db()
    assert alice.theme == "dark"
    phone.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_for_theme(alice, "light")
    assert (alice.night_start, alice.night_end) == window
    assert shown_theme(page) == "light"
