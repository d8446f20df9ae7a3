"""Lighthouse benchmark (not a test): the scores issue 13 asks for, mobile preset.

Runs the app (a fresh SQLite database) and Lighthouse (npm, `bench/package.json`:
`cd bench && npm ci`) on Debian's Chromium, headless, and scores:

1. `/` signed out, as a first visit (Lighthouse resets the origin's storage).
2. `/today` signed in: a Chromium of our own with a throwaway profile, where a
   person signs up through the app (so the session cookie, the local store and
   the service worker are there, as on a phone that uses Rebound); Lighthouse
   attaches to it (`--port`) and keeps the storage (`--disable-storage-reset`).

Prints performance, accessibility and best practices (goals: 95, 100, 100),
whether "uses-text-compression" passes, and every audit that failed.

    .venv/bin/python bench/lighthouse_bench.py [--chrome /usr/bin/chromium]
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import _serve  # noqa: E402
from tests.e2e.pages import PASSWORD  # noqa: E402

LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100}


def lighthouse(url, chrome, port=None):
    """Lighthouse's JSON report of `url` (mobile, the default preset)."""
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               "--only-categories=performance,accessibility,best-practices"]
    if port:
        command += [f"--port={port}", "--disable-storage-reset"]
    else:
        command += ["--chrome-flags=" + " ".join(CHROME_FLAGS)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CHROME_PATH": chrome})
    if done.returncode:
        sys.exit(f"lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def report(label, result):
    scores = {key: round(result["categories"][key]["score"] * 100) for key in GOALS}
    # Lighthouse 13 folded "uses-text-compression" into the document latency insight
    compression = result["audits"].get("uses-text-compression") \
        or result["audits"]["document-latency-insight"]
    print(f"{label}: " + ", ".join(
        f"{key} {score} (goal {GOALS[key]}{'' if score >= GOALS[key] else ', MISSED'})"
        for key, score in scores.items())
        + f"; uses-text-compression {'passes' if compression['score'] == 1 else 'FAILS'}")
    for key in GOALS:
        for ref in result["categories"][key]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1 \
                    and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings"):
                value = audit.get("displayValue", "")
                print(f"    {key}: {ref['id']} {audit['score']:.2f} {value}".rstrip())
    return scores


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed_in_chrome(chrome, base, profile):
    """A Chromium on a debugging port where someone signed up and opened Today."""
    port = _free_port()
    proc = subprocess.Popen([chrome, *CHROME_FLAGS, f"--remote-debugging-port={port}",
                             f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        page = browser.contexts[0].new_page()
        page.goto(base + "/")
        page.get_by_role("button", name="Sign up").click()
        page.get_by_label("Email").fill(f"lighthouse-{os.getpid()}@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url(base + "/today")
        page.get_by_role("button", name="Log a rejection").wait_for()
        page.wait_for_load_state("networkidle")
        page.close()
        browser.close()  # only the connection: the browser and its profile stay
    return proc, port


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: cd bench && npm ci")
    with tempfile.TemporaryDirectory() as tmp, _serve(Path(tmp)) as base:
        report("/ (signed out, first visit)", lighthouse(base + "/", args.chrome))
        proc, port = signed_in_chrome(args.chrome, base, Path(tmp) / "profile")
        try:
            report("/today (signed in)", lighthouse(base + "/today", args.chrome, port))
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
