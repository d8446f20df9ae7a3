"""The sync client's promises (SPEC §5): a write reaches the server within a
second; a failing server shows a calm "Could not sync, retrying" and the
change goes out by itself once the server answers again."""
import re

from playwright.sync_api import expect

FIRST_SYNC_AFTER = """(t0) => performance.getEntriesByType('resource')
  .filter((e) => new URL(e.name).pathname === '/api/sync' && e.startTime >= t0)
  .map((e) => e.startTime - t0 + 0.001)[0] ?? null"""  # + 1 µs: never a falsy 0


def test_a_write_is_sent_within_a_second(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Quick Co")
    page.get_by_role("link", name="Reflect on it").click()
    tab.wait_synced()
    page.get_by_label("What went well?").fill("Calm answers.")
    t0 = page.evaluate("performance.now()")
    page.locator("main h1").click()  # leaving the field is the write
    page.wait_for_function(FIRST_SYNC_AFTER, arg=t0, timeout=5_000)
    delay = page.evaluate(FIRST_SYNC_AFTER, t0)
    assert delay < 1_000, f"the first sync after the write started after {delay:.0f} ms"
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
