"""The visit summary on Profile's export card (issue 16): a period to choose and the PDF it downloads."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.e2e.test_urgent_banner import PHONE_360, dark_and_big_text, shot, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_the_patient_chooses_a_period_and_downloads_the_visit_summary(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    page.goto("/profile#export")
    link = page.get_by_test_id("export-pdf")
    expect(link).to_have_attribute("href", "/api/v1/export/?format=pdf&days=84")

    page.get_by_label("The last").select_option(label="6 months")
    expect(link).to_have_attribute("href", "/api/v1/export/?format=pdf&days=182")
    # What the link downloads, with the browser's own session.
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert axe_violations(page) == []
    to_the_top(page, "report-title")
    shot(page, "profile-visit-summary-412")

    dark_and_big_text(page)
    page.set_viewport_size(PHONE_360)
    to_the_top(page, "report-title")
    shot(page, "profile-visit-summary-360-dark-200")
    link.scroll_into_view_if_needed()
    shot(page, "profile-visit-summary-download-360-dark-200")
    assert axe_violations(page) == []


def to_the_top(page, element_id: str):
    """The element at the top of the screen, under the app's header."""
    page.evaluate(
        "(id) => { document.getElementById(id).scrollIntoView();"
        " window.scrollBy(0, -document.querySelector('header').offsetHeight - 8); }",
        element_id,
    )
