"""Two tabs, one local store: when another tab upgrades the database, this
tab's connection closes (so the upgrade can go on) and opens again on its
next use, instead of failing every later transaction; a tab whose open is
blocked by an old connection says so and goes on once it is let go."""
import re

from playwright.sync_api import expect

# What a newer version of the app does in its tab: a step 3.
UPGRADE_TO_3 = """() => new Promise((ok, fail) => {
  const r = indexedDB.open('rebound', 3);
  r.onupgradeneeded = () => r.result.createObjectStore('from-version-3');
  r.onsuccess = () => { r.result.close(); ok(r.result.version); };
  r.onerror = () => fail(r.error);
  r.onblocked = () => fail(new Error('blocked: a tab did not close its connection'));
})"""

# Code too old to close on `versionchange`, holding version 1 open.
HOLD_VERSION_1 = """() => new Promise((ok, fail) => {
  const r = indexedDB.open('rebound', 1);
  r.onupgradeneeded = () => {
    const d = r.result;
    d.createObjectStore('records', { keyPath: 'key' }).createIndex('entity', 'entity');
    d.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    d.createObjectStore('meta');
  };
  r.onsuccess = () => { window.__old = r.result; ok(); };
  r.onerror = () => fail(r.error);
})"""


def test_a_tab_keeps_working_after_another_tab_upgrades_the_store(rebound):
    first = rebound.tab()
    page = first.page
    rebound.sign_up(first)
    rebound.log_rejection(first, "Before Upgrade Co")
    first.wait_synced()

    second = first.context.new_page()  # the same browser context: one IndexedDB
    second.goto(first.base_url + "/rejections")
    expect(second.get_by_role("list", name="Your rejections")).to_contain_text("Before Upgrade Co")
    assert second.evaluate(UPGRADE_TO_3) == 3  # both apps let go at once, or this is blocked

    # The first tab writes, reads and syncs on a connection it opens again.
    page.get_by_role("link", name="Today", exact=True).click()
    rebound.log_rejection(first, "After Upgrade Co")
    page.get_by_role("link", name="Journal", exact=True).click()
    listed = page.get_by_role("list", name="Your rejections")
    expect(listed).to_contain_text("After Upgrade Co")
    expect(listed).to_contain_text("Before Upgrade Co")
    first.wait_synced()
    assert sorted(r["company"] for r in first.api("/api/rejections")) == ["After Upgrade Co", "Before Upgrade Co"]

    # So does the second, and it sees the first tab's change.
    second.get_by_role("link", name="Journal", exact=True).click()
    expect(second.get_by_role("list", name="Your rejections")).to_contain_text("After Upgrade Co")
    assert not first.errors


def test_a_blocked_open_says_so_and_goes_on_when_let_go(rebound):
    old = rebound.tab(service_workers="block")  # so a non-app URL is not answered with the shell
    old.page.goto(old.base_url + "/manifest.webmanifest")  # same origin, no app running
    old.page.evaluate(HOLD_VERSION_1)

    app = old.context.new_page()
    app.goto(old.base_url + "/")
    expect(app.locator("#toast")).to_have_text(re.compile("open in another tab"))
    expect(app.get_by_role("button", name="Sign up")).to_have_count(0)  # still waiting for the store

    old.page.evaluate("() => window.__old.close()")
    expect(app.get_by_role("button", name="Sign up")).to_be_visible()
