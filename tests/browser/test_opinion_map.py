"""Opinion maps on a 320 × 640 phone in Arabic: voting, adding a statement, changing a vote, the
map; and people without an account, where the consultation lets them vote and where it does not.

A signed-in participant votes agree, disagree and pass by clicking the buttons of the first three
statements offered (whichever the map chooses), watches the progress move, adds a statement of
their own, changes a vote on the list of statements and opens the map, which 40 planted voters in
two camps and a stored analysis fill with groups, a drawing and tables. Texts are looked up in the
site's own catalogues (gettext in Arabic, English where a string is not translated yet). Every
page is Arabic, right to left, and does not scroll sideways; axe finds nothing on the vote page,
the statement list, the map and the anonymous vote page; no page asks anything of another host.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from phone_flow import PHONE, Visits, click_and_check, named, open_page

from voices.accounts.tests.factories import UserFactory
from voices.consultations.models import Participant
from voices.consultations.tests.factories import ConsultationFactory
from voices.consultations.views import ANON_COOKIE
from voices.directory.tests.factories import OrganisationFactory, text
from voices.opinions import services
from voices.opinions.models import Statement, Vote
from voices.opinions.tests.factories import (
    OpinionMapFactory,
    ParticipantFactory,
    StatementFactory,
    vote_in_two_camps,
)

try:
    from playwright.sync_api import expect
except ImportError:  # The `browser` fixture then skips (or fails) and says why.
    expect = None


pytestmark = pytest.mark.browser


PHONE_320 = {**PHONE, "viewport": {"width": 320, "height": 640}}
AGREE, DISAGREE, PASS = Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS
# The buttons' words, as the templates and Vote.Value's labels write them.
BUTTONS = {AGREE: "Agree", DISAGREE: "Disagree", PASS: "Pass / unsure"}
YOUR_VOTE = {AGREE: "Your vote: agree.", DISAGREE: "Your vote: disagree.", PASS: "Your vote: pass."}

TITLE = "الترحيب بالقادمين الجدد في غراتس"
QUESTION = "ما أول ما يجب أن تفعله المدينة للقادمين الجدد؟"
AUTHORITY = "مدينة غراتس"
# Two camps: the first four statements against the next four; everyone agrees with the last.
SEEDS = [
    "دروس اللغة يجب أن تكون مجانية للجميع",
    "يجب أن تفتح المكتبات أبوابها في المساء",
    "تحتاج الأحياء إلى مراكز لقاء للعائلات",
    "يجب أن تكون الاستشارة القانونية مجانية",
    "يجب أن تدفع الدورات رسوماً رمزية",
    "المكتبات تكفيها ساعات النهار",
    "مراكز اللقاء تكلف أكثر مما تنفع",
    "الاستشارة القانونية ليست عمل المدينة",
    "يجب أن تكون المعلومات متاحة بلغات كثيرة",
]
MY_STATEMENT = "حافلات ليلية إلى أحياء الضواحي"
OPEN_TITLE = "حديقة الحي الجديدة"
OPEN_SEEDS = ["نريد ملعباً للأطفال", "نريد مقاعد في الظل", "نريد حديقة خضار مشتركة"]
CROWD = 40


def ar(msgid: str) -> str:
    """`msgid` as the site shows it in Arabic."""
    with translation.override("ar"):
        return gettext(msgid)


def ar_progress(voted: int, total: int) -> str:
    """The vote page's `{% blocktranslate count %}` progress line, as shown in Arabic."""
    with translation.override("ar"):
        return ngettext(
            "You voted on %(voted)s of %(counter)s statement.",
            "You voted on %(voted)s of %(counter)s statements.",
            total,
        ) % {"voted": voted, "counter": total}


def ar_saved(number: int, value: int) -> str:
    from voices.opinions.views import _VOTE_SAVED

    with translation.override("ar"):
        return str(_VOTE_SAVED[value]) % {"number": number}


def no_axe(page) -> list:
    return []


def consultation_with_map(title: str, seeds: list[str], **fields):
    """A consultation of the city in its contributions phase, with an opinion map in Arabic."""
    authority = OrganisationFactory(name=text("City of Graz", ar=AUTHORITY))
    consultation = ConsultationFactory(
        owner_organisation=authority,
        components=["proposals", "opinions"],
        title=text("Welcoming newcomers in Graz", ar=title),
        question=text("What should the city do first for newcomers?", ar=QUESTION),
        languages=["ar", "de"],
        **fields,
    )
    opinion_map = OpinionMapFactory(
        consultation=consultation,
        question=text("What should the city do first for newcomers?", ar=QUESTION),
    )
    for seed in seeds:
        StatementFactory(map=opinion_map, text=seed, language="ar")
    return opinion_map


@pytest.fixture
def opinion_map(transactional_db, live_server):
    """Nine seed statements, 40 people in two camps who voted on them, and an analysis."""
    UserFactory(username="participant", display_name="سلمى", languages=["ar"])
    opinion_map = consultation_with_map(TITLE, SEEDS)
    statements = list(opinion_map.statements.order_by("number"))
    people = [ParticipantFactory(consultation=opinion_map.consultation) for _ in range(CROWD)]
    vote_in_two_camps(statements, people)
    analysis = services.analysis_run(map_id=opinion_map.pk)
    assert analysis is not None and len(analysis.result["groups"]) == 2
    return opinion_map


def other_hosts(requests: list[str], live_server) -> list[str]:
    """The requests that went anywhere but the live server."""
    return sorted(
        {
            url
            for url in requests
            if not (url.startswith(live_server.url + "/") or url.startswith("data:"))
        }
    )


def test_participant_votes_on_a_phone_in_arabic_and_axe_finds_nothing(
    opinion_map, live_server, new_context, axe_violations
):
    consultation = opinion_map.consultation
    base = f"/ar/consultations/{consultation.pk}/map/"
    checked = Visits(axe_violations)  # axe too: the pages the issue names
    moved = Visits(no_axe)  # every other page: Arabic, right to left, no sideways scroll
    requests: list[str] = []
    phone = new_context("participant", **PHONE_320)
    phone.on("request", lambda request: requests.append(request.url))
    total = len(SEEDS)

    # 1. The vote page, in Arabic and right to left: a statement, with nothing voted yet.
    page = open_page(phone, base, moved)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text(ar("Vote on statements"))
    progress = page.locator("#progress-text")
    expect(progress).to_contain_text(ar_progress(0, total))
    expect(page.locator("#progress-text progress")).to_have_attribute("value", "0")

    # 2. Agree on the first statement offered, disagree on the next, pass on the third.
    clicked: dict[int, int] = {}
    for done, value in enumerate((AGREE, DISAGREE, PASS), start=1):
        shown = page.locator(".statement-card .statement-text")
        number = int(re.fullmatch(r"statement-(\d+)-text", shown.get_attribute("id"))[1])
        assert number not in clicked
        words = shown.inner_text().strip()
        buttons = page.get_by_role("group", name=words)
        expect(buttons.get_by_role("button")).to_have_count(3)
        click_and_check(
            page, moved, buttons.get_by_role("button", name=ar(BUTTONS[value]), exact=True)
        )
        clicked[number] = value
        expect(page).to_have_url(re.compile(rf"{re.escape(base)}$"))
        expect(page.get_by_role("status")).to_contain_text(ar_saved(number, value))
        expect(progress).to_contain_text(ar_progress(done, total))
        expect(page.locator("#progress-text progress")).to_have_attribute("value", str(done))
        expect(page.locator(f"#statement-{number}-text")).to_have_count(0)  # not offered again

    # 3. The participant adds a statement of their own; it is published, and not offered to them.
    field = page.get_by_label(named(ar("Your statement")))
    field.fill(MY_STATEMENT)
    expect(page.get_by_label(named(ar("Written in")))).to_have_value("ar")
    click_and_check(page, moved, page.get_by_role("button", name=ar("Add my statement")))
    expect(page.get_by_role("status")).to_contain_text(
        ar("Thank you. Your statement is published: others can vote on it.")
    )
    mine = Statement.objects.get(text=MY_STATEMENT)
    assert (mine.author.username, mine.language, mine.is_seed, mine.is_visible) == (
        "participant",
        "ar",
        False,
        True,
    )
    expect(progress).to_contain_text(ar_progress(3, total))  # one's own is not counted
    expect(page.locator(".statement-card .statement-text")).not_to_have_text(MY_STATEMENT)
    checked.check(page)  # the vote page: a message, the progress, a statement, the form

    # 4. On the list of statements, the participant changes their agree into a disagree.
    nav = page.get_by_role("navigation", name=ar("Opinion map"))
    click_and_check(page, moved, nav.get_by_role("link", name=ar("All statements and your votes")))
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}statements/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ar("All statements"))
    expect(page.locator("ol.statement-list > li")).to_have_count(total + 1)
    for number, value in clicked.items():
        expect(page.locator(f"#statement-{number}")).to_contain_text(ar(YOUR_VOTE[value]))
    expect(page.locator(f"#statement-{mine.number}")).to_contain_text(MY_STATEMENT)
    changed = next(number for number, value in clicked.items() if value == AGREE)
    item = page.locator(f"#statement-{changed}")
    agree = item.get_by_role("button", name=ar(BUTTONS[AGREE]), exact=True)
    disagree = item.get_by_role("button", name=ar(BUTTONS[DISAGREE]), exact=True)
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(disagree).to_have_attribute("aria-pressed", "false")
    click_and_check(page, moved, disagree)
    clicked[changed] = DISAGREE
    expect(page).to_have_url(
        re.compile(rf"{re.escape(base)}statements/\?page=1#statement-{changed}$")
    )
    expect(page.get_by_role("status")).to_contain_text(ar_saved(changed, DISAGREE))
    item = page.locator(f"#statement-{changed}")
    expect(item).to_contain_text(ar(YOUR_VOTE[DISAGREE]))
    expect(item.get_by_role("button", name=ar(BUTTONS[DISAGREE]), exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(item.get_by_role("button", name=ar(BUTTONS[AGREE]), exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    checked.check(page)  # the statement list, with one's votes pressed

    # 5. The map: two groups, the drawing and the tables.
    nav = page.get_by_role("navigation", name=ar("Opinion map"))
    click_and_check(page, moved, nav.get_by_role("link", name=ar("The map")))
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}results/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ar("The opinion map"))
    drawing = page.get_by_role("img", name=ar("Map of the opinion groups"))
    expect(drawing).to_be_visible()
    groups = page.locator("table.groups-table")
    expect(groups.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("heading", name=ar("Where most people agree"))).to_be_visible()
    expect(page.get_by_role("heading", name=ar("Where the groups differ most"))).to_be_visible()
    checked.check(page)  # the map, with its drawing and tables

    # What the database holds: one vote per statement clicked, the changed one changed.
    stored = dict(
        Vote.objects.filter(participant__user__username="participant").values_list(
            "statement__number", "value"
        )
    )
    assert stored == clicked
    assert len(checked.pages) == 3 and len(moved.pages) >= 7
    problems = checked.problems + moved.problems
    assert problems == [], "\n".join(problems)
    foreign = other_hosts(requests, live_server)
    assert requests and not foreign, "pages requested other hosts:\n" + "\n".join(foreign)


def test_without_an_account_one_votes_where_allowed_and_is_told_to_sign_in_elsewhere(
    transactional_db, live_server, new_context, axe_violations
):
    open_map = consultation_with_map(OPEN_TITLE, OPEN_SEEDS, allows_anonymous=True)
    closed_map = consultation_with_map(TITLE, SEEDS[:3])
    checked = Visits(axe_violations)
    moved = Visits(no_axe)
    requests: list[str] = []
    visitor = new_context(**PHONE_320)
    visitor.on("request", lambda request: requests.append(request.url))

    # 1. Where the consultation lets people without an account take part, the visitor votes.
    base = f"/ar/consultations/{open_map.consultation.pk}/map/"
    page = open_page(visitor, base, moved)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(
        page.get_by_text(ar("You are not logged in: your votes are counted as unverified."))
    ).to_be_visible()
    shown = page.locator(".statement-card .statement-text")
    number = int(re.fullmatch(r"statement-(\d+)-text", shown.get_attribute("id"))[1])
    buttons = page.get_by_role("group", name=shown.inner_text().strip())
    assert not [c for c in visitor.cookies() if c["name"] == ANON_COOKIE]
    click_and_check(page, moved, buttons.get_by_role("button", name=ar(BUTTONS[AGREE]), exact=True))
    expect(page.get_by_role("status")).to_contain_text(ar_saved(number, AGREE))
    expect(page.locator("#progress-text")).to_contain_text(ar_progress(1, len(OPEN_SEEDS)))
    checked.check(page)  # the vote page of someone without an account
    cookie = next(c for c in visitor.cookies() if c["name"] == ANON_COOKIE)
    assert cookie["value"] and cookie["httpOnly"]
    vote = Vote.objects.get()
    someone = Participant.objects.get(consultation=open_map.consultation)
    assert (vote.participant, vote.statement.number, vote.value) == (someone, number, AGREE)
    assert someone.user is None and someone.is_anonymous

    # 2. Where it does not, the visitor is told to sign in: no buttons to vote or add with.
    closed = f"/ar/consultations/{closed_map.consultation.pk}/map/"
    page = open_page(visitor, closed, moved)
    expect(page.get_by_role("status")).to_contain_text(ar("Please sign in to take part."))
    expect(page.locator(".statement-card .statement-text")).to_be_visible()
    for value in BUTTONS.values():
        expect(page.get_by_role("button", name=ar(value), exact=True)).to_have_count(0)
    expect(page.get_by_label(named(ar("Your statement")))).to_have_count(0)
    expect(page.get_by_text(ar("You cannot add statements now (see above)."))).to_be_visible()
    login = page.get_by_role("status").get_by_role("link", name=ar("Log in"))
    click_and_check(page, moved, login)
    expect(page).to_have_url(re.compile(r"/ar/accounts/login/\?next=" + re.escape(closed)))
    assert not Vote.objects.filter(statement__map=closed_map).exists()
    assert not Participant.objects.filter(consultation=closed_map.consultation).exists()

    assert len(checked.pages) == 1
    problems = checked.problems + moved.problems
    assert problems == [], "\n".join(problems)
    foreign = other_hosts(requests, live_server)
    assert requests and not foreign, "pages requested other hosts:\n" + "\n".join(foreign)
