"""Looks at one screen as the quality tests do: axe-core (serious and critical
violations), touch targets under 44 px, CSP violations, console errors,
requests to other origins; and keeps a screenshot in tests/e2e/screenshots/.
Shared by test_quality.py and the screens' own tests."""
from pathlib import Path

from playwright.sync_api import expect

SHOTS = Path(__file__).resolve().parent / "screenshots"

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
  }));
}"""


# Controls people tap, except links inside running text (WCAG 2.5.8 exempts those).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, .button, .chip, .tabs a, .row, summary, .more, .back a, .trap, .brand, .switch, '
    + 'input:not(.chip-input):not(.check), textarea, .bell, .nudge-title a, .snooze select')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([, r]) => r.width < 44 || r.height < 44)
  .map(([el, r]) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`)
"""


class Inspector:
    def __init__(self, tab, axe_source, scheme):
        self.tab = tab
        self.axe_source = axe_source
        self.scheme = scheme
        self.problems = []
        self.seen = []
        SHOTS.mkdir(exist_ok=True)

    def check(self, name, sections=()):
        page = self.tab.page
        expect(page.locator("main h1")).to_be_visible()
        page.wait_for_timeout(150)  # let late renders and the toast settle
        page.evaluate(self.axe_source)
        for v in page.evaluate(AXE_RUN):
            if v["impact"] in ("serious", "critical"):
                self.problems.append(f"{name}: axe {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
        for target in page.evaluate(SMALL_TARGETS):
            self.problems.append(f"{name}: touch target under 44 px: {target}")
        for violation in self.tab.csp_violations():
            self.problems.append(f"{name}: CSP violation {violation}")
        for error in self.tab.errors:
            self.problems.append(f"{name}: console error {error}")
        self.tab.errors.clear()
        for url in self.tab.foreign:
            self.problems.append(f"{name}: request left the origin: {url}")
        self.tab.foreign.clear()
        page.evaluate("scrollTo(0, 0)")
        page.screenshot(path=SHOTS / f"{name}-{self.scheme}.png")
        for section in sections:  # long screens: one shot per part
            page.locator(section).scroll_into_view_if_needed()
            page.evaluate("(s) => document.querySelector(s).scrollIntoView()", section)
            page.screenshot(path=SHOTS / f"{name}-{section.strip('#.')}-{self.scheme}.png")
        self.seen.append(name)
