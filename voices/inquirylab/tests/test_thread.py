"""A team's private thread: its members and the active mentors write, the organisers read,
nobody else learns it exists; notices come at most once an hour per person and thread."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.core.models import Notification
from voices.inquirylab import mentor_services
from voices.inquirylab.models import Stage, TeamMessage
from voices.inquirylab.tests.factories import move_to
from voices.inquirylab.tests.factories_mentors import mentor_for, team_of, users_of, work_challenge


@pytest.fixture
def challenge(db):
    return work_challenge()


@pytest.fixture
def mentor(challenge):
    return mentor_for(challenge)


@pytest.fixture
def team(challenge):
    return team_of(challenge, size=3)


def _thread(team) -> str:
    return reverse("inquirylab:team_thread", kwargs={"team_id": team.pk})


def _post(team) -> str:
    return reverse("inquirylab:thread_post", kwargs={"team_id": team.pk})


# Writing


@pytest.mark.django_db
def test_a_member_writes_and_the_others_and_the_mentors_are_told(team, mentor, challenge):
    paused = mentor_for(challenge, is_active=False)
    author, *others = users_of(team)

    message = mentor_services.message_post(actor=author, team=team, body="  Can we meet?  ")

    assert message.body == "Can we meet?" and message.author == author
    told = {n.recipient for n in Notification.objects.filter(kind="lab_thread")}
    assert told == {*others, mentor.user}
    assert paused.user not in told
    assert Notification.objects.filter(kind="lab_thread").first().url == _thread(team)


@pytest.mark.django_db
def test_a_mentor_writes_in_any_teams_thread(team, mentor):
    mentor_services.message_post(actor=mentor.user, team=team, body="I read your draft.")

    told = {n.recipient for n in Notification.objects.filter(kind="lab_thread")}
    assert told == set(users_of(team))


@pytest.mark.django_db
def test_line_breaks_are_kept_and_html_stays_text(team):
    message = mentor_services.message_post(
        actor=team.lead, team=team, body="First line\r\n<b>second</b> line\r\n"
    )

    assert message.body == "First line\n<b>second</b> line"


@pytest.mark.django_db
def test_an_empty_or_too_long_message_is_refused(team):
    for body, code in (("  \n ", "empty"), ("x" * 5001, "too_long")):
        with pytest.raises(ValidationError) as refused:
            mentor_services.message_post(actor=team.lead, team=team, body=body)
        assert refused.value.code == code
    assert not TeamMessage.objects.exists()


@pytest.mark.django_db
def test_organisers_paused_mentors_and_other_teams_do_not_write(challenge, team, organiser):
    paused = mentor_for(challenge, is_active=False)

    for actor in (organiser, paused.user, team_of(challenge).lead, UserFactory()):
        with pytest.raises(PermissionDenied):
            mentor_services.message_post(actor=actor, team=team, body="Hello")


@pytest.mark.django_db
def test_nobody_writes_after_the_deadline_not_even_a_mentor(challenge, team, mentor):
    move_to(challenge, Stage.JUDGING)

    for actor in (team.lead, mentor.user):
        with pytest.raises(ValidationError) as refused:
            mentor_services.message_post(actor=actor, team=team, body="One more thing")
        assert refused.value.code == "stage"


@pytest.mark.django_db
def test_a_person_is_told_at_most_once_an_hour_about_one_thread(challenge, team, mentor):
    author, reader, _third = users_of(team)
    for n in range(5):
        mentor_services.message_post(actor=author, team=team, body=f"Message {n}")
    assert Notification.objects.filter(recipient=reader, kind="lab_thread").count() == 1

    other_team = team_of(challenge)
    mentor_services.message_post(actor=other_team.lead, team=other_team, body="Hello")
    assert Notification.objects.filter(recipient=mentor.user, kind="lab_thread").count() == 2

    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    mentor_services.message_post(actor=author, team=team, body="An hour later")
    assert Notification.objects.filter(recipient=reader, kind="lab_thread").count() == 2


# Reading


@pytest.mark.django_db
def test_the_team_the_mentors_and_the_organisers_read_the_thread(
    client, challenge, team, mentor, organiser, coordinator
):
    TeamMessage.objects.create(team=team, author=team.lead, body="Our plan")

    for reader in (users_of(team)[2], mentor.user, organiser, coordinator):
        client.force_login(reader)
        response = client.get(_thread(team))
        assert response.status_code == 200, reader
        assert "Our plan" in response.content.decode()


@pytest.mark.django_db
def test_nobody_else_learns_the_thread_exists(client, challenge, team):
    paused = mentor_for(challenge, is_active=False)

    for outsider in (team_of(challenge).lead, paused.user, UserFactory()):
        client.force_login(outsider)
        assert client.get(_thread(team)).status_code == 404
        assert client.post(_post(team), {"body": "Hi"}).status_code == 404
    assert client.logout() is None
    assert client.get(_thread(team)).status_code == 302  # to the login page


@pytest.mark.django_db
def test_organisers_read_but_get_no_form(client, team, organiser):
    client.force_login(organiser)

    content = client.get(_thread(team)).content.decode()

    assert _post(team) not in content
    assert "because you run the challenge" in content
    assert client.post(_post(team), {"body": "Hi"}).status_code == 403


@pytest.mark.django_db
def test_writing_through_the_page_escapes_html_and_keeps_line_breaks(client, team):
    client.force_login(team.lead)

    response = client.post(_post(team), {"body": "Line one\r\n<script>x()</script>"}, follow=True)

    content = response.content.decode()
    message = TeamMessage.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#message-{message.pk}")
    assert "Line one<br>&lt;script&gt;x()&lt;/script&gt;" in content
    assert "<script>x()" not in content


@pytest.mark.django_db
def test_a_refused_message_keeps_its_text_in_the_form(client, team):
    client.force_login(team.lead)

    response = client.post(_post(team), {"body": "x" * 5001})

    assert response.status_code == 200
    assert not TeamMessage.objects.exists()
    assert "x" * 5001 in response.content.decode()


@pytest.mark.django_db
def test_after_the_deadline_the_thread_is_read_only_and_says_so(client, challenge, team):
    move_to(challenge, Stage.JUDGING)
    client.force_login(team.lead)

    content = client.get(_thread(team)).content.decode()

    assert _post(team) not in content
    assert "The mentors&#x27; help ends at the submission deadline." in content


@pytest.mark.django_db
def test_the_newest_messages_are_at_the_bottom_of_the_page_that_opens_first(client, team):
    start = timezone.now() - datetime.timedelta(days=1)
    TeamMessage.objects.bulk_create(
        TeamMessage(team=team, author=team.lead, body=f"Message number {n}") for n in range(60)
    )
    for n, message in enumerate(TeamMessage.objects.order_by("id")):
        TeamMessage.objects.filter(pk=message.pk).update(
            created_at=start + datetime.timedelta(minutes=n)
        )
    client.force_login(team.lead)

    first_view = client.get(_thread(team))

    page = first_view.context["page"]
    assert page.number == 2 and len(page.object_list) == 10
    bodies = [m.body for m in page.object_list]
    assert bodies[-1] == "Message number 59" and bodies[0] == "Message number 50"
    older = client.get(_thread(team), {"page": 1}).context["page"]
    assert len(older.object_list) == 50 and older.object_list[0].body == "Message number 0"


@pytest.mark.django_db
def test_the_thread_page_runs_as_many_queries_with_50_messages_as_with_2(
    team, mentor, django_assert_num_queries
):
    client = Client()
    client.force_login(mentor.user)
    people = users_of(team) + [mentor.user]
    TeamMessage.objects.bulk_create(
        TeamMessage(team=team, author=people[n % 4], body="Hello") for n in range(2)
    )
    client.get(_thread(team))  # per-process caches are filled by the first request
    with CaptureQueriesContext(connection) as few:
        client.get(_thread(team))
    TeamMessage.objects.bulk_create(
        TeamMessage(team=team, author=people[n % 4], body="Hello") for n in range(48)
    )

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(_thread(team))
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db
def test_the_thread_in_arabic_is_right_to_left(client, team):
    client.force_login(team.lead)

    response = client.get(f"/ar{_thread(team)[3:]}")

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in response.content.decode()
