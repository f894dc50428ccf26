"""What the phone-sized flows in Arabic share: the viewport, and the checks run on every page.

A flow opens pages and follows links through `open_page` and `click_and_check`; each page it lands
on is checked by `Visits` (Arabic, right to left, no sideways scroll, nothing for axe), and the
problems are reported together at the end.
"""

import re

WIDTH = 320
PHONE = {"viewport": {"width": WIDTH, "height": 720}, "device_scale_factor": 1, "locale": "ar"}
PAGE_FACTS = """() => ({
    width: document.documentElement.scrollWidth,
    dir: document.documentElement.getAttribute("dir"),
    lang: document.documentElement.getAttribute("lang"),
})"""


def named(text: str) -> re.Pattern:
    """Match an accessible name that is `text`, allowing Django's label suffix (a colon)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*[:：]?\s*$")


def starting(text: str) -> re.Pattern:
    """Match an accessible name that begins with `text` (e.g. a legend with "(required)")."""
    return re.compile(rf"^\s*{re.escape(text)}")


class Visits:
    """Checks each page the flow lands on; every problem is kept and reported at the end."""

    def __init__(self, axe_violations, lang: str = "ar"):
        self.axe_violations = axe_violations
        self.lang = lang
        self.problems: list[str] = []
        self.pages: list[str] = []

    def check(self, page) -> None:
        page.wait_for_load_state("load")
        url = page.url
        self.pages.append(url)
        facts = page.evaluate(PAGE_FACTS)
        if (facts["dir"], facts["lang"]) != ("rtl", self.lang):
            self.problems.append(f"{url}: <html dir={facts['dir']!r} lang={facts['lang']!r}>")
        if facts["width"] > WIDTH:
            self.problems.append(f"{url}: scrollWidth {facts['width']} > {WIDTH}")
        for violation in self.axe_violations(page):
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.problems.append(f"{url}: axe {violation['id']} ({violation['help']}) {targets}")


def open_page(context, path: str, visits: Visits):
    page = context.new_page()
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    visits.check(page)
    return page


def click_and_check(page, visits: Visits, locator) -> None:
    """Follow a link or submit a form, make sure the server answered, and check the new page."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.ok, f"{page.url}: HTTP {response and response.status}"
    visits.check(page)
