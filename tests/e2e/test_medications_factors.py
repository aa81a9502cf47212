"""Medicines and factor tags in Chromium at phone size (issue 18 part 2): alice adds a medicine from More
(no start date is chosen for her), stops it, taps a suggested tag offline and sees it sent when back
online and in History. What the server holds is read through the API, as the contract names it."""

import pytest

from tests.e2e.conftest import screenshot, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def api_list(page, path: str) -> list[dict]:
    """A list as the server answers it to the signed-in page (paginated or plain)."""
    body = page.evaluate(
        "async (path) => (await fetch(path, {headers: {Accept: 'application/json'}})).json()", path
    )
    return body["results"] if isinstance(body, dict) else body


def wait_until(page, condition, seconds: float = 20) -> bool:
    for _ in range(int(seconds * 2)):
        if condition():
            return True
        page.wait_for_timeout(500)
    return condition()


def test_alice_adds_a_medicine_and_stops_it_on_her_own_day(phone, alice):
    page = signed_in_on_today(phone, "alice@example.com")
    page.get_by_test_id("tab-more").click()
    page.get_by_test_id("more-medicines").click()
    page.get_by_test_id("medicine-add").click()

    # Saved untouched: the name, the kind, how it is taken and the start are asked, never assumed.
    page.get_by_test_id("medicine-save").click()
    assert page.get_by_text("Say when you started taking it.").first.is_visible()
    assert page.get_by_test_id("medicine-started").input_value() == ""

    page.get_by_test_id("medicine-name").fill("Bendroflumethiazide")
    page.get_by_test_id("medicine-class").get_by_role(
        "radio", name="Water tablet (diuretic)", exact=True
    ).check()
    page.get_by_test_id("medicine-dose").fill("2.5 mg each morning")
    page.get_by_test_id("medicine-schedule").get_by_role("radio", name="Regularly", exact=True).check()
    page.get_by_test_id("medicine-started-today").click()
    page.get_by_test_id("medicine-save").click()
    page.get_by_test_id("medicines-current").get_by_text("Bendroflumethiazide").first.wait_for()

    assert wait_until(page, lambda: len(api_list(page, "/api/v1/medications/")) == 1)
    [medicine] = api_list(page, "/api/v1/medications/")
    today = page.evaluate(
        "() => new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Berlin'}).format(new Date())"
    )
    assert (medicine["drug_class"], medicine["schedule"], medicine["started_on"]) == (
        "diuretic",
        "regular",
        today,
    )
    assert medicine["stopped_on"] is None

    page.get_by_test_id("medicine-stop").click()
    assert page.get_by_test_id("medicine-stopped").input_value() == today  # offered, and editable
    page.get_by_test_id("medicine-save").click()
    page.get_by_test_id("medicines-stopped").get_by_text("Bendroflumethiazide").first.wait_for()
    assert wait_until(page, lambda: api_list(page, "/api/v1/medications/")[0]["stopped_on"] == today)
    screenshot(page, "medicines-list")


def test_a_suggested_tag_tapped_offline_is_sent_when_back_and_shows_in_history(phone, alice):
    page = signed_in_on_today(phone, "alice@example.com")
    page.wait_for_function("async () => !!(await navigator.serviceWorker.getRegistration())")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    coffee = page.locator("[data-testid=factor-suggestion][data-name=Coffee]")
    coffee.wait_for()
    assert api_list(page, "/api/v1/factors/") == []  # a suggestion is not stored until tapped

    phone.set_offline(True)
    page.evaluate("() => window.dispatchEvent(new Event('offline'))")
    coffee.click()
    # The tag is hers at once, on this phone, while both the tag and its entry wait to be sent.
    page.locator("[data-testid=factor-chip][data-name=Coffee]").wait_for()
    page.get_by_test_id("pending-count").wait_for()
    screenshot(page, "factors-offline")

    phone.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    assert wait_until(page, lambda: len(api_list(page, "/api/v1/factor-entries/")) == 1, seconds=30)
    [tag] = api_list(page, "/api/v1/factors/")
    [entry] = api_list(page, "/api/v1/factor-entries/")
    assert tag["name"] == "Coffee"
    assert entry["factor"] == tag["id"]

    page.get_by_test_id("tab-history").click()
    item = page.locator("[data-testid=history-item][data-kind=factor-entries]")
    item.first.wait_for()
    assert "Coffee" in item.first.inner_text()
    assert item.first.get_attribute("data-state") == "synced"
