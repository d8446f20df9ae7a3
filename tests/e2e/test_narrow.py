"""Nothing on any screen is wider than a 320-px phone, even with long unbroken
names (a 60-character company) in every place a name shows (issue 13)."""
from playwright.sync_api import expect

LONG = "Supercalifragilisticexpialidociousandthensomemoreindustriess"  # 60 characters, no break
assert len(LONG) == 60

# The widest thing inside the viewport's width, as [selector-ish, right edge]:
# every visible element's box must end within the page's width.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.position === 'fixed' && el.id === 'toast') continue;
    if (el.closest('.vh, [hidden], dialog:not([open])')) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}: ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  for (const el of document.querySelectorAll('main *')) {
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth) {
      out.push(`spills: ${el.tagName.toLowerCase()}.${el.className} ${el.clientWidth} < ${el.scrollWidth}`);
    }
  }
  return { width, scroll: document.documentElement.scrollWidth, out: out.slice(0, 5) };
}"""

MAKE = """async ([entity, fields]) => {
  const res = await fetch(`/api/${entity}`, { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'rebound', Accept: 'application/json' },
    body: JSON.stringify(fields) });
  if (!res.ok) throw new Error(`${entity}: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}"""


def assert_fits(page, path):
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_timeout(150)  # late draws
    found = page.evaluate(WIDEST)
    assert found["scroll"] <= found["width"] and not found["out"], (path, found)


def test_every_screen_fits_320_px_with_long_names(rebound):
    tab = rebound.tab(viewport={"width": 320, "height": 640})
    page = tab.page
    for path in ["/", "/signup", "/signin", "/forgot-password", "/help", "/nowhere"]:
        tab.goto(path)
        assert_fits(page, path)

    rebound.sign_up(tab, name=LONG)
    application = page.evaluate(MAKE, ["applications", {"company": LONG, "role": LONG, "notes": LONG * 3,
                                                          "url": f"https://{LONG.lower()}.example/jobs/{LONG}"}])
    rejection = page.evaluate(MAKE, ["rejections", {"company": LONG, "role": LONG, "stage": "interview",
                                                      "feelings": LONG, "lessons": LONG * 2, "mood": 2,
                                                      "contact_email": f"{LONG.lower()}@example.com"}])
    contact = page.evaluate(MAKE, ["contacts", {"name": LONG, "channel": "email",
                                                  "handle": f"{LONG.lower()}@example.com", "notes": LONG}])
    page.evaluate(MAKE, ["outreach", {"contact_id": contact, "note": LONG}])
    page.evaluate(MAKE, ["checkins", {"mood": 3, "note": LONG}])
    page.reload()
    tab.wait_synced()

    for path in ["/today", "/log", "/rejections", f"/rejections/{rejection}", "/lessons", "/insights",
                 "/settings", "/breaks", "/support", "/support/new", f"/support/{contact}",
                 "/applications", "/applications/new", "/applications/import",
                 f"/applications/{application}", "/inbox", "/help"]:
        tab.goto(path)
        assert_fits(page, path)
        page.evaluate("document.querySelectorAll('main details').forEach((d) => { d.open = true; })")
        assert_fits(page, path + " (details open)")
    # The undo toast spans the width and stays inside it.
    tab.goto(f"/rejections/{rejection}")
    page.get_by_role("button", name="Delete this rejection").click()
    toast = page.locator("#toast")
    expect(toast).to_contain_text("Undo")
    box = toast.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["width"] >= 300, box
    assert not tab.errors
