"""Consultation pages through the client: lists and search, the consultation page and who may
take part, proposals, supports and comments (also without an account), moderation, answers and
results, exports, machine translation and citing a proposal for a council motion."""

import csv
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.consultations import components, services
from voices.consultations.models import (
    Comment,
    Consultation,
    MotionCitation,
    Participant,
    Phase,
    Proposal,
    Support,
)
from voices.consultations.taking_part import ANON_SALT
from voices.consultations.tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ProposalFactory,
)
from voices.consultations.views import ANON_COOKIE, EXPORT_COLUMNS
from voices.core.models import Block, ModerationState, Notification, Report
from voices.councils.decision_models import Motion, MotionEvidence
from voices.councils.models import AgendaItem, PolicyDomain
from voices.councils.tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
)
from voices.directory.tests.factories import (
    CountryFactory,
    OrganisationFactory,
    RegionFactory,
    text,
)

FAKE_BACKEND = "voices.consultations.tests.test_views.FakeTranslator"


class FakeTranslator:
    """A translation backend that marks the text instead of sending it anywhere."""

    name = "fake"

    def translate(self, text: str, *, source: str, target: str) -> str:
        return f"[{source} to {target}] {text}"


def url(name: str, **kwargs) -> str:
    return reverse(f"consultations:{name}", kwargs=kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def titles(response) -> list[str]:
    return sorted(str(c.title) for c in response.context["page"].object_list)


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


def figures(response) -> dict[str, str]:
    """The results page's participation figures, by their label."""
    pairs = re.findall(r'<span class="figure">([^<]*)</span>\s*([^<]+?)\s*</li>', response.text)
    return {label: value for value, label in pairs}


def comment_data(body: str = "The classes are full by March.", **extra) -> dict:
    return {"body": body, "stance": "for", "language": "en", **extra}


def support(client, proposal: Proposal, *, on: bool = True):
    return client.post(
        url("proposal_support", proposal_id=proposal.pk), {"support": "1" if on else "0"}
    )


@pytest.fixture
def proposal(consultation, participant):
    return ProposalFactory(
        consultation=consultation, author=participant, title="Evening language classes"
    )


# The list and its filters


@pytest.fixture
def listed(authority):
    france = CountryFactory(code="FR", language="fr")
    ConsultationFactory(owner_organisation=authority, title=text("Housing in Graz"))
    ConsultationFactory(
        owner_organisation=OrganisationFactory(country=france), country=france,
        domain=PolicyDomain.objects.get(code="education"), title=text("Schools in Lyon"),
    )  # fmt: skip
    ConsultationFactory(
        owner_organisation=authority, title=text("Buses in Graz"), phase=Phase.CLOSED
    )
    ConsultationFactory(
        owner_organisation=authority, title=text("Draft in Graz"), is_published=False
    )


@pytest.mark.django_db
def test_the_list_shows_published_consultations_only(client, listed):
    response = client.get(url("list"))

    assert response.status_code == 200
    assert titles(response) == ["Buses in Graz", "Housing in Graz", "Schools in Lyon"]
    assert "Draft in Graz" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "FR"}, ["Schools in Lyon"]),
        ({"country": "AT"}, ["Buses in Graz", "Housing in Graz"]),
        ({"domain": "education"}, ["Schools in Lyon"]),
        ({"domain": "housing"}, ["Buses in Graz", "Housing in Graz"]),
        ({"phase": "closed"}, ["Buses in Graz"]),
        ({"phase": "contributions"}, ["Housing in Graz", "Schools in Lyon"]),
        ({"phase": "answers"}, []),
        ({"country": "AT", "phase": "contributions"}, ["Housing in Graz"]),
        ({"country": "AT", "domain": "education"}, []),
    ],
)
def test_the_list_is_filtered_by_country_domain_and_phase(client, listed, query, expected):
    response = client.get(url("list"), query)

    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "XX", "domain": "education"}, ["Schools in Lyon"]),
        ({"country": "FR", "domain": "no-such-domain"}, ["Schools in Lyon"]),
        ({"country": "AT", "phase": "someday"}, ["Buses in Graz", "Housing in Graz"]),
        ({"country": "99999999999999999999999", "phase": "closed"}, ["Buses in Graz"]),
    ],
)
def test_a_bad_filter_value_drops_only_that_filter(client, listed, query, expected):
    response = client.get(url("list"), query)

    assert response.status_code == 200
    assert titles(response) == expected


# Drafts


@pytest.fixture
def draft(authority):
    return ConsultationFactory(
        owner_organisation=authority, title=text("Draft in Graz"), is_published=False
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "outsider", "participant"])
def test_a_draft_is_a_404_for_people_who_do_not_run_it(client, request, draft, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(url("proposals", consultation_id=draft.pk)).status_code == 404
    assert client.get(url("results", consultation_id=draft.pk)).status_code == 404
    assert "Draft in Graz" not in client.get(url("list")).text


@pytest.mark.django_db
def test_the_owners_officer_sees_the_draft_in_the_list_and_on_its_page(client, officer, draft):
    client.force_login(officer)

    listing = client.get(url("list"))
    page = client.get(draft.get_absolute_url())

    assert [c.pk for c in listing.context["drafts"]] == [draft.pk]
    assert "Your drafts" in listing.text
    assert titles(listing) == []  # a draft is not among the published ones
    assert page.status_code == 200
    assert "Draft: only the people who run this consultation see it." in page.text


@pytest.mark.django_db
def test_the_owners_officer_publishes_a_draft_and_everyone_sees_it(client, officer, draft):
    client.force_login(officer)

    response = client.post(url("publish", consultation_id=draft.pk))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert Client().get(draft.get_absolute_url()).status_code == 200


# Running a consultation

STAFF_PAGES = ["edit", "moderation", "closing_statement", "proposal_answer"]


def staff_page(name: str, proposal: Proposal) -> str:
    if name == "proposal_answer":
        return url(name, proposal_id=proposal.pk)
    return url(name, consultation_id=proposal.consultation_id)


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_the_owners_officer_opens_the_pages_that_run_the_consultation(
    client, officer, proposal, name
):
    client.force_login(officer)

    assert client.get(staff_page(name, proposal)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_an_officer_of_another_authority_is_refused(client, proposal, name):
    stranger = UserFactory()
    grant(stranger, Role.OFFICER, OrganisationFactory())
    client.force_login(with_second_factor(stranger))

    assert client.get(staff_page(name, proposal)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_without_a_second_factor_are_sent_to_set_one_up(
    client, staff_without_second_factor, proposal, name
):
    client.force_login(staff_without_second_factor)

    response = client.get(staff_page(name, proposal))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# The consultation page: timeline and what one can do now

NOW_TEXT = {
    Phase.UPCOMING: "This consultation has not started. Come back when it opens.",
    Phase.INFORMATION: "Read the background. Proposals open soon.",
    Phase.CONTRIBUTIONS: "Make a proposal, comment, and support the proposals you agree with.",
    Phase.DELIBERATION: "Comment and support proposals. New proposals are closed.",
    Phase.ANSWERS: "Read the answers to the proposals as they come.",
    Phase.CLOSED: "Read the results and the answer to every proposal.",
}
CURRENT_STEP = re.compile(r'<li class="current" aria-current="step">\s*<strong>([^<]*)</strong>')


@pytest.mark.django_db
@pytest.mark.parametrize("phase", list(NOW_TEXT))
def test_the_page_marks_the_current_phase_and_says_what_one_can_do_now(client, authority, phase):
    consultation = ConsultationFactory(owner_organisation=authority, phase=phase)

    response = client.get(consultation.get_absolute_url())

    assert response.status_code == 200
    assert NOW_TEXT[phase] in response.text
    assert [t for p, t in NOW_TEXT.items() if p != phase and t in response.text] == []
    expected = [] if phase == Phase.UPCOMING else [str(Phase(phase).label)]
    assert CURRENT_STEP.findall(response.text) == expected
    assert response.text.count('aria-current="step"') == len(expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "phase, can_propose", [(Phase.CONTRIBUTIONS, True), (Phase.DELIBERATION, False)]
)
def test_the_make_a_proposal_button_shows_only_while_proposals_are_open(
    client, authority, phase, can_propose
):
    consultation = ConsultationFactory(owner_organisation=authority, phase=phase)

    response = client.get(consultation.get_absolute_url())

    create = url("proposal_create", consultation_id=consultation.pk)
    assert (f'href="{create}"' in response.text) is can_propose


# Who may take part: the eligibility callout and its short form

THIS_YEAR = timezone.localdate().year


def consultation_country():
    return CountryFactory(code="AT")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "age_range, in_region, birth_year, fields",
    [
        ((16, 30), False, None, {"birth_year"}),
        ((16, 30), True, None, {"birth_year", "lives_there"}),
        ((16, 30), True, THIS_YEAR - 20, {"lives_there"}),
        (None, True, None, {"lives_there"}),
        (None, False, None, set()),
        ((16, 30), False, THIS_YEAR - 20, set()),
    ],
)
def test_the_participation_form_asks_only_what_the_rule_needs(
    client, authority, participant, age_range, in_region, birth_year, fields
):
    participant.country, participant.birth_year = "AT", birth_year
    participant.save()
    low, high = age_range or (None, None)
    consultation = ConsultationFactory(
        owner_organisation=authority, min_age=low, max_age=high,
        eligibility=Consultation.Eligibility.RESIDENTS,
        region=RegionFactory(country=consultation_country()) if in_region else None,
    )  # fmt: skip
    client.force_login(participant)

    response = client.get(consultation.get_absolute_url())

    take_part = url("participation", consultation_id=consultation.pk)
    assert (f'action="{take_part}"' in response.text) is bool(fields)
    assert ('name="birth_year"' in response.text) is ("birth_year" in fields)
    assert ('name="lives_there"' in response.text) is ("lives_there" in fields)
    assert ("Add a comment" in response.text) is not bool(fields)


@pytest.mark.django_db
def test_someone_too_old_is_told_the_age_range_without_a_form(client, authority, participant):
    participant.birth_year = THIS_YEAR - 50
    participant.save()
    consultation = ConsultationFactory(owner_organisation=authority, min_age=16, max_age=30)
    client.force_login(participant)

    response = client.get(consultation.get_absolute_url())

    assert "This consultation is for people aged 16 to 30." in response.text
    assert 'name="birth_year"' not in response.text
    assert "Add a comment" not in response.text


@pytest.fixture
def youth_in_region(authority):
    """Young people who live in one region of Austria."""
    return ConsultationFactory(
        owner_organisation=authority, min_age=16, max_age=30,
        eligibility=Consultation.Eligibility.RESIDENTS,
        region=RegionFactory(country=consultation_country(), name=text("Styria")),
    )  # fmt: skip


@pytest.mark.django_db
def test_answering_the_participation_form_lets_the_person_take_part(
    client, participant, youth_in_region
):
    participant.country = "AT"
    participant.save()
    client.force_login(participant)
    before = client.get(youth_in_region.get_absolute_url())
    assert "Please confirm that you live in Styria." in before.text

    response = client.post(
        url("participation", consultation_id=youth_in_region.pk),
        {"birth_year": str(THIS_YEAR - 20), "lives_there": "on"},
        follow=True,
    )

    assert "Thank you. You can take part now." in response.text
    assert "Add a comment" in response.text
    assert 'name="birth_year"' not in response.text
    participant.refresh_from_db()
    assert participant.birth_year == THIS_YEAR - 20
    assert Participant.objects.get(consultation=youth_in_region, user=participant).declared_resident
    client.post(url("comment_create", consultation_id=youth_in_region.pk), comment_data())
    assert Comment.objects.filter(consultation=youth_in_region, author=participant).exists()


@pytest.mark.django_db
def test_the_participation_form_without_the_residence_box_changes_nothing(
    client, participant, youth_in_region
):
    participant.country = "AT"
    participant.save()
    client.force_login(participant)

    response = client.post(
        url("participation", consultation_id=youth_in_region.pk),
        {"birth_year": str(THIS_YEAR - 20)},
        follow=True,
    )

    assert "This field is required." in response.text
    assert "Add a comment" not in response.text
    assert not Participant.objects.filter(declared_resident=True).exists()


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in_by_the_participation_form(client, youth_in_region):
    response = client.post(url("participation", consultation_id=youth_in_region.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Participant.objects.exists()


# Proposals


@pytest.mark.django_db
def test_similar_proposals_are_shown_before_a_new_one_is_published(
    client, consultation, outsider, participant
):
    existing = ProposalFactory(
        consultation=consultation, author=outsider, title="Evening language classes for parents"
    )
    client.force_login(participant)
    data = {"title": "More evening classes", "body": "After 18:00, please.", "language": "en"}
    create = url("proposal_create", consultation_id=consultation.pk)

    first = client.post(create, data)

    assert first.status_code == 200
    assert "These proposals look similar." in first.text
    assert existing.get_absolute_url() in first.text
    assert "Publish my proposal anyway" in first.text
    assert first.context["form"].initial["confirmed"] is True
    assert Proposal.objects.filter(consultation=consultation).count() == 1

    second = client.post(create, {**data, "confirmed": "True"})

    proposal = Proposal.objects.get(author=participant)
    assert second.status_code == 302
    assert second["Location"] == proposal.get_absolute_url()
    assert proposal.title == "More evening classes"
    assert proposal.moderation_state == ModerationState.VISIBLE
    assert "Thank you. Your proposal is published." in messages_of(second)


@pytest.mark.django_db
def test_a_proposal_unlike_any_other_is_published_at_once(client, consultation, participant):
    ProposalFactory(consultation=consultation, title="Evening language classes")
    client.force_login(participant)

    response = client.post(
        url("proposal_create", consultation_id=consultation.pk),
        {"title": "Night buses to the suburbs", "body": "After 23:00.", "language": "en"},
    )

    proposal = Proposal.objects.get(author=participant)
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()


@pytest.mark.django_db
def test_validation_errors_are_shown_in_the_language_of_the_page(client, consultation, participant):
    client.force_login(participant)
    with translation.override("fr"):
        create = url("proposal_create", consultation_id=consultation.pk)
    assert create.startswith("/fr/")

    response = client.post(create, {"title": "", "body": "", "language": "fr"})

    assert response.status_code == 200
    assert '<html lang="fr"' in response.text
    assert "Faire une proposition" in response.text
    assert response.text.count("Ce champ est obligatoire.") == 2
    assert "This field is required." not in response.text
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_proposal_page_shows_supports_and_the_support_button(client, proposal, outsider):
    client.force_login(outsider)

    response = client.get(proposal.get_absolute_url())

    assert response.status_code == 200
    assert "Evening language classes" in response.text
    assert "0 supports" in response.text
    assert url("proposal_support", proposal_id=proposal.pk) in response.text


@pytest.mark.django_db
def test_support_and_taking_it_back(client, proposal, outsider):
    client.force_login(outsider)

    given = support(client, proposal)

    proposal.refresh_from_db()
    assert given.status_code == 302
    assert proposal.supports_count == 1
    assert Support.objects.filter(proposal=proposal, participant__user=outsider).exists()
    assert 'aria-pressed="true"' in client.get(proposal.get_absolute_url()).text

    taken_back = support(client, proposal, on=False)

    proposal.refresh_from_db()
    assert "You no longer support this proposal." in messages_of(taken_back)
    assert proposal.supports_count == 0
    assert not Support.objects.exists()
    assert 'aria-pressed="true"' not in client.get(proposal.get_absolute_url()).text


@pytest.mark.django_db
def test_supporting_twice_counts_once(client, proposal, outsider):
    client.force_login(outsider)
    support(client, proposal)

    again = support(client, proposal)

    proposal.refresh_from_db()
    assert "You already support this proposal." in messages_of(again)
    assert proposal.supports_count == 1


@pytest.mark.django_db
def test_supporting_from_the_list_goes_back_to_the_list(client, proposal, outsider):
    client.force_login(outsider)

    response = client.post(
        url("proposal_support", proposal_id=proposal.pk), {"support": "1", "back": "list"}
    )

    assert response["Location"] == url("proposals", consultation_id=proposal.consultation_id)


@pytest.mark.django_db
def test_a_comment_and_a_reply_appear_as_a_thread(client, proposal, participant, outsider):
    client.force_login(participant)
    create = url(
        "proposal_comment_create", consultation_id=proposal.consultation_id, proposal_id=proposal.pk
    )

    first = client.post(create, comment_data("Classes after 18:00 would help."))

    comment = Comment.objects.get()
    assert first["Location"] == f"{proposal.get_absolute_url()}#comment-{comment.pk}"
    client.force_login(outsider)
    client.post(create, comment_data("Yes, and near the station.", parent=str(comment.pk)))

    reply = Comment.objects.exclude(pk=comment.pk).get()
    assert (reply.parent, reply.thread, reply.depth) == (comment, comment, 1)
    page = Client().get(proposal.get_absolute_url())
    [thread] = page.context["threads"]
    assert thread.comment == comment
    assert [r.comment for r in thread.replies] == [reply]
    assert "Classes after 18:00 would help." in page.text
    assert "Yes, and near the station." in page.text


@pytest.mark.django_db
def test_a_reply_to_a_comment_of_another_consultation_is_a_404(
    client, consultation, authority, participant
):
    elsewhere = CommentFactory(consultation=ConsultationFactory(owner_organisation=authority))
    client.force_login(participant)

    response = client.post(
        url("comment_create", consultation_id=consultation.pk),
        comment_data(parent=str(elsewhere.pk)),
    )

    assert response.status_code == 404
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_an_empty_comment_is_refused_with_a_message(client, consultation, participant):
    client.force_login(participant)

    response = client.post(url("comment_create", consultation_id=consultation.pk), comment_data(""))

    assert response["Location"] == consultation.get_absolute_url()
    assert messages_of(response) == ["Your comment: This field is required."]
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_the_author_removes_a_comment_and_its_reply_stays(client, consultation, participant):
    comment = CommentFactory(consultation=consultation, author=participant, body="Wrong place.")
    reply = CommentFactory(
        consultation=consultation, parent=comment, thread=comment, depth=1, body="Agreed."
    )
    client.force_login(participant)

    client.post(url("comment_remove", comment_id=comment.pk))

    page = Client().get(consultation.get_absolute_url())
    comment.refresh_from_db()
    assert comment.removed_at is not None
    assert "This comment was removed by its author." in page.text
    assert "Wrong place." not in page.text
    assert reply.body in page.text


@pytest.mark.django_db
def test_the_author_withdraws_a_proposal_and_brings_it_back(client, proposal, participant):
    client.force_login(participant)
    withdraw = url("proposal_withdraw", proposal_id=proposal.pk)

    client.post(withdraw)

    proposal.refresh_from_db()
    page = client.get(proposal.get_absolute_url())
    assert proposal.is_withdrawn
    assert "The author withdrew this proposal." in page.text
    assert "Undo: bring my proposal back" in page.text

    response = client.post(withdraw, {"undo": "1"})

    proposal.refresh_from_db()
    assert "Your proposal is back." in messages_of(response)
    assert not proposal.is_withdrawn
    assert "The author withdrew this proposal." not in client.get(proposal.get_absolute_url()).text


@pytest.mark.django_db
def test_a_withdrawn_proposal_cannot_be_supported(client, proposal, participant, outsider):
    services.proposal_withdraw(user=participant, proposal=proposal)
    client.force_login(outsider)

    response = support(client, proposal)

    proposal.refresh_from_db()
    assert "This proposal cannot be supported." in messages_of(response)
    assert proposal.supports_count == 0


@pytest.mark.django_db
def test_the_author_corrects_a_proposal_until_someone_supports_it(
    client, proposal, participant, outsider
):
    client.force_login(participant)
    edit = url("proposal_edit", proposal_id=proposal.pk)

    client.post(edit, {"title": "Evening classes", "body": "After 18:00."})

    proposal.refresh_from_db()
    assert (proposal.title, proposal.body) == ("Evening classes", "After 18:00.")
    assert proposal.edited_at is not None

    services.support_add(user=outsider, proposal=proposal)
    page = client.get(edit)
    response = client.post(edit, {"title": "Something else", "body": "Changed."})

    proposal.refresh_from_db()
    refusal = "This proposal can no longer be changed"
    assert refusal in page.text
    assert 'name="title"' not in page.text
    assert refusal in response.text
    assert proposal.title == "Evening classes"


# Taking part without an account


@pytest.fixture
def open_to_all(authority):
    return ConsultationFactory(owner_organisation=authority, allows_anonymous=True)


@pytest.mark.django_db
def test_without_an_account_one_proposes_supports_and_comments_from_one_browser(
    client, open_to_all, outsider
):
    theirs = ProposalFactory(consultation=open_to_all, author=outsider, title="Night buses")

    proposed = client.post(
        url("proposal_create", consultation_id=open_to_all.pk),
        {"title": "A bicycle workshop", "body": "Run by volunteers.", "language": "en"},
    )
    supported = support(client, theirs)
    commented = client.post(
        url("proposal_comment_create", consultation_id=open_to_all.pk, proposal_id=theirs.pk),
        comment_data("Buses until midnight."),
    )

    mine = Proposal.objects.get(title="A bicycle workshop")
    assert proposed["Location"] == mine.get_absolute_url()
    cookie = proposed.cookies[ANON_COOKIE]
    assert cookie.value and cookie["httponly"]
    assert ANON_COOKIE not in supported.cookies  # the browser already has its identity
    assert (mine.author, mine.is_anonymous) == (None, True)
    comment = Comment.objects.get()
    assert (comment.author, comment.is_anonymous) == (None, True)
    browser = Participant.objects.get(consultation=open_to_all)
    assert browser.user is None
    assert cookie.value not in browser.anon_key  # only a hash of the token is stored
    assert mine.participant == comment.participant == browser
    assert Support.objects.get().participant == browser
    assert commented.status_code == 302
    page = client.get(mine.get_absolute_url())
    assert "Anonymous participant (unverified)" in page.text


@pytest.mark.django_db
def test_the_same_browser_cannot_support_twice_but_another_one_can(client, open_to_all):
    proposal = ProposalFactory(consultation=open_to_all)
    support(client, proposal)

    again = support(client, proposal)
    other_browser = support(Client(), proposal)

    proposal.refresh_from_db()
    assert "You already support this proposal." in messages_of(again)
    assert other_browser.status_code == 302
    assert (proposal.supports_count, proposal.unverified_supports_count) == (0, 2)
    assert "(+2 unverified)" in client.get(proposal.get_absolute_url()).text
    assert Participant.objects.filter(consultation=open_to_all, user=None).count() == 2


@pytest.mark.django_db
def test_the_browser_identity_is_a_signed_cookie_kept_a_year_and_not_sent_to_other_sites(
    client, open_to_all
):
    response = support(client, ProposalFactory(consultation=open_to_all))

    cookie = response.cookies[ANON_COOKIE]
    assert cookie["max-age"] == 365 * 24 * 3600
    assert (cookie["httponly"], cookie["samesite"], cookie["secure"]) == (True, "Lax", "")
    request = RequestFactory().get("/")
    request.COOKIES[ANON_COOKIE] = cookie.value
    token = request.get_signed_cookie(ANON_COOKIE, salt=ANON_SALT)
    assert len(token) >= 40
    assert token not in Participant.objects.get().anon_key


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["proposal_create", "proposal_support", "comment_create"])
def test_without_anonymous_participation_a_visitor_is_sent_to_log_in(
    client, consultation, proposal, name
):
    target = {
        "proposal_create": url("proposal_create", consultation_id=consultation.pk),
        "proposal_support": url("proposal_support", proposal_id=proposal.pk),
        "comment_create": url("comment_create", consultation_id=consultation.pk),
    }[name]
    data = {
        "title": "A bicycle workshop", "body": "Run by volunteers.", "language": "en",
        "support": "1", **comment_data(),
    }  # fmt: skip

    response = client.post(target, data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert ANON_COOKIE not in response.cookies
    assert Proposal.objects.count() == 1
    assert not Support.objects.exists()
    assert not Comment.objects.exists()
    assert not Participant.objects.exists()


# Reports and moderation


@pytest.fixture
def spam(consultation, participant):
    """A comment on the consultation that two people will report."""
    consultation.report_threshold = 2
    consultation.save()
    return CommentFactory(
        consultation=consultation, author=participant, body="Cheap watches at example.com"
    )


def report(client, user, comment: Comment):
    client.force_login(user)
    return client.post(
        url("report", kind="comment", object_id=comment.pk),
        {"reason": "spam", "note": "An advert."},
    )


@pytest.mark.django_db
def test_enough_reports_hide_a_comment_until_a_moderator_checks_it(client, spam, outsider):
    first = report(client, outsider, spam)

    spam.refresh_from_db()
    page = Client().get(spam.consultation.get_absolute_url())
    assert first["Location"] == spam.get_absolute_url()
    assert "Thank you. A moderator will look at it." in messages_of(first)
    assert spam.moderation_state == ModerationState.VISIBLE
    assert "Cheap watches" in page.text

    report(client, UserFactory(), spam)

    spam.refresh_from_db()
    page = Client().get(spam.consultation.get_absolute_url())
    assert spam.moderation_state == ModerationState.REPORTED
    assert "This comment is hidden while a moderator checks reports about it." in page.text
    assert "Cheap watches" not in page.text


@pytest.mark.django_db
def test_nobody_reports_their_own_comment(client, spam, participant):
    response = report(client, participant, spam)

    assert "You cannot report your own contribution." in messages_of(response)
    assert not Report.objects.exists()


@pytest.fixture
def reported(client, spam, outsider):
    report(client, outsider, spam)
    report(client, UserFactory(), spam)
    client.logout()
    return spam


@pytest.mark.django_db
def test_the_moderation_queue_lists_a_reported_comment_with_its_reports(client, officer, reported):
    client.force_login(officer)

    response = client.get(url("moderation", consultation_id=reported.consultation_id))

    assert response.status_code == 200
    assert [e.target for e in response.context["entries"]] == [reported]
    assert "Cheap watches at example.com" in response.text
    assert "2 reports" in response.text


@pytest.fixture
def notes(consultation, monkeypatch) -> dict:
    """A part of the consultation moderated on its own page, where `notes["count"]` wait."""
    notes = {"count": 3}

    def waiting(consultation, *, user) -> components.Waiting:
        text = f"{notes['count']} notes wait for a moderator"
        return components.Waiting(text=text, url="/notes/moderate/", count=notes["count"])

    part = components.Component(
        key="notes", label="Notes", block=lambda *args, **kwargs: None, moderation=waiting
    )
    monkeypatch.setitem(components._components, "notes", part)
    consultation.components = ["proposals", "notes"]
    consultation.save()
    return notes


@pytest.mark.django_db
def test_the_moderation_queue_says_what_waits_on_the_pages_of_the_consultations_parts(
    client, officer, consultation, notes
):
    client.force_login(officer)
    address = url("moderation", consultation_id=consultation.pk)

    waiting = client.get(address)
    notes["count"] = 0
    none_waiting = client.get(address)

    line = 'Notes: 3 notes wait for a moderator — <a href="/notes/moderate/">moderate them</a>'
    assert line in waiting.text
    assert "No proposal or comment waits for a moderator." in waiting.text
    assert "Notes: 0 notes wait for a moderator</li>" in none_waiting.text
    assert "/notes/moderate/" not in none_waiting.text
    assert "Nothing waits for a moderator." in none_waiting.text


@pytest.mark.django_db
def test_a_part_the_consultation_does_not_hold_says_nothing_on_its_moderation_queue(
    client, officer, consultation, notes
):
    consultation.components = ["proposals"]
    consultation.save()
    client.force_login(officer)

    response = client.get(url("moderation", consultation_id=consultation.pk))

    assert response.context["elsewhere"] == []
    assert "notes wait" not in response.text
    assert "Nothing waits for a moderator." in response.text


@pytest.mark.django_db
def test_a_moderator_hides_a_comment_with_a_reason_and_its_author_is_told(
    client, officer, reported, participant
):
    client.force_login(officer)
    moderate = url("moderate", kind="comment", object_id=reported.pk)

    without_reason = client.post(moderate, {"action": "hide", "reason": ""})

    reported.refresh_from_db()
    assert "Say why it is hidden: the author will be told." in messages_of(without_reason)
    assert reported.moderation_state == ModerationState.REPORTED

    response = client.post(moderate, {"action": "hide", "reason": "Advertising."})

    reported.refresh_from_db()
    assert response["Location"] == url("moderation", consultation_id=reported.consultation_id)
    assert reported.moderation_state == ModerationState.HIDDEN
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    notice = Notification.objects.get(recipient=participant, kind="moderation_hide")
    assert "Advertising." in notice.body
    page = Client().get(reported.consultation.get_absolute_url())
    assert "This comment was hidden by a moderator." in page.text
    assert "Cheap watches" not in page.text
    queue = client.get(url("moderation", consultation_id=reported.consultation_id))
    assert queue.context["entries"] == []


@pytest.mark.django_db
def test_a_blocked_author_can_no_longer_comment_until_unblocked(client, officer, spam, participant):
    client.force_login(officer)
    client.post(url("block", kind="comment", object_id=spam.pk), {"reason": "Advertising again."})

    block = Block.objects.get(user=participant, lifted_at__isnull=True)
    assert Notification.objects.filter(recipient=participant, kind="moderation_block").exists()
    client.force_login(participant)
    page = client.get(spam.consultation.get_absolute_url())
    refused = client.post(
        url("comment_create", consultation_id=spam.consultation_id), comment_data()
    )
    blocked = "A moderator has blocked you from taking part in this consultation."
    assert blocked in page.text
    assert "Add a comment" not in page.text
    assert blocked in messages_of(refused)
    assert Comment.objects.filter(author=participant).count() == 1

    client.force_login(officer)
    client.post(url("unblock", consultation_id=spam.consultation_id, block_id=block.pk))

    block.refresh_from_db()
    assert block.lifted_at is not None
    client.force_login(participant)
    assert "Add a comment" in client.get(spam.consultation.get_absolute_url()).text
    client.post(url("comment_create", consultation_id=spam.consultation_id), comment_data())
    assert Comment.objects.filter(author=participant).count() == 2


@pytest.mark.django_db
def test_blocking_needs_a_reason(client, officer, spam):
    client.force_login(officer)

    response = client.post(url("block", kind="comment", object_id=spam.pk), {"reason": ""})

    assert "Say why the person is blocked: they will be told." in messages_of(response)
    assert not Block.objects.exists()


# Answers, the closing statement and the results


@pytest.fixture
def answering(authority, participant, outsider):
    """A consultation in its answers phase; the outsider supports the participant's proposal."""
    consultation = ConsultationFactory(owner_organisation=authority, phase=Phase.ANSWERS)
    proposal = ProposalFactory(
        consultation=consultation, author=participant, title="Evening language classes",
        supports_count=1,
    )  # fmt: skip
    supporter = Participant.objects.create(consultation=consultation, user=outsider)
    Support.objects.create(consultation=consultation, proposal=proposal, participant=supporter)
    return proposal


@pytest.mark.django_db
def test_the_officer_answers_a_proposal_and_its_author_and_supporters_are_told(
    client, officer, answering, participant, outsider, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    assert "Answer this proposal" in client.get(answering.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("proposal_answer", proposal_id=answering.pk),
            {"answer": "accepted", "text_en": "Two evening classes start in September."},
        )

    answering.refresh_from_db()
    assert response["Location"] == answering.get_absolute_url()
    assert (answering.answer, answering.answered_by) == (Proposal.Answer.ACCEPTED, officer)
    told = Notification.objects.filter(kind="consultation_answer")
    assert {n.recipient for n in told} == {participant, outsider}
    page = Client().get(answering.get_absolute_url())
    assert "Accepted" in page.text
    assert "Two evening classes start in September." in page.text


@pytest.mark.django_db
def test_a_refusal_without_reasons_is_not_published(client, officer, answering):
    client.force_login(officer)

    response = client.post(
        url("proposal_answer", proposal_id=answering.pk), {"answer": "not_accepted"}
    )

    answering.refresh_from_db()
    assert response.status_code == 200
    assert "Give the reasons: the people who proposed and supported it will read them." in (
        response.text
    )
    assert answering.answer == ""


@pytest.mark.django_db
def test_proposals_are_not_answered_before_the_answers_phase(client, officer, proposal):
    client.force_login(officer)

    page = client.get(proposal.get_absolute_url())
    response = client.post(url("proposal_answer", proposal_id=proposal.pk), {"answer": "accepted"})

    proposal.refresh_from_db()
    assert "Answer this proposal" not in page.text
    assert "Proposals are answered from the answers phase on." in response.text
    assert proposal.answer == ""


@pytest.mark.django_db
def test_the_officer_publishes_the_closing_statement_on_the_results_page(
    client, officer, answering
):
    client.force_login(officer)
    consultation = answering.consultation

    response = client.post(
        url("closing_statement", consultation_id=consultation.pk),
        {"statement_en": "We heard you: two new classes."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("results", consultation_id=consultation.pk)
    assert "The closing statement is published." in response.text
    assert "We heard you: two new classes." in Client().get(response.request["PATH_INFO"]).text


@pytest.mark.django_db
def test_the_closing_statement_waits_for_the_answers_phase(client, officer, consultation):
    client.force_login(officer)

    response = client.post(
        url("closing_statement", consultation_id=consultation.pk),
        {"statement_en": "Too early."},
    )

    consultation.refresh_from_db()
    assert "The closing statement is written from the answers phase on." in response.text
    assert not consultation.closing_statement


def supported_by(proposal: Proposal, count: int) -> None:
    """`count` people without an account support `proposal`."""
    people = Participant.objects.bulk_create(
        Participant(consultation=proposal.consultation, anon_key=f"browser-{i}")
        for i in range(count)
    )
    Support.objects.bulk_create(
        Support(consultation=proposal.consultation, proposal=proposal, participant=person)
        for person in people
    )
    Proposal.objects.filter(pk=proposal.pk).update(unverified_supports_count=count)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "people, shown", [(3, "fewer than 10"), (9, "fewer than 10"), (12, "10"), (13, "15")]
)
def test_results_show_numbers_of_people_only_through_disclosure_control(
    client, authority, people, shown
):
    consultation = ConsultationFactory(
        owner_organisation=authority, phase=Phase.CLOSED, allows_anonymous=True
    )
    supported_by(ProposalFactory(consultation=consultation), people)

    response = client.get(url("results", consultation_id=consultation.pk))

    assert figures(response) == {
        "people took part": shown,
        "people supported proposals": shown,
        "of them without an account (unverified)": shown,
        "proposals": "1",
        "comments": "0",
    }


# Exports


@pytest.mark.django_db
def test_the_csv_has_published_contributions_only_and_no_usernames(client, consultation):
    amal = UserFactory(username="amal.k1984", display_name="Amal")
    shown = ProposalFactory(
        consultation=consultation, author=amal, title='=HYPERLINK("https://example.org","x")'
    )
    ProposalFactory(
        consultation=consultation, title="Hidden one", moderation_state=ModerationState.HIDDEN
    )
    ProposalFactory(
        consultation=consultation, title="Pending one", moderation_state=ModerationState.PENDING
    )
    CommentFactory(proposal=shown, author=amal, body="-1 for the fee")
    CommentFactory(proposal=shown, body="Waiting", moderation_state=ModerationState.PENDING)
    CommentFactory(proposal=shown, body="Reported", moderation_state=ModerationState.REPORTED)
    CommentFactory(proposal=shown, body="Taken back", removed_at=timezone.now())

    response = client.get(url("export", consultation_id=consultation.pk))

    rows = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"consultation-{consultation.pk}-contributions.csv" in response["Content-Disposition"]
    assert rows[0] == EXPORT_COLUMNS
    by_type = [(row[0], row[6], row[9], row[10]) for row in rows[1:]]
    assert by_type == [
        ("proposal", "Amal", """'=HYPERLINK("https://example.org","x")""", shown.body),
        ("comment", "Amal", "", "'-1 for the fee"),
    ]
    assert "amal.k1984" not in str(rows)


@pytest.mark.django_db
def test_the_csv_never_shows_a_username_even_as_a_defaulted_public_name(client, consultation):
    tariq = UserFactory(username="tariq1990", display_name="tariq1990")
    ProposalFactory(consultation=consultation, author=tariq)

    rows = csv_rows(client.get(url("export", consultation_id=consultation.pk)))

    assert [row[6] for row in rows[1:]] == ["Participant"]
    assert "tariq1990" not in str(rows)


@pytest.mark.django_db
def test_the_csv_leaves_out_comments_on_a_hidden_proposal(client, consultation):
    hidden = ProposalFactory(consultation=consultation, moderation_state=ModerationState.HIDDEN)
    CommentFactory(proposal=hidden, body="Under a hidden proposal")

    rows = csv_rows(client.get(url("export", consultation_id=consultation.pk)))

    assert rows[1:] == []


@pytest.mark.django_db
def test_the_pdf_report_is_a_pdf(client, answering):
    response = client.get(url("report_pdf", consultation_id=answering.consultation_id))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# Machine translation


@pytest.fixture
def german_comment(consultation):
    return CommentFactory(consultation=consultation, body="Mehr Abendkurse, bitte.", language="de")


@pytest.mark.django_db
@override_settings(MACHINE_TRANSLATION_BACKEND="")
def test_without_a_translation_service_the_page_says_so(client, german_comment):
    response = client.get(
        url("translate", kind="comment", object_id=german_comment.pk), {"to": "en"}
    )

    assert response.status_code == 200
    assert "Machine translation is not set up on this site." in response.text
    assert "Mehr Abendkurse, bitte." in response.text


@pytest.mark.django_db
def test_with_a_translation_service_the_page_shows_the_translation(client, german_comment):
    with override_settings(MACHINE_TRANSLATION_BACKEND=FAKE_BACKEND):
        response = client.get(
            url("translate", kind="comment", object_id=german_comment.pk), {"to": "fr"}
        )

    assert response.status_code == 200
    assert "[de to fr] Mehr Abendkurse, bitte." in response.text
    assert "Translated by a machine." in response.text
    assert "Machine translation is not set up" not in response.text


@pytest.mark.django_db
def test_a_hidden_comment_is_not_translated(client, german_comment):
    german_comment.moderation_state = ModerationState.HIDDEN
    german_comment.save()

    with override_settings(MACHINE_TRANSLATION_BACKEND=FAKE_BACKEND):
        response = client.get(url("translate", kind="comment", object_id=german_comment.pk))

    assert response.status_code == 404


# Citing a proposal as evidence for a council motion


@pytest.fixture
def motion(participant):
    """A motion not decided yet, in a council the participant is a member of."""
    council = CouncilFactory(name=text("Graz Migrant Council"))
    MembershipFactory(council=council, user=participant)
    item = AgendaItemFactory(meeting=MeetingFactory(council=council), kind=AgendaItem.Kind.DECISION)
    return Motion.objects.create(
        agenda_item=item, title="Language classes for every newcomer", text="We ask.",
        language="en",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_council_member_cites_a_proposal_for_a_motion(client, consultation, participant, motion):
    theirs = ProposalFactory(consultation=consultation, title="Evening language classes")
    client.force_login(participant)
    cite = url("proposal_cite", proposal_id=theirs.pk)
    assert "Language classes for every newcomer" in client.get(cite).text

    # A host name with a dot: see the xfail test below for one without.
    response = client.post(cite, {"motion": str(motion.pk)}, HTTP_HOST="localhost")

    assert response["Location"] == theirs.get_absolute_url()
    evidence = MotionEvidence.objects.get(motion=motion)
    assert evidence.url == theirs.get_absolute_url()
    assert evidence.label == "Consultation proposal: Evening language classes"
    assert MotionCitation.objects.filter(proposal=theirs, motion=motion, cited_by=participant)
    page = Client().get(theirs.get_absolute_url())
    assert "Used as evidence" in page.text
    assert motion.get_absolute_url() in page.text
    assert "Language classes for every newcomer" in page.text


@pytest.mark.django_db
def test_citing_on_a_host_name_without_a_dot_does_not_crash(
    client, consultation, participant, motion
):
    theirs = ProposalFactory(consultation=consultation)
    client.force_login(participant)

    response = client.post(url("proposal_cite", proposal_id=theirs.pk), {"motion": str(motion.pk)})

    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_someone_who_may_propose_no_motion_cannot_cite(client, proposal, outsider, motion):
    client.force_login(outsider)

    response = client.get(url("proposal_cite", proposal_id=proposal.pk))

    assert response.status_code == 403
    assert not MotionCitation.objects.exists()


# Search


@pytest.mark.django_db
def test_search_finds_a_proposal_by_a_word_of_its_body(client, consultation, authority):
    found = ProposalFactory(consultation=consultation, body="A bicycle repair workshop.")
    ProposalFactory(consultation=consultation, body="Evening language classes.")
    ProposalFactory(
        consultation=consultation, body="A bicycle lane.", moderation_state=ModerationState.HIDDEN
    )
    ProposalFactory(
        consultation=ConsultationFactory(owner_organisation=authority, is_published=False),
        body="Bicycle parking at the station.",
    )

    response = client.get(url("search"), {"q": "bicycle"})

    assert response.status_code == 200
    assert response.context["proposals"] == [found]
    assert found.get_absolute_url() in response.text


@pytest.mark.django_db
def test_search_finds_a_consultation_by_a_word_of_its_german_title(client, authority):
    found = ConsultationFactory(
        owner_organisation=authority, title=text("Housing in Graz", de="Wohnen in Graz")
    )
    ConsultationFactory(owner_organisation=authority, title=text("Schools", de="Schulen"))
    ConsultationFactory(
        owner_organisation=authority, title=text("Draft", de="Wohnen im Entwurf"),
        is_published=False,
    )  # fmt: skip

    response = client.get(url("search"), {"q": "Wohnen"})

    assert response.status_code == 200
    assert response.context["consultations"] == [found]
    assert found.get_absolute_url() in response.text


@pytest.mark.django_db
def test_an_empty_search_finds_nothing_and_says_nothing(client, consultation):
    response = client.get(url("search"), {"q": "  "})

    assert response.status_code == 200
    assert response.context["consultations"] == []
    assert "No proposal found." not in response.text
