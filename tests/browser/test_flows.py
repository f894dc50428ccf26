"""What a person does, done as a person would: in a browser, through forms, links and buttons.

Texts are looked up in the same catalogues the site uses (gettext in Arabic), so the tests keep
passing when translations are added, and fail when a label stops naming its field.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from voices.accounts.models import User

try:
    from playwright.sync_api import expect
except ImportError:  # The `browser` fixture then skips (or fails) and says why.
    expect = None

pytestmark = pytest.mark.browser

PASSWORD = "quiet-harbour-lantern-2026"


def named(text: str) -> re.Pattern:
    """Match an accessible name that is `text`, allowing Django's label suffix (a colon)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*[:：]?\s*$")


def texts(lang: str, **messages: str) -> dict[str, str]:
    """Translate msgids ("context|msgid" for pgettext) into `lang`, as the site will."""
    with translation.override(lang):
        return {
            key: pgettext(*msgid.split("|", 1)) if "|" in msgid else gettext(msgid)
            for key, msgid in messages.items()
        }


def test_sign_up_edit_profile_log_out_and_in_again_in_arabic(demo, new_context, axe_violations):
    t = texts(
        "ar",
        username="Username",
        password="Password",
        password_again="Password (again)",
        mismatch="You must type the same password each time.",
        sign_up="Sign Up",
        my_account="My account",
        public_name="Public name",
        first_language="First language",
        second_language="Second language",
        save="Save",
        saved="Your profile was saved.",
        log_out="Log out",
        log_in="Log in",
        login="field label|Login",
        sign_in="Sign In",
    )
    page = new_context().new_page()
    page.goto("/ar/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # A typo in the repeated password: the form says so, accessibly, and keeps the username.
    page.get_by_label(named(t["username"])).fill("layla")
    page.get_by_label(named(t["password"])).fill(PASSWORD)
    page.get_by_label(named(t["password_again"])).fill(PASSWORD + "x")
    page.get_by_role("button", name=t["sign_up"]).click()
    expect(page.get_by_text(t["mismatch"])).to_be_visible()
    expect(page.get_by_label(named(t["password_again"]))).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(named(t["username"]))).to_have_value("layla")
    assert not User.objects.filter(username="layla").exists()
    assert not axe_violations(page)

    page.get_by_label(named(t["password"])).fill(PASSWORD)
    page.get_by_label(named(t["password_again"])).fill(PASSWORD)
    page.get_by_role("button", name=t["sign_up"]).click()
    expect(page).to_have_url(re.compile(r"/ar/$"))
    expect(page.get_by_role("button", name=t["log_out"])).to_be_visible()

    page.get_by_role("link", name=t["my_account"]).click()
    expect(page).to_have_url(re.compile(r"/ar/account/profile/$"))
    page.get_by_label(named(t["public_name"])).fill("Layla K.")
    page.get_by_label(named(t["first_language"])).select_option(label="العربية")
    page.get_by_label(named(t["second_language"])).select_option(label="Français")
    page.get_by_role("button", name=t["save"], exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(t["saved"])
    expect(page.get_by_label(named(t["public_name"]))).to_have_value("Layla K.")
    assert not axe_violations(page)
    user = User.objects.get(username="layla")
    assert (user.display_name, user.languages) == ("Layla K.", ["ar", "fr"])

    page.get_by_role("button", name=t["log_out"]).click()
    expect(page.get_by_role("link", name=t["log_in"], exact=True)).to_be_visible()
    page.get_by_role("link", name=t["log_in"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/ar/accounts/login/"))
    page.get_by_label(named(t["login"])).fill("layla")
    page.get_by_label(named(t["password"])).fill(PASSWORD)
    page.get_by_role("button", name=t["sign_in"]).click()
    expect(page.get_by_role("button", name=t["log_out"])).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def test_language_switcher_works_without_javascript(demo, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/en/organisations/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switcher = page.locator("details.language-switcher")
    arabic = switcher.get_by_role("link", name="العربية")
    expect(arabic).to_be_hidden()
    switcher.locator("summary").click()
    expect(arabic).to_be_visible()
    expect(arabic).to_have_attribute("hreflang", "ar")
    arabic.click()
    expect(page).to_have_url(re.compile(r"/ar/organisations/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("details.language-switcher a[aria-current]")).to_have_attribute(
        "lang", "ar"
    )
