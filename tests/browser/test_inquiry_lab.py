"""The Inquiry Lab on a 320-px phone in Ukrainian: a 19-year-old registers, joins a team and
submits the team's policy brief; someone one day too young is refused kindly.

Oksana turns 19 on the challenge's start date. Signed in, she opens the challenge in Ukrainian,
registers through the form (full birth date, country, languages, consent) and reads that the
organisers will confirm; the organiser confirms (service). In the team-formation stage she asks,
on its page, to join a team two others formed; its lead accepts and hands the team over to her
(services), since only the lead submits. In the work stage she writes every part of the brief
(sources, a summary in Ukrainian and one in English), saves the draft and submits it.

The pages are not translated yet, so the test finds elements by form field names, URLs and ids,
and compares texts with the site's own catalogue in Ukrainian (which falls back to English until
the translations come). Every page is `lang="uk"` and does not scroll sideways; axe finds nothing
on the challenge page, the registration form, the team page, the brief form, the submitted state
and the kind refusal; no page asks anything of another host.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from phone_flow import PHONE, WIDTH

from voices.accounts.models import Role, User
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.core.names import public_name
from voices.directory.models import Organisation
from voices.directory.tests.factories import OrganisationFactory, text
from voices.inquirylab import challenge_services, eligibility, team_services
from voices.inquirylab.models import Brief, Registration, Stage, Team, TeamMember, TeamRequest
from voices.inquirylab.tests.factories import ChallengeFactory, RegistrationFactory, move_to

try:
    from playwright.sync_api import expect
except ImportError:  # The `browser` fixture then skips (or fails) and says why.
    expect = None


pytestmark = pytest.mark.browser


UK_PHONE = {**PHONE, "viewport": {"width": WIDTH, "height": 720}, "locale": "uk"}
DAY = datetime.timedelta(days=1)
PAGE_FACTS = """() => ({
    width: document.documentElement.scrollWidth,
    lang: document.documentElement.getAttribute("lang"),
})"""

SLUG = "molodi-holosy-2026"
TITLE = "Молоді голоси: право на навчання"
THEME = "Молоді люди та право на навчання"
TEAM_NAME = "Вечірні класи"
JOIN_MESSAGE = "Я пишу українською та англійською і добре шукаю дані."
BRIEF = {
    "title": "Вечірні мовні курси для молодих новоприбулих",
    "problem": "Мовні курси в Граці закінчуються о 16:00, коли більшість молоді ще працює.",
    "affected": "Молоді люди 19–26 років, які працюють удень: близько 2 000 осіб у місті.",
    "proposal": "Відкрити вечірні групи до 21:00 у трьох школах міста.",
    "evidence": "Міська статистика 2025 року та опитування 120 учасників.",
    "institution": "Міська рада Граца",
    "feasibility": "Два викладачі на школу, близько 60 000 євро на рік.",
    "steps": "Пілот в одній школі з вересня, оцінка після пів року.",
    "summary": "Вечірні мовні курси, щоб працююча молодь могла вчитися.",
    "second_summary": "Evening language classes, so that young people who work can learn.",
    "video_url": "https://example.org/video/vechirni-kursy",
}
SOURCES = [
    "https://example.org/graz/statistik-2025",
    "Опитування учасників, березень 2026",
]


def uk(msgid: str) -> str:
    """`msgid` as the site shows it in Ukrainian (English until the catalogue has it)."""
    with translation.override("uk"):
        return gettext(msgid)


def url(name: str, **kwargs) -> str:
    """The Ukrainian address of a page."""
    with translation.override("uk"):
        return reverse(name, kwargs=kwargs)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def other_hosts(requests: list[str], live_server) -> list[str]:
    """The requests that went anywhere but the live server."""
    return sorted(
        {
            address
            for address in requests
            if not (address.startswith(live_server.url + "/") or address.startswith("data:"))
        }
    )


class Visits:
    """Checks pages in Ukrainian (left to right): `lang`, no sideways scroll, and axe on the pages
    named; every problem is kept and reported together at the end."""

    def __init__(self, axe_violations):
        self.axe_violations = axe_violations
        self.problems: list[str] = []
        self.axed: list[str] = []

    def check(self, page, name: str | None = None) -> None:
        """Check the page; `name` it to run axe on it too."""
        page.wait_for_load_state("load")
        facts = page.evaluate(PAGE_FACTS)
        where = name or page.url
        if facts["lang"] != "uk":
            self.problems.append(f"{where} ({page.url}): <html lang={facts['lang']!r}>")
        if facts["width"] > WIDTH:
            self.problems.append(f"{where} ({page.url}): scrollWidth {facts['width']} > {WIDTH}")
        if name is None:
            return
        self.axed.append(name)
        for violation in self.axe_violations(page):
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.problems.append(
                f"{name} ({page.url}): axe {violation['id']} ({violation['help']}) {targets}"
            )


def go(page, visits: Visits, locator, name: str | None = None) -> None:
    """Follow a link or submit a form, make sure the server answered, and check the new page."""
    expect(locator).to_have_count(1)
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.ok, f"{page.url}: HTTP {response and response.status}"
    visits.check(page, name)


def submit_button(page, field: str):
    """The submit button of the form in the page's main part that holds the field `field`."""
    form = page.locator("main form").filter(has=page.locator(f'[name="{field}"]'))
    return form.locator("button[type=submit]")


@pytest.fixture
def lab(transactional_db, live_server):
    """A published challenge of an NGO, in its registration stage, in Ukrainian and English; its
    organiser; two people already registered and confirmed, who will form a team."""
    ngo = OrganisationFactory(
        kind=Organisation.Kind.NGO, name=text("Youth Bridge", uk="Молодіжний міст")
    )
    challenge = ChallengeFactory(
        slug=SLUG,
        organiser=ngo,
        title=text("Young voices: the right to study", uk=TITLE),
        theme=text("Young people and the right to study", uk=THEME),
        languages=["uk", "en"],
    )
    # Keep the start date clear of 29 February, so that "19 years before" is the same day.
    if (challenge.starts_on.month, challenge.starts_on.day) in ((2, 28), (2, 29), (3, 1)):
        challenge.starts_on += 3 * DAY
        challenge.save()
    organiser = UserFactory(username="organiser", display_name="Ганна Коваль")
    grant(organiser, Role.REPRESENTATIVE, ngo)
    with_second_factor(organiser)
    lead = UserFactory(username="maria", display_name="Марія", languages=["uk", "en"])
    member = UserFactory(username="dmytro", display_name="Дмитро", languages=["uk"])
    for user in (lead, member):
        RegistrationFactory(challenge=challenge, user=user, country="AT", languages=["uk", "en"])
    return challenge


def test_a_19_year_old_registers_joins_a_team_and_submits_a_brief_in_ukrainian(
    lab, live_server, new_context, axe_violations
):
    challenge = lab
    born = years_before(challenge.starts_on, 19)
    # Exactly 19 on the start date: the day before, still 18.
    assert eligibility.age_on(born, challenge.starts_on) == 19
    assert eligibility.age_on(born, challenge.starts_on - DAY) == 18
    oksana = UserFactory(username="oksana", display_name="Оксана", languages=["uk"])
    organiser, lead, member = (
        User.objects.get(username=n) for n in ("organiser", "maria", "dmytro")
    )
    visits = Visits(axe_violations)
    requests: list[str] = []
    phone = new_context("oksana", **UK_PHONE)
    phone.on("request", lambda request: requests.append(request.url))
    detail_url = url("inquirylab:detail", slug=SLUG)

    # 1. Oksana opens the challenge in Ukrainian.
    page = phone.new_page()
    response = page.goto(detail_url)
    assert response is not None and response.ok
    visits.check(page, "challenge page")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    with translation.override("uk"):
        age_rule = eligibility.age_rule_text(challenge)
    expect(page.locator("main dl.facts")).to_contain_text(age_rule)

    # 2. She registers: full birth date, country, languages and consent.
    register_url = url("inquirylab:register", slug=SLUG)
    go(page, visits, page.locator(f'main a[href="{register_url}"]'), "registration form")
    expect(page).to_have_url(re.compile(rf"{re.escape(register_url)}$"))
    page.locator('[name="birth_date"]').fill(born.isoformat())
    page.locator('[name="country"]').select_option("AT")
    page.locator('[name="languages"][value="uk"]').check()
    page.locator('[name="languages"][value="en"]').check()
    page.locator('[name="consent"]').check()
    go(page, visits, submit_button(page, "consent"))
    expect(page).to_have_url(re.compile(rf"{re.escape(detail_url)}$"))
    expect(page.locator(".messages .message-success")).to_have_text(
        uk("Thank you, you are registered. The organisers will confirm your registration.")
    )
    expect(page.locator("#now-title + ul")).to_contain_text(
        uk("You are registered. Your registration is waiting for the organisers.")
    )
    registration = Registration.objects.get(challenge=challenge, user=oksana)
    assert registration.status == Registration.Status.PENDING
    assert (registration.country, sorted(registration.languages)) == ("AT", ["en", "uk"])
    assert registration.consented_at is not None

    # 3. The organiser confirms her registration.
    challenge_services.registration_decide(
        actor=organiser, registration=registration, decision="confirm"
    )
    page.reload()
    visits.check(page)
    expect(page.locator("#now-title + ul")).to_contain_text(
        uk("You are registered, and your registration is confirmed.")
    )

    # 4. Teams are formed: Maria and Dmytro make a team that takes join requests.
    move_to(challenge, Stage.TEAM_FORMATION)
    team = team_services.team_create(
        actor=lead, challenge=challenge, name=TEAM_NAME, language="uk", is_open=True
    )
    asked = team_services.team_join_request(actor=member, team=team)
    team_services.team_request_answer(actor=lead, request=asked, accept=True)
    team_url = url("inquirylab:team", team_id=team.pk)
    teams_url = url("inquirylab:teams", slug=SLUG)

    # 5. Oksana finds the team and asks to join it.
    page.reload()
    visits.check(page)
    go(page, visits, page.locator(f'main a[href="{teams_url}"]').first)
    expect(page).to_have_url(re.compile(rf"{re.escape(teams_url)}$"))
    go(page, visits, page.locator(f'main a[href="{team_url}"]'), "team page")
    expect(page.get_by_role("heading", level=1)).to_have_text(TEAM_NAME)
    page.locator('main form [name="message"]').fill(JOIN_MESSAGE)
    go(page, visits, submit_button(page, "message"))
    expect(page).to_have_url(re.compile(rf"{re.escape(team_url)}$"))
    expect(page.locator(".messages .message-success")).to_have_text(
        uk("Your request is sent. The team's lead will accept or decline it.")
    )
    expect(page.locator("#own-request")).to_have_text(uk("You asked to join this team"))
    join = TeamRequest.objects.get(team=team, user=oksana)
    assert (join.kind, join.status, join.message) == (
        TeamRequest.Kind.JOIN_REQUEST,
        TeamRequest.Status.PENDING,
        JOIN_MESSAGE,
    )

    # 6. Maria accepts, and hands the team over to Oksana, who will submit the brief.
    team_services.team_request_answer(actor=lead, request=join, accept=True)
    team_services.team_handover(actor=lead, team=team, new_lead=oksana)
    page.reload()
    visits.check(page, "team page, as its new lead")
    members = page.locator("main h2 + ul").first
    expect(members.locator("li")).to_have_count(3)
    expect(members.locator("li").filter(has=page.locator(".badge"))).to_contain_text(
        public_name(oksana)
    )
    expect(page.locator("#own-request")).to_have_count(0)

    # 7. Work starts: from the challenge page Oksana opens the brief form.
    move_to(challenge, Stage.WORK)
    brief_url = url("inquirylab:brief_edit", team_id=team.pk)
    page.goto(detail_url)
    visits.check(page)
    go(page, visits, page.locator(f'main a[href="{brief_url}"]'), "brief form")
    expect(page).to_have_url(re.compile(rf"{re.escape(brief_url)}$"))
    expect(page.locator("#write-title")).to_be_visible()

    # 8. She writes every part, with two sources and a summary in Ukrainian and in English.
    for field, value in BRIEF.items():
        page.locator(f'main [name="{field}"]').fill(value)
    page.locator('main [name="sources"]').fill("\n".join(SOURCES))
    page.locator('main [name="summary_language"]').select_option("uk")
    page.locator('main [name="second_summary_language"]').select_option("en")
    go(page, visits, submit_button(page, "title"))
    expect(page).to_have_url(re.compile(rf"{re.escape(brief_url)}$"))
    expect(page.locator(".messages .message-success")).to_have_count(1)
    brief = Brief.objects.get(team=team)
    draft = brief.versions.get()
    assert (draft.number, draft.created_by, brief.submitted_version) == (1, oksana, None)
    expect(page.locator('main [name="title"]')).to_have_value(BRIEF["title"])
    expect(page.locator("#submission .callout")).to_have_count(0)  # nothing is missing

    # 9. She submits version 1: the page shows it submitted, and the submitted brief is readable.
    submit_url = url("inquirylab:brief_submit", team_id=team.pk)
    go(page, visits, page.locator(f'main form[action="{submit_url}"] button[type=submit]'))
    expect(page).to_have_url(re.compile(rf"{re.escape(brief_url)}#submission$"))
    expect(page.locator(".messages .message-success")).to_have_count(1)
    expect(page.locator(f'main form[action="{submit_url}"]')).to_have_count(0)
    expect(page.locator("#submission")).to_contain_text(
        uk("Version %(number)s is the submitted one. Save changes to submit a newer version.")
        % {"number": 1}
    )
    visits.check(page, "brief, submitted")
    brief.refresh_from_db()
    go(page, visits, page.locator(f'main a[href="{url("inquirylab:brief", brief_id=brief.pk)}"]'))
    expect(page.get_by_role("heading", level=1)).to_have_text(BRIEF["title"])
    for value in (BRIEF["proposal"], BRIEF["summary"], BRIEF["second_summary"]):
        expect(page.locator("main")).to_contain_text(value)

    # What the database holds.
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert TeamMember.objects.filter(challenge=challenge, user=oksana, team=team).exists()
    assert Team.objects.get(pk=team.pk).lead == oksana
    submitted = brief.submitted_version
    assert submitted is not None and brief.submitted_at is not None
    assert submitted.number == 1 and submitted.created_by == oksana
    for field, value in BRIEF.items():
        assert getattr(submitted, field) == value, field
    assert submitted.source_lines == SOURCES
    assert (submitted.summary_language, submitted.second_summary_language) == ("uk", "en")

    assert visits.axed == [
        "challenge page",
        "registration form",
        "team page",
        "team page, as its new lead",
        "brief form",
        "brief, submitted",
    ]
    assert visits.problems == [], "\n".join(visits.problems)
    foreign = other_hosts(requests, live_server)
    assert requests and not foreign, "pages requested other hosts:\n" + "\n".join(foreign)


def test_one_day_too_young_is_told_why_kindly_and_nothing_is_kept(
    lab, live_server, new_context, axe_violations
):
    challenge = lab
    # The challenge starts the day before their 19th birthday.
    born = years_before(challenge.starts_on + DAY, 19)
    assert eligibility.age_on(born, challenge.starts_on) == 18
    UserFactory(username="taras", display_name="Тарас", languages=["uk"])
    visits = Visits(axe_violations)
    requests: list[str] = []
    phone = new_context("taras", **UK_PHONE)
    phone.on("request", lambda request: requests.append(request.url))
    register_url = url("inquirylab:register", slug=SLUG)

    page = phone.new_page()
    response = page.goto(register_url)
    assert response is not None and response.ok
    visits.check(page, "registration form")
    page.locator('[name="birth_date"]').fill(born.isoformat())
    page.locator('[name="country"]').select_option("AT")
    page.locator('[name="languages"][value="uk"]').check()
    page.locator('[name="consent"]').check()
    go(page, visits, submit_button(page, "consent"), "refusal")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text(uk("Thank you for your interest"))
    with translation.override("uk"):
        age_rule = eligibility.age_rule_text(challenge)
    reasons = page.locator("main .callout[role=status] p")
    expect(reasons).to_have_text([age_rule, uk("Nothing you entered was kept.")])
    # They can still follow the challenge publicly.
    expect(page.locator(f'main a[href="{url("inquirylab:detail", slug=SLUG)}"]')).not_to_have_count(
        0
    )
    expect(page.locator(f'main a[href="{register_url}"]')).to_have_count(1)

    assert not Registration.objects.filter(challenge=challenge, user__username="taras").exists()
    assert Registration.objects.filter(challenge=challenge).count() == 2  # Maria and Dmytro
    assert visits.axed == ["registration form", "refusal"]
    assert visits.problems == [], "\n".join(visits.problems)
    foreign = other_hosts(requests, live_server)
    assert requests and not foreign, "pages requested other hosts:\n" + "\n".join(foreign)
