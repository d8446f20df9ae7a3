"""The sync client runs between startSync() and stopSync() only: loading the
app signed out starts nothing, signing in starts the triggers and the minute
timer, signing out stops them all. Timers run on Playwright's fake clock."""

from playwright.sync_api import expect

SYNC_EVENTS = {"online", "offline", "visibilitychange"}
NUDGE_EVERY_TRIGGER = """() => {
  dispatchEvent(new Event('online'));
  document.dispatchEvent(new Event('visibilitychange'));
}"""


def sync_listeners(cdp):
    """The sync triggers listened to on window and document right now."""
    found = set()
    for target in ("window", "document"):
        handle = cdp.send("Runtime.evaluate", {"expression": target})["result"]["objectId"]
        found |= {entry["type"] for entry in cdp.send("DOMDebugger.getEventListeners", {"objectId": handle})["listeners"]}
    return found & SYNC_EVENTS


def test_sync_runs_only_while_signed_in(rebound):
    tab = rebound.tab()
    page = tab.page
    page.clock.install()
    syncs = []
    page.on("request", lambda r: syncs.append(r.url) if r.url.endswith("/api/sync") else None)

    tab.goto("/")  # signed out: sync.js is loaded, and must do nothing
    cdp = tab.context.new_cdp_session(page)
    assert sync_listeners(cdp) == set()
    page.evaluate(NUDGE_EVERY_TRIGGER)
    page.clock.run_for(61_000)
    page.wait_for_timeout(300)
    assert syncs == []

    rebound.sign_up(tab)
    tab.wait_synced()
    assert syncs, "signing in syncs at once"
    assert sync_listeners(cdp) == SYNC_EVENTS
    syncs.clear()
    with page.expect_request("**/api/sync"):
        page.clock.run_for(61_000)  # the minute timer

    rebound.sign_out(tab)
    assert sync_listeners(cdp) == set()
    syncs.clear()
    page.evaluate(NUDGE_EVERY_TRIGGER)
    page.evaluate("() => import('/js/store.js').then((s) => s.events.dispatchEvent(new CustomEvent('write')))")
    page.clock.run_for(61_000)
    page.wait_for_timeout(300)
    assert syncs == []
    expect(page.locator("#sync-status")).to_have_text("")
    assert not tab.errors
