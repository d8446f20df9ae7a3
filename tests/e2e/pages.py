"""What a person does in Rebound, as steps the browser tests share."""
import re
import uuid

from playwright.sync_api import expect

# Notes every CSP violation the page sees; read back by the quality tests.
CSP_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""

PASSWORD = "a long enough password"

OUTBOX_EMPTY = """async () => {
  const db = await new Promise((ok) => {
    const r = indexedDB.open('rebound');
    r.onupgradeneeded = () => r.transaction.abort();  // never create the app's database here
    r.onsuccess = () => ok(r.result);
    r.onerror = () => ok(null);
  });
  if (!db) return false;
  try {
    const count = await new Promise((ok) => {
      const r = db.transaction('outbox').objectStore('outbox').count();
      r.onsuccess = () => ok(r.result);
    });
    return count === 0;
  } finally {
    db.close();
  }
}"""


class Tab:
    """A page plus what it logged: console errors, page errors, off-origin requests."""

    def __init__(self, context, base_url):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.errors = []
        self.foreign = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)

    def _request(self, request):
        if not request.url.startswith(self.base_url) and not request.url.startswith("data:"):
            self.foreign.append(request.url)

    def goto(self, path):
        self.page.goto(self.base_url + path)
        expect(self.page.locator("main h1")).to_be_visible()

    def wait_synced(self, timeout=15_000):
        """Waits until the outbox is empty and the status says so."""
        self.page.wait_for_function(OUTBOX_EMPTY, timeout=timeout, polling=100)
        expect(self.page.locator("#sync-status")).to_have_text("All changes saved", timeout=timeout)

    def wait_for_service_worker(self):
        """Until the worker controls the page and, signed in, has cached every
        screen (it installs with the signed-out start; a session adds the rest)."""
        controlled = self.page.evaluate("""async () => {
          await navigator.serviceWorker.ready;
          if (!navigator.serviceWorker.controller) {
            await new Promise((r) => {
              navigator.serviceWorker.addEventListener('controllerchange', r, { once: true });
              setTimeout(r, 5000);
            });
          }
          return !!navigator.serviceWorker.controller;
        }""")
        if not controlled:
            # A document that began loading while the worker was still activating can
            # miss its clients.claim(); the next load of it is controlled.
            self.page.reload()
            self.page.wait_for_function("!!navigator.serviceWorker.controller", timeout=15_000)
        if self.page.locator("#tabs").is_hidden():
            return
        self.page.wait_for_function(SHELL_CACHED, polling=100, timeout=15_000)

    def api(self, path):
        response = self.page.request.get(self.base_url + path)
        assert response.ok, (path, response.status, response.text())
        return response.json()

    def csp_violations(self):
        return self.page.evaluate("window.__csp ?? []")


# Every file sw.js lists is in this version's cache.
SHELL_CACHED = """async () => {
  const sw = await (await fetch('/sw.js')).text();
  const shell = [...sw.matchAll(/^\\s+'(\\/[^']*)',$/gm)].map((m) => m[1]);
  const cache = await caches.open('rebound-shell-' + sw.match(/const VERSION = '([^']+)'/)[1]);
  const have = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
  return shell.every((url) => have.has(url));
}"""


class Rebound:
    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []

    def tab(self, dark=False, viewport=None, **kwargs):
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport or {"width": 390, "height": 844},
            color_scheme="dark" if dark else "light",
            **kwargs,
        )
        context.add_init_script(CSP_PROBE)
        self.contexts.append(context)
        return Tab(context, self.base_url)

    def close(self):
        for context in self.contexts:
            context.close()

    # --- steps -----------------------------------------------------------

    @staticmethod
    def new_email():
        return f"e2e-{uuid.uuid4().hex[:12]}@example.com"

    def sign_up(self, tab, email=None, name=None):
        email = email or self.new_email()
        page = tab.page
        tab.goto("/")
        page.get_by_role("button", name="Sign up").click()
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        if name:
            page.get_by_label("What should we call you? (optional)").fill(name)
        page.get_by_role("button", name="Sign up").click()
        expect(page).to_have_url(re.compile(r"/today$"))
        expect(page.get_by_role("button", name="Log a rejection")).to_be_visible()
        return email

    def sign_in(self, tab, email, password=PASSWORD):
        page = tab.page
        tab.goto("/")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/today$"))

    def sign_out(self, tab):
        page = tab.page
        page.get_by_role("link", name="You", exact=True).click()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Sign up")).to_be_visible()

    @staticmethod
    def reset_link(inbox, email):
        """The password reset link in the newest mail to `email`."""
        body = inbox.wait_for_mail_to(email).get_content()
        [link] = [word for word in body.split() if "/reset-password#token=" in word]
        return link

    def log_rejection(self, tab, company, role=None, stage=None, mood=None, emotions=(), feelings=None):
        page = tab.page
        page.get_by_role("button", name="Log a rejection").first.click()
        page.get_by_label("Company").fill(company)
        if role:
            page.get_by_label("Role (optional)").fill(role)
        if stage:
            page.get_by_role("radio", name=stage, exact=True).check()
        page.get_by_role("button", name="Next").click()
        if mood:
            page.get_by_role("radio", name=mood, exact=True).check()
        for emotion in emotions:
            page.get_by_role("checkbox", name=emotion, exact=True).check()
        page.get_by_role("button", name="Next").click()
        if feelings:
            page.get_by_label("How I feel").fill(feelings)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Thank you for writing it down")).to_be_visible()

    def open_rejection(self, tab, company):
        tab.page.get_by_role("link", name="Journal", exact=True).click()
        tab.page.get_by_role("link", name=re.compile(re.escape(company))).first.click()
        expect(tab.page.get_by_role("heading", level=1, name=company)).to_be_visible()
