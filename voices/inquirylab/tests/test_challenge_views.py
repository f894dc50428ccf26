"""Challenge pages through the client: the list, a challenge's page with what the viewer can do
now, setting a challenge up and publishing it, the sub-navigation, and query counts."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.directory.tests.factories import text
from voices.inquirylab.challenge_selectors import challenge_list
from voices.inquirylab.models import Challenge, Registration, Stage
from voices.inquirylab.tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    TeamFactory,
    move_to,
)
from voices.inquirylab.tests.factories_challenges import challenge_form_data, queries_of


def url(name: str, **kwargs) -> str:
    return reverse(f"inquirylab:{name}", kwargs=kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def now_box(response) -> str:
    """The "What you can do now" box, as text without tags."""
    html = response.content.decode()
    box = html[html.index('aria-labelledby="now-title"') : html.index("</section>")]
    return " ".join(re.sub(r"<[^>]+>", " ", box).split())


# The list


@pytest.mark.django_db
def test_the_list_shows_published_challenges_current_first(client):
    finished = ChallengeFactory(title=text("Finished"), stage=Stage.RESULTS)
    current = ChallengeFactory(title=text("Current"), stage=Stage.WORK)
    ChallengeFactory(title=text("Hidden draft"), is_published=False)

    response = client.get(url("list"))

    assert [c.pk for c in response.context["page"].object_list] == [current.pk, finished.pk]
    assert "Hidden draft" not in response.content.decode()
    assert list(challenge_list()) == [current, finished]


@pytest.mark.django_db
def test_the_list_says_when_there_is_no_challenge(client):
    response = client.get(url("list"))

    assert "No challenges yet." in response.content.decode()


@pytest.mark.django_db
def test_organisers_see_their_drafts_on_the_list_and_others_do_not(client, organiser, outsider):
    draft = ChallengeFactory(title=text("Our draft"), is_published=False)
    grant(organiser, Role.REPRESENTATIVE, draft.organiser)

    client.force_login(outsider)
    assert "Our draft" not in client.get(url("list")).content.decode()
    client.force_login(organiser)
    assert "Our draft" in client.get(url("list")).content.decode()


@pytest.mark.django_db
def test_the_list_runs_as_many_queries_with_30_challenges_as_with_3(
    client, participant, django_assert_num_queries
):
    client.force_login(participant)
    ChallengeFactory.create_batch(3)
    few = queries_of(client, url("list"))

    ChallengeFactory.create_batch(27, stage=Stage.WORK)

    with django_assert_num_queries(few):
        response = client.get(url("list"))
    assert len(response.context["page"].object_list) == 20


# A challenge's page


@pytest.mark.django_db
def test_the_challenge_page_shows_its_texts_rules_and_timeline(client, challenge):
    challenge.brief = text("Write a **policy brief** for your city.")
    challenge.resources = text("See [the statistics](https://example.org/stats).")
    challenge.allowed_countries = ["IT", "AT"]
    challenge.save()

    html = client.get(challenge.get_absolute_url()).content.decode()

    assert "<strong>policy brief</strong>" in html
    assert 'href="https://example.org/stats"' in html
    assert "How can a city help young newcomers?" in html
    assert "Austria, Italy" in html
    assert "This challenge is for people aged 19 to 26 on " in html
    assert "2 to 5 people" in html
    assert re.search(r'class="current" aria-current="step">\s*<strong>Registration', html)


@pytest.mark.django_db
def test_the_timeline_is_shown_in_the_viewers_time_zone(client, challenge, participant):
    challenge.registration_at = challenge.registration_at.replace(
        hour=23, minute=30, second=0, microsecond=0
    )
    challenge.save()
    participant.time_zone = "Asia/Tokyo"  # UTC+9: 23:30 UTC is 08:30 the next morning
    participant.save()
    client.force_login(participant)

    html = client.get(challenge.get_absolute_url()).content.decode()

    assert "8:30 a.m." in html


@pytest.mark.django_db
def test_a_draft_is_a_404_for_people_who_do_not_run_it(client, outsider):
    draft = ChallengeFactory(is_published=False)

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_visitor_is_invited_to_register_during_registration(client, challenge):
    box = now_box(client.get(challenge.get_absolute_url()))

    assert "Register" in box
    assert "You log in or create an account first." in box


@pytest.mark.django_db
def test_a_registered_person_sees_their_status_and_can_withdraw(client, challenge, participant):
    RegistrationFactory(challenge=challenge, user=participant, status="pending")
    client.force_login(participant)

    response = client.get(challenge.get_absolute_url())

    box = now_box(response)
    assert "Your registration is waiting for the organisers." in box
    assert "Withdraw my registration" in box
    assert url("registration_withdraw", slug=challenge.slug) in response.content.decode()


@pytest.mark.django_db
def test_a_rejected_person_sees_the_reason(client, challenge, participant):
    RegistrationFactory(
        challenge=challenge, user=participant, status="rejected",
        decision_reason="We could not confirm where you live.",
    )  # fmt: skip
    client.force_login(participant)

    box = now_box(client.get(challenge.get_absolute_url()))

    assert "did not accept your registration" in box
    assert "We could not confirm where you live." in box
    assert "Register" not in box.replace("registration", "")


@pytest.mark.django_db
def test_a_team_member_is_pointed_to_their_brief_during_the_work_stage(client, participant):
    team = TeamFactory(lead=participant)  # in its work stage
    client.force_login(participant)

    response = client.get(team.challenge.get_absolute_url())

    box = now_box(response)
    assert "Registration is closed" not in box
    assert "Withdraw" not in box
    assert "Your team" in box
    assert "Write your brief" in box
    html = response.content.decode()
    assert f'href="{url("brief_edit", team_id=team.pk)}"' in html


@pytest.mark.django_db
def test_someone_who_did_not_register_is_told_registration_closed_and_can_follow(
    client, participant
):
    challenge = ChallengeFactory(stage=Stage.WORK)
    client.force_login(participant)

    box = now_box(client.get(challenge.get_absolute_url()))

    assert "Registration is closed. You can still follow the challenge" in box


@pytest.mark.django_db
def test_judging_and_results_are_announced(client, challenge):
    move_to(challenge, Stage.JUDGING)
    assert "The briefs are being judged." in now_box(client.get(challenge.get_absolute_url()))


@pytest.mark.django_db
def test_the_page_is_shown_in_another_language(client, challenge):
    challenge.title = text("Youth and the city", uk="Молодь і місто")
    challenge.save()

    with translation.override("uk"):
        address = challenge.get_absolute_url()
    html = client.get(address).content.decode()

    assert address.startswith("/uk/")
    assert '<html lang="uk"' in html
    assert "Молодь і місто" in html


# The sub-navigation


@pytest.mark.django_db
def test_the_subnav_marks_the_overview_and_shows_staff_links_only_to_those_who_run_it(
    client, challenge, organiser, participant
):
    client.force_login(participant)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert re.search(r'aria-current="page">Overview<', html)
    assert url("registrations", slug=challenge.slug) not in html

    client.force_login(organiser)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert f'href="{url("registrations", slug=challenge.slug)}"' in html


# Setting up and publishing


@pytest.mark.django_db
def test_programme_staff_create_a_challenge_through_the_form(client, coordinator, authority):
    client.force_login(coordinator)
    assert client.get(url("create")).status_code == 200

    response = client.post(url("create"), challenge_form_data(organiser=authority.pk))

    challenge = Challenge.objects.get(slug="youth-policy-2027")
    assert response.status_code == 302
    assert response["Location"] == challenge.get_absolute_url()
    assert not challenge.is_published
    assert challenge.organiser == authority
    assert challenge.allowed_countries == ["AT", "IT"]
    assert str(challenge.brief) == "Write a **policy brief** for your city."


@pytest.mark.django_db
def test_the_form_refuses_stage_dates_out_of_order(client, coordinator):
    client.force_login(coordinator)

    response = client.post(url("create"), challenge_form_data(work_at="2027-01-20T09:00"))

    assert response.status_code == 200
    assert "Each stage must start after the one before it." in response.content.decode()
    assert not Challenge.objects.exists()


@pytest.mark.django_db
def test_an_organiser_cannot_create_a_challenge(client, organiser):
    client.force_login(organiser)

    assert client.get(url("create")).status_code == 403


@pytest.mark.django_db
def test_the_organiser_edits_without_choosing_the_organiser(client, organiser, challenge):
    client.force_login(organiser)
    page = client.get(url("edit", slug=challenge.slug))
    assert "organiser" not in page.context["form"].fields

    data = challenge_form_data(slug=challenge.slug, theme_en="Work and study")
    response = client.post(url("edit", slug=challenge.slug), data)

    assert response.status_code == 302
    challenge.refresh_from_db()
    assert str(challenge.theme) == "Work and study"


@pytest.mark.django_db
def test_someone_else_cannot_edit(client, outsider, challenge):
    client.force_login(outsider)

    assert client.get(url("edit", slug=challenge.slug)).status_code == 403


@pytest.mark.django_db
def test_publish_and_back_to_draft_through_the_page(client, organiser):
    challenge = ChallengeFactory(is_published=False)
    grant(organiser, Role.REPRESENTATIVE, challenge.organiser)
    client.force_login(organiser)

    client.post(url("publish", slug=challenge.slug))
    challenge.refresh_from_db()
    assert challenge.is_published

    client.post(url("publish", slug=challenge.slug), {"publish": "0"})
    challenge.refresh_from_db()
    assert not challenge.is_published


@pytest.mark.django_db
def test_back_to_draft_is_refused_with_a_message_once_people_registered(
    client, organiser, challenge
):
    RegistrationFactory(challenge=challenge)
    client.force_login(organiser)

    response = client.post(url("publish", slug=challenge.slug), {"publish": "0"})

    assert "People have already registered, so the challenge stays published." in messages_of(
        response
    )
    challenge.refresh_from_db()
    assert challenge.is_published
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_publishing_is_refused_to_others(client):
    challenge = ChallengeFactory(is_published=False)
    client.force_login(UserFactory())

    assert client.post(url("publish", slug=challenge.slug)).status_code == 404
