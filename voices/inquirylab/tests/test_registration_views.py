"""Registering, withdrawing and the organisers' review of registrations, through the client."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from voices.accounts.tests.factories import UserFactory
from voices.core.models import Notification
from voices.inquirylab.models import Registration, Stage
from voices.inquirylab.tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    TeamFactory,
    move_to,
)
from voices.inquirylab.tests.factories_challenges import born, form_data, queries_of


def url(name: str, **kwargs) -> str:
    return reverse(f"inquirylab:{name}", kwargs=kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def signed_in(client, participant):
    client.force_login(participant)
    return client


# Registering


@pytest.mark.django_db
def test_the_form_asks_only_what_eligibility_and_teams_need(signed_in, challenge):
    response = signed_in.get(url("register", slug=challenge.slug))

    form = response.context["form"]
    assert list(form.fields) == [
        "birth_year", "birth_date", "country", "languages", "skills", "is_looking_for_team",
        "organisation", "consent",
    ]  # fmt: skip
    html = response.content.decode()
    assert "Used once to check your age on " in html
    assert "not stored" in html
    # The challenge's languages come first, then the site's others.
    assert [c for c, _n in form.fields["languages"].choices][:3] == ["en", "uk", "ar"]
    assert ("other", "Another country") in form.fields["country"].choices


@pytest.mark.django_db
def test_an_eligible_person_registers_and_goes_back_to_the_challenge(
    signed_in, challenge, participant
):
    response = signed_in.post(url("register", slug=challenge.slug), form_data(challenge))

    assert response.status_code == 302
    assert response["Location"] == challenge.get_absolute_url()
    registration = Registration.objects.get(user=participant)
    assert registration.status == Registration.Status.PENDING
    assert registration.is_looking_for_team
    assert any("you are registered" in m for m in messages_of(response))


@pytest.mark.django_db
def test_a_full_birth_date_can_be_given_instead_of_the_year(signed_in, challenge, participant):
    day = born(19, start=challenge.starts_on).isoformat()  # the 19th birthday on the start date

    signed_in.post(
        url("register", slug=challenge.slug), form_data(challenge, birth_year="", birth_date=day)
    )

    assert Registration.objects.filter(user=participant).exists()


@pytest.mark.django_db
def test_a_year_at_the_edge_asks_kindly_for_the_full_date(signed_in, challenge):
    edge = str(challenge.starts_on.year - 19)

    response = signed_in.post(
        url("register", slug=challenge.slug), form_data(challenge, birth_year=edge)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == [
        f"Thank you. For people born in {edge}, the exact day decides whether they are inside "
        "the age range. Please give your full birth date as well."
    ]
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_day_before_the_19th_birthday_is_refused_kindly_with_the_public_pages(
    signed_in, challenge
):
    day = born(19, days=1, start=challenge.starts_on).isoformat()

    response = signed_in.post(
        url("register", slug=challenge.slug), form_data(challenge, birth_year="", birth_date=day)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "This challenge is for people aged 19 to 26 on " in html
    assert "You can still follow it" in html
    assert "Nothing you entered was kept." in html
    assert f'href="{challenge.get_absolute_url()}"' in html
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_another_country_is_refused_kindly(signed_in, challenge):
    response = signed_in.post(
        url("register", slug=challenge.slug), form_data(challenge, country="other")
    )

    assert "This challenge is for people who live in one of these countries: Austria" in (
        response.content.decode()
    )
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_consent_is_required(signed_in, challenge):
    response = signed_in.post(
        url("register", slug=challenge.slug), form_data(challenge, consent=None)
    )

    assert "consent" in response.context["form"].errors
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_form_says_when_registration_is_closed(signed_in):
    challenge = ChallengeFactory(stage=Stage.WORK)

    response = signed_in.get(url("register", slug=challenge.slug))
    assert "Registration for this challenge is closed." in response.content.decode()

    signed_in.post(url("register", slug=challenge.slug), form_data(challenge))
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_second_registration_is_told_they_are_already_registered(
    signed_in, challenge, participant
):
    RegistrationFactory(challenge=challenge, user=participant, status="pending")

    response = signed_in.post(url("register", slug=challenge.slug), form_data(challenge))

    assert response.status_code == 302
    assert "You are already registered for this challenge." in messages_of(response)
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_registering_needs_an_account(client, challenge):
    response = client.get(url("register", slug=challenge.slug))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_someone_registers_in_ukrainian(signed_in, challenge, participant):
    with translation.override("uk"):
        address = url("register", slug=challenge.slug)

    page = signed_in.get(address)
    assert '<html lang="uk"' in page.content.decode()
    response = signed_in.post(address, form_data(challenge, languages=["uk"]))

    assert response.status_code == 302
    assert Registration.objects.get(user=participant).languages == ["uk"]


# Withdrawing


@pytest.mark.django_db
def test_withdrawing_and_registering_again(signed_in, challenge, participant):
    RegistrationFactory(challenge=challenge, user=participant, status="pending")

    response = signed_in.post(url("registration_withdraw", slug=challenge.slug))
    assert Registration.objects.get().status == Registration.Status.WITHDRAWN
    assert any("You have withdrawn." in m for m in messages_of(response))

    signed_in.post(url("register", slug=challenge.slug), form_data(challenge))
    assert Registration.objects.get().status == Registration.Status.PENDING


@pytest.mark.django_db
def test_a_team_member_is_told_to_leave_their_team_first(signed_in, participant):
    team = TeamFactory(challenge=ChallengeFactory(stage=Stage.TEAM_FORMATION), lead=participant)

    response = signed_in.post(url("registration_withdraw", slug=team.challenge.slug))

    assert "Leave your team first." in messages_of(response)
    assert Registration.objects.get(user=participant).status == Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_withdrawing_without_a_registration_is_a_404(signed_in, challenge):
    assert signed_in.post(url("registration_withdraw", slug=challenge.slug)).status_code == 404


@pytest.mark.django_db
def test_withdrawing_needs_a_post(signed_in, challenge):
    assert signed_in.get(url("registration_withdraw", slug=challenge.slug)).status_code == 405


# The organisers' review


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.mark.django_db
def test_the_organiser_lists_waiting_registrations_without_any_birth_date(
    organiser_client, challenge
):
    waiting = RegistrationFactory(
        challenge=challenge, status="pending", country="IT", languages=["uk", "en"],
        user=UserFactory(display_name="Olena", username="olena-login"),
        is_looking_for_team=True,
    )  # fmt: skip
    RegistrationFactory(
        challenge=challenge, status="confirmed", user=UserFactory(display_name="Confirmed one")
    )

    response = organiser_client.get(url("registrations", slug=challenge.slug))

    html = response.content.decode()
    assert list(response.context["page"].object_list) == [waiting]
    assert "Olena" in html
    assert "olena-login" not in html
    assert "Italy" in html
    assert "Confirmed one" not in html
    assert "birth" not in html.lower().replace("no birth date is kept", "")


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["confirmed", "rejected", "all"])
def test_the_organiser_filters_by_status(organiser_client, challenge, status):
    RegistrationFactory(challenge=challenge, status="pending")
    confirmed = RegistrationFactory(challenge=challenge, status="confirmed")
    rejected = RegistrationFactory(challenge=challenge, status="rejected", decision_reason="No.")

    response = organiser_client.get(url("registrations", slug=challenge.slug), {"status": status})

    shown = set(response.context["page"].object_list)
    expected = {"confirmed": {confirmed}, "rejected": {rejected}}.get(status)
    assert shown == (expected or set(Registration.objects.all()))


@pytest.mark.django_db
def test_the_registrations_page_runs_as_many_queries_with_60_as_with_3(
    organiser_client, challenge, django_assert_num_queries
):
    RegistrationFactory.create_batch(3, challenge=challenge, status="pending")
    address = url("registrations", slug=challenge.slug)
    few = queries_of(organiser_client, address)

    RegistrationFactory.create_batch(
        57, challenge=challenge, status="pending", organisation=challenge.organiser
    )

    with django_assert_num_queries(few):
        response = organiser_client.get(address)
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db
def test_the_organiser_confirms_and_rejects_from_the_list(organiser_client, challenge):
    registration = RegistrationFactory(challenge=challenge, status="pending")
    decide = url("registration_decide", registration_id=registration.pk)

    refused = organiser_client.post(decide, {"decision": "reject", "reason": ""})
    assert "Give the reason: the person will read it." in messages_of(refused)

    response = organiser_client.post(
        decide, {"decision": "reject", "reason": "Not resident.", "status": "pending"}
    )
    assert response["Location"].endswith(
        f"{url('registrations', slug=challenge.slug)}?status=pending#registration-{registration.pk}"
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REJECTED

    organiser_client.post(decide, {"decision": "confirm"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert Notification.objects.filter(recipient=registration.user).count() == 2


@pytest.mark.django_db
def test_the_list_says_when_decisions_are_closed(organiser_client, challenge):
    RegistrationFactory(challenge=challenge, status="pending")
    move_to(challenge, Stage.JUDGING)

    response = organiser_client.get(url("registrations", slug=challenge.slug))

    assert "registrations can no longer be decided" in response.content.decode()
    assert url("registration_decide", registration_id=1) not in response.content.decode()


@pytest.mark.django_db
def test_participants_cannot_review_or_decide(signed_in, challenge):
    registration = RegistrationFactory(challenge=challenge, status="pending")

    assert signed_in.get(url("registrations", slug=challenge.slug)).status_code == 403
    decide = url("registration_decide", registration_id=registration.pk)
    assert signed_in.post(decide, {"decision": "confirm"}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
