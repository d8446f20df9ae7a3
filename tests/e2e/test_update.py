"""A new version of the shell: the waiting worker shows "Update available —
Reload", the page moves to it only when asked, and `activate` removes this
app's older caches and nothing else.

Playwright cannot intercept a service worker's script, so these tests run a
server of their own on a copy of frontend/ and write a new sw.js into it, or
change a shell file and start that server again (its VERSION is a hash of
the shell, read when the server starts)."""
import re
import urllib.request

from playwright.sync_api import expect

CACHES = "async () => (await caches.keys()).sort()"
VERSION = re.compile(r"const VERSION = '([^']+)';")


def ship_new_version(copy, suffix):
    sw = copy / "sw.js"
    source = sw.read_text()
    old = VERSION.search(source).group(1)
    sw.write_text(VERSION.sub(f"const VERSION = '{old}{suffix}';", source, count=1))
    return f"rebound-shell-{old}{suffix}"


def test_welcome_page_registers_the_worker_with_scope_root(rebound, live_server):
    tab = rebound.tab()
    tab.goto("/")  # signed out
    tab.wait_for_service_worker()
    scope = tab.page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope")
    assert scope == live_server + "/"
    assert tab.page.evaluate(CACHES) and all(n.startswith("rebound-shell-") for n in tab.page.evaluate(CACHES))
    assert not tab.errors


def test_update_banner_reload_and_old_caches_removed(rebound, copied_frontend):
    url, copy = copied_frontend
    rebound.base_url = url
    tab = rebound.tab()
    page = tab.page
    tab.goto("/")
    tab.wait_for_service_worker()
    [first] = page.evaluate(CACHES)
    page.evaluate("""async () => {
      await caches.open('rebound-shell-from-long-ago');
      await caches.open('someone-else');
    }""")
    expect(page.locator("#banner")).to_be_hidden()

    # A new worker found while the page is open (the hourly check, here by hand).
    second = ship_new_version(copy, "-b")
    page.evaluate("async () => { await (await navigator.serviceWorker.getRegistration()).update(); }")
    banner = page.locator("#banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_text("Update available — Reload")
    # It waits: the page still runs the old version until asked.
    assert first in page.evaluate(CACHES)
    assert page.evaluate("navigator.serviceWorker.controller.state") == "activated"

    with page.expect_navigation():
        banner.get_by_role("button", name="Reload").click()
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()
    page.wait_for_function(
        "async (name) => (await caches.keys()).length === 2 && (await caches.keys()).includes(name)", arg=second)
    assert page.evaluate(CACHES) == sorted([second, "someone-else"])
    expect(banner).to_be_hidden()

    # A new worker already installing or waiting when the page starts.
    third = ship_new_version(copy, "-c")
    page.reload()
    expect(banner).to_have_text("Update available — Reload")
    assert page.evaluate(CACHES)[-1] == third or third in page.evaluate(CACHES)
    assert not tab.errors
    assert not tab.csp_violations()


def served_version(url):
    with urllib.request.urlopen(url + "/sw.js", timeout=5) as r:
        return VERSION.search(r.read().decode()).group(1)


def test_a_changed_shell_file_gives_a_new_worker_and_the_banner(rebound, restartable_frontend):
    # No hand bump: only app.css changes, and the server starts again.
    server = restartable_frontend
    rebound.base_url = server.url
    worker_source = (server.copy / "sw.js").read_bytes()
    tab = rebound.tab()
    page = tab.page
    tab.goto("/")
    tab.wait_for_service_worker()
    before = served_version(server.url)
    assert page.evaluate(CACHES) == [f"rebound-shell-{before}"]

    css = server.copy / "css" / "app.css"
    css.write_text(css.read_text() + "\n/* the next version */\n")
    server.restart()
    after = served_version(server.url)
    assert after != before
    assert (server.copy / "sw.js").read_bytes() == worker_source

    page.evaluate("async () => { await (await navigator.serviceWorker.getRegistration()).update(); }")
    banner = page.locator("#banner")
    expect(banner).to_have_text("Update available — Reload")
    with page.expect_navigation():
        banner.get_by_role("button", name="Reload").click()
    page.wait_for_function("async (name) => (await caches.keys()).join() === name", arg=f"rebound-shell-{after}")
    cached_css = page.evaluate("async () => (await (await caches.match('/css/app.css')).text())")
    assert cached_css.endswith("/* the next version */\n")
    expect(banner).to_be_hidden()
    assert not tab.errors
