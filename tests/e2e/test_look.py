"""A product, not a prototype (issue 13): the brand mark, one button style per
role, a welcome screen that fills the phone, radio groups that say how the
keyboard moves them, and named helplines with a call icon."""
import re

from playwright.sync_api import expect

# Every filled (primary) button against its parent's content box: [label, gap
# to the box's right edge, its share of the box's width]. Full width, or beside
# its own alternative (Back, Cancel) filling the rest of the row.
PRIMARY_WIDTHS = """() => [...document.querySelectorAll('main .primary')].filter((b) => b.offsetParent
  && !b.closest('dialog')).map((b) => {
  const parent = b.parentElement;
  const style = getComputedStyle(parent);
  const box = parent.getBoundingClientRect();
  const right = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
  const inner = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const own = b.getBoundingClientRect();
  return [b.textContent.trim(), Math.round(right - own.right), own.width / inner];
})"""

HELPLINES = [
    ("988 Suicide & Crisis Lifeline", "tel:988"),
    ("9-8-8 Suicide Crisis Helpline", "tel:988"),
    ("Samaritans", "tel:116123"),
    ("Lifeline", "tel:131114"),
    ("Need to talk? 1737", "tel:1737"),
    ("Tele-MANAS", "tel:14416"),
    ("TelefonSeelsorge", "tel:08001110111"),
    ("3114, numéro national de prévention du suicide", "tel:3114"),
    ("Línea 024", "tel:024"),
    ("113 Zelfmoordpreventie", "tel:08000113"),
]


def test_the_header_carries_the_brand_mark(rebound):
    tab = rebound.tab()
    tab.goto("/")
    brand = tab.page.get_by_role("link", name="Rebound", exact=True)
    expect(brand).to_be_visible()
    mark = brand.locator("svg.brand-mark")
    expect(mark).to_have_attribute("aria-hidden", "true")
    box = mark.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box


def test_welcome_fills_the_phone_with_both_buttons_in_reach(rebound):
    for dark in (False, True):
        tab = rebound.tab(dark=dark)
        page = tab.page
        tab.goto("/")
        expect(page.locator(".welcome .points li")).to_have_count(3)
        welcome = page.locator("section.welcome").bounding_box()
        sign_in = page.get_by_role("button", name="Sign in").bounding_box()
        # no blank lower third: the screen's content reaches the bottom of the phone,
        # and both buttons are on it without scrolling
        assert welcome["y"] + welcome["height"] >= 844 * 0.9, welcome
        assert sign_in["y"] + sign_in["height"] <= 844, sign_in
        assert sign_in["y"] >= 844 * 0.6, sign_in  # low, where a thumb is


def test_the_primary_action_is_full_width_on_every_screen(rebound):
    tab = rebound.tab()
    page = tab.page
    tab.goto("/")
    seen = page.evaluate(PRIMARY_WIDTHS)
    rebound.sign_up(tab)
    for path in ["/today", "/rejections", "/applications", "/support", "/support/new", "/breaks",
                 "/applications/new", "/settings", "/log"]:
        tab.goto(path)
        page.wait_for_timeout(100)
        seen += page.evaluate(PRIMARY_WIDTHS)
    assert len(seen) >= 8, seen
    narrow = [s for s in seen if abs(s[1]) > 1 or s[2] < 0.5]
    assert not narrow, narrow


def test_a_radio_group_says_the_arrow_keys_move_it(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    group = page.get_by_role("group", name="Mood")
    hint = group.get_by_text("Use the arrow keys to move between the choices.")
    expect(group).to_have_accessible_description("Use the arrow keys to move between the choices.")
    expect(hint).to_be_hidden()  # not on screen for a tap or a mouse
    page.get_by_role("radio", name="Okay", exact=True).check()
    expect(hint).to_be_hidden()
    page.keyboard.press("ArrowRight")  # now the keyboard is in the group
    expect(page.get_by_role("radio", name="Good", exact=True)).to_be_checked()
    expect(hint).to_be_visible()
    # a checkbox group is a Tab stop per option and needs no such line
    page.get_by_role("button", name="Log a rejection").click()
    page.get_by_label("Company").fill("Initech")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("group", name="Which of these fit?")).not_to_have_accessible_description(
        re.compile("arrow keys"))


def test_help_names_every_line_with_a_call_link(rebound):
    tab = rebound.tab()
    page = tab.page
    tab.goto("/help")
    for name, href in HELPLINES:
        link = page.get_by_role("link", name=re.compile("^" + re.escape(name)))
        expect(link).to_have_attribute("href", href)
        expect(link.locator(".call-icon svg")).to_have_attribute("aria-hidden", "true")
    expect(page.get_by_text("Numbers checked on 3 December 2026 against each service’s own site.")).to_be_visible()
    expect(page.get_by_role("link", name="findahelpline.com")).to_have_attribute("href", "https://findahelpline.com")
