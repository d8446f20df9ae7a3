"""First-load benchmark (not a test): the bytes a phone really receives.

Runs the app (a fresh SQLite database) and headless Chromium, and counts what
came over the wire for every response: the encoded (compressed) body plus the
response headers, as the browser reports them (`Request.sizes()`), requests of
the service worker included.

1. First load of `/` with service workers blocked: the welcome page alone.
2. First visit of `/` with the service worker: the page, then the worker's
   install precaching what a signed-out start needs; files the page already
   loaded come from the HTTP cache, checked against their hash, not again over
   the wire (SPEC §7; issue 13).
3. A second visit with the worker installed: what a returning person pays.
4. Signing up on that visit: the signed-in screens join the same cache (and
   the API calls of a first sign-up), not part of a first visit's goal.

Goals (issue 13): first load <= 25 KB, first visit with the install <= 60 KB.

    .venv/bin/python bench/first_load_bench.py
"""
import os
import re
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM_ARGS, _serve  # noqa: E402
from tests.e2e.pages import SHELL_CACHED  # noqa: E402

FIRST_LOAD_GOAL = 25 * 1024
FIRST_VISIT_GOAL = 60 * 1024


ACCEPT = "gzip, deflate, br, zstd"  # what Chromium asks for


def wire_bytes(requests, base):
    """(bodies, headers, responses) that came over the network from `base`: answers
    the service worker gave from its cache are not counted, nor the HTTP cache's
    (Chromium reports those with nothing received: body + headers = 0). The
    worker's own script is counted as fetched (its sizes are not reported)."""
    bodies = headers = count = 0
    for request in requests:
        response = request.response()
        if not request.url.startswith(base) or response is None or response.from_service_worker:
            continue
        sizes = request.sizes()
        if request.url == base + "/sw.js":
            body, head = _encoded_size(base + "/sw.js")
        else:
            body, head = sizes["responseBodySize"], sizes["responseHeadersSize"]
        if body + head <= 0:
            continue  # from the HTTP cache
        bodies += max(body, 0)
        headers += max(head, 0)
        count += 1
    return bodies, headers, count


def _encoded_size(url):
    """(body, headers) of `url` as served to a browser: compressed body, header bytes."""
    ask = urllib.request.Request(url, headers={"Accept-Encoding": ACCEPT})
    with urllib.request.urlopen(ask) as r:
        body = len(r.read())
        status = f"HTTP/1.1 {r.status} {r.reason}\r\n"
        head = len(status) + len(str(r.headers).replace("\n", "\r\n"))
    return body, head


def shell_bytes(base, context):
    """(the signed-out start, the rest) of the shell, compressed bodies as served."""
    sw = context.request.get(base + "/sw.js").text()
    urls = re.findall(r"^\s+'(/[^']*)',$", sw, re.M)
    later = set(re.findall(r"'(/[^']*)'", re.search(r"const LATER = \[(.*)\];", sw).group(1)))
    sizes = {url: _encoded_size(base + url)[0] for url in urls}
    return (sum(size for url, size in sizes.items() if url not in later),
            sum(size for url, size in sizes.items() if url in later), len(later))


def visit(browser, base, service_workers, state=None):
    context = browser.new_context(service_workers=service_workers, storage_state=state)
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    if service_workers == "allow":
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("navigator.serviceWorker.controller !== null")  # clients.claim()
        page.wait_for_load_state("networkidle")
    return context, page, finished


def sign_up(page, base):
    page.get_by_role("button", name="Sign up").click()
    page.get_by_label("Email").fill(f"bench-{os.getpid()}@example.com")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(base + "/today")
    page.get_by_role("button", name="Log a rejection").wait_for()
    page.wait_for_function(SHELL_CACHED, polling=100)
    page.wait_for_load_state("networkidle")


def line(label, figures, goal=None, extra=""):
    bodies, headers, count = figures
    total = bodies + headers
    text = (f"{label}: {total / 1024:.1f} KB over the wire ({bodies / 1024:.1f} KB bodies + "
            f"{headers / 1024:.1f} KB headers, {count} responses)")
    if goal:
        text += f"; {total / goal:.2f} of the {goal // 1024} KB goal"
    print(text + extra)


def main():
    with tempfile.TemporaryDirectory() as tmp, _serve(Path(tmp)) as base, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        context, _page, finished = visit(browser, base, "block")
        line("first load of / (no service worker)", wire_bytes(finished, base), FIRST_LOAD_GOAL)
        context.close()

        context, page, finished = visit(browser, base, "allow")
        figures = wire_bytes(finished, base)
        start, rest, later = shell_bytes(base, context)
        line("first visit of / with the worker's install", figures, FIRST_VISIT_GOAL,
             f"; the signed-out start is {start / 1024:.1f} KB compressed (+ sw.js), so bodies / "
             f"(start + sw.js) = {figures[0] / (start + _encoded_size(base + '/sw.js')[0]):.2f} "
             "(1.00: nothing came twice)")
        finished.clear()
        page.reload()
        page.wait_for_load_state("networkidle")
        line("second visit (worker installed)", wire_bytes(finished, base))
        finished.clear()
        sign_up(page, base)
        line("then signing up (API calls, and the signed-in screens join the cache)",
             wire_bytes(finished, base),
             extra=f"; the {later} signed-in modules are {rest / 1024:.1f} KB compressed")
        context.close()
        browser.close()


if __name__ == "__main__":
    main()
