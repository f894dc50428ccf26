"""A participant takes part in a consultation on a 320 px phone in Persian; a moderator hides a
reported comment.

The participant does everything through the pages: finds the consultation, reads it, makes a
proposal (past the similar-proposals step), comments with a position, replies, supports another
proposal and reports an insulting comment. Two other people reported that comment already (on the
server, through the moderation service), so this third report hides it pending review; the
authority's officer, who runs the consultation, then hides it for good from the moderation queue
and the participant sees it hidden. Texts are looked up in the site's own catalogues (gettext in
Persian). On every page visited, axe finds nothing, nothing scrolls sideways and the page is
Persian, right to left; and no page asks anything of another host.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext
from phone_flow import PHONE, Visits, click_and_check, named, open_page, starting

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.consultations.models import Comment, Proposal, Support
from voices.consultations.tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ProposalFactory,
)
from voices.core import moderation
from voices.core.models import ModerationDecision, ModerationState, Report
from voices.councils.models import PolicyDomain
from voices.directory.tests.factories import OrganisationFactory, text

try:
    from playwright.sync_api import expect
except ImportError:  # The `browser` fixture then skips (or fails) and says why.
    expect = None


pytestmark = pytest.mark.browser


TITLE = "خوشامدگویی به تازه‌واردان در گراتس"
QUESTION = "شهر چگونه می‌تواند به تازه‌واردان کمک کند تا زودتر جا بیفتند؟"
AUTHORITY = "شهر گراتس"
# Shares three words with the participant's title, so the similar-proposals step appears.
SIMILAR_TITLE = "کلاس‌های زبان رایگان در عصرها"
OTHER_TITLE = "کارگاه دوچرخه‌سواری برای تازه‌واردان"
QUESTION_ASKED = "ایدهٔ خوبی است. کجا برگزار شود؟"
INSULT = "این پیشنهاد احمقانه است و نویسنده‌اش هم همین‌طور."
MY_TITLE = "کلاس‌های زبان رایگان با مهدکودک"
MY_BODY = "کلاس‌های زبان آلمانی با مهدکودک، تا مادران هم بتوانند در آن‌ها شرکت کنند."
MY_COMMENT = "موافقم؛ من هم دوچرخه‌سواری را در همین شهر یاد گرفتم."
MY_REPLY = "در پارک محله، شنبه‌ها صبح."
REPORT_NOTE = "به نویسندهٔ پیشنهاد توهین می‌کند."
HIDE_REASON = "توهین به یک شرکت‌کننده. لطفاً با احترام بنویسید."
PERSIAN_PHONE = {**PHONE, "locale": "fa"}


def fa(msgid: str, context: str | None = None) -> str:
    """`msgid` as the site shows it in Persian."""
    with translation.override("fa"):
        return pgettext(context, msgid) if context else gettext(msgid)


def fa_count(singular: str, plural: str, counter: int) -> str:
    """A `{% blocktranslate count counter=... %}` message, as the site shows it in Persian."""
    with translation.override("fa"):
        return ngettext(singular, plural, counter) % {"counter": counter}


@pytest.fixture
def consultation(transactional_db, live_server):
    """The City of Graz asks newcomers, in Persian; two proposals and two comments are in."""
    # Migrations load the policy domains, but an earlier live-server test may have flushed them.
    housing, _created = PolicyDomain.objects.get_or_create(
        code="housing", defaults={"name": text("Housing", fa="مسکن")}
    )
    authority = OrganisationFactory(slug="city-of-graz", name=text("City of Graz", fa=AUTHORITY))
    officer = UserFactory(username="officer", display_name="هادی", languages=["fa"])
    grant(officer, Role.OFFICER, authority)
    with_second_factor(officer)
    UserFactory(username="participant", display_name="شیرین", languages=["fa"])
    consultation = ConsultationFactory(
        owner_organisation=authority,
        domain=housing,
        title=text("Welcoming newcomers in Graz", fa=TITLE),
        question=text("How can the city help newcomers settle in sooner?", fa=QUESTION),
        background=text("The city is writing its integration plan.", fa="شهر برنامه می‌نویسد."),
        languages=["fa", "de"],
        report_threshold=3,
    )
    dariush = UserFactory(username="dariush", display_name="داریوش", languages=["fa"])
    ProposalFactory(
        consultation=consultation,
        author=dariush,
        title=SIMILAR_TITLE,
        body="کلاس‌ها بعد از ساعت کار باشند.",
        language="fa",
    )
    other = ProposalFactory(
        consultation=consultation,
        author=dariush,
        title=OTHER_TITLE,
        body="شهر به تازه‌واردان دوچرخه‌سواری در خیابان‌های شهر را یاد بدهد.",
        language="fa",
    )
    for username, name, body in (("bahram", "بهرام", QUESTION_ASKED), ("kaveh", "کاوه", INSULT)):
        CommentFactory(
            proposal=other,
            author=UserFactory(username=username, display_name=name, languages=["fa"]),
            body=body,
            stance=Comment.Stance.NEUTRAL,
            language="fa",
        )
    # Two people have reported the insult; one report more reaches the threshold.
    insult = Comment.objects.get(body=INSULT)
    for username in ("nasrin", "parisa"):
        reporter = UserFactory(username=username, languages=["fa"])
        moderation.report_create(reporter=reporter, target=insult, reason=Report.Reason.ABUSE)
    return consultation


def test_participant_takes_part_on_a_phone_in_persian_and_a_moderator_hides_a_comment(
    consultation, live_server, new_context, axe_violations
):
    visits = Visits(axe_violations, lang="fa")
    requests: list[str] = []
    participant = new_context("participant", **PERSIAN_PHONE)
    participant.on("request", lambda request: requests.append(request.url))
    other = Proposal.objects.get(title=OTHER_TITLE)
    question = Comment.objects.get(body=QUESTION_ASKED)
    insult = Comment.objects.get(body=INSULT)

    # 1. The participant finds the consultation and reads it, in Persian, right to left.
    page = open_page(participant, "/fa/consultations/", visits)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(fa("Consultations"))
    card = page.locator(".card").filter(has=page.get_by_role("link", name=TITLE))
    expect(card).to_contain_text(AUTHORITY)
    expect(card).to_contain_text(fa("Contributions", "consultation phase"))
    click_and_check(page, visits, card.get_by_role("link", name=TITLE))
    expect(page).to_have_url(re.compile(rf"/fa/consultations/{consultation.pk}/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".lead")).to_contain_text(QUESTION)
    expect(page.locator("ol.phases [aria-current=step]")).to_contain_text(
        fa("Contributions", "consultation phase")
    )

    # 2. The participant makes a proposal; a similar one exists, and they publish theirs anyway.
    click_and_check(page, visits, page.get_by_role("link", name=fa("Make a proposal")))
    expect(page).to_have_url(re.compile(rf"/fa/consultations/{consultation.pk}/proposals/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(fa("Make a proposal"))
    page.get_by_label(named(fa("Title"))).fill(MY_TITLE)
    page.get_by_label(named(fa("Your proposal"))).fill(MY_BODY)
    expect(page.get_by_label(named(fa("Written in")))).to_have_value("fa")
    click_and_check(page, visits, page.get_by_role("button", name=fa("Publish"), exact=True))
    similar = page.get_by_role("alert")
    expect(similar.get_by_role("link")).to_have_text([SIMILAR_TITLE])
    expect(page.get_by_label(named(fa("Title")))).to_have_value(MY_TITLE)
    expect(page.get_by_label(named(fa("Your proposal")))).to_have_value(MY_BODY)
    assert not Proposal.objects.filter(title=MY_TITLE).exists()
    anyway = page.get_by_role("button", name=fa("Publish my proposal anyway"))
    click_and_check(page, visits, anyway)
    proposal = Proposal.objects.get(title=MY_TITLE)
    expect(page).to_have_url(re.compile(rf"/fa/proposals/{proposal.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(fa("Thank you. Your proposal is published."))
    expect(page.get_by_role("heading", level=1)).to_have_text(MY_TITLE)
    assert (proposal.body, proposal.language, proposal.author.username) == (
        MY_BODY,
        "fa",
        "participant",
    )
    assert proposal.moderation_state == ModerationState.VISIBLE

    # 3. On another proposal, the participant comments in favour and answers a question.
    click_and_check(page, visits, page.get_by_role("link", name=TITLE))
    click_and_check(page, visits, page.get_by_role("link", name=fa("See all proposals")))
    expect(page).to_have_url(re.compile(rf"/fa/consultations/{consultation.pk}/proposals/$"))
    click_and_check(page, visits, page.get_by_role("link", name=OTHER_TITLE))
    expect(page).to_have_url(re.compile(rf"/fa/proposals/{other.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(OTHER_TITLE)

    new_comment = page.locator("form.comment-form").filter(
        has=page.get_by_role("button", name=fa("Publish the comment"))
    )
    new_comment.get_by_label(starting(fa("Your comment"))).fill(MY_COMMENT)
    position = new_comment.get_by_role("group", name=fa("Your position"))
    position.get_by_role("radio", name=fa("In favour"), exact=True).check()
    expect(new_comment.get_by_label(named(fa("Written in")))).to_have_value("fa")
    click_and_check(page, visits, new_comment.get_by_role("button", name=fa("Publish the comment")))
    expect(page.get_by_role("status")).to_contain_text(fa("Thank you. Your comment is published."))
    comment = Comment.objects.get(body=MY_COMMENT)
    assert (comment.proposal, comment.stance, comment.parent) == (
        other,
        Comment.Stance.IN_FAVOUR,
        None,
    )
    expect(page).to_have_url(re.compile(rf"/fa/proposals/{other.pk}/#comment-{comment.pk}$"))
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown).to_contain_text(MY_COMMENT)
    expect(shown.locator(".comment-meta .badge")).to_have_text(fa("In favour"))

    thread = page.locator(f"#comment-{question.pk}")
    reply = thread.locator("details.reply")
    reply.locator("summary").click()
    reply.get_by_label(starting(fa("Your reply"))).fill(MY_REPLY)
    visits.check(page)  # the reply form, open
    click_and_check(page, visits, reply.get_by_role("button", name=fa("Reply"), exact=True))
    expect(page.get_by_role("status")).to_contain_text(fa("Thank you. Your comment is published."))
    answer = Comment.objects.get(body=MY_REPLY)
    assert (answer.parent, answer.proposal) == (question, other)
    expect(
        page.locator(f"#comment-{question.pk} > ol.replies > #comment-{answer.pk}")
    ).to_contain_text(MY_REPLY)

    # 4. The participant supports the proposal: the count goes up, the button says so.
    count = page.locator("main p > strong").filter(has_text=re.compile(r"^\s*\d"))
    expect(count).to_have_text(fa_count("%(counter)s support", "%(counter)s supports", 0))
    support = page.get_by_role(
        "button", name=re.compile(rf"^\s*{re.escape(fa('Support'))}\s+“{re.escape(OTHER_TITLE)}”$")
    )
    expect(support).not_to_have_attribute("aria-pressed", "true")
    click_and_check(page, visits, support)
    expect(page.get_by_role("status")).to_contain_text(fa("Thank you. You support this proposal."))
    expect(count).to_have_text(fa_count("%(counter)s support", "%(counter)s supports", 1))
    supported = page.get_by_role("button", name=starting(fa("Supported")))
    expect(supported).to_have_attribute("aria-pressed", "true")
    expect(supported).to_contain_text(OTHER_TITLE)  # the hidden part says which, to take it back
    assert Support.objects.filter(
        proposal=other, participant__user__username="participant"
    ).exists()
    other.refresh_from_db()
    assert other.supports_count == 1

    # 5. The participant reports the insult: the third report hides it until a moderator looks.
    insulting = page.locator(f"#comment-{insult.pk}")
    expect(insulting).to_contain_text(INSULT)
    click_and_check(page, visits, insulting.get_by_role("link", name=fa("Report"), exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(fa("Report a contribution"))
    expect(page.locator("main blockquote")).to_contain_text(INSULT)
    reasons = page.get_by_role("group", name=starting(fa("What is wrong with it?")))
    reasons.get_by_role("radio", name=fa("Insults, threats or hate")).check()
    page.get_by_label(named(fa("Details (optional)"))).fill(REPORT_NOTE)
    click_and_check(page, visits, page.get_by_role("button", name=fa("Send the report")))
    expect(page.get_by_role("status")).to_contain_text(
        fa("Thank you. A moderator will look at it.")
    )
    expect(page.locator(f"#comment-{insult.pk}")).to_have_text(
        fa("This comment is hidden while a moderator checks reports about it.")
    )
    insult.refresh_from_db()
    assert insult.moderation_state == ModerationState.REPORTED

    # 6. The officer running the consultation hides the comment from the moderation queue.
    officer = new_context("officer", **PERSIAN_PHONE)
    officer.on("request", lambda request: requests.append(request.url))
    queue = open_page(officer, f"/fa/consultations/{consultation.pk}/", visits)
    click_and_check(queue, visits, queue.get_by_role("link", name=fa("Moderation")))
    expect(queue).to_have_url(re.compile(rf"/fa/consultations/{consultation.pk}/moderation/$"))
    entry = queue.locator(f"#queue-comment-{insult.pk}")
    expect(entry.locator("blockquote")).to_have_text(INSULT)
    expect(entry.get_by_role("heading")).to_have_text(
        fa_count("%(counter)s report", "%(counter)s reports", 3)
    )
    expect(entry).to_contain_text(REPORT_NOTE)
    expect(entry.get_by_role("link", name=OTHER_TITLE)).to_be_visible()
    block = entry.locator("details").filter(
        has=queue.locator("summary", has_text=fa("Block the author from this consultation"))
    )
    block.locator("summary").click()
    expect(block.get_by_label(named(fa("Why block this person? They are told.")))).to_be_visible()
    visits.check(queue)  # the block form, open
    entry.get_by_label(named(fa("Reason (the author is told)"))).fill(HIDE_REASON)
    click_and_check(queue, visits, entry.get_by_role("button", name=fa("Hide"), exact=True))
    expect(queue).to_have_url(re.compile(rf"/fa/consultations/{consultation.pk}/moderation/$"))
    expect(queue.get_by_role("status")).to_contain_text(fa("Done. The author has been told."))
    expect(queue.locator(f"#queue-comment-{insult.pk}")).to_have_count(0)
    expect(queue.get_by_text(fa("Nothing waits for a moderator."))).to_be_visible()
    expect(queue.get_by_role("table").get_by_role("row").nth(1)).to_contain_text(HIDE_REASON)
    insult.refresh_from_db()
    assert insult.moderation_state == ModerationState.HIDDEN
    decision = ModerationDecision.objects.get()
    assert (decision.actor.username, decision.action, decision.reason) == (
        "officer",
        ModerationDecision.Action.HIDE,
        HIDE_REASON,
    )
    assert not Report.objects.filter(resolved_at__isnull=True).exists()

    # 7. The participant sees the comment hidden by a moderator; its words are gone.
    page.reload()
    visits.check(page)
    expect(page.locator(f"#comment-{insult.pk}")).to_have_text(
        fa("This comment was hidden by a moderator.")
    )
    assert INSULT not in page.content()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text(MY_COMMENT)

    assert len(visits.pages) >= 18
    assert visits.problems == [], "\n".join(visits.problems)
    foreign = sorted(
        {
            url
            for url in requests
            if not (url.startswith(live_server.url + "/") or url.startswith("data:"))
        }
    )
    assert requests and not foreign, "pages requested other hosts:\n" + "\n".join(foreign)
