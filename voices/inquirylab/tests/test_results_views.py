import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voices.accounts.tests.factories import UserFactory
from voices.inquirylab.models import PublicVote, Result, Stage
from voices.inquirylab.tests.factories import TeamFactory, brief_for, move_to
from voices.inquirylab.tests.factories_results import judged, published


def results_url(challenge) -> str:
    return reverse("inquirylab:results", kwargs={"slug": challenge.slug})


def test_before_publication_the_page_says_when_results_come(client, challenge):
    page = client.get(results_url(challenge))

    assert page.status_code == 200
    assert "The results are not published yet." in page.content.decode()


def test_the_ranking_shows_raw_and_normalised_scores_and_the_winners(client, challenge, organiser):
    published(challenge, organiser=organiser, winners=1)

    text = client.get(results_url(challenge)).content.decode()

    assert text.index("Brief 1") < text.index("Brief 2") < text.index("Brief 3")
    assert "<td>100.0</td>" in text and "<td>75.0</td>" in text
    assert "Normalised score" in text and "Raw score" in text
    assert "The normalised score corrects for this" in text
    assert text.count('<span class="badge">Winner</span>') == 1


def test_each_team_sees_only_its_own_feedback(client, challenge, organiser):
    world = judged(challenge, organiser=organiser)
    from voices.inquirylab import result_services

    result_services.results_publish(
        actor=organiser,
        challenge=challenge,
        feedback={world.briefs[0].pk: "Bring the numbers.", world.briefs[1].pk: "Shorter."},
    )

    client.force_login(world.teams[0].lead)
    own = client.get(results_url(challenge)).content.decode()
    client.force_login(UserFactory())
    stranger = client.get(results_url(challenge)).content.decode()
    client.force_login(organiser)
    runs_it = client.get(results_url(challenge)).content.decode()

    assert "Feedback for your team, Team 1" in own
    assert "Bring the numbers." in own and "Clear and well argued." in own
    assert "Shorter." not in own
    for page in (stranger, runs_it):
        assert "Feedback for your team" not in page
        assert "Bring the numbers." not in page


def test_the_peoples_choice_is_shown_apart_once_the_vote_closed(client, challenge, organiser):
    world = published(challenge, organiser=organiser)
    for _n in range(12):
        PublicVote.objects.create(challenge=challenge, brief=world.briefs[2], user=UserFactory())
    for _n in range(3):
        PublicVote.objects.create(challenge=challenge, brief=world.briefs[0], user=UserFactory())

    text = client.get(results_url(challenge)).content.decode()

    choice = text[text.index("The people's choice") :]
    assert choice.index("Brief 3") < choice.index("Brief 1")
    # 12 is rounded to 10, 3 is suppressed, 15 voters rounded to 15 (disclosure control).
    assert "<td>10</td>" in choice
    assert "<td>fewer than 10</td>" in choice
    assert "People who voted: 15." in choice
    assert "choice</span>" in choice


def test_no_count_is_shown_before_the_vote_closes(client, challenge, organiser):
    move_to(challenge, Stage.WORK)
    brief = brief_for(TeamFactory(challenge=challenge))
    move_to(challenge, Stage.JUDGING)
    for _n in range(12):
        PublicVote.objects.create(challenge=challenge, brief=brief, user=UserFactory())
    client.force_login(organiser)

    text = client.get(results_url(challenge)).content.decode()

    assert "The votes are counted when the vote closes" in text
    assert "People who voted" not in text


def test_the_results_page_in_ukrainian(client, challenge, organiser):
    published(challenge, organiser=organiser)

    page = client.get(f"/uk/lab/{challenge.slug}/results/")

    assert page.status_code == 200
    assert '<html lang="uk"' in page.content.decode()


@pytest.mark.parametrize("teams", [2, 6])
def test_the_results_page_runs_a_fixed_number_of_queries(client, challenge, organiser, teams):
    world = published(challenge, organiser=organiser, teams=teams)
    for brief in world.briefs:
        PublicVote.objects.create(challenge=challenge, brief=brief, user=UserFactory())
    client.force_login(world.teams[0].lead)
    client.get(results_url(challenge))

    with CaptureQueriesContext(connection) as queries:
        client.get(results_url(challenge))

    assert Result.objects.count() == teams
    # Session, user, challenge, roles, results, votes, briefs, feedback and certificate reads:
    # the same count for 2 or 6 teams.
    assert len(queries) == 20, [q["sql"] for q in queries]
