"""An authority's officer answers a recommendation on a 320 px phone in Arabic; the public sees it.

The coordinator's sending is done on the server (through the services, as the factories do); the
officer's side is done through the pages: the inbox, receipt, a draft answer, then the published
answer. An anonymous visitor checks that the draft stays private and that the published answer
shows on the public tracker and the recommendation's page. Texts are looked up in the site's own
catalogues (gettext in Arabic). On every page visited, axe finds nothing, nothing scrolls sideways
and the page is Arabic, right to left.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from phone_flow import PHONE, Visits, click_and_check, named, open_page, starting

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.councils.models import PolicyDomain
from voices.councils.tests.factories import CouncilFactory
from voices.directory.tests.factories import OrganisationFactory, text
from voices.recommendations.models import AuthorityResponse, Outcome, State
from voices.recommendations.tests.factories import recommendation_sent

try:
    from playwright.sync_api import expect
except ImportError:  # The `browser` fixture then skips (or fails) and says why.
    expect = None


pytestmark = pytest.mark.browser


TITLE = "دروس لغة مجانية في المساء"
AUTHORITY = "مدينة غراتس"
COUNCIL = "مجلس المهاجرين في غراتس"
REASONS = "ستقدم المدينة دروس لغة مجانية في ثلاثة أحياء ابتداءً من الخريف."


def ar(msgid: str, context: str | None = None) -> str:
    """`msgid` as the site shows it in Arabic."""
    with translation.override("ar"):
        return pgettext(context, msgid) if context else gettext(msgid)


@pytest.fixture
def sent(transactional_db, live_server):
    """An authority, its officer, and a recommendation a coordinator sent to it."""
    # Migrations load the policy domains, but an earlier live-server test may have flushed them.
    housing, _created = PolicyDomain.objects.get_or_create(
        code="housing", defaults={"name": text("Housing", ar="السكن")}
    )
    authority = OrganisationFactory(slug="city-of-graz", name=text("City of Graz", ar=AUTHORITY))
    officer = UserFactory(username="officer", display_name="Hadi", languages=["ar"])
    grant(officer, Role.OFFICER, authority)
    with_second_factor(officer)
    coordinator = UserFactory(username="coordinator")
    grant(coordinator, Role.COORDINATOR)
    with_second_factor(coordinator)
    council = CouncilFactory(slug="graz-council", name=text("Graz migrant council", ar=COUNCIL))
    return recommendation_sent(
        actor=coordinator,
        council=council,
        addressees=[authority],
        domain=housing,
        title=text("Free evening language courses", ar=TITLE),
        text=text("The council asks the city for free language courses.", ar="نطلب دروس لغة."),
        reasons=text("Members heard it often.", ar="سمع الأعضاء ذلك كثيراً."),
    )


def test_officer_answers_on_a_phone_in_arabic_and_the_tracker_shows_it(
    sent, new_context, axe_violations
):
    recommendation = sent
    addressee = recommendation.addressees.get()
    detail = f"/ar/recommendations/{recommendation.pk}/"
    visits = Visits(axe_violations)
    officer = new_context("officer", **PHONE)
    visitor = new_context(**PHONE)

    # 1. The officer finds the recommendation in the inbox and confirms receipt.
    page = open_page(officer, "/ar/recommendations/inbox/", visits)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row).to_contain_text(AUTHORITY)
    expect(row).to_contain_text(ar("Sent", "recommendation state"))
    click_and_check(page, visits, row.get_by_role("link", name=TITLE))
    expect(page).to_have_url(re.compile(rf"/ar/recommendations/answer/{addressee.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    click_and_check(page, visits, page.get_by_role("button", name=ar("Confirm receipt")))
    expect(page.get_by_role("status")).to_contain_text(
        ar("Receipt confirmed. The council can see it.")
    )
    expect(page.get_by_role("button", name=ar("Confirm receipt"))).to_have_count(0)
    addressee.refresh_from_db()
    assert addressee.state == State.ACKNOWLEDGED

    # 2. The officer writes the answer and saves it as a draft for a colleague to review.
    answer = page.get_by_role("group", name=starting(ar("Your answer")))
    first = answer.get_by_role("radio").first
    expect(first).to_have_accessible_name(ar("Accepted"))
    first.check()
    page.get_by_label(named(ar("Reasons for your answer"))).fill(REASONS)
    expect(page.get_by_label(named(ar("Written in")))).to_have_value("ar")
    click_and_check(page, visits, page.get_by_role("button", name=ar("Save as draft")))
    expect(page).to_have_url(re.compile(rf"/ar/recommendations/answer/{addressee.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(
        ar("Draft saved. Only your authority's officers can see it.")
    )
    expect(page.get_by_label(named(ar("Reasons for your answer")))).to_have_value(REASONS)
    expect(page.get_by_role("radio", name=ar("Accepted"), exact=True)).to_be_checked()
    draft = AuthorityResponse.objects.get(addressee=addressee)
    assert (draft.outcome, draft.is_published, draft.language) == (Outcome.ACCEPTED, False, "ar")

    # The draft is private: an anonymous visitor sees the receipt, not the answer.
    public = open_page(visitor, detail, visits)
    track = public.locator("section.track").filter(has_text=AUTHORITY)
    expect(track).to_contain_text(ar("Acknowledged", "recommendation state"))
    expect(track).to_contain_text(ar("No answer yet."))
    expect(public.locator("main")).not_to_contain_text(REASONS)
    assert REASONS not in public.content()

    # 3. Reviewed, the answer is published; the officer lands on the recommendation's page.
    page.reload()
    visits.check(page)
    expect(page.get_by_label(named(ar("Reasons for your answer")))).to_have_value(REASONS)
    click_and_check(page, visits, page.get_by_role("button", name=ar("Publish the answer")))
    expect(page).to_have_url(re.compile(rf"{re.escape(detail)}$"))
    expect(page.get_by_role("status")).to_contain_text(
        ar("Your answer is published. The council was told.")
    )
    addressee.refresh_from_db()
    draft.refresh_from_db()
    assert addressee.state == State.ANSWERED and addressee.outcome == Outcome.ACCEPTED
    assert draft.is_published

    # 4. Anyone finds the answer on the public tracker and on the recommendation's page.
    public = open_page(visitor, "/ar/recommendations/", visits)
    expect(public.get_by_role("heading", level=1)).to_have_text(ar("Recommendation tracker"))
    card = public.locator(".card").filter(has=public.get_by_role("link", name=TITLE))
    expect(card.locator(".tracks li")).to_have_text(
        re.compile(
            rf"{re.escape(AUTHORITY)}:\s*{re.escape(ar('Answered', 'recommendation state'))}"
        )
    )
    click_and_check(public, visits, card.get_by_role("link", name=TITLE))
    expect(public).to_have_url(re.compile(rf"{re.escape(detail)}$"))
    expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
    track = public.get_by_role("region", name=AUTHORITY)
    expect(track).to_contain_text(ar("Accepted"))
    expect(track.locator(".prose[lang=ar]")).to_contain_text(REASONS)
    expect(track).not_to_contain_text(ar("No answer yet."))

    expect(public.get_by_role("heading", name=ar("Timeline"))).to_be_visible()
    timeline = public.locator("ol.timeline > li")
    steps = [  # the factory drafts without the services, so the timeline starts at adoption
        ("Adopted", COUNCIL),
        ("Sent", COUNCIL),
        ("Sent", AUTHORITY),
        ("Acknowledged", AUTHORITY),
        ("Answered", AUTHORITY),
    ]
    expect(timeline).to_have_count(len(steps))
    for n, (state, who) in enumerate(steps):
        expect(timeline.nth(n)).to_contain_text(who)
        expect(timeline.nth(n)).to_contain_text(ar(state, "recommendation state"))

    assert len(visits.pages) >= 8
    assert visits.problems == [], "\n".join(visits.problems)
