"""Opinion map pages through the client: voting and changing one's vote, adding statements (also
without an account), refusals in the participant's language, the map with its groups, the
report, and the pages of those who run and moderate the map."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from voices.consultations.forms import ConsultationForm
from voices.consultations.models import Consultation, Participant, Phase
from voices.consultations.tests.factories import ConsultationFactory, move_to
from voices.consultations.views import ANON_COOKIE
from voices.core import moderation, pdf
from voices.core.disclosure import disclose_count
from voices.core.models import ModerationState
from voices.councils.tests.factories import CouncilFactory
from voices.opinions import results, services
from voices.opinions import views as opinion_views
from voices.opinions.models import Analysis, OpinionMap, Statement, Vote
from voices.opinions.tests.factories import (
    OpinionMapFactory,
    ParticipantFactory,
    StatementFactory,
    VoteFactory,
    vote_in_two_camps,
)

AGREE, DISAGREE, PASS = Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS


def url(name: str, consultation, **kwargs) -> str:
    return reverse(f"opinions:{name}", kwargs={"consultation_id": consultation.pk, **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def cast(client, statement: Statement, value: int, **extra):
    return client.post(
        url("vote_cast", statement.consultation, number=statement.number),
        {"value": str(value), **extra},
    )


def add(client, opinion_map: OpinionMap, text: str, language: str = "en"):
    return client.post(url("vote", opinion_map.consultation), {"text": text, "language": language})


@pytest.fixture
def statements(opinion_map) -> list[Statement]:
    return [
        StatementFactory(map=opinion_map, text="Language classes should be free"),
        StatementFactory(map=opinion_map, text="Buses should run after midnight"),
    ]


@pytest.fixture
def voter(client, participant):
    client.force_login(participant)
    return client


# Voting


@pytest.mark.django_db
def test_the_vote_page_shows_the_question_one_statement_three_buttons_and_the_progress(
    voter, opinion_map, statements
):
    response = voter.get(url("vote", opinion_map.consultation))

    assert response.status_code == 200
    assert "What should the city do first for newcomers?" in response.text
    # The newest statement comes first while no analysis knows it.
    assert response.context["statement"] == statements[1]
    assert "Buses should run after midnight" in response.text
    assert "Language classes should be free" not in response.text
    for value in ("1", "-1", "0"):
        assert f'name="value" value="{value}"' in response.text
    action = url("vote_cast", opinion_map.consultation, number=statements[1].number)
    assert f'action="{action}"' in response.text
    assert "You voted on 0 of 2 statements." in response.text


@pytest.mark.django_db
def test_a_vote_is_saved_and_the_next_statement_follows(voter, participant, statements):
    first, second = statements[1], statements[0]

    response = cast(voter, first, AGREE)

    assert response.status_code == 302
    assert response["Location"] == url("vote", first.consultation)
    vote = Vote.objects.get()
    assert (vote.statement, vote.participant.user, vote.value) == (first, participant, AGREE)
    first.refresh_from_db()
    assert first.agree_count == 1
    assert "Saved: you agree with statement 2." in messages_of(response)
    page = voter.get(response["Location"])
    assert page.context["statement"] == second
    assert "You voted on 1 of 2 statements." in page.text


@pytest.mark.django_db
def test_a_vote_is_changed_from_the_statement_list(voter, statements):
    statement = statements[0]
    cast(voter, statement, AGREE)

    response = cast(voter, statement, DISAGREE, back="list", page="1")

    listing = url("statements", statement.consultation)
    assert response["Location"] == f"{listing}?page=1#statement-{statement.number}"
    vote = Vote.objects.get()
    assert vote.value == DISAGREE
    statement.refresh_from_db()
    assert (statement.agree_count, statement.disagree_count) == (0, 1)
    page = voter.get(listing)
    assert "Your vote: disagree." in page.text
    assert "You have not voted on it." in page.text  # the other statement
    assert page.text.count('aria-pressed="true"') == 1


@pytest.mark.django_db
def test_a_vote_other_than_agree_disagree_or_pass_is_refused(voter, statements):
    response = cast(voter, statements[0], 5)

    assert response.status_code == 302
    assert "Choose agree, disagree or pass." in messages_of(response)
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_statement_waiting_for_a_moderator_takes_no_vote(voter, opinion_map):
    pending = StatementFactory(map=opinion_map, moderation_state=ModerationState.PENDING)

    response = cast(voter, pending, AGREE)

    assert response.status_code == 404
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_once_every_statement_has_a_vote_the_page_points_to_the_map(voter, statements):
    for statement in statements:
        cast(voter, statement, PASS)

    response = voter.get(url("vote", statements[0].consultation))

    assert response.context["statement"] is None
    assert "You have voted on every statement." in response.text
    assert url("map", statements[0].consultation) in response.text
    assert "You voted on 2 of 2 statements." in response.text


@pytest.mark.django_db
def test_a_map_without_statements_asks_for_the_first_one(voter, opinion_map):
    response = voter.get(url("vote", opinion_map.consultation))

    assert "There are no statements yet." in response.text
    assert "Write the first one below." in response.text
    assert 'name="text"' in response.text


@pytest.mark.django_db
def test_the_statement_list_shows_every_published_statement_with_its_votes(
    client, opinion_map, statements
):
    VoteFactory(statement=statements[0], value=AGREE)
    VoteFactory(statement=statements[0], value=DISAGREE)
    StatementFactory(map=opinion_map, text="Hidden words", moderation_state="hidden")

    response = client.get(url("statements", opinion_map.consultation))

    assert response.status_code == 200
    assert "Agree: 1 · Disagree: 1 · Pass: 0" in response.text
    assert "Buses should run after midnight" in response.text
    assert "Hidden words" not in response.text
    assert "Please sign in to take part." in response.text
    assert 'name="value"' not in response.text  # no buttons for someone who may not vote


@pytest.mark.django_db
def test_the_statement_list_is_paged_by_50(client, opinion_map):
    for _ in range(51):
        StatementFactory(map=opinion_map)

    first = client.get(url("statements", opinion_map.consultation))
    second = client.get(url("statements", opinion_map.consultation), {"page": "2"})

    assert len(first.context["page"].object_list) == 50
    assert [s.number for s in second.context["page"].object_list] == [51]


# Adding statements


@pytest.mark.django_db
def test_a_participants_statement_is_published(voter, opinion_map, participant):
    response = add(voter, opinion_map, "Free   evening classes near the station")

    assert response.status_code == 302
    assert response["Location"] == url("vote", opinion_map.consultation)
    statement = Statement.objects.get()
    assert statement.text == "Free evening classes near the station"
    assert (statement.author, statement.is_visible) == (participant, True)
    assert "Thank you. Your statement is published: others can vote on it." in messages_of(response)


@pytest.mark.django_db
def test_with_premoderation_the_author_is_told_and_sees_it_waiting(voter, opinion_map):
    opinion_map.premoderation = True
    opinion_map.save()

    response = add(voter, opinion_map, "Free evening classes near the station")

    assert Statement.objects.get().moderation_state == ModerationState.PENDING
    assert "A moderator will check your statement before it is shown." in " ".join(
        messages_of(response)
    )
    page = voter.get(url("vote", opinion_map.consultation))
    assert "Your statements waiting for a moderator:" in page.text
    assert "Free evening classes near the station" in page.text
    assert (
        "Free evening classes" not in Client().get(url("statements", opinion_map.consultation)).text
    )


@pytest.mark.django_db
def test_the_same_words_again_are_kept_and_the_author_is_pointed_to_the_earlier_one(
    voter, opinion_map, statements
):
    response = add(voter, opinion_map, "language classes should be FREE!")

    earlier = statements[0]
    assert Statement.objects.get(number=3).duplicate_of == earlier
    said = messages_of(response)
    link = f"{url('statements', opinion_map.consultation)}#statement-{earlier.number}"
    assert any("A statement with the same words already exists" in m for m in said)
    assert any(f'<a href="{link}">statement 1</a>' in m for m in said)
    page = voter.get(response["Location"])
    assert f'<a href="{link}">statement 1</a>' in page.text  # a link, not escaped text


@pytest.mark.django_db
def test_a_statement_longer_than_the_map_allows_is_refused_with_the_reason(voter, opinion_map):
    response = add(voter, opinion_map, "x" * 141)

    assert response.status_code == 200
    assert "A statement has at most 140 characters; this one has 141." in response.text
    assert 'maxlength="140"' in response.text
    assert not Statement.objects.exists()


@pytest.mark.django_db
def test_where_only_moderators_add_statements_no_form_is_offered(voter, opinion_map, statements):
    opinion_map.participants_may_add = False
    opinion_map.save()

    page = voter.get(url("vote", opinion_map.consultation))
    response = add(voter, opinion_map, "Free evening classes")

    assert "Only the moderators add statements to this opinion map." in page.text
    assert 'name="text"' not in page.text
    assert "Only the moderators add statements to this opinion map." in response.text
    assert Statement.objects.count() == 2


@pytest.mark.django_db
def test_in_the_deliberation_phase_people_vote_but_add_no_statement(
    voter, consultation, statements
):
    move_to(consultation, Phase.DELIBERATION)

    page = voter.get(url("vote", consultation))
    response = cast(voter, statements[0], AGREE)

    assert "New statements are closed. You can still vote on the statements." in page.text
    assert 'name="value"' in page.text
    assert 'name="text"' not in page.text
    assert Vote.objects.count() == 1
    assert response.status_code == 302


# Without an account


@pytest.mark.django_db
def test_without_an_account_one_votes_and_adds_from_one_browser_where_allowed(
    client, open_to_anonymous, opinion_map, statements
):
    voted = cast(client, statements[0], AGREE)
    added = add(client, opinion_map, "A bicycle workshop run by volunteers")

    cookie = voted.cookies[ANON_COOKIE]
    assert cookie.value and cookie["httponly"]
    assert ANON_COOKIE not in added.cookies  # the browser already has its identity
    browser = Participant.objects.get(consultation=open_to_anonymous)
    assert browser.user is None and browser.is_anonymous
    assert Vote.objects.get().participant == browser
    mine = Statement.objects.get(number=3)
    assert (mine.author, mine.is_anonymous, mine.participant) == (None, True, browser)
    page = client.get(url("vote", open_to_anonymous))
    assert "You voted on 1 of 2 statements." in page.text  # one's own statement is not offered
    assert "Your statement will be shown as from an anonymous participant" in page.text
    listing = client.get(url("statements", open_to_anonymous))
    assert "Anonymous participant (unverified)" in listing.text
    assert "Your vote: agree." in listing.text


@pytest.mark.django_db
def test_without_an_account_the_author_sees_their_statements_waiting_from_their_browser(
    client, open_to_anonymous, opinion_map, statements
):
    opinion_map.premoderation = True
    opinion_map.save()
    other_browser = Client()
    add(other_browser, opinion_map, "Night buses on weekdays too")

    added = add(client, opinion_map, "A bicycle workshop run by volunteers")

    assert "A moderator will check your statement before it is shown." in " ".join(
        messages_of(added)
    )
    mine = Statement.objects.get(text="A bicycle workshop run by volunteers")
    assert (mine.author, mine.moderation_state) == (None, ModerationState.PENDING)
    for name in ("vote", "statements"):
        page = client.get(url(name, open_to_anonymous))
        assert list(page.context["pending"]) == [mine]
        assert "Your statements waiting for a moderator:" in page.text
        assert "A bicycle workshop run by volunteers" in page.text
        assert "Night buses on weekdays too" not in page.text
    for stranger in (Client(), other_browser):
        page = stranger.get(url("vote", open_to_anonymous))
        assert "A bicycle workshop run by volunteers" not in page.text


@pytest.mark.django_db
def test_without_anonymous_participation_a_visitor_is_sent_to_log_in(
    client, consultation, statements
):
    page = client.get(url("vote", consultation))
    voted = cast(client, statements[0], AGREE)
    added = add(client, statements[0].map, "A bicycle workshop run by volunteers")

    assert "Please sign in to take part." in page.text
    assert reverse("account_login") in page.text
    assert 'name="value"' not in page.text
    for response in (voted, added):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
        assert ANON_COOKIE not in response.cookies
    assert not Vote.objects.exists()
    assert Statement.objects.count() == 2
    assert not Participant.objects.exists()


# Refusals in the participant's language


@pytest.mark.django_db
def test_someone_outside_the_eligible_council_is_told_why_in_french(
    voter, consultation, statements
):
    consultation.eligibility = Consultation.Eligibility.COUNCIL_MEMBERS
    consultation.eligible_council = CouncilFactory()
    consultation.save()
    with translation.override("fr"):
        page_url = url("vote", consultation)
        cast_url = url("vote_cast", consultation, number=statements[0].number)
    assert page_url.startswith("/fr/")

    page = voter.get(page_url)
    refused = voter.post(cast_url, {"value": "1"})

    assert '<html lang="fr"' in page.text
    assert "Seuls les membres de" in page.text
    assert "participent à cette consultation." in page.text
    assert 'name="value"' not in page.text
    assert any("Seuls les membres de" in m for m in messages_of(refused))
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_after_the_vote_the_page_says_so(voter, consultation, statements):
    move_to(consultation, Phase.ANSWERS)

    page = voter.get(url("vote", consultation))
    refused = cast(voter, statements[0], AGREE)

    assert "This consultation no longer takes contributions." in page.text
    assert "This consultation no longer takes contributions." in messages_of(refused)
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_blocked_person_is_told_so(voter, consultation, participant, officer, statements):
    moderation.user_block(
        actor=officer, scope=consultation, model=Statement, user=participant, reason="Insults."
    )

    page = voter.get(url("vote", consultation))

    assert "A moderator has blocked you from taking part in this consultation." in page.text
    assert 'name="value"' not in page.text


@pytest.mark.django_db
def test_a_missing_birth_year_is_asked_on_the_map_and_then_one_votes(
    voter, consultation, participant, statements
):
    consultation.min_age, consultation.max_age = 16, 40
    consultation.save()

    page = voter.get(url("vote", consultation))
    given = voter.post(url("participation", consultation), {"birth_year": "2000"})

    assert "Please give your birth year: this consultation has an age range." in page.text
    assert f'action="{url("participation", consultation)}"' in page.text
    assert given["Location"] == url("vote", consultation)
    assert "Thank you. You can take part now." in messages_of(given)
    participant.refresh_from_db()
    assert participant.birth_year == 2000
    assert cast(voter, statements[0], AGREE).status_code == 302
    assert Vote.objects.count() == 1


@pytest.mark.django_db
def test_a_draft_consultations_map_is_hidden(client, participant, authority):
    draft = ConsultationFactory(owner_organisation=authority, is_published=False)
    OpinionMapFactory(consultation=draft)
    client.force_login(participant)

    for name in ("vote", "statements", "map", "report_pdf"):
        assert client.get(url(name, draft)).status_code == 404


# The map


@pytest.fixture
def two_camps(opinion_map):
    """Thirty people with accounts in two camps on nine statements; the map is analysed."""
    statements = [
        StatementFactory(map=opinion_map, text=f"Statement number {n}") for n in range(1, 10)
    ]
    people = [ParticipantFactory(consultation=opinion_map.consultation) for _ in range(30)]
    vote_in_two_camps(statements, people)
    analysis = services.analysis_run(map_id=opinion_map.pk)
    return statements, people, analysis


@pytest.mark.django_db
def test_before_any_analysis_the_map_says_when_it_appears(client, opinion_map, statements):
    response = client.get(url("map", opinion_map.consultation))

    assert response.status_code == 200
    assert "The map appears once enough people have voted." in response.text
    assert "<svg" not in response.text


@pytest.mark.django_db
def test_the_map_shows_groups_what_sets_them_apart_and_where_the_viewer_stands(
    client, opinion_map, two_camps
):
    statements, people, analysis = two_camps
    client.force_login(people[20].user)

    response = client.get(url("map", opinion_map.consultation))

    assert response.status_code == 200
    text = response.text
    assert f"(version {analysis.version})" in text
    data = response.context["results"]
    sizes = sorted(analysis.result["groups"])
    assert len(sizes) == 2
    assert [g.label for g in data.groups] == ["Group A", "Group B"]
    assert [str(g.size) for g in data.groups] == [str(disclose_count(n)) for _g, n in sizes]
    assert "Group A" in text and "Group B" in text
    # Each group is told apart by shape and name, not by colour alone.
    assert [g.shape_name for g in data.groups] == ["circles", "squares"]
    assert "circles" in text and "squares" in text
    # What sets each group apart, with the shares and a plain-words significance.
    represents = {r.statement.number for g in data.groups for r in g.represents}
    assert represents <= {s.number for s in statements} and represents
    assert "% of the group, against " in text
    assert "Clearly more than everyone else." in text
    # Where nearly everyone agrees, and what every group agrees with.
    assert [item.statement.number for item in data.agreed] == [9]
    assert data.every_group_agrees[0].statement.number == 9
    assert "Statement number 9" in text
    # Where the viewer stands, in words and on the drawing.
    own_id = Analysis.objects.get().positions[Analysis.position_key(people[20].pk)][0]
    own_group = next(g for g in data.groups if g.id == own_id)
    assert data.you == own_group
    assert f"You are in group {own_group.letter}." in text
    svg = re.search(r"<svg class=\"opinion-map\".*?</svg>", text, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert ">You</text>" in svg
    assert svg.count(">Group A</text>") == 1 and svg.count(">Group B</text>") == 1
    # Nobody is drawn alone: the drawing holds the analysis's base clusters, not 30 people.
    assert svg.count("<circle") + svg.count("<polygon") == len(analysis.result["base_clusters"])


@pytest.mark.django_db
def test_someone_with_few_votes_is_told_how_many_place_them_in_a_group(
    voter, opinion_map, two_camps
):
    statements, _people, _analysis = two_camps
    for statement in statements[:3]:
        cast(voter, statement, AGREE)

    response = voter.get(url("map", opinion_map.consultation))

    assert response.context["results"].you is None
    assert "You are not in a group yet: vote on at least 7 statements." in response.text


def hand_made(opinion_map, statements, *, sizes: dict[int, int], unverified: dict[int, int]):
    """An analysis with groups of the given sizes; group 0 agrees with the first statement."""
    first, second = statements[0].number, statements[1].number
    repness = {
        str(g): [
            {
                "statement": first if g == 0 else second, "direction": "agree",
                "n_success": size - 1, "n_trials": size, "p_success": 0.9, "p_test": 3.0,
                "repness": 2.0, "repness_test": 2.5,
            }
        ]
        for g, size in sizes.items()
    }  # fmt: skip
    group_votes = {
        str(g): {str(first): [size - 1 if g == 0 else 1, 0, size], str(second): [1, 0, size]}
        for g, size in sizes.items()
    }
    result = {
        "k": len(sizes), "group_of": {}, "positions": {},
        "groups": [[g, size] for g, size in sizes.items()],
        "base_clusters": [[float(g), 0.5, size, g] for g, size in sizes.items()],
        "repness": repness, "consensus": {"agree": [], "disagree": []},
        "group_consensus": {}, "divisive": [], "group_votes": group_votes, "priority": {},
        "n_participants": sum(sizes.values()), "n_statements": len(statements),
        "n_votes": 2 * sum(sizes.values()), "seconds": 0.01,
    }  # fmt: skip
    return Analysis.objects.create(
        map=opinion_map, version=1, n_votes=result["n_votes"],
        n_participants=result["n_participants"], seconds=0.01, result=result,
        unverified_per_group={str(g): n for g, n in unverified.items()},
    )  # fmt: skip


@pytest.mark.django_db
def test_a_small_group_is_shown_as_fewer_than_10_without_its_share_or_votes(
    client, opinion_map, statements
):
    hand_made(opinion_map, statements, sizes={0: 42, 1: 4}, unverified={0: 12, 1: 3})

    response = client.get(url("map", opinion_map.consultation))

    big, small = response.context["results"].groups
    # The share is of the published sizes (40 of 45), so it tells nothing they do not.
    assert (str(big.size), str(big.unverified), big.share) == ("40", "10", 89)
    assert (str(small.size), str(small.unverified), small.share) == (
        "fewer than 10", "fewer than 10", None,
    )  # fmt: skip
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", response.text, re.S)
    assert "fewer than 10" in rows[1] and "not shown" in rows[1]
    # The small group's shares are not given, nor the shares of "everyone else" for the big
    # group when everyone else is the small group.
    assert [r.group_share for r in small.represents] == [None]
    assert [r.others_share for r in big.represents] == [None]
    assert "Group B agrees with it more than everyone else." in response.text
    assert "Group A agrees: 98% of the group." in response.text


@pytest.mark.django_db
def test_the_drawing_does_not_give_away_the_size_of_a_small_group(client, opinion_map, statements):
    analysis = hand_made(opinion_map, statements, sizes={0: 42, 1: 4}, unverified={})
    # Group A (42) in three places of 1, 6 and 35 people; group B (4) in three of 1, 1 and 2.
    analysis.result["base_clusters"] = [
        [0.0, 0.0, 1, 0], [0.2, 0.1, 6, 0], [0.4, 0.0, 35, 0],
        [1.0, 1.0, 1, 1], [1.2, 1.0, 1, 1], [1.1, 1.3, 2, 1],
    ]  # fmt: skip
    analysis.save()

    response = client.get(url("map", opinion_map.consultation))

    markers = response.context["results"].drawing.markers
    big = sorted(m.r for m in markers if m.group.id == 0)
    small = [m for m in markers if m.group.id == 1]
    # The small group is one mark of the fixed size, where its places are on average.
    assert len(small) == 1 and small[0].r == results.SMALL_GROUP_RADIUS
    places = [m for m in markers if m.group.id == 0]
    assert max(m.x for m in places) < small[0].x and small[0].y < min(m.y for m in places)
    # The big group's places are drawn by rounded sizes: 1 and 6 people are 5 and 10 (not one
    # person drawn as one person), 35 is 35; areas follow the rounded sizes.
    assert len(big) == 3
    assert big[2] == results.LARGEST_RADIUS
    assert big[1] == pytest.approx(results.LARGEST_RADIUS * (10 / 35) ** 0.5, abs=0.1)
    assert big[0] == pytest.approx(results.LARGEST_RADIUS * (5 / 35) ** 0.5, abs=0.1)
    svg = re.search(r"<svg class=\"opinion-map\".*?</svg>", response.text, re.S).group(0)
    assert svg.count("<circle") + svg.count("<polygon") == 4


@pytest.mark.django_db
def test_groups_are_named_by_letter_in_the_order_of_their_ids(client, opinion_map, statements):
    hand_made(opinion_map, statements, sizes={3: 20, 1: 30, 2: 25}, unverified={})

    response = client.get(url("map", opinion_map.consultation))

    groups = response.context["results"].groups
    assert [(g.id, g.label, g.shape) for g in groups] == [
        (1, "Group A", "circle"), (2, "Group B", "square"), (3, "Group C", "triangle"),
    ]  # fmt: skip
    assert [str(g.size) for g in groups] == ["30", "25", "20"]


@pytest.mark.django_db
def test_a_statement_hidden_after_the_analysis_is_left_out_of_the_map(
    client, opinion_map, statements
):
    hand_made(opinion_map, statements, sizes={0: 20, 1: 30}, unverified={})
    Statement.objects.filter(pk=statements[0].pk).update(moderation_state="hidden")

    response = client.get(url("map", opinion_map.consultation))

    assert statements[0].text not in response.text
    assert statements[1].text in response.text


@pytest.mark.django_db
def test_the_pdf_report_is_a_pdf(client, opinion_map, two_camps):
    try:
        pdf._weasyprint()
    except pdf.PdfUnavailable:
        pytest.skip("WeasyPrint cannot be loaded on this machine")

    response = client.get(url("report_pdf", opinion_map.consultation))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_without_weasyprint_the_report_sends_back_to_the_map_with_a_reason(
    client, opinion_map, monkeypatch
):
    def unavailable(*args, **kwargs):
        raise pdf.PdfUnavailable("no pango")

    monkeypatch.setattr(opinion_views, "render_pdf", unavailable)

    response = client.get(url("report_pdf", opinion_map.consultation))

    assert response["Location"] == url("map", opinion_map.consultation)
    assert "The PDF report cannot be made on this server right now." in messages_of(response)


def test_the_pages_use_the_math_packages_thresholds():
    from voices.opinions.analysis import pipeline, stats

    assert results.CLEARLY == stats.Z90
    assert results.MIN_VOTES_FOR_GROUP == pipeline.MIN_VOTES


# Running the map


MAP_FORM = {
    "question_en": "What should the city do first?", "participants_may_add": "on",
    "premoderation": "on", "statement_max_length": "200", "analysis_every_votes": "50",
    "analysis_every_seconds": "120",
}  # fmt: skip


@pytest.mark.django_db
def test_the_officer_adds_a_map_to_the_consultation(client, officer, authority):
    consultation = ConsultationFactory(owner_organisation=authority)
    client.force_login(officer)

    page = client.get(url("settings", consultation))
    response = client.post(url("settings", consultation), MAP_FORM)

    assert page.status_code == 200
    opinion_map = OpinionMap.objects.get(consultation=consultation)
    assert response["Location"] == url("seed", consultation)
    assert str(opinion_map.question) == "What should the city do first?"
    assert (opinion_map.premoderation, opinion_map.statement_max_length) == (True, 200)
    assert (opinion_map.analysis_every_votes, opinion_map.analysis_every_seconds) == (50, 120)
    consultation.refresh_from_db()
    assert "opinions" in consultation.components


@pytest.mark.django_db
def test_the_officer_changes_the_map_and_a_bad_value_is_explained(client, officer, opinion_map):
    client.force_login(officer)
    address = url("settings", opinion_map.consultation)

    refused = client.post(address, {**MAP_FORM, "statement_max_length": "5"})
    saved = client.post(address, {**MAP_FORM, "participants_may_add": ""})

    assert refused.status_code == 200
    assert "Ensure this value is greater than or equal to 20." in refused.text
    assert saved["Location"] == address
    opinion_map.refresh_from_db()
    assert opinion_map.participants_may_add is False
    assert opinion_map.statement_max_length == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_people_who_do_not_run_the_consultation_may_not_change_its_map(
    client, request, opinion_map, who
):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("settings", opinion_map.consultation)).status_code == 403
    assert client.post(url("settings", opinion_map.consultation), MAP_FORM).status_code == 403
    assert client.get(url("seed", opinion_map.consultation)).status_code == 403
    assert client.post(url("analyse", opinion_map.consultation)).status_code == 403


@pytest.mark.django_db
def test_staff_without_a_second_factor_are_sent_to_set_one_up(
    client, staff_without_second_factor, opinion_map
):
    client.force_login(staff_without_second_factor)

    response = client.get(url("settings", opinion_map.consultation))

    assert response.status_code == 302
    assert "2fa" in response["Location"] or "mfa" in response["Location"]


@pytest.mark.django_db
def test_a_moderator_adds_a_seed_statement_shown_at_once(client, officer, opinion_map):
    opinion_map.premoderation = True
    opinion_map.save()
    client.force_login(officer)

    page = client.get(url("seed", opinion_map.consultation))
    response = client.post(
        url("seed", opinion_map.consultation), {"text": "More night buses", "language": "en"}
    )

    assert page.status_code == 200
    statement = Statement.objects.get()
    assert (statement.is_seed, statement.is_visible) == (True, True)
    assert "Statement 1 is published." in messages_of(response)
    assert "More night buses" in client.get(url("seed", opinion_map.consultation)).text


@pytest.mark.django_db
def test_a_moderator_approves_a_waiting_statement_and_its_author_is_told(
    client, officer, opinion_map, participant
):
    pending = StatementFactory(
        map=opinion_map, author=participant, is_seed=False,
        moderation_state=ModerationState.PENDING, text="Evening classes please",
    )  # fmt: skip
    StatementFactory(map=opinion_map, text="An earlier statement")
    client.force_login(officer)

    page = client.get(url("seed", opinion_map.consultation))
    response = client.post(
        url("moderate", opinion_map.consultation, number=pending.number), {"action": "approve"}
    )

    assert page.context["page"].object_list[0] == pending  # waiting ones first
    assert response["Location"] == url("seed", opinion_map.consultation)
    pending.refresh_from_db()
    assert pending.is_visible
    assert participant.notifications.exists()


@pytest.mark.django_db
def test_hiding_a_statement_needs_a_reason_and_only_moderators_do_it(
    client, officer, participant, opinion_map, statements
):
    address = url("moderate", opinion_map.consultation, number=statements[0].number)
    client.force_login(participant)
    assert client.post(address, {"action": "hide", "reason": "x"}).status_code == 403

    client.force_login(officer)
    refused = client.post(address, {"action": "hide", "reason": ""})
    hidden = client.post(address, {"action": "hide", "reason": "An insult."})

    assert "Say why it is hidden: the author will be told." in messages_of(refused)
    assert hidden.status_code == 302
    statements[0].refresh_from_db()
    assert statements[0].moderation_state == ModerationState.HIDDEN


@pytest.mark.django_db
def test_a_moderator_updates_the_map_now(
    client, officer, opinion_map, statements, django_capture_on_commit_callbacks
):
    VoteFactory(statement=statements[0], value=AGREE)
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("analyse", opinion_map.consultation))
    again = client.post(url("analyse", opinion_map.consultation))

    assert "The map is being updated. It takes a moment." in messages_of(response)
    assert Analysis.objects.filter(map=opinion_map).count() == 1
    assert "The map is being updated. It takes a moment." in messages_of(again)


@pytest.mark.django_db
def test_an_update_already_waiting_is_not_enqueued_twice(client, officer, opinion_map):
    OpinionMap.objects.filter(pk=opinion_map.pk).update(analysis_queued_at=timezone.now())
    client.force_login(officer)

    response = client.post(url("analyse", opinion_map.consultation))

    assert "An update of the map is already on its way." in messages_of(response)


@pytest.mark.django_db
def test_an_update_enqueued_long_ago_and_lost_is_enqueued_again(officer, opinion_map):
    lost = timezone.now() - datetime.timedelta(hours=1)
    OpinionMap.objects.filter(pk=opinion_map.pk).update(analysis_queued_at=lost)

    assert services.analysis_enqueue_now(actor=officer, opinion_map=opinion_map)


@pytest.mark.django_db
def test_the_consultations_moderation_page_says_how_many_statements_wait_on_the_map(
    client, officer, opinion_map, statements, participant, django_assert_num_queries
):
    def waiting(count: int, state=ModerationState.PENDING) -> None:
        for _ in range(count):
            StatementFactory(
                map=opinion_map, author=participant, is_seed=False, moderation_state=state
            )

    waiting(2)
    waiting(1, ModerationState.REPORTED)
    waiting(1, ModerationState.HIDDEN)
    client.force_login(officer)
    address = reverse(
        "consultations:moderation", kwargs={"consultation_id": opinion_map.consultation_id}
    )
    client.get(address)  # per-process caches are filled by the first request
    with CaptureQueriesContext(connection) as few:
        page = client.get(address)

    seed = url("seed", opinion_map.consultation)
    line = f'Opinion map: 3 statements wait for a moderator — <a href="{seed}">moderate them</a>'
    assert line in page.text
    assert "No proposal or comment waits for a moderator." in page.text
    assert page.context["entries"] == []  # the statements are decided on the map's page

    waiting(27)

    with django_assert_num_queries(len(few)):
        many = client.get(address)
    assert "Opinion map: 30 statements wait for a moderator" in many.text


@pytest.mark.django_db
def test_a_map_with_nothing_waiting_says_so_on_the_moderation_page(
    client, officer, opinion_map, statements
):
    client.force_login(officer)

    page = client.get(
        reverse("consultations:moderation", kwargs={"consultation_id": opinion_map.consultation_id})
    )

    assert "Opinion map: no statement waits for a moderator</li>" in page.text
    assert url("seed", opinion_map.consultation) not in page.text
    assert "Nothing waits for a moderator." in page.text


@pytest.mark.django_db
def test_a_consultation_without_its_map_set_up_says_nothing_of_it_on_the_moderation_page(
    client, officer, consultation
):
    client.force_login(officer)

    page = client.get(
        reverse("consultations:moderation", kwargs={"consultation_id": consultation.pk})
    )

    assert page.context["elsewhere"] == []
    assert "Opinion map:" not in page.text


# The consultation page


@pytest.mark.django_db
def test_the_consultation_page_shows_the_maps_block(client, opinion_map, statements):
    VoteFactory(statement=statements[0])

    response = client.get(opinion_map.consultation.get_absolute_url())

    assert response.status_code == 200
    assert 'id="component-opinions"' in response.text
    assert "What should the city do first for newcomers?" in response.text
    assert "2 statements · 1 vote" in response.text
    assert url("vote", opinion_map.consultation) in response.text
    assert url("map", opinion_map.consultation) in response.text


@pytest.mark.django_db
def test_a_chosen_map_not_set_up_yet_is_shown_only_to_those_who_run_it(
    client, consultation, officer
):
    public = client.get(consultation.get_absolute_url())
    client.force_login(officer)
    runner = client.get(consultation.get_absolute_url())

    assert 'id="component-opinions"' not in public.text
    assert "The opinion map is not set up yet." in runner.text
    assert url("settings", consultation) in runner.text


@pytest.mark.django_db
def test_the_consultation_form_offers_the_opinion_map(officer):
    form = ConsultationForm(user=officer)

    assert ("opinions", "Opinion map") in [
        (k, str(v)) for k, v in form.fields["components"].choices
    ]


@pytest.mark.django_db
def test_someone_else_sees_the_map_but_no_moderation(client, outsider, opinion_map):
    client.force_login(outsider)

    response = client.get(url("map", opinion_map.consultation))

    assert url("seed", opinion_map.consultation) not in response.text
    assert url("analyse", opinion_map.consultation) not in response.text
