"""The phone side of push (SPEC §6, issue 10): the notifications card turns
push on and registers the subscription with the API, the service worker
shows what the server sends (delivered through the DevTools protocol, as a
push service would), drops a nudge id it already showed, and a tap opens the
nudge's screen and marks it read on the server through the outbox.

Headless Chromium has no push service, so `PushManager.subscribe` and
`getSubscription` are stubbed in the page (STUB_PUSH): the subscription
points at a fake push service in this process (tests/push/fake_push_service.py)
with keys made here, so the server really encrypts and sends to it, and the
test hands what arrived to the browser."""
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backend.push.sender import payload
from tests.push.fake_push_service import FakePushService

from .accounts import api_json, call
from .inspector import Inspector
from .pages import Rebound

ROOT = Path(__file__).resolve().parents[2]
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_4 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/18.4 Mobile/15E148 Safari/604.1")

# A stand-in for the browser's push service client: subscribe() and
# getSubscription() keep the subscription in localStorage (so it survives a
# reload, as a real one does), with the endpoint and keys the test gives.
STUB_PUSH = """(config) => {
  const STORE = 'push-stub';
  const fromB64 = (t) => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/')
    + '='.repeat((4 - (t.length % 4)) % 4)), (c) => c.charCodeAt(0));
  const toB64 = (b) => btoa(String.fromCharCode(...new Uint8Array(b)))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const make = ({ endpoint, key }) => ({
    endpoint, expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: fromB64(key).buffer },
    getKey: (name) => fromB64(config[name]).buffer,
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: config.p256dh, auth: config.auth } }),
    unsubscribe: async () => { localStorage.removeItem(STORE); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    localStorage.setItem('push-stub-calls', String(Number(localStorage.getItem('push-stub-calls') ?? 0) + 1));
    if (!options?.userVisibleOnly || !options.applicationServerKey) throw new DOMException('bad options', 'NotAllowedError');
    const saved = { endpoint: config.endpoint, key: toB64(options.applicationServerKey) };
    localStorage.setItem(STORE, JSON.stringify(saved));
    return make(saved);
  };
  PushManager.prototype.getSubscription = async function () {
    const saved = JSON.parse(localStorage.getItem(STORE) ?? 'null');
    return saved ? make(saved) : null;
  };
}"""

NOTIFICATIONS = """async (tag) => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications(tag ? { tag } : {})).map((n) => ({
    title: n.title, body: n.body, tag: n.tag, data: n.data, icon: n.icon, badge: n.badge,
    actions: (n.actions ?? []).map((a) => a.title),
  }));
}"""

# A tap on the notification with `tag`, as the browser dispatches it (a
# synthetic event: the real one needs a person; waitUntil is collected here,
# since an untrusted event's own waitUntil refuses).
TAP = """async ([tag, action]) => {
  const [notification] = await self.registration.getNotifications({ tag });
  if (!notification) throw new Error(`no notification tagged ${tag}`);
  const waits = [];
  const event = new Event('notificationclick');
  Object.defineProperties(event, { notification: { value: notification }, action: { value: action } });
  event.waitUntil = (promise) => waits.push(promise);
  self.dispatchEvent(event);
  await Promise.all(waits);
  return waits.length;
}"""


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture
def app(browser, push_server):
    url, _db = push_server
    rebound = Rebound(browser, url)
    yield rebound
    rebound.close()


def rows(push_server):
    """The server's push subscriptions, straight from its database."""
    with sqlite3.connect(push_server[1]) as db:
        return db.execute("SELECT endpoint, p256dh, auth, device_label, user_id "
                          "FROM push_subscriptions ORDER BY endpoint").fetchall()


def stubbed_tab(app, device, permission=True, endpoint=None, **kwargs):
    tab = app.tab(**kwargs)
    sub = device.subscription()
    config = {"endpoint": endpoint or sub["endpoint"], **sub["keys"]}
    tab.context.add_init_script(script=f"({STUB_PUSH})({json.dumps(config)})")
    if permission:
        tab.context.grant_permissions(["notifications"], origin=app.base_url)
    return tab


def open_card(tab):
    tab.goto("/settings")
    card = tab.page.get_by_role("region", name="Notifications on this device")
    card.scroll_into_view_if_needed()
    return card


class Pusher:
    """Delivers push messages to the page's service worker through the
    DevTools protocol, as the browser's push service would."""

    def __init__(self, tab):
        self.tab = tab
        self.registrations = []
        self.cdp = tab.context.new_cdp_session(tab.page)
        self.cdp.on("ServiceWorker.workerRegistrationUpdated",
                    lambda e: self.registrations.extend(e["registrations"]))
        self.cdp.send("ServiceWorker.enable")
        deadline = time.monotonic() + 10
        while not self._id() and time.monotonic() < deadline:
            tab.page.wait_for_timeout(50)
        assert self._id(), self.registrations

    def _id(self):
        mine = [r for r in self.registrations
                if r["scopeURL"].startswith(self.tab.base_url) and not r.get("isDeleted")]
        return mine[-1]["registrationId"] if mine else None

    def push(self, data):
        self.cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": self.tab.base_url, "registrationId": self._id(),
            "data": data if isinstance(data, str) else data.decode()})

    def worker(self):
        [worker] = [w for w in self.tab.context.service_workers if w.url.startswith(self.tab.base_url)]
        return worker


def notifications(tab, tag=None):
    return tab.page.evaluate(NOTIFICATIONS, tag)


def eventually(tab, script, arg=None, timeout=10):
    """Polls a script that may be async (wait_for_function takes a promise as truthy)."""
    deadline = time.monotonic() + timeout
    while not tab.page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"never true: {script}"
        tab.page.wait_for_timeout(100)


def wait_for_notification(tab, tag, count=1, timeout=10):
    deadline = time.monotonic() + timeout
    while len(shown := notifications(tab, tag)) < count:
        assert time.monotonic() < deadline, f"no notification tagged {tag}: {notifications(tab)}"
        tab.page.wait_for_timeout(100)
    return shown


def turn_on(tab):
    card = open_card(tab)
    tab.wait_for_service_worker()
    card.get_by_role("button", name="Turn on notifications").click()
    expect(card.get_by_text("Notifications are on for this device.")).to_be_visible()
    return card


def nudge_payload(nudge, base_url):
    return payload(nudge["title"], nudge["body"], nudge["url"], nudge["kind"], nudge["id"],
                   base_url=base_url)


def planned_nudges(tab):
    """Nudges the server planned for the signed-in user, by kind."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = {n["kind"]: n for n in api_json(tab, "GET", "/api/nudges")}
        if found:
            return found
        tab.page.wait_for_timeout(200)
    raise AssertionError("the server planned no nudge")


# ---- the card ---------------------------------------------------------------

def test_turning_on_registers_the_subscription_and_survives_a_reload(app, push_server, push_service, axe_source):
    phone = push_service.device("phone")
    tab = stubbed_tab(app, phone)
    look = Inspector(tab, axe_source, "light")
    app.sign_up(tab)
    card = open_card(tab)
    expect(card.get_by_text(re.compile(r"At most 2 a day and 6 a week, never between 9:00\sPM and 8:00\sAM"))).to_be_visible()
    look.check("push-card-off", sections=["#device-notifications"])
    tab.wait_for_service_worker()
    card.get_by_role("button", name="Turn on notifications").click()
    expect(card.get_by_role("status")).to_have_text("Notifications are on. Try a test one to see how they look.")
    me = api_json(tab, "GET", "/api/me")
    [(endpoint, p256dh, auth, label, user_id)] = [r for r in rows(push_server) if r[0] == phone.endpoint]
    keys = phone.subscription()["keys"]
    assert (p256dh, auth) == (keys["p256dh"], keys["auth"])
    assert label == "Chrome on Linux" and user_id.replace("-", "") == me["id"].replace("-", "")
    look.check("push-card-on", sections=["#device-notifications"])

    tab.page.reload()
    card = open_card(tab)
    expect(card.get_by_text("Notifications are on for this device.")).to_be_visible()
    # The start upserts the browser's subscription again: still one row, still this user's.
    assert [r[0] for r in rows(push_server) if r[0] == phone.endpoint] == [phone.endpoint]
    assert tab.page.evaluate("localStorage.getItem('push-stub-calls')") == "1"

    card.get_by_role("button", name="Turn off").click()
    expect(card.get_by_role("status")).to_have_text(re.compile("Notifications are off for this device"))
    assert [r for r in rows(push_server) if r[0] == phone.endpoint] == []
    expect(card.get_by_role("button", name="Turn on notifications")).to_be_visible()
    assert not look.problems, "\n".join(look.problems)


def test_the_test_notification_comes_from_the_server_and_shows(app, push_server, push_service):
    phone = push_service.device("phone")
    tab = stubbed_tab(app, phone)
    app.sign_up(tab)
    card = turn_on(tab)
    pusher = Pusher(tab)
    card.get_by_role("button", name="Send a test notification").click()
    expect(card.get_by_role("status")).to_have_text("Sent. It should arrive in a moment.")
    [message] = phone.received()  # decrypted by the fake push service, as the browser would
    assert message["web_push"] == 8030 and message["notification"]["navigate"] == app.base_url + "/today"
    pusher.push(json.dumps(message))
    [shown] = wait_for_notification(tab, "test")
    assert shown["title"] == "Notifications are on"
    assert shown["body"] == "This is how Rebound will remind you, gently and not too often."
    assert shown["icon"].endswith("/icons/icon-192.png") and shown["badge"].endswith("/icons/badge-96.png")
    assert shown["data"] == {"kind": "test", "nudge_id": None, "url": "/today"}


def test_a_new_server_key_replaces_the_old_subscription_on_start(app, push_server, push_service):
    phone, old = push_service.device("phone"), push_service.device("old")
    tab = stubbed_tab(app, phone)
    app.sign_up(tab)
    call(tab, "POST", "/api/push/subscriptions", old.subscription(), expect_status=201)
    # This browser holds the old subscription, made with a key the server no longer has.
    stale = {"endpoint": old.endpoint, "key": "BAAA" + "A" * 83}
    tab.page.evaluate("(s) => localStorage.setItem('push-stub', JSON.stringify(s))", stale)
    tab.page.reload()
    tab.page.wait_for_function("() => localStorage.getItem('push-stub-calls') === '1'", timeout=10_000)
    server_key = api_json(tab, "GET", "/api/push/public-key")["public_key"]
    tab.page.wait_for_function(
        "(key) => JSON.parse(localStorage.getItem('push-stub') ?? '{}').key === key", arg=server_key)
    deadline = time.monotonic() + 10
    while [r[0] for r in rows(push_server) if r[0] in (phone.endpoint, old.endpoint)] != [phone.endpoint]:
        assert time.monotonic() < deadline, rows(push_server)
        tab.page.wait_for_timeout(100)


def test_a_subscription_the_server_refuses_is_undone(app, push_server, push_service):
    # Not a web address: the server never sends there (SPEC §6), so it answers 422.
    tab = stubbed_tab(app, push_service.device("phone"), endpoint="ftp://push.example/phone")
    app.sign_up(tab)
    card = open_card(tab)
    tab.wait_for_service_worker()
    card.get_by_role("button", name="Turn on notifications").click()
    expect(card.get_by_role("status")).to_have_text(re.compile("^This browser’s push service isn’t one Rebound can send to"))
    tab.errors.clear()  # the 422, logged by Chromium
    expect(card.get_by_role("button", name="Turn on notifications")).to_be_visible()
    assert tab.page.evaluate("localStorage.getItem('push-stub')") is None
    assert [r for r in rows(push_server) if r[0].startswith("ftp:")] == []


@pytest.mark.parametrize("state", ["ios", "blocked", "unsupported"])
def test_the_card_says_what_this_browser_can_do(app, push_service, axe_source, state):
    dark = state == "blocked"
    if state == "ios":
        tab = app.tab(user_agent=IPHONE)
    else:
        tab = stubbed_tab(app, push_service.device(state), permission=False, dark=dark)
        tab.context.add_init_script(script="Object.defineProperty(Notification, 'permission', { get: () => 'denied' })"
                                    if state == "blocked" else "delete window.PushManager")
    look = Inspector(tab, axe_source, "dark" if dark else "light")
    app.sign_up(tab)
    card = open_card(tab)
    if state == "ios":
        expect(card.get_by_text(re.compile("^Add Rebound to your Home Screen first"))).to_be_visible()
        expect(card.get_by_role("listitem")).to_have_count(3)
        expect(card.get_by_text("Choose “Add to Home Screen”, then “Add”.")).to_be_visible()
    elif state == "blocked":
        expect(card.get_by_text(re.compile("^Notifications are blocked for Rebound"))).to_be_visible()
        expect(card.get_by_text(re.compile("open Settings, then Notifications, then Rebound"))).to_be_visible()
        expect(card.get_by_role("button", name="Check again")).to_be_visible()
    else:
        expect(card.get_by_text(re.compile("^This browser can’t show notifications"))).to_be_visible()
    expect(card.get_by_role("button", name="Turn on notifications")).to_have_count(0)
    look.check(f"push-card-{state}", sections=["#device-notifications"])
    assert not look.problems, "\n".join(look.problems)


def test_the_card_is_offered_once_after_the_first_rejection(app, push_service, axe_source):
    tab = stubbed_tab(app, push_service.device("phone"), dark=True)
    look = Inspector(tab, axe_source, "dark")
    app.sign_up(tab)
    app.log_rejection(tab, "Acme", mood="Low")
    offer = tab.page.get_by_role("region", name="A gentle nudge now and then?")
    expect(offer.get_by_role("button", name="Turn on notifications")).to_be_visible()
    expect(offer.get_by_text(re.compile("At most 2 a day and 6 a week"))).to_be_visible()
    look.check("push-offer", sections=["#offer-notifications"])
    offer.get_by_role("button", name="Not now").click()
    expect(offer).to_have_count(0)
    tab.goto("/today")
    app.log_rejection(tab, "Globex")
    tab.page.wait_for_timeout(300)
    expect(tab.page.get_by_role("region", name="A gentle nudge now and then?")).to_have_count(0)
    assert not look.problems, "\n".join(look.problems)


# ---- the service worker -----------------------------------------------------

def signed_up_with_nudges(app, push_service, mood="Low"):
    tab = stubbed_tab(app, push_service.device("phone"))
    app.sign_up(tab)
    app.log_rejection(tab, "Acme", stage="Interview", mood=mood)
    tab.wait_synced()
    return tab, planned_nudges(tab)


def test_a_pushed_nudge_shows_once_with_its_title_and_tag(app, push_service):
    tab, nudges = signed_up_with_nudges(app, push_service)
    tab.wait_for_service_worker()
    pusher = Pusher(tab)
    reflect, brk = nudges["reflect"], nudges["break"]
    pusher.push(nudge_payload(reflect, app.base_url))
    [shown] = wait_for_notification(tab, "reflect")
    assert shown["title"] == reflect["title"] and shown["body"] == reflect["body"]
    assert shown["data"] == {"kind": "reflect", "nudge_id": reflect["id"], "url": reflect["url"]}
    assert shown["actions"] == ["Open", "Not now"]
    # The person closes it; the push service delivers the same nudge again (at-least-once).
    pusher.worker().evaluate("async () => (await self.registration.getNotifications()).forEach((n) => n.close())")
    pusher.push(nudge_payload(reflect, app.base_url))
    pusher.push(nudge_payload(brk, app.base_url))  # a later nudge: once it shows, the repeat was handled
    [shown_break] = wait_for_notification(tab, "break")
    assert shown_break["actions"] == ["Start a break", "Not now"]
    assert notifications(tab, "reflect") == []
    assert [n["tag"] for n in notifications(tab)] == ["break"]


def test_a_tap_opens_the_nudge_screen_and_marks_it_read_on_the_server(app, push_service):
    tab, nudges = signed_up_with_nudges(app, push_service)
    tab.wait_for_service_worker()
    pusher = Pusher(tab)
    feedback = nudges["feedback"]
    assert feedback["read_at"] is None and feedback["url"].startswith("/rejections/")
    pusher.push(nudge_payload(feedback, app.base_url))
    wait_for_notification(tab, "feedback")
    assert pusher.worker().evaluate(TAP, ["feedback", ""]) == 1
    expect(tab.page).to_have_url(app.base_url + feedback["url"])
    assert notifications(tab, "feedback") == []  # the tap closed it
    tab.wait_synced()
    assert api_json(tab, "GET", f"/api/nudges/{feedback['id']}")["read_at"] is not None


def test_a_tap_with_no_window_open_opens_one_and_start_a_break_starts_it(app, push_service):
    tab, nudges = signed_up_with_nudges(app, push_service)
    tab.wait_for_service_worker()
    pusher = Pusher(tab)
    brk = nudges["break"]
    pusher.push(nudge_payload(brk, app.base_url))
    wait_for_notification(tab, "break")
    worker = pusher.worker()
    # As if every window were closed: the worker must open one on the nudge's screen.
    worker.evaluate("""() => {
      self.__opened = [];
      self.clients.matchAll = async () => [];
      self.clients.openWindow = async (url) => { self.__opened.push(url); return null; };
    }""")
    worker.evaluate(TAP, ["break", "start-break"])
    assert worker.evaluate("self.__opened") == [brk["url"]]
    # The window it opens is the app starting: it applies the tap through the outbox.
    tab.page.reload()
    eventually(tab, "async () => !(await (await caches.open('rebound-push')).keys())"
                    ".some((r) => r.url.includes('/push-state/tap/'))")
    tab.wait_synced()
    assert api_json(tab, "GET", f"/api/nudges/{brk['id']}")["read_at"] is not None
    [started] = api_json(tab, "GET", "/api/breaks")
    assert started["ended_at"] is None


def test_not_now_only_closes_the_notification(app, push_service):
    tab, nudges = signed_up_with_nudges(app, push_service)
    tab.wait_for_service_worker()
    pusher = Pusher(tab)
    brk = nudges["break"]
    pusher.push(nudge_payload(brk, app.base_url))
    wait_for_notification(tab, "break")
    pusher.worker().evaluate(TAP, ["break", "not-now"])
    assert notifications(tab, "break") == []
    expect(tab.page).to_have_url(re.compile(r"/log\?done=[0-9a-f-]{36}$"))
    tab.wait_synced()
    assert api_json(tab, "GET", f"/api/nudges/{brk['id']}")["read_at"] is None
    assert api_json(tab, "GET", "/api/breaks") == []


def test_a_tap_made_offline_reaches_the_server_after_reconnecting(app, push_service):
    tab, nudges = signed_up_with_nudges(app, push_service)
    tab.wait_for_service_worker()
    pusher = Pusher(tab)
    reflect = nudges["reflect"]
    pusher.push(nudge_payload(reflect, app.base_url))
    wait_for_notification(tab, "reflect")
    tab.context.set_offline(True)
    pusher.worker().evaluate(TAP, ["reflect", ""])
    expect(tab.page).to_have_url(app.base_url + reflect["url"])
    expect(tab.page.locator("#sync-status")).to_have_text(re.compile("Offline — 1 change waiting"))
    tab.context.set_offline(False)
    tab.wait_synced()
    assert api_json(tab, "GET", f"/api/nudges/{reflect['id']}")["read_at"] is not None


def test_pushsubscriptionchange_registers_the_new_subscription(app, push_server, push_service):
    phone, renewed = push_service.device("phone"), push_service.device("renewed")
    tab = stubbed_tab(app, phone)
    app.sign_up(tab)
    turn_on(tab)
    worker = Pusher(tab).worker()
    waits = worker.evaluate("""async ([old, fresh]) => {
      const waits = [];
      const event = new Event('pushsubscriptionchange');
      const subscription = (s) => ({ endpoint: s.endpoint, toJSON: () => s });
      Object.defineProperties(event, {
        oldSubscription: { value: subscription({ endpoint: old }) },
        newSubscription: { value: subscription(fresh) },
      });
      event.waitUntil = (promise) => waits.push(promise);
      self.dispatchEvent(event);
      await Promise.all(waits);
      return waits.length;
    }""", [phone.endpoint, renewed.subscription()])
    assert waits == 1
    mine = [r for r in rows(push_server) if r[0] in (phone.endpoint, renewed.endpoint)]
    assert [(r[0], r[1], r[2]) for r in mine] == [
        (renewed.endpoint, renewed.subscription()["keys"]["p256dh"], renewed.subscription()["keys"]["auth"])]


def test_a_nudge_planned_by_a_real_rejection_is_sent_by_the_worker_and_shows(app, push_server, push_service):
    url, database = push_server
    phone = push_service.device("phone")
    tab = stubbed_tab(app, phone)
    app.sign_up(tab)
    turn_on(tab)
    tab.goto("/today")
    app.log_rejection(tab, "Acme", stage="Interview", mood="Low")
    tab.wait_synced()
    support = planned_nudges(tab)["support"]
    assert support["status"] == "scheduled"
    # Its moment comes (the planner put it at noon tomorrow): the worker sends what is due.
    due = (datetime.now(timezone.utc) - timedelta(minutes=1)).replace(tzinfo=None)
    with sqlite3.connect(database) as db:
        changed = db.execute("UPDATE nudges SET due_at = ? WHERE replace(id, '-', '') = ?",
                             (due.isoformat(sep=" "), support["id"].replace("-", ""))).rowcount
    assert changed == 1
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "REBOUND_ENV": "development",
           "SECRET_KEY": "e2e-tests-only-not-a-secret", "PUSH_ALLOW_HTTP": "1", "PUBLIC_URL": url}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "backend", "nudges", "run-once",
                           "--no-sweep"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    [message] = phone.received()
    assert message["notification"]["data"] == {"kind": "support", "nudge_id": support["id"],
                                               "url": support["url"]}
    assert message["notification"]["navigate"] == url + support["url"]
    Pusher(tab).push(json.dumps(message))
    [shown] = wait_for_notification(tab, "support")
    assert (shown["title"], shown["body"]) == (support["title"], support["body"])
    assert api_json(tab, "GET", f"/api/nudges/{support['id']}")["status"] == "sent"
