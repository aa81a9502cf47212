"""The optional date of birth on the profile (issue #15): empty reads "Not said.", and a chosen date can be
taken back to not said in one tap (a phone's date picker often cannot empty itself)."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.test_urgent_banner import PHONE_360, dark_and_big_text, shot, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_an_empty_date_of_birth_is_not_said_and_a_chosen_one_can_be_cleared(phone, alice):
    alice.date_of_birth = datetime.date(1961, 4, 9)
    alice.save(update_fields=["date_of_birth"])
    page = signed_in_on_today(phone, alice.email)
    page.goto("/profile")
    field = page.get_by_test_id("date-of-birth")
    expect(field).to_have_value("1961-04-09")
    field.scroll_into_view_if_needed()
    shot(page, "profile-date-of-birth-390")

    page.get_by_test_id("clear-date-of-birth").click()
    expect(field).to_have_value("")
    expect(page.get_by_text("Not said.", exact=False)).to_be_visible()
    page.get_by_test_id("save-profile").click()
    expect(page.get_by_test_id("toast")).to_contain_text("saved", ignore_case=True)
    alice.refresh_from_db()
    assert alice.date_of_birth is None

    dark_and_big_text(page)
    page.set_viewport_size(PHONE_360)
    field.scroll_into_view_if_needed()
    shot(page, "profile-date-of-birth-not-said-360-dark-200")
