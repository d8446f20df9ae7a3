"""Offline: the service worker serves the shell, the local store keeps
working, and the outbox reaches the server after reconnecting."""
import re

from playwright.sync_api import expect


def test_offline_reload_and_log_then_sync_on_reconnect(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Online Co")
    tab.wait_synced()
    tab.wait_for_service_worker()

    tab.context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker  # the shell came from the worker's cache, not the network
    assert page.evaluate("(async () => { try { await fetch('/api/health'); return 'answered'; } "
                         "catch { return 'failed'; } })()") == "failed"  # /api/ is never served from a cache
    assert tab.errors == ["Failed to load resource: net::ERR_INTERNET_DISCONNECTED"]  # that probe's own
    tab.errors.clear()
    # /log?done=<id> is the page we were on: the cached shell routes it offline,
    # and the kind response comes back from the local store (issue 13).
    expect(page.get_by_role("heading", level=1, name="Thank you for writing it down")).to_be_visible()
    expect(page.locator("main .response")).to_contain_text("Online Co")
    page.get_by_role("link", name="Journal", exact=True).click()
    expect(page.get_by_role("list", name="Your rejections")).to_contain_text("Online Co")

    rebound.log_rejection(tab, "Offline Co", stage="Screening", mood="Okay")
    page.get_by_role("link", name="Journal", exact=True).click()
    expect(page.get_by_role("list", name="Your rejections")).to_contain_text("Offline Co")
    expect(page.locator("#sync-status")).to_have_text(re.compile(r"^Offline — 1 change waiting$"))
    rebound.open_rejection(tab, "Offline Co")  # made here, not synced: the server's defaults show already
    expect(page.get_by_role("radio", name="Not asked yet", exact=True)).to_be_checked()
    page.goto(tab.base_url + "/lessons")  # a deep link, offline
    expect(page.get_by_role("heading", level=1, name="Lessons")).to_be_visible()

    tab.context.set_offline(False)
    tab.wait_synced()
    companies = sorted(r["company"] for r in tab.api("/api/rejections"))
    assert companies == ["Offline Co", "Online Co"]
    [offline] = [r for r in tab.api("/api/rejections") if r["company"] == "Offline Co"]
    assert offline["stage"] == "screening" and offline["mood"] == 3
    assert not tab.errors  # offline, the app does not even try the network


def test_sign_out_warns_while_changes_wait_and_then_wipes(rebound):
    tab = rebound.tab()
    page = tab.page
    email = rebound.sign_up(tab)
    tab.wait_for_service_worker()
    tab.context.set_offline(True)
    rebound.log_rejection(tab, "Unsynced Co")
    page.get_by_role("link", name="You", exact=True).click()
    page.get_by_role("button", name="Sign out").click()
    dialog = page.get_by_role("dialog", name="Some changes haven’t synced yet")
    expect(dialog).to_contain_text("1 change hasn’t reached the server yet. If you sign out now, it will be lost.")
    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_have_count(0)

    tab.context.set_offline(False)
    tab.wait_synced()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()
    left = page.evaluate("""async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open('rebound'); r.onsuccess = () => ok(r.result); });
      const count = (name) => new Promise((ok) => { const r = db.transaction(name).objectStore(name).count(); r.onsuccess = () => ok(r.result); });
      return [await count('records'), await count('outbox'), await count('meta')];
    }""")
    assert left == [0, 0, 0]
    # The session really ended on the server.
    assert page.request.get(tab.base_url + "/api/me").status == 401

    rebound.sign_in(tab, email)
    page.get_by_role("link", name="Journal", exact=True).click()
    expect(page.get_by_role("list", name="Your rejections")).to_contain_text("Unsynced Co")
