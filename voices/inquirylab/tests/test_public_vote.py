import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from voices.accounts.tests.factories import UserFactory
from voices.inquirylab import result_services
from voices.inquirylab.models import PublicVote, Stage
from voices.inquirylab.tests.factories import TeamFactory, brief_for, move_to
from voices.inquirylab.tests.factories_results import verified


@pytest.fixture
def briefs(challenge):
    move_to(challenge, Stage.WORK)
    made = [brief_for(TeamFactory(challenge=challenge), title=f"Brief {n}") for n in (1, 2, 3)]
    move_to(challenge, Stage.JUDGING)
    return made


@pytest.fixture
def voter(db):
    return verified(UserFactory(display_name="Voter"))


def vote_url(challenge) -> str:
    return reverse("inquirylab:vote", kwargs={"slug": challenge.slug})


def test_a_verified_account_votes_once_and_can_move_its_vote(challenge, briefs, voter):
    result_services.vote_cast(user=voter, challenge=challenge, brief=briefs[0])
    result_services.vote_cast(user=voter, challenge=challenge, brief=briefs[2])

    vote = PublicVote.objects.get()
    assert (vote.user, vote.brief) == (voter, briefs[2])


def test_a_vote_can_be_taken_back_while_the_vote_is_open(challenge, briefs, voter):
    result_services.vote_cast(user=voter, challenge=challenge, brief=briefs[0])

    result_services.vote_withdraw(user=voter, challenge=challenge)

    assert not PublicVote.objects.exists()
    with pytest.raises(ValidationError) as error:
        result_services.vote_withdraw(user=voter, challenge=challenge)
    assert error.value.code == "not_voted"


def test_an_account_without_a_confirmed_email_cannot_vote(challenge, briefs, outsider):
    with pytest.raises(PermissionDenied):
        result_services.vote_cast(user=outsider, challenge=challenge, brief=briefs[0])

    assert not PublicVote.objects.exists()


def test_team_members_vote_but_not_for_their_own_brief(challenge, briefs):
    member = verified(briefs[0].team.lead)

    with pytest.raises(ValidationError) as error:
        result_services.vote_cast(user=member, challenge=challenge, brief=briefs[0])
    assert error.value.code == "own_team"

    result_services.vote_cast(user=member, challenge=challenge, brief=briefs[1])
    assert PublicVote.objects.get().brief == briefs[1]


@pytest.mark.parametrize("stage", [Stage.WORK, Stage.RESULTS])
def test_votes_are_taken_only_during_judging(challenge, briefs, voter, stage):
    move_to(challenge, stage)

    with pytest.raises(ValidationError) as error:
        result_services.vote_cast(user=voter, challenge=challenge, brief=briefs[0])

    assert error.value.code == "stage"
    assert "only during judging" in error.value.messages[0]


def test_only_submitted_briefs_of_the_challenge_can_be_chosen(challenge, briefs, voter):
    draft = brief_for(TeamFactory(challenge=challenge), submitted=False)

    with pytest.raises(ValidationError) as error:
        result_services.vote_cast(user=voter, challenge=challenge, brief=draft)

    assert error.value.code == "not_submitted"


def test_a_challenge_without_a_peoples_choice_takes_no_vote(challenge, briefs, voter):
    challenge.has_public_vote = False
    challenge.save()

    with pytest.raises(ValidationError) as error:
        result_services.vote_cast(user=voter, challenge=challenge, brief=briefs[0])

    assert error.value.code == "no_public_vote"


# The page


def test_the_vote_page_lists_the_briefs_with_the_persons_vote_and_no_counts(
    client, challenge, briefs, voter, organiser
):
    result_services.vote_cast(user=voter, challenge=challenge, brief=briefs[1])
    client.force_login(voter)

    page = client.get(vote_url(challenge))

    assert page.status_code == 200
    text = page.content.decode()
    for brief in briefs:
        assert brief.submitted_version.title in text
        assert brief.get_absolute_url() in text
    assert "You voted for “Brief 2”" in text
    assert "Move my vote to “Brief 1”" in text
    assert "Nobody sees how many votes" in text
    # Not even the organisers see a count before the vote closes.
    client.force_login(organiser)
    assert (
        "People who voted"
        not in client.get(
            reverse("inquirylab:results", kwargs={"slug": challenge.slug})
        ).content.decode()
    )


def test_voting_through_the_page_stores_and_moves_the_vote(client, challenge, briefs, voter):
    client.force_login(voter)

    client.post(vote_url(challenge), {"brief": briefs[0].pk})
    response = client.post(vote_url(challenge), {"brief": briefs[1].pk}, follow=True)

    assert PublicVote.objects.get().brief == briefs[1]
    assert "Your vote is counted" in response.content.decode()


def test_a_refused_vote_is_explained_on_the_page(client, challenge, briefs):
    member = verified(briefs[0].team.lead)
    client.force_login(member)

    response = client.post(vote_url(challenge), {"brief": briefs[0].pk}, follow=True)

    assert "cannot vote for your own team" in response.content.decode()
    assert not PublicVote.objects.exists()


def test_the_page_asks_for_a_confirmed_email_and_a_direct_post_is_refused(
    client, challenge, briefs, outsider
):
    client.force_login(outsider)

    page = client.get(vote_url(challenge)).content.decode()
    response = client.post(vote_url(challenge), {"brief": briefs[0].pk})

    assert "Confirm your e-mail address to vote" in page
    assert "Vote for “Brief 1”" not in page
    assert response.status_code == 403


def test_an_anonymous_vote_is_sent_to_log_in(client, challenge, briefs):
    response = client.post(vote_url(challenge), {"brief": briefs[0].pk})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_vote_page_runs_the_same_queries_however_many_briefs(
    client, challenge, briefs, voter, django_assert_max_num_queries
):
    client.force_login(voter)
    result_services.vote_cast(user=voter, challenge=challenge, brief=briefs[0])
    client.get(vote_url(challenge))  # warm the caches (content types, sessions)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(vote_url(challenge))
    move_to(challenge, Stage.WORK)
    for n in range(10):
        brief_for(TeamFactory(challenge=challenge), title=f"More {n}")
    move_to(challenge, Stage.JUDGING)
    with django_assert_max_num_queries(len(few)):
        client.get(vote_url(challenge))


def test_an_administrator_needs_a_confirmed_email_too(challenge, briefs, admin_user):
    with pytest.raises(PermissionDenied):
        result_services.vote_cast(user=admin_user, challenge=challenge, brief=briefs[0])
