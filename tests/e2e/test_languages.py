"""German and Spanish end to end in Chromium at phone size (issue #20): a new patient whose phone speaks
the language signs up, logs a cramp, saves a check-in that raises an urgent warning and opens Trends; her
clinician reads her page. Every screen: in the language (no English left), nothing cut off or wider than
the phone, axe clean, and a screenshot for a person to look at."""

import re

import pytest
from django.utils import timezone

from diary.models import CareLink, CrampEpisode, Role, User
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import ARTIFACTS, axe_violations, launch_phone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

SMALL_PHONE = {"width": 360, "height": 740}
LOCALES = {"de": "de-DE", "es": "es-ES"}
# Words of the English source that no German or Spanish screen should show (whole words, any case).
ENGLISH = re.compile(
    r"\b(the|and|your|you|with|not said|today|history|save|cancel|minutes?|hours?|days?|nights?|sign in|"
    r"sign out|check-in|cramps?|legs?|swelling|stockings?|reminders?|water|more|patients?|loading|"
    r"time ?zone)\b",
    re.IGNORECASE,
)
# Of those, the words that are the language's own too ("Patient" in German).
SAME_WORD = {"de": {"patient"}, "es": set()}

# Text that overflows its box: clipped (overflow hidden, an ellipsis) or spilling over its neighbours.
CUT_OFF = """() => {
  const cut = [];
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.display === 'inline' || s.visibility === 'hidden') continue;
    if (el.clientWidth <= 1) continue;  // nothing shown, or visually hidden (read to screen readers only)
    if (['auto', 'scroll'].includes(s.overflowX)) continue;  // meant to scroll sideways (a wide table)
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText && el.scrollWidth > el.clientWidth + 1) cut.push(el.textContent.trim().slice(0, 80));
  }
  return cut;
}"""


def phone_in(playwright_driver, tmp_path, live_server, language: str, name: str):
    zone = "Europe/Madrid" if language == "es" else "Europe/Berlin"
    profile = tmp_path / f"{name}-{language}"
    return launch_phone(
        playwright_driver,
        profile,
        live_server.url,
        viewport=SMALL_PHONE,
        locale=LOCALES[language],
        timezone_id=zone,
    )


def look(page, language: str, screen: str, *, at_night: bool = False) -> None:
    """The screen in the language, whole, for a person to look at; nothing English, cut off or too wide.
    `at_night`: again in the dark theme at 200% text, as at 3 a.m. (German words are long)."""
    if at_night:
        page.emulate_media(color_scheme="dark")
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        look(page, language, f"{screen}-night")
        page.emulate_media(color_scheme="light")
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    page.evaluate("() => scrollTo(0, 0)")
    page.wait_for_timeout(200)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"language-{language}-{screen}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.lang") == language, screen
    text = page.locator("main").inner_text()
    english = sorted({m.group(0).lower() for m in ENGLISH.finditer(text)} - SAME_WORD[language])
    assert english == [], f"{screen} in {language} shows English: {english}\n{text[:1500]}"
    assert page.evaluate(CUT_OFF) == [], f"{screen} in {language} cuts text off"
    assert page.evaluate("() => document.documentElement.scrollWidth") == SMALL_PHONE["width"], screen
    assert axe_violations(page) == [], f"{screen} in {language}"


def sign_in(page, email: str) -> None:
    page.goto("/signin")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


@pytest.mark.parametrize("language", ["de", "es"])
def test_a_patient_and_her_clinician_use_the_app_in_their_language(
    playwright_driver, tmp_path, live_server, language
):
    email = f"frank-{language}@example.com"
    phone = phone_in(playwright_driver, tmp_path, live_server, language, "patient")
    page = phone.new_page()

    page.goto("/signup")
    page.get_by_test_id("about").wait_for()
    look(page, language, "signup")
    page.locator("input[name=display_name]").fill("Frank")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.get_by_test_id("onboarding-about").wait_for()
    look(page, language, "onboarding")
    # The phone's language, taken at sign-up: everything the server sends her is in it too.
    assert User.objects.get(email=email).language == language
    page.get_by_test_id("onboarding-skip").click()

    page.get_by_test_id("quick-cramp").click()
    page.get_by_test_id("save-cramp").click()
    page.get_by_test_id("quick-cramp").wait_for()
    look(page, language, "today", at_night=True)
    frank = User.objects.get(email=email)
    for _attempt in range(50):  # sent in the background
        if CrampEpisode.objects.filter(patient=frank).exists():
            break
        page.wait_for_timeout(200)
    assert CrampEpisode.objects.filter(patient=frank).count() == 1

    page.goto("/checkin")
    page.get_by_test_id("save-checkin").wait_for()
    look(page, language, "checkin")
    page.locator("input[name=sudden_chest_pain_or_breathlessness]").check()
    page.get_by_test_id("save-checkin").click()
    banner = page.get_by_test_id("urgent-banner")
    banner.wait_for()
    assert banner.get_by_test_id("call-link").first.is_visible()  # one tap to act on it
    look(page, language, "urgent", at_night=True)

    page.get_by_test_id("tab-trends").click()
    page.get_by_test_id("trends-not-enough").wait_for()  # one day logged: too few for patterns, said so
    look(page, language, "trends")
    phone.close()

    clinician = make_user(f"bob-{language}@example.com", Role.CLINICIAN, timezone="Europe/Berlin")
    clinician.language = language
    clinician.save(update_fields=["language"])
    CareLink.objects.create(patient=frank, clinician=clinician, created_at=timezone.now())
    desk = phone_in(playwright_driver, tmp_path, live_server, language, "clinician")
    page = desk.new_page()
    sign_in(page, clinician.email)
    page.get_by_test_id("clinician-row").first.wait_for()
    look(page, language, "clinician-list")
    page.get_by_test_id("clinician-row").first.get_by_role("link").first.click()
    page.get_by_test_id("patient-page").wait_for()
    page.get_by_test_id("entry-row").first.wait_for()
    look(page, language, "clinician-patient", at_night=True)  # the evidence grid with long German labels
    desk.close()
