"""The cramp form's rough edges (issue 16), in Chromium on small phones (360 by 740 and 320 by 568), dark,
at 200% text: Save in reach wherever the person has scrolled, one way to say how long, a note past its
limit kept whole and refused with a message, Back with a draft asking first, Back after Save not reopening
a blank form."""

import pytest

from tests.e2e.conftest import ARTIFACTS, axe_violations, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

SMALL_PHONES = [{"width": 360, "height": 740}, {"width": 320, "height": 568}]
# An on-screen keyboard takes about 45% of a phone's height; the page then has what is left.
KEYBOARD_PX = 260

# The boxes that matter: Save, the form's action bar, the tab bar, the sticky top bar, and the field given.
BOXES = """(selector) => {
  const box = (el) => {
    if (!el || !el.checkVisibility()) return null;
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  };
  const save = document.querySelector('[data-testid=save-cramp], [data-testid=save-checkin]');
  const s = box(save);
  const hit = s && document.elementFromPoint((s.left + s.right) / 2, (s.top + s.bottom) / 2);
  return { save: s, saveOnTop: !!hit && save.contains(hit),
           actions: box(document.querySelector('.form-actions')),
           tabbar: box(document.querySelector('.tabbar')), topbar: box(document.querySelector('.topbar')),
           field: selector ? box(document.querySelector(selector)) : null, height: innerHeight };
}"""

# How many characters the server would count (code points), as the box holds them.
CODE_POINTS = "(el) => [...el.value].length"


def small_phone_dark_big_text(page, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme="dark")
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")


def look(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"cramp-form-{name}.png"))


def open_cramp_form(page) -> None:
    page.get_by_test_id("quick-cramp").click()
    page.get_by_test_id("save-cramp").wait_for()


def cramps_on_the_server(page) -> list[dict]:
    """Alice's cramps, as the API lists them to her."""
    return page.evaluate(
        "async () => (await (await fetch('/api/v1/cramps/', {credentials: 'same-origin'})).json()).results"
    )


def wait_until_sent(page) -> None:
    page.wait_for_function(
        "() => { const n = document.querySelector('[data-testid=pending-count]');"
        " return !n || n.textContent.trim() === '' || n.textContent.trim() === '0'; }"
    )


def assert_save_in_reach(boxes: dict, where: str) -> None:
    save, tabbar = boxes["save"], boxes["tabbar"]
    assert save is not None, f"Save is not shown {where}"
    assert save["top"] >= 0 and save["bottom"] <= boxes["height"], f"Save is off the screen {where}: {save}"
    if tabbar:
        assert save["bottom"] <= tabbar["top"] + 0.5, f"the tab bar covers Save {where}: {save} {tabbar}"
    if boxes["topbar"]:
        assert save["top"] >= boxes["topbar"]["bottom"] - 0.5, f"the top bar covers Save {where}"
    assert boxes["saveOnTop"], f"something covers Save {where}"


def assert_field_in_view(boxes: dict, where: str, *, top_shown: bool = False) -> None:
    """The field has all the room there is between the top bar and Save (at 200% text on a small phone a
    three-line note is taller than that room); `top_shown`: its first line, where the typing goes, shows."""
    field, actions = boxes["field"], boxes["actions"]
    top = max(0, boxes["topbar"]["bottom"]) if boxes["topbar"] else 0
    assert field is not None
    room = actions["top"] - top
    shown = min(field["bottom"], actions["top"]) - max(field["top"], top)
    assert shown >= min(field["bottom"] - field["top"], room) - 1, (
        f"the field is covered {where}: {field}, the top bar ends at {top}, Save begins at {actions['top']}"
    )
    if top_shown:
        assert top - 0.5 <= field["top"] <= actions["top"] - 40, (
            f"the field's first line is hidden {where}: {field}"
        )


def assert_last_field_clear(page, selector: str, where: str) -> None:
    """Scrolled to the end, Save and Cancel sit below the last field; scrolled to just that field's end, it
    stops right above them, not under them."""
    boxes = page.evaluate(BOXES, selector)
    assert boxes["field"]["bottom"] <= boxes["actions"]["top"] + 0.5, (
        f"Save and Cancel cover the last field {where}"
    )
    page.locator(selector).evaluate("(el) => el.scrollIntoView({block: 'end'})")
    page.wait_for_timeout(100)
    boxes = page.evaluate(BOXES, selector)
    gap = boxes["actions"]["top"] - boxes["field"]["bottom"]
    assert 0 <= gap <= 24, f"the last field does not end just above Save {where}: {boxes['field']}"
    assert_save_in_reach(boxes, f"with the last field's end in view {where}")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")


def test_save_stays_in_reach_at_the_bottom_of_more_details_and_covers_no_field(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    for viewport in SMALL_PHONES:
        small_phone_dark_big_text(page, viewport)
        name = f"{viewport['width']}x{viewport['height']}"
        open_cramp_form(page)
        assert_save_in_reach(page.evaluate(BOXES, None), f"at the top ({name})")
        look(page, f"top-{name}")

        page.locator("summary", has_text="More details").click()
        # To the very bottom of More details: the note, the last field, with the page scrolled to its end.
        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(200)
        boxes = page.evaluate(BOXES, "textarea[name=notes]")
        assert_save_in_reach(boxes, f"scrolled to the bottom of More details ({name})")
        assert_last_field_clear(page, "textarea[name=notes]", f"({name})")
        look(page, f"bottom-{name}")

        # Each text field, focused from the top of the page, with the keyboard up: it comes into view above
        # Save, and Save stays in reach.
        page.set_viewport_size({"width": viewport["width"], "height": viewport["height"] - KEYBOARD_PX})
        for selector in ("input[name=started_at]", "textarea[name=notes]"):
            page.evaluate("() => window.scrollTo(0, 0)")
            page.locator(selector).focus()
            # As the phone does once its keyboard is up: the focused field is scrolled into what is left.
            page.evaluate("() => document.activeElement.scrollIntoView({block: 'nearest'})")
            page.wait_for_timeout(200)
            boxes = page.evaluate(BOXES, selector)
            assert_field_in_view(
                boxes, f"with {selector} focused and the keyboard up ({name})", top_shown=True
            )
            assert_save_in_reach(boxes, f"with {selector} focused and the keyboard up ({name})")
        look(page, f"keyboard-{name}")
        page.set_viewport_size(viewport)
        assert axe_violations(page) == []
        page.get_by_test_id("cancel-form").click()
        page.get_by_test_id("quick-cramp").wait_for()


def test_the_check_in_keeps_save_in_reach_the_same_way(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    small_phone_dark_big_text(page, SMALL_PHONES[1])
    page.get_by_test_id("quick-checkin").click()
    page.get_by_test_id("save-checkin").wait_for()
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(200)
    boxes = page.evaluate(BOXES, "textarea[name=notes]")
    assert_save_in_reach(boxes, "at the bottom of the check-in")
    assert_last_field_clear(page, "textarea[name=notes]", "in the check-in")
    look(page, "checkin-bottom")


def test_the_form_asks_how_long_once(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    small_phone_dark_big_text(page, SMALL_PHONES[0])
    open_cramp_form(page)
    page.locator("summary", has_text="More details").click()
    form = page.locator("form")
    kinds = page.evaluate(
        "() => [...document.querySelectorAll('form input')].filter((i) => i.name.startsWith('duration'))"
        ".map((i) => [i.type, i.name])"
    )
    assert {kind for kind, _ in kinds} == {"radio"}, kinds
    assert len({name for _, name in kinds}) == 1, f"the duration is asked more than once: {kinds}"
    assert form.locator("input[type=number]").count() == 0
    assert form.get_by_text("How long?", exact=True).count() == 1
    # Not said until tapped, and a tap is the answer.
    assert page.get_by_test_id("cramp-duration").get_attribute("data-unset") == "true"
    page.get_by_test_id("cramp-duration").get_by_role("radio", name="2 min", exact=True).check()
    page.get_by_test_id("save-cramp").click()
    page.get_by_test_id("quick-cramp").wait_for()
    wait_until_sent(page)
    assert [c["duration_seconds"] for c in cramps_on_the_server(page)] == [120]


def test_a_note_pasted_past_the_limit_is_kept_whole_and_refused_until_shortened(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    small_phone_dark_big_text(page, SMALL_PHONES[1])
    open_cramp_form(page)
    page.locator("summary", has_text="More details").click()
    # 4,500 characters with an emoji in each sentence: a maxLength counts those twice, the server once.
    sentence = "Woke at 3 with the left calf hard as a stone 😖 and walked it off. "
    text = (sentence * 100)[:4500]
    assert len(text) == 4500
    box = page.locator("textarea[name=notes]")
    box.focus()
    page.keyboard.insert_text(text)  # as a paste inserts it
    assert box.evaluate(CODE_POINTS) == 4500, "the paste was cut"
    message = page.get_by_test_id("notes-error")
    message.wait_for()
    assert message.inner_text().startswith("⚠ Notes: 2,500 characters too many")
    assert page.get_by_test_id("notes-count").inner_text() == "4,500 of 2,000 characters"
    # Read out politely once the typing pauses, and only near the limit.
    page.wait_for_function(
        "() => document.querySelector('[data-testid=notes-announce]').textContent.startsWith('Notes:')"
    )
    assert page.get_by_test_id("notes-announce").get_attribute("aria-live") == "polite"

    page.get_by_test_id("save-cramp").click()
    page.wait_for_timeout(500)
    assert page.evaluate("() => location.pathname") == "/cramp", "Save went ahead"
    assert box.evaluate(CODE_POINTS) == 4500
    assert page.get_by_role("alert").filter(has_text="a note is too long").is_visible()
    assert page.evaluate("() => document.activeElement.name") == "notes"
    assert cramps_on_the_server(page) == []
    # Save refused: the field's label and message come into view, between the top bar and Save.
    page.wait_for_timeout(200)
    boxes = page.evaluate(BOXES, "[data-testid=notes-error]")
    first_line = boxes["field"]["top"]
    assert boxes["topbar"]["bottom"] - 0.5 <= first_line <= boxes["actions"]["top"] - 40, boxes
    look(page, "note-limit")
    assert axe_violations(page) == []

    kept = "".join(list(text)[:2000]).rstrip()
    box.fill(kept)
    assert page.get_by_test_id("notes-error").count() == 0
    assert page.get_by_test_id("notes-count").inner_text() == f"{len(kept):,} of 2,000 characters"
    page.get_by_test_id("save-cramp").click()
    page.get_by_test_id("quick-cramp").wait_for()
    wait_until_sent(page)
    assert [c["notes"] for c in cramps_on_the_server(page)] == [kept]


def test_an_empty_announcement_until_the_note_nears_its_limit(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    open_cramp_form(page)
    page.locator("summary", has_text="More details").click()
    page.locator("textarea[name=notes]").fill("Calf, after the stairs.")
    page.wait_for_timeout(1300)
    assert page.get_by_test_id("notes-count").inner_text() == "23 of 2,000 characters"
    assert page.get_by_test_id("notes-announce").inner_text() == ""
    page.locator("textarea[name=notes]").fill("x" * 1990)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=notes-announce]').textContent === '10 characters left'"
    )


def test_back_with_a_draft_asks_and_keep_editing_keeps_it_and_discard_leaves(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    small_phone_dark_big_text(page, SMALL_PHONES[1])

    # An empty form: Back simply goes back.
    open_cramp_form(page)
    page.evaluate("() => history.back()")
    page.get_by_test_id("quick-cramp").wait_for()
    assert page.get_by_test_id("discard-dialog").count() == 0

    open_cramp_form(page)
    page.get_by_test_id("cramp-side").get_by_role("radio", name="Left", exact=True).check()
    page.locator("summary", has_text="More details").click()
    page.locator("textarea[name=notes]").fill("Woke me at 3.")
    page.evaluate("() => history.back()")
    dialog = page.get_by_role("dialog", name="Discard this cramp?")
    dialog.wait_for()
    assert page.evaluate("() => location.pathname") == "/cramp"
    assert page.evaluate("() => document.activeElement.dataset.testid") == "keep-editing"
    look(page, "discard-dialog")
    assert axe_violations(page) == []

    dialog.get_by_role("button", name="Keep editing").click()
    assert page.get_by_test_id("discard-dialog").count() == 0
    assert page.locator("textarea[name=notes]").input_value() == "Woke me at 3."
    assert page.locator("[data-testid=cramp-side] input[value=left]").is_checked()

    # Cancel asks the same; Escape is Keep editing.
    page.get_by_test_id("cancel-form").click()
    page.get_by_role("dialog", name="Discard this cramp?").wait_for()
    page.keyboard.press("Escape")
    assert page.get_by_test_id("discard-dialog").count() == 0
    assert page.locator("textarea[name=notes]").input_value() == "Woke me at 3."

    page.evaluate("() => history.back()")
    page.get_by_role("dialog", name="Discard this cramp?").get_by_role("button", name="Discard").click()
    page.get_by_test_id("quick-cramp").wait_for()
    assert page.evaluate("() => location.pathname") == "/"
    page.wait_for_timeout(300)
    assert cramps_on_the_server(page) == []


def test_back_after_saving_lands_where_the_person_came_from_with_one_cramp_stored(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    small_phone_dark_big_text(page, SMALL_PHONES[0])
    page.get_by_test_id("tab-history").click()
    page.wait_for_function("() => location.pathname === '/history'")
    page.get_by_test_id("tab-today").click()
    open_cramp_form(page)
    page.get_by_test_id("cramp-side").get_by_role("radio", name="Right", exact=True).check()
    page.get_by_test_id("save-cramp").click()
    page.get_by_test_id("quick-cramp").wait_for()
    assert page.get_by_test_id("toast").inner_text().startswith("Cramp saved")
    wait_until_sent(page)

    page.evaluate("() => history.back()")
    page.wait_for_timeout(500)
    # Today, the screen before the form (the form's entry became Today when it was saved), not the form.
    assert page.evaluate("() => location.pathname") == "/"
    assert page.get_by_test_id("save-cramp").count() == 0
    page.evaluate("() => history.back()")
    page.wait_for_function("() => location.pathname === '/history'")
    assert len(cramps_on_the_server(page)) == 1
