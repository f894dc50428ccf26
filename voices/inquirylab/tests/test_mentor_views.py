"""The mentors' pages: the public list, adding and pausing mentors, a mentor's own profile."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.inquirylab.models import Mentor
from voices.inquirylab.tests.factories_mentors import (
    HOUR,
    OfficeHourFactory,
    booked,
    mentor_for,
    team_of,
    work_challenge,
)


@pytest.fixture
def challenge(db):
    return work_challenge()


@pytest.fixture
def mentor(challenge):
    return mentor_for(
        challenge,
        user=UserFactory(username="nadia-login", display_name="Dr Nadia"),
        areas="Asylum law",
        languages=["uk", "ar"],
    )


def _list(challenge) -> str:
    return reverse("inquirylab:mentors", kwargs={"slug": challenge.slug})


@pytest.mark.django_db
def test_anyone_sees_the_active_mentors_with_their_free_office_hours(client, challenge, mentor):
    free = OfficeHourFactory(mentor=mentor)
    past = OfficeHourFactory(mentor=mentor, starts_at=timezone.now() - HOUR)
    taken = booked(OfficeHourFactory(mentor=mentor, starts_at=timezone.now() + 30 * HOUR),
                   team_of(challenge))  # fmt: skip
    paused = mentor_for(challenge, is_active=False, user=UserFactory(display_name="Paused One"))

    content = client.get(_list(challenge)).content.decode()

    assert "Dr Nadia" in content and "Asylum law" in content
    assert "nadia-login" not in content
    assert 'lang="uk"' in content and 'lang="ar"' in content
    assert f'id="slot-{free.pk}"' in content
    assert f'id="slot-{past.pk}"' not in content and f'id="slot-{taken.pk}"' not in content
    assert paused.user.display_name not in content


@pytest.mark.django_db
def test_an_empty_list_says_so(client, challenge):
    assert "No mentors yet." in client.get(_list(challenge)).content.decode()


@pytest.mark.django_db
def test_the_organisers_see_the_management_and_the_team_threads(
    client, challenge, mentor, organiser
):
    paused = mentor_for(challenge, is_active=False)
    team = team_of(challenge, name="Team Aurora")
    client.force_login(organiser)

    content = client.get(_list(challenge)).content.decode()

    assert reverse("inquirylab:mentor_add", kwargs={"slug": challenge.slug}) in content
    assert reverse("inquirylab:mentor_toggle", kwargs={"mentor_id": paused.pk}) in content
    assert reverse("inquirylab:team_thread", kwargs={"team_id": team.pk}) in content
    assert "Team Aurora" in content


@pytest.mark.django_db
def test_the_public_sees_no_management_and_no_threads(client, challenge, mentor):
    team = team_of(challenge)

    content = client.get(_list(challenge)).content.decode()

    assert reverse("inquirylab:mentor_add", kwargs={"slug": challenge.slug}) not in content
    assert reverse("inquirylab:mentor_toggle", kwargs={"mentor_id": mentor.pk}) not in content
    assert reverse("inquirylab:team_thread", kwargs={"team_id": team.pk}) not in content


@pytest.mark.django_db
def test_a_mentor_sees_links_to_their_profile_office_hours_and_every_teams_thread(
    client, challenge, mentor
):
    team = team_of(challenge)
    client.force_login(mentor.user)

    content = client.get(_list(challenge)).content.decode()

    assert reverse("inquirylab:mentor_profile", kwargs={"slug": challenge.slug}) in content
    assert reverse("inquirylab:office_hours", kwargs={"slug": challenge.slug}) in content
    assert reverse("inquirylab:team_thread", kwargs={"team_id": team.pk}) in content


@pytest.mark.django_db
def test_an_organiser_adds_a_mentor_through_the_page(client, challenge, organiser):
    UserFactory(username="expert7", display_name="Expert Seven")
    client.force_login(organiser)
    url = reverse("inquirylab:mentor_add", kwargs={"slug": challenge.slug})

    assert client.get(url).status_code == 200
    response = client.post(url, {"identifier": "expert7", "areas": "Youth work"}, follow=True)

    assert "Expert Seven is a mentor now and has been told." in response.content.decode()
    assert Mentor.objects.get().areas == "Youth work"


@pytest.mark.django_db
def test_a_refused_addition_is_explained_in_the_form(client, challenge, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("inquirylab:mentor_add", kwargs={"slug": challenge.slug}),
        {"identifier": "nobody", "areas": "Youth work"},
    )

    assert response.status_code == 200
    assert "No account has this username or e-mail address." in response.content.decode()


@pytest.mark.django_db
def test_participants_cannot_reach_the_mentor_management(client, challenge, mentor):
    client.force_login(team_of(challenge).lead)

    assert (
        client.get(reverse("inquirylab:mentor_add", kwargs={"slug": challenge.slug})).status_code
        == 403
    )
    toggle = reverse("inquirylab:mentor_toggle", kwargs={"mentor_id": mentor.pk})
    assert client.post(toggle, {"active": "0"}).status_code == 403
    mentor.refresh_from_db()
    assert mentor.is_active


@pytest.mark.django_db
def test_an_organiser_pauses_and_reactivates_a_mentor(client, challenge, mentor, organiser):
    client.force_login(organiser)
    toggle = reverse("inquirylab:mentor_toggle", kwargs={"mentor_id": mentor.pk})

    content = client.post(toggle, {"active": "0"}, follow=True).content.decode()
    mentor.refresh_from_db()
    assert not mentor.is_active
    assert "Reactivate Dr Nadia" in content

    client.post(toggle, {"active": "1"})
    mentor.refresh_from_db()
    assert mentor.is_active


@pytest.mark.django_db
def test_a_mentor_edits_their_profile_with_the_sites_languages(client, challenge, mentor):
    client.force_login(mentor.user)
    url = reverse("inquirylab:mentor_profile", kwargs={"slug": challenge.slug})

    form = client.get(url).content.decode()
    assert 'type="checkbox" name="languages" value="fa"' in form
    response = client.post(
        url, {"areas": "Housing", "languages": ["fa", "en"], "organisation": "", "bio": "Hi."}
    )

    assert response.status_code == 302
    mentor.refresh_from_db()
    assert (mentor.areas, mentor.languages, mentor.bio) == ("Housing", ["en", "fa"], "Hi.")


@pytest.mark.django_db
def test_the_profile_page_is_only_for_the_challenges_mentors(client, challenge, organiser):
    url = reverse("inquirylab:mentor_profile", kwargs={"slug": challenge.slug})

    for person in (organiser, UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_mentors_of_an_unpublished_challenge_are_hidden(client, mentor):
    draft = work_challenge(is_published=False)

    assert client.get(_list(draft)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "team member", "organiser"])
def test_the_list_runs_as_many_queries_with_30_mentors_as_with_2(
    challenge, organiser, who, django_assert_num_queries
):
    team = team_of(challenge)
    client = Client()
    if who != "anonymous":
        client.force_login({"team member": team.lead, "organiser": organiser}[who])

    def add_mentors(count: int) -> None:
        for _n in range(count):
            mentor = mentor_for(challenge)
            for hours in (24, 26, 28):
                OfficeHourFactory(mentor=mentor, starts_at=timezone.now() + hours * HOUR)

    add_mentors(2)
    booked(OfficeHourFactory(mentor=mentor_for(challenge)), team)
    client.get(_list(challenge))
    with CaptureQueriesContext(connection) as few:
        client.get(_list(challenge))
    add_mentors(28)
    booked(
        OfficeHourFactory(
            mentor=mentor_for(challenge), starts_at=timezone.now() + datetime.timedelta(days=2)
        ),
        team,
    )
    team_of(challenge)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(_list(challenge))
    assert len(response.context["page"].object_list) == 32


@pytest.mark.django_db
def test_the_list_in_ukrainian(client, challenge, mentor):
    response = client.get(f"/uk{_list(challenge)[3:]}")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="uk"' in content and "Dr Nadia" in content
