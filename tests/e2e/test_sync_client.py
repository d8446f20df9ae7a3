"""The sync client's promises (SPEC §5): a write reaches the server within a
second; a failing server shows a calm "Could not sync, retrying" and the
change goes out by itself once the server answers again."""
import re

from playwright.sync_api import expect

WATCH_WRITES = """() => import('/js/store.js').then((store) => {
  window.__writes = 0;  // counted after sync.js has heard the same event and set its timer
  store.events.addEventListener('write', () => { window.__writes += 1; });
})"""


def test_a_write_is_sent_within_a_second(rebound):
    # Timers run on a paused fake clock, so "within a second" is checked in the
    # page's own time, not on a busy machine's wall clock.
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Quick Co")
    page.get_by_role("link", name="Reflect on it").click()
    tab.wait_synced()
    page.evaluate(WATCH_WRITES)
    page.clock.install()
    page.clock.pause_at(page.evaluate("Date.now()") + 1_000)
    syncs = []
    page.on("request", lambda request: syncs.append(request)
            if request.url.endswith("/api/sync") else None)
    page.get_by_label("What went well?").fill("Calm answers.")
    page.locator("main h1").click()  # leaving the field is the write
    page.wait_for_function("() => window.__writes >= 1")
    page.wait_for_timeout(300)  # real time passes, page time does not
    assert syncs == [], "a sync started before any page time passed"
    with page.expect_request("**/api/sync", timeout=5_000):
        page.clock.run_for(1_000)
    page.clock.resume()
    tab.wait_synced()
    [saved] = tab.api("/api/rejections")
    assert saved["went_well"] == "Calm answers."


def test_a_failing_server_shows_retrying_then_catches_up(rebound):
    tab = rebound.tab(service_workers="block")  # so page.route sees every request
    page = tab.page
    rebound.sign_up(tab)
    tab.wait_synced()
    page.route("**/api/sync", lambda route: route.fulfill(status=503, body=""))
    rebound.log_rejection(tab, "Flaky Co")
    status = page.locator("#sync-status")
    expect(status).to_have_text("Could not sync, retrying — 1 change waiting")
    page.unroute("**/api/sync")
    tab.wait_synced(timeout=20_000)  # the retry comes by itself, 5 s later
    assert [r["company"] for r in tab.api("/api/rejections")] == ["Flaky Co"]
    assert tab.errors and all(re.search(r"503", e) for e in tab.errors)  # only the refused requests
