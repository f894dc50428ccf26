"""Editing one's own profile: public name, languages in order, country, birth year."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from voices.accounts.services import profile_update


def profile_data(**changes) -> dict:
    data = {
        "display_name": "Amal K.",
        "first_language": "ar",
        "second_language": "fr",
        "third_language": "",
        "country": "FR",
        "birth_year": "1990",
        "time_zone": "Europe/Paris",
        "email_notifications": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def signed_in(client, participant):
    client.force_login(participant)
    return client


# The profile page


@pytest.mark.django_db
def test_the_profile_page_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_form_shows_the_current_languages_in_order(signed_in, participant):
    participant.languages = ["uk", "de"]
    participant.save()

    response = signed_in.get(reverse("accounts:profile"))

    form = response.context["form"]
    assert form["first_language"].value() == "uk"
    assert form["second_language"].value() == "de"
    assert not form["third_language"].value()


@pytest.mark.django_db
def test_it_saves_the_profile(signed_in, participant):
    response = signed_in.post(reverse("accounts:profile"), profile_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    participant.refresh_from_db()
    assert participant.display_name == "Amal K."
    assert participant.languages == ["ar", "fr"]
    assert participant.country.code == "FR"
    assert participant.birth_year is None  # not asked: no programme with an age limit yet
    assert participant.time_zone == "Europe/Paris"
    assert participant.email_notifications is True


@pytest.mark.django_db
def test_it_keeps_the_languages_in_the_order_given_and_skips_gaps(signed_in, participant):
    signed_in.post(
        reverse("accounts:profile"),
        profile_data(first_language="de", second_language="", third_language="en"),
    )

    participant.refresh_from_db()
    assert participant.languages == ["de", "en"]


@pytest.mark.django_db
def test_it_can_turn_email_notifications_off(signed_in, participant):
    signed_in.post(reverse("accounts:profile"), profile_data(email_notifications=None))

    participant.refresh_from_db()
    assert participant.email_notifications is False


@pytest.mark.django_db
def test_it_refuses_the_same_language_twice(signed_in, participant):
    response = signed_in.post(
        reverse("accounts:profile"), profile_data(first_language="fr", second_language="fr")
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Choose each language only once."]
    participant.refresh_from_db()
    assert participant.languages == ["en"]
    assert participant.display_name == "Amal"


@pytest.mark.django_db
def test_it_requires_a_first_language(signed_in):
    response = signed_in.post(reverse("accounts:profile"), profile_data(first_language=""))

    assert response.status_code == 200
    assert "first_language" in response.context["form"].errors


@pytest.mark.django_db
def test_it_refuses_a_language_not_offered(signed_in):
    response = signed_in.post(reverse("accounts:profile"), profile_data(second_language="tlh"))

    assert "second_language" in response.context["form"].errors


@pytest.mark.django_db
def test_the_profile_does_not_ask_for_a_birth_year_never_given(signed_in):
    response = signed_in.get(reverse("accounts:profile"))

    assert "birth_year" not in response.context["form"].fields


@pytest.mark.django_db
def test_a_birth_year_given_before_can_be_corrected_or_removed(signed_in, participant):
    participant.birth_year = 2001
    participant.save()

    signed_in.post(reverse("accounts:profile"), profile_data(birth_year="2002"))
    participant.refresh_from_db()
    assert participant.birth_year == 2002

    signed_in.post(reverse("accounts:profile"), profile_data(birth_year=""))
    participant.refresh_from_db()
    assert participant.birth_year is None


@pytest.mark.django_db
def test_it_refuses_a_birth_year_in_the_future(signed_in, participant):
    participant.birth_year = 2001
    participant.save()
    next_year = timezone.now().year + 1

    response = signed_in.post(reverse("accounts:profile"), profile_data(birth_year=next_year))

    assert response.status_code == 200
    assert response.context["form"].errors["birth_year"] == [
        "The birth year cannot be in the future."
    ]
    participant.refresh_from_db()
    assert participant.birth_year == 2001


@pytest.mark.django_db
def test_it_refuses_an_implausible_birth_year(signed_in, participant):
    participant.birth_year = 2001
    participant.save()
    response = signed_in.post(reverse("accounts:profile"), profile_data(birth_year="1850"))

    assert "birth_year" in response.context["form"].errors


@pytest.mark.django_db
def test_it_requires_a_public_name(signed_in, participant):
    response = signed_in.post(reverse("accounts:profile"), profile_data(display_name=""))

    assert "display_name" in response.context["form"].errors
    participant.refresh_from_db()
    assert participant.display_name == "Amal"


@pytest.mark.django_db
def test_it_refuses_an_unknown_country(signed_in):
    response = signed_in.post(reverse("accounts:profile"), profile_data(country="XX"))

    assert "country" in response.context["form"].errors


@pytest.mark.django_db
def test_a_birth_year_and_country_are_optional(signed_in, participant):
    signed_in.post(reverse("accounts:profile"), profile_data(birth_year="", country=""))

    participant.refresh_from_db()
    assert participant.birth_year is None
    assert not participant.country


# profile_update


@pytest.mark.django_db
def test_the_service_refuses_fields_that_are_not_part_of_the_profile(participant):
    with pytest.raises(ValueError):
        profile_update(user=participant, is_superuser=True)

    participant.refresh_from_db()
    assert not participant.is_superuser


@pytest.mark.django_db
def test_the_service_refuses_unknown_language_codes(participant):
    with pytest.raises(ValidationError) as exc:
        profile_update(user=participant, languages=["en", "xx"])

    assert "languages" in exc.value.message_dict
    participant.refresh_from_db()
    assert participant.languages == ["en"]


@pytest.mark.django_db
def test_the_service_refuses_a_birth_year_in_the_future(participant):
    with pytest.raises(ValidationError) as exc:
        profile_update(user=participant, birth_year=timezone.now().year + 1)

    assert "birth_year" in exc.value.message_dict


@pytest.mark.django_db
def test_the_service_saves_only_the_fields_given(participant):
    profile_update(user=participant, display_name="Amal K.", languages=["fa"])

    participant.refresh_from_db()
    assert participant.display_name == "Amal K."
    assert participant.languages == ["fa"]
    assert participant.email == "participant@example.org"


@pytest.mark.django_db
def test_the_site_then_speaks_the_first_language(signed_in):
    signed_in.post(reverse("accounts:profile"), profile_data(first_language="de"))

    response = signed_in.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302
    assert response["Location"] == "/de/"
