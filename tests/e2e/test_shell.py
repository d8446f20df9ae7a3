"""The installable shell: manifest and icons, the service worker's
precache list, and the rules the CSP and the SPEC set for the source."""
import importlib.util
import json
import re
import struct
import urllib.request
import zlib
from pathlib import Path

from playwright.sync_api import expect

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.headers, r.read()


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest_makes_the_app_installable(live_server):
    status, headers, body = fetch(live_server + "/manifest.webmanifest")
    assert status == 200
    manifest = json.loads(body)
    assert manifest["name"] and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    seen = set()
    for icon in manifest["icons"]:
        _, _, data = fetch(live_server + icon["src"])
        w, h = png_size(data)
        assert icon["sizes"] == f"{w}x{h}", icon
        seen.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= seen


def test_page_links_icons_and_one_module_script(live_server):
    _, _, body = fetch(live_server + "/")
    html = body.decode()
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/js/main.js">']
    for rel in ("manifest", "icon", "apple-touch-icon"):
        href = re.search(rf'<link rel="{rel}" href="([^"]+)"', html).group(1)
        assert fetch(live_server + href)[0] == 200
    w, h = png_size(fetch(live_server + "/icons/apple-touch-icon.png")[2])
    assert (w, h) == (180, 180)
    assert fetch(live_server + "/icons/badge-96.png")[0] == 200
    assert fetch(live_server + "/favicon.ico")[0] == 200


def test_service_worker_precaches_every_shell_file(live_server):
    source = fetch(live_server + "/sw.js")[2].decode()  # the list is filled in when served
    shell = set(re.findall(r"^\s+'(/[^']*)',$", source, re.M))
    files = {
        "/" + str(p.relative_to(FRONTEND))
        for p in FRONTEND.rglob("*")
        if p.is_file() and p.name not in ("sw.js", "index.html")
    }
    install_only = {"/icons/icon-512.png", "/icons/icon-maskable-512.png"}  # fetched online
    assert shell == (files - install_only) | {"/"}
    assert re.search(r"const VERSION = '[^']+';", source)


def test_source_has_no_inline_script_style_or_html_injection():
    for path in FRONTEND.rglob("*"):
        if path.suffix not in (".html", ".js", ".css"):
            continue
        text = path.read_text()
        for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "style=", ".style.", "eval(", "new Function"):
            assert banned not in text, f"{path.name} uses {banned}"
        if path.suffix == ".html":
            assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {path.name}"
            assert "<style" not in text
            assert not re.search(r"\son[a-z]+=", text), f"inline handler in {path.name}"
        if path.suffix == ".js":
            # An origin is a scheme and a host; the scheme alone ("starts with
            # http:// or https://") is wording. (The SVG namespace of charts.js
            # is a name, never fetched.)
            assert not re.search(r"https?://(?!findahelpline\.com|www\.w3\.org/2000/svg')[\w-]", text), \
                f"{path.name} names another origin"


def test_install_button_appears_from_beforeinstallprompt(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    page.get_by_role("link", name="You", exact=True).click()
    expect(page.get_by_role("button", name="Install Rebound")).to_have_count(0)
    page.evaluate("""() => {
      const e = new Event('beforeinstallprompt', { cancelable: true });
      e.prompt = async () => { window.__prompted = true; };
      e.userChoice = Promise.resolve({ outcome: 'accepted' });
      dispatchEvent(e);
    }""")
    page.get_by_role("button", name="Install Rebound").click()
    assert page.evaluate("window.__prompted") is True
    expect(page.get_by_role("button", name="Install Rebound")).to_have_count(0)


def test_ios_safari_gets_add_to_home_screen_instructions(rebound):
    iphone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
    tab = rebound.tab(user_agent=iphone)
    tab.goto("/")
    expect(tab.page.get_by_text("tap the Share button, then “Add to Home Screen”")).to_be_visible()


def _load_make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", FRONTEND.parent / "scripts" / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rgba_pixels(data):
    """Decodes a non-interlaced 8-bit RGBA PNG into rows of (r, g, b, a)."""
    w, h = png_size(data)
    assert data[24:29] == bytes([8, 6, 0, 0, 0]), "8-bit RGBA, not interlaced"
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw, stride, prev, rows = zlib.decompress(idat), w * 4, bytearray(w * 4), []
    for y in range(h):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b = prev[i]
            c = prev[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * 4:x * 4 + 4]) for x in range(w)])
        prev = line
    return rows


def test_committed_icons_are_what_the_script_makes():
    make = _load_make_icons()
    for name, (size, shape, scale, mono) in make.ICONS.items():
        made = make.png(size, make.draw(size, shape=shape, scale=scale, mono=mono))
        assert made == (FRONTEND / "icons" / name).read_bytes(), f"{name}: run scripts/make_icons.py"
    small = [(s, make.png(s, make.draw(s, shape="round", scale=1.1))) for s in (16, 32)]
    assert make.ico(small) == (FRONTEND / "favicon.ico").read_bytes()


def test_badge_is_monochrome_on_transparency():
    pixels = [p for row in rgba_pixels((FRONTEND / "icons" / "badge-96.png").read_bytes()) for p in row]
    assert {p[:3] for p in pixels if p[3]} == {(255, 255, 255)}
    assert any(p[3] == 0 for p in pixels) and any(p[3] == 255 for p in pixels)


def test_maskable_icon_is_full_bleed_with_the_mark_in_the_safe_zone():
    rows = rgba_pixels((FRONTEND / "icons" / "icon-maskable-512.png").read_bytes())
    background = rows[0][0]
    assert all(p[3] == 255 for row in rows for p in row), "no transparency: the platform masks it"
    # The safe zone is the centred circle of radius 40% of the size.
    for y, row in enumerate(rows):
        for x, p in enumerate(row):
            if p != background:
                assert (x + 0.5 - 256) ** 2 + (y + 0.5 - 256) ** 2 <= (0.4 * 512) ** 2, (x, y)
