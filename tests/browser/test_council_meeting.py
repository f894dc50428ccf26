"""A secretary runs a council meeting from agenda to published result, on a 320 px phone in Arabic.

Everything is done through the pages, by clicking and filling forms, as the secretary would; only
the other members' votes are cast on the server (they would vote on their own phones). Texts are
looked up in the site's own catalogues (gettext in Arabic). On every page the flow visits, axe
finds nothing, nothing scrolls sideways and the page is Arabic, right to left.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from phone_flow import PHONE, Visits, click_and_check, named, open_page, starting

from voices.accounts.models import User
from voices.councils.decision_models import Ballot, Minutes, Motion
from voices.councils.decision_services import vote_cast
from voices.councils.meeting_models import Meeting

try:
    from playwright.sync_api import expect
except ImportError:  # The `browser` fixture then skips (or fails) and says why.
    expect = None


pytestmark = pytest.mark.browser


MEETING_TITLE = "اجتماع المجلس حول السكن"
ITEM_TITLE = "توصية بشأن دعم السكن"
MOTION_TITLE = "دورات لغة مسائية مجانية"
MOTION_TEXT = "يطلب المجلس من المدينة تقديم دورات لغة مجانية في المساء."
MINUTES_TEXT = "حضر خمسة أعضاء يحق لهم التصويت. اعتمد المجلس الاقتراح بشأن دورات اللغة."
# Voting members recorded as present (demo pseudonyms of fr-member-1..5): 5 of 9 is the quorum.
PRESENT = ["Sun", "River", "Cedar", "Swallow", "Olive"]
# The other members present vote on their own phones: (username, choice).
OTHER_VOTES = [
    ("fr-member-1", "for"),
    ("fr-member-3", "for"),
    ("fr-member-4", "against"),
    ("fr-member-5", "abstain"),
]


def ar(msgid: str, **params: str) -> str:
    """`msgid` as the site shows it in Arabic (blocktranslate placeholders filled in)."""
    with translation.override("ar"):
        text = gettext(msgid)
    return text % params if params else text


def fill_translatable(page, legend: str, text: str) -> None:
    """Write `text` in the Arabic box of a translatable field (the Arabic tab is the one open)."""
    group = page.get_by_role("group", name=starting(legend))
    group.get_by_role("textbox", name="العربية", exact=True).fill(text)


def test_secretary_runs_a_meeting_on_a_phone_in_arabic(demo, new_context, axe_violations):
    visits = Visits(axe_violations)
    secretary = new_context("fr-member-2", **PHONE)

    # 1. Plan the meeting and its agenda.
    page = open_page(secretary, "/ar/councils/fr-council/", visits)
    click_and_check(page, visits, page.get_by_role("link", name=ar("All meetings")))
    expect(page).to_have_url(re.compile(r"/ar/councils/fr-council/meetings/$"))
    click_and_check(page, visits, page.get_by_role("link", name=ar("Plan a meeting")))
    expect(page.get_by_role("heading", level=1)).to_have_text(ar("Plan a meeting"))

    day = timezone.localdate() + datetime.timedelta(days=1)
    fill_translatable(page, ar("title"), MEETING_TITLE)
    page.get_by_label(named(ar("format"))).select_option(label=ar("In person"))
    page.get_by_label(named(ar("place"))).fill("ليون، قاعة المدينة")
    page.get_by_label(named(ar("starts at"))).fill(f"{day:%Y-%m-%d}T17:00")
    page.get_by_label(named(ar("ends at"))).fill(f"{day:%Y-%m-%d}T19:00")
    click_and_check(page, visits, page.get_by_role("button", name=ar("Save"), exact=True))
    expect(page).to_have_url(re.compile(r"/ar/meetings/\d+/agenda/$"))
    meeting = Meeting.objects.get(pk=int(page.url.split("/")[-3]))
    assert meeting.title.get("ar") == MEETING_TITLE
    expect(page.get_by_role("status")).to_contain_text(
        ar("The meeting is planned and the members are invited.")
    )
    assert meeting.format == Meeting.Format.IN_PERSON and meeting.council.slug == "fr-council"

    fill_translatable(page, ar("title"), ITEM_TITLE)
    page.get_by_label(named(ar("kind"))).select_option(label=ar("Decision"))
    click_and_check(page, visits, page.get_by_role("button", name=ar("Add"), exact=True))
    expect(page.locator("ol.agenda")).to_contain_text(ITEM_TITLE)
    item = meeting.agenda_items.get()
    assert item.kind == "decision"

    # 2. Start the meeting, record who is there, put the motion to the vote.
    click_and_check(page, visits, page.get_by_role("link", name=ar("Back to the meeting")))
    expect(page).to_have_url(re.compile(rf"/ar/meetings/{meeting.pk}/$"))
    click_and_check(page, visits, page.get_by_role("button", name=ar("Start the meeting")))
    expect(page).to_have_url(re.compile(rf"/ar/meetings/{meeting.pk}/attendance/$"))
    quorum = page.locator("#quorum")
    expect(quorum).to_contain_text(ar("No quorum"))
    for name in PRESENT:
        page.get_by_role("checkbox", name=re.compile(rf"^{name}\b")).check()
    expect(quorum).to_contain_text(ar("Quorum reached"))  # updated as the boxes are ticked
    visits.check(page)
    click_and_check(page, visits, page.get_by_role("button", name=ar("Save attendance")))
    expect(page.locator("#quorum")).to_contain_text(ar("Quorum reached"))
    for name in PRESENT:
        expect(page.get_by_role("checkbox", name=re.compile(rf"^{name}\b"))).to_be_checked()

    click_and_check(page, visits, page.get_by_role("link", name=ar("Back to the meeting")))
    expect(page.locator(".quorum")).to_contain_text(ar("Quorum reached"))
    propose = ar("Propose a motion on “%(title)s”", title=ITEM_TITLE)
    click_and_check(page, visits, page.get_by_role("link", name=propose))
    page.get_by_label(named(ar("Title"))).fill(MOTION_TITLE)
    page.get_by_label(named(ar("Text of the motion"))).fill(MOTION_TEXT)
    expect(page.get_by_label(named(ar("Written in")))).to_have_value("ar")
    click_and_check(page, visits, page.get_by_role("button", name=ar("Propose"), exact=True))
    motion = Motion.objects.get(agenda_item=item)
    expect(page).to_have_url(re.compile(rf"/ar/motions/{motion.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(MOTION_TITLE)

    prepare = page.get_by_role("button", name=ar("Prepare the vote on the motion"))
    click_and_check(page, visits, prepare)
    ballot = Ballot.objects.get(motion=motion)
    expect(page).to_have_url(re.compile(rf"/ar/ballots/{ballot.pk}/$"))
    click_and_check(page, visits, page.get_by_role("button", name=ar("Open the vote")))
    your_vote = page.get_by_role("group", name=starting(ar("Your vote")))
    your_vote.get_by_role("radio", name=ar("For"), exact=True).check()
    click_and_check(page, visits, page.get_by_role("button", name=ar("Cast my vote")))
    expect(page.get_by_text(ar("You have voted. Thank you."))).to_be_visible()

    ballot.refresh_from_db()
    for username, choice in OTHER_VOTES:
        vote_cast(user=User.objects.get(username=username), ballot=ballot, choice=choice)
    page.reload()
    visits.check(page)
    click_and_check(page, visits, page.get_by_role("button", name=ar("Close the vote")))
    result = page.locator(".result")
    expect(result).to_have_text(ar("Passed"))
    counts = page.locator("dl.facts")
    for label, count in (("For", "3"), ("Against", "1"), ("Abstentions", "1")):
        term = counts.locator("dt", has_text=re.compile(rf"^{re.escape(ar(label))}$"))
        expect(term.locator("xpath=following-sibling::dd[1]")).to_have_text(count)
    ballot.refresh_from_db()
    assert (ballot.status, ballot.passed) == (Ballot.Status.CLOSED, True)
    assert (ballot.votes_for, ballot.votes_against, ballot.votes_abstain) == (3, 1, 1)

    # 3. End the meeting; minutes written, proposed, approved by the chair, published.
    click_and_check(page, visits, page.get_by_role("link", name=ar("Back to the meeting")))
    click_and_check(page, visits, page.get_by_role("button", name=ar("End the meeting")))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ENDED
    click_and_check(page, visits, page.get_by_role("link", name=ar("Write the minutes")))
    page.get_by_label(named(ar("Minutes"))).fill(MINUTES_TEXT)
    expect(page.get_by_label(named(ar("Written in")))).to_have_value("ar")
    click_and_check(page, visits, page.get_by_role("button", name=ar("Save the draft")))
    minutes = Minutes.objects.get(meeting=meeting)
    expect(page).to_have_url(re.compile(rf"/ar/minutes/{minutes.pk}/$"))
    click_and_check(page, visits, page.get_by_role("button", name=ar("Propose for approval")))
    expect(page.get_by_role("status")).to_contain_text(ar("The minutes are proposed for approval."))

    chair = new_context("fr-member-1", **PHONE)
    chair_page = open_page(chair, f"/ar/meetings/{meeting.pk}/", visits)
    click_and_check(chair_page, visits, chair_page.get_by_role("link", name=ar("Read the minutes")))
    click_and_check(
        chair_page, visits, chair_page.get_by_role("button", name=ar("Approve as chair"))
    )
    expect(chair_page.get_by_role("status")).to_contain_text(ar("The minutes are approved."))

    page.reload()
    visits.check(page)
    click_and_check(page, visits, page.get_by_role("button", name=ar("Publish"), exact=True))
    expect(page.get_by_role("status")).to_contain_text(ar("The minutes are published."))
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED

    # Anyone can now read the result and the minutes, on the site and in the open data API.
    visitor = new_context(**PHONE)
    public = open_page(visitor, "/ar/councils/fr-council/", visits)
    click_and_check(public, visits, public.get_by_role("link", name=ar("All meetings")))
    click_and_check(public, visits, public.get_by_role("link", name=MEETING_TITLE))
    votes = public.locator(".card-list").filter(has=public.get_by_role("link", name=MOTION_TITLE))
    expect(votes).to_contain_text(ar("Passed"))
    counts = ar(
        "for %(yes)s, against %(no)s, abstentions %(abstain)s", yes="3", no="1", abstain="1"
    )
    expect(votes).to_contain_text(counts)
    click_and_check(public, visits, votes.get_by_role("link", name=MOTION_TITLE))
    expect(public.locator(".result")).to_have_text(ar("Passed"))
    click_and_check(public, visits, public.get_by_role("link", name=ar("Back to the meeting")))
    click_and_check(public, visits, public.get_by_role("link", name=ar("Read the minutes")))
    expect(public.locator(".prose[lang=ar]")).to_contain_text(MINUTES_TEXT)

    api = visitor.request.get(f"/api/v1/meetings/{meeting.pk}/ballots")
    assert api.ok, api.status
    assert [
        (b["subject"], b["subject_title"], b["passed"], b["votes_for"], b["votes_against"],
         b["votes_abstain"], b["present"], b["entitled"])
        for b in api.json()
    ] == [("motion", MOTION_TITLE, True, 3, 1, 1, 5, 9)]  # fmt: skip
    minutes_api = visitor.request.get(f"/api/v1/meetings/{meeting.pk}/minutes").json()
    assert [(m["version"], m["language"], m["text"]) for m in minutes_api] == [
        (1, "ar", MINUTES_TEXT)
    ]

    assert len(visits.pages) >= 20
    assert visits.problems == [], "\n".join(visits.problems)
