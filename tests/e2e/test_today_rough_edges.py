"""Issue 16's rough edges on Today, the header, History and toasts, in Chromium at phone size: the
stockings' state apart from the action, an Undo after "+250 ml" that takes back exactly that drink, one
sync status at a time, History leaving "Offline" when the connection is back, toasts that stay with their
screen and keep clear of fields, and Today's tiles whole at 200% text on 320 by 568."""

import json
import re

import pytest

from diary.models import CompressionWear
from tests.e2e.conftest import ARTIFACTS, axe_violations, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

SMALL_PHONES = [{"width": 360, "height": 740}, {"width": 320, "height": 568}]
SYNC_TEXTS = [
    "All entries sent",
    "entry needs your attention",
    "entries need your attention",
    "Sending…",
    "Offline:",
    "waiting to send",
    "Sign in again to send",
]
STATE_READS = (
    "(pattern) => new RegExp(pattern)"
    ".test(document.querySelector('[data-testid=stockings-status]').textContent)"
)
ON = re.compile(r"^Stockings on since \d\d:\d\d \(Berlin time\)$")
OFF = re.compile(r"^Stockings off since \d\d:\d\d \(Berlin time\)$")


def small_phone_dark_big_text(page, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme="dark")
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")


def go(page, path: str) -> None:
    """In-app navigation, as a tap on a link does (a reload would drop the 200% text set on the page)."""
    page.evaluate(
        "(p) => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')); }", path
    )
    page.wait_for_function("(p) => location.pathname === p", arg=path)
    page.locator("#page-title").wait_for()
    page.wait_for_timeout(300)


def look(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def statuses(page) -> list[str]:
    text = page.get_by_test_id("sync-status").inner_text()
    return [phrase for phrase in SYNC_TEXTS if phrase in text]


def hydration_ids(page) -> list[str]:
    response = page.request.get("/api/v1/hydration/?page_size=100")
    assert response.status == 200
    return sorted(entry["id"] for entry in response.json()["results"])


def posted_ids(page) -> list[str]:
    """The ids of the drinks the page POSTs, in order (each create carries its client UUID)."""
    ids: list[str] = []

    def seen(request):
        if request.method == "POST" and request.url.endswith("/api/v1/hydration/") and request.post_data:
            body = json.loads(request.post_data)
            if body["id"] not in ids:
                ids.append(body["id"])

    page.on("request", seen)
    return ids


def wait_until(page, condition, seconds: float = 20) -> bool:
    for _ in range(int(seconds * 4)):
        if condition():
            return True
        page.wait_for_timeout(250)
    return condition()


def test_the_stockings_tile_shows_the_state_in_bold_and_the_action_on_its_own_button(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    state = page.get_by_test_id("stockings-status")
    action = page.get_by_test_id("quick-stockings")
    # Nothing logged today: unknown, not "off".
    assert state.inner_text() == "Stockings: not logged today"
    assert action.inner_text() == "Put them on"
    assert state.evaluate("(el) => Number(getComputedStyle(el).fontWeight)") >= 700

    action.click()
    page.get_by_role("button", name="Save and put on").click()  # the first time asks which stockings
    page.wait_for_function(STATE_READS, arg="^Stockings on since")
    assert ON.match(state.inner_text()), state.inner_text()
    assert action.inner_text() == "Take them off"
    small_phone_dark_big_text(page, SMALL_PHONES[1])
    page.locator(".stockings-tile").screenshot(
        path=str(ARTIFACTS / "today-stockings-on-320x568-dark-200.png")
    )
    assert state.inner_text() == action.evaluate(
        "(b) => b.closest('.stockings-tile').querySelector('strong').textContent"
    )
    assert wait_until(page, lambda: CompressionWear.objects.filter(patient=alice, ended_at=None).count() == 1)

    action.click()
    page.wait_for_function(STATE_READS, arg="^Stockings off since")
    assert OFF.match(state.inner_text()), state.inner_text()
    assert action.inner_text() == "Put them on"
    assert wait_until(
        page, lambda: CompressionWear.objects.filter(patient=alice, ended_at__isnull=False).count() == 1
    )
    assert axe_violations(page) == []


def test_undo_after_two_taps_on_250_ml_takes_back_only_the_last(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    posted = posted_ids(page)
    toast = page.get_by_test_id("toast")
    for n in (1, 2):
        page.get_by_test_id("quick-water").click()
        assert wait_until(page, lambda n=n: len(posted) == n and len(hydration_ids(page)) == n)
        toast.get_by_text("250 ml of water saved.").wait_for()
    toast.get_by_test_id("toast-action").click()  # Undo
    toast.get_by_text("Taken back: 250 ml of water.").wait_for()
    assert wait_until(page, lambda: hydration_ids(page) == [posted[0]])
    page.wait_for_timeout(1000)  # nothing more goes
    assert hydration_ids(page) == [posted[0]]
    assert page.get_by_test_id("water-today").inner_text() == "Water today: 250 ml of 2000 ml"


def test_undo_offline_takes_back_only_the_last_drink_once_the_connection_is_back(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    posted = posted_ids(page)
    toast = page.get_by_test_id("toast")
    phone.set_offline(True)
    for _ in range(2):
        page.get_by_test_id("quick-water").click()
        toast.get_by_text("250 ml of water saved.", exact=False).wait_for()
        page.wait_for_timeout(300)
    toast.get_by_test_id("toast-action").click()  # Undo
    toast.get_by_text("Taken back: 250 ml of water.").wait_for()
    assert page.get_by_test_id("water-today").inner_text() == "Water today: 250 ml of 2000 ml"
    phone.set_offline(False)
    assert wait_until(page, lambda: len(posted) >= 1 and hydration_ids(page) == [posted[0]], seconds=30)
    page.wait_for_timeout(1500)  # time for a late create, if there were one
    assert hydration_ids(page) == [posted[0]]


def test_the_header_never_shows_two_sync_statuses(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    assert statuses(page) == ["All entries sent"]

    # The diary refuses one drink: it needs attention, and "All entries sent" is not said beside it.
    page.route(
        "**/api/v1/hydration/",
        lambda route: (
            route.fulfill(status=400, json={"volume_ml": ["Not accepted."]})
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.get_by_test_id("quick-water").click()
    page.get_by_test_id("sync-attention").wait_for()
    assert statuses(page) == ["entry needs your attention"]
    page.unroute("**/api/v1/hydration/")

    # Offline with another entry waiting: attention still beats offline, one status still.
    phone.set_offline(True)
    page.get_by_test_id("quick-water").click()
    page.wait_for_timeout(500)
    assert statuses(page) == ["entry needs your attention"]

    # The refused one discarded: offline is the one status.
    page.get_by_role("button", name="Discard").click()
    page.get_by_role("button", name="Yes, discard").click()
    page.wait_for_function("() => !document.querySelector('[data-testid=sync-attention]')")
    assert statuses(page) == ["Offline:"]

    phone.set_offline(False)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=sync-status]').textContent.includes('All entries sent')",
        timeout=30_000,
    )
    assert statuses(page) == ["All entries sent"]


def test_history_leaves_offline_when_the_connection_is_back(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    phone.set_offline(True)
    page.get_by_test_id("tab-history").click()
    note = page.get_by_text("Offline: showing what this phone last saw.")
    note.wait_for()
    phone.set_offline(False)
    note.wait_for(state="detached", timeout=10_000)


def test_a_toast_raised_on_today_is_gone_on_history(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    page.get_by_test_id("quick-elevate").click()
    page.get_by_role("button", name="Cancel timer").click()
    toast = page.get_by_test_id("toast")
    toast.get_by_text("Cancel timer").wait_for()
    page.get_by_test_id("tab-history").click()
    page.get_by_role("heading", level=1, name="History").wait_for()
    assert toast.inner_text(timeout=1000) == ""


# The quick tiles' boxes, any two that overlap, and any whose content is wider or taller than it.
TILES = """() => {
  const tiles = [...document.querySelectorAll('.quick-grid > *')].map((el) => ({
    name: el.dataset.testid || el.className, box: el.getBoundingClientRect(),
    clipped: [...el.querySelectorAll('*')].some(
      (c) => c.scrollWidth > c.clientWidth + 1 && getComputedStyle(c).overflow !== 'visible'),
    wider: el.scrollWidth > el.clientWidth + 1,
  }));
  const overlaps = [];
  for (let i = 0; i < tiles.length; i++) for (let j = i + 1; j < tiles.length; j++) {
    const a = tiles[i].box, b = tiles[j].box;
    const apart = a.right - 0.5 <= b.left || b.right - 0.5 <= a.left || a.bottom - 0.5 <= b.top
      || b.bottom - 0.5 <= a.top;
    if (!apart) overlaps.push([tiles[i].name, tiles[j].name]);
  }
  return { overlaps, clipped: tiles.filter((t) => t.clipped || t.wider).map((t) => t.name),
           wide: document.documentElement.scrollWidth - innerWidth };
}"""

# Whether the toast covers the focused field or any primary button on the screen.
TOAST_COVERS = """() => {
  const toast = document.querySelector('.toast');
  if (!toast) return [];
  const t = toast.getBoundingClientRect();
  const keep = [...document.querySelectorAll('main .btn-primary')];
  const f = document.activeElement;
  if (f && f.matches('input, select, textarea')) keep.push(f);
  return keep.filter((el) => { const b = el.getBoundingClientRect();
    return b.height && t.left < b.right && b.left < t.right && t.top < b.bottom && b.top < t.bottom; })
    .map((el) => el.textContent || el.name);
}"""


# Whether the focused field is on the screen between the sticky header and the tab bar.
FOCUSED_IN_VIEW = """() => {
  const f = document.activeElement.getBoundingClientRect();
  const header = document.querySelector('.topbar').getBoundingClientRect().bottom;
  const tabs = document.querySelector('.tabbar').getBoundingClientRect().top;
  return f.top >= header - 0.5 && f.bottom <= tabs + 0.5;
}"""


def test_today_and_history_at_200_percent_text_on_small_phones(phone, alice):
    page = signed_in_on_today(phone, alice.email)
    for viewport in SMALL_PHONES:
        width, height = viewport["width"], viewport["height"]
        small_phone_dark_big_text(page, viewport)
        go(page, "/")
        layout = page.evaluate(TILES)
        assert layout == {"overlaps": [], "clipped": [], "wide": 0}, f"at {width} px: {layout}"
        look(page, f"today-{width}x{height}-dark-200")
        page.get_by_test_id("quick-stockings").scroll_into_view_if_needed()
        page.get_by_test_id("quick-water").click()
        page.get_by_test_id("toast-action").wait_for()
        page.wait_for_timeout(300)
        assert page.evaluate(TOAST_COVERS) == [], f"the toast covers a button at {width} px"
        look(page, f"today-toast-{width}x{height}-dark-200")
        assert axe_violations(page) == []

        go(page, "/history")
        page.get_by_test_id("history-filter").focus()
        page.wait_for_timeout(300)
        assert page.evaluate(TOAST_COVERS) == [], f"the toast covers the focused field at {width} px"
        assert page.evaluate(FOCUSED_IN_VIEW), f"the focused field is under the header or tabs at {width} px"
        look(page, f"history-{width}x{height}-dark-200")
        assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") == 0
        assert axe_violations(page) == []
        page.wait_for_timeout(6500)  # the undo's time runs out before the next size
