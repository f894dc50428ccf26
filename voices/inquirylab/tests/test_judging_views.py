from django.urls import reverse

from voices.accounts.tests.factories import UserFactory
from voices.assessments.models import Assignment, Item, Reviewer, Round
from voices.inquirylab.models import Result, Stage
from voices.inquirylab.tests.factories import TeamFactory, brief_for, move_to
from voices.inquirylab.tests.factories_results import judged, judging_under_way


def url(name: str, challenge, **kwargs) -> str:
    return reverse(f"inquirylab:{name}", kwargs={"slug": challenge.slug, **kwargs})


def test_the_judging_page_offers_the_default_rubric_before_set_up(client, challenge, organiser):
    client.force_login(organiser)

    page = client.get(url("judging", challenge))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Relevance to young migrants and refugees" in text
    assert "Set up the judging" in text


def test_only_those_who_run_the_challenge_reach_the_judging_page(client, challenge, outsider):
    assert client.get(url("judging", challenge)).status_code == 302  # to log in
    client.force_login(outsider)

    assert client.get(url("judging", challenge)).status_code == 403
    assert (
        client.post(url("judging_start", challenge), {"reviewers_per_item": 3}).status_code == 403
    )
    assert not Round.objects.exists()


def test_setting_up_adding_judges_and_assigning_through_the_pages(client, challenge, organiser):
    move_to(challenge, Stage.WORK)
    for _n in range(2):
        brief_for(TeamFactory(challenge=challenge))
    client.force_login(organiser)

    client.post(url("judging_start", challenge), {"reviewers_per_item": 3, "is_blind": "on"})
    judges = [UserFactory() for _n in range(3)]
    for judge in judges:
        response = client.post(url("judging_judge_add", challenge), {"identifier": judge.email})
        assert response.status_code == 302
    move_to(challenge, Stage.JUDGING)
    client.post(url("judging_items", challenge))
    response = client.post(url("judging_assign", challenge), follow=True)

    round = Round.objects.get()
    assert round.is_blind
    assert Reviewer.objects.filter(round=round).count() == 3
    assert Item.objects.filter(round=round).count() == 2
    assert Assignment.objects.count() == 6
    text = response.content.decode()
    assert "6 reviews were assigned." in text
    assert reverse("assessments:round", kwargs={"round_id": round.pk}) in text
    assert reverse("assessments:results", kwargs={"round_id": round.pk}) in text


def test_an_unknown_judge_is_shown_as_a_form_error(client, challenge, organiser):
    client.force_login(organiser)
    client.post(url("judging_start", challenge), {"reviewers_per_item": 3})

    page = client.post(url("judging_judge_add", challenge), {"identifier": "no-such-person"})

    assert page.status_code == 200
    assert "No single account has this username or e-mail address." in page.content.decode()


def test_a_judge_is_removed_through_the_page(client, challenge, organiser):
    client.force_login(organiser)
    client.post(url("judging_start", challenge), {"reviewers_per_item": 3})
    judge = UserFactory()
    client.post(url("judging_judge_add", challenge), {"identifier": judge.username})

    client.post(url("judging_judge_remove", challenge, user_id=judge.pk))

    assert not Reviewer.objects.exists()


def test_assigning_outside_judging_says_why(client, challenge, organiser):
    client.force_login(organiser)
    client.post(url("judging_start", challenge), {"reviewers_per_item": 3})

    response = client.post(url("judging_assign", challenge), follow=True)

    assert "Judging is not open now." in response.content.decode()


def test_publishing_through_the_page_with_feedback(client, challenge, organiser):
    world = judged(challenge, organiser=organiser)
    client.force_login(organiser)
    form = client.get(url("judging", challenge)).content.decode()
    assert f'name="feedback_{world.briefs[0].pk}"' in form

    response = client.post(
        url("results_publish", challenge),
        {"winners": 1, f"feedback_{world.briefs[0].pk}": "Strong evidence."},
    )

    assert response.status_code == 302
    assert response["Location"] == url("results", challenge)
    assert Result.objects.get(rank=1).feedback == "Strong evidence."


def test_missing_reviews_are_shown_and_can_be_confirmed(client, challenge, organiser):
    judging_under_way(challenge, organiser=organiser)
    move_to(challenge, Stage.RESULTS)
    client.force_login(organiser)

    page = client.post(url("results_publish", challenge), {"winners": 1})
    assert "9 reviews are not submitted yet" in page.content.decode()
    assert not Result.objects.exists()

    page = client.post(url("results_publish", challenge), {"winners": 1, "allow_missing": "on"})
    assert "No brief has a submitted review yet." in page.content.decode()


def test_taking_the_results_back_through_the_page(client, challenge, organiser):
    judged(challenge, organiser=organiser)
    client.force_login(organiser)
    client.post(url("results_publish", challenge), {"winners": 1})

    response = client.post(url("results_unpublish", challenge), follow=True)

    challenge.refresh_from_db()
    assert challenge.results_published_at is None
    assert "The results are taken back." in response.content.decode()


def test_judges_see_the_submitted_brief_and_blind_judges_no_team(client, challenge, organiser):
    world = judging_under_way(challenge, organiser=organiser, teams=1, is_blind=True)
    assignment = Assignment.objects.filter(reviewer__user=world.judges[0]).get()
    client.force_login(world.judges[0])

    page = client.get(reverse("assessments:review", kwargs={"assignment_id": assignment.pk}))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Open classes until 21:00." in text  # the proposal of the submitted version
    assert "Entry 1" in text
    assert "Team 1" not in text


def test_judges_see_the_team_when_the_judging_is_not_blind(client, challenge, organiser):
    world = judging_under_way(challenge, organiser=organiser, teams=1)
    assignment = Assignment.objects.filter(reviewer__user=world.judges[0]).get()
    client.force_login(world.judges[0])

    text = client.get(
        reverse("assessments:review", kwargs={"assignment_id": assignment.pk})
    ).content.decode()

    assert "A brief by the team “Team 1”" in text
