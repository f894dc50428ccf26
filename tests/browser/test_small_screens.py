"""A cheap phone is 320 CSS pixels wide: the main pages fit it without sideways scrolling."""

import pytest

pytestmark = pytest.mark.browser

WIDTH = 320
PUBLIC_PAGES = ["/{lang}/", "/{lang}/organisations/", "/{lang}/accounts/login/"]
SIGNUP_PAGE = "/{lang}/accounts/signup/"
SIGNED_IN_PAGES = ["/{lang}/account/profile/"]
SCROLL_WIDTHS = """() => ({
    document: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    dir: document.documentElement.getAttribute("dir"),
    lang: document.documentElement.getAttribute("lang"),
})"""
# Elements that stick out past the left or right edge of the screen. Overflow towards the start
# side (left in English, right in Arabic) never shows as a scrollbar: it is simply cut off. Boxes
# inside a scrolling container (wide tables) and visually hidden text do not count.
CUT_OFF = """(width) => {
    const clipped = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    const found = [];
    for (const el of document.querySelectorAll("body *")) {
        if (!el.checkVisibility({visibilityProperty: true})) continue;  // e.g. closed <details>
        const box = el.getBoundingClientRect();
        if (box.width < 2 || box.height < 2) continue;
        const over = Math.max(box.right - width, -box.left);
        if (over > 0.5 && !clipped(el)) found.push({over: Math.round(over), el});
    }
    // Report the outermost boxes: their children stick out with them.
    return found
        .filter((f) => !found.some((g) => g !== f && g.el.contains(f.el)))
        .map((f) => `${f.over}px: ${f.el.outerHTML.replace(/\\s+/g, " ").slice(0, 140)}`);
}"""


def visit(page, path: str, lang: str) -> None:
    response = page.goto(path.format(lang=lang))
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"


def check_fits(page, lang: str, state: str = "") -> list[str]:
    """Return what is wrong with the page as shown now: too wide, or the wrong direction."""
    info = page.evaluate(SCROLL_WIDTHS)
    problems = []
    if info["document"] > WIDTH:
        problems.append(f"{page.url}{state}: scrollWidth {info['document']} > {WIDTH}")
    for box in page.evaluate(CUT_OFF, WIDTH):
        problems.append(f"{page.url}{state}: cut off at the screen's edge by {box}")
    expected = ("rtl", "ar") if lang == "ar" else ("ltr", "en")
    if (info["dir"], info["lang"]) != expected:
        problems.append(f"{page.url}: <html dir={info['dir']!r} lang={info['lang']!r}>")
    return problems


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_main_pages_fit_320_pixels(demo, new_context, lang):
    viewport = {"viewport": {"width": WIDTH, "height": 640}, "device_scale_factor": 1}
    problems = []
    anonymous = new_context(**viewport).new_page()
    for path in [*PUBLIC_PAGES, SIGNUP_PAGE]:
        visit(anonymous, path, lang)
        problems += check_fits(anonymous, lang)
    # The open language menu must fit too (in Arabic it opens towards the other side).
    anonymous.locator(".language-switcher summary").click()
    problems += check_fits(anonymous, lang, " (language menu open)")
    anonymous.locator(".language-switcher summary").click()
    # The sign-up form with error messages (the passwords differ).
    anonymous.locator("input[name=username]").fill("a-rather-long-username-for-a-small-phone")
    anonymous.locator("input[name=password1]").fill("one-password-2026")
    anonymous.locator("input[name=password2]").fill("another-password-2026")
    anonymous.locator("main form button[type=submit]").click()
    anonymous.wait_for_load_state("load")
    problems += check_fits(anonymous, lang, " (with errors)")
    signed_in = new_context("amina", **viewport).new_page()
    for path in SIGNED_IN_PAGES:
        visit(signed_in, path, lang)
        problems += check_fits(signed_in, lang)
    assert not problems, "\n".join(problems)
