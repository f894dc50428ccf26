"""Setting a challenge up, changing it and publishing it, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from voices.accounts.models import Role
from voices.accounts.tests.factories import grant
from voices.core.models import AuditEntry
from voices.directory.tests.factories import text
from voices.inquirylab.challenge_services import (
    challenge_create,
    challenge_publish,
    challenge_unpublish,
    challenge_update,
)
from voices.inquirylab.models import Challenge, Stage
from voices.inquirylab.tests.factories import ChallengeFactory, RegistrationFactory, in_stage

HOUR = datetime.timedelta(hours=1)


def fields(**overrides) -> dict:
    values = {
        "slug": "youth-2027",
        "title": text("Youth and the city"),
        "theme": text("Housing"),
        "brief": text("Write a brief."),
        "languages": ["en", "uk", "en"],
        "allowed_countries": ["at", "IT"],
        "starts_on": datetime.date(2027, 3, 1),
        **in_stage(Stage.UPCOMING),
    }
    values.update(overrides)
    return values


@pytest.mark.django_db
def test_programme_staff_set_up_a_challenge_as_a_draft(coordinator, challenge):
    created = challenge_create(actor=coordinator, organiser=challenge.organiser, **fields())

    assert not created.is_published
    assert created.created_by == coordinator
    assert created.languages == ["en", "uk"]
    assert created.allowed_countries == ["AT", "IT"]
    assert AuditEntry.objects.filter(object_id=str(created.pk), action="create").exists()


@pytest.mark.django_db
def test_an_organiser_cannot_set_up_a_challenge(organiser):
    with pytest.raises(PermissionDenied):
        challenge_create(actor=organiser, **fields())
    assert not Challenge.objects.filter(slug="youth-2027").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "new"}, "slug"),
        ({"languages": []}, "languages"),
        ({"allowed_countries": []}, "allowed_countries"),
        ({"min_age": 27}, "max_age"),
    ],
)
def test_a_challenge_must_be_complete_and_consistent(coordinator, overrides, field):
    with pytest.raises(ValidationError) as refused:
        challenge_create(actor=coordinator, **fields(**overrides))
    assert field in refused.value.message_dict


@pytest.mark.django_db
def test_stage_dates_must_be_in_order(coordinator):
    dates = in_stage(Stage.UPCOMING)
    dates["work_at"] = dates["teams_at"] - HOUR

    with pytest.raises(ValidationError) as refused:
        challenge_create(actor=coordinator, **fields(**dates))
    assert "work_at" in refused.value.message_dict


@pytest.mark.django_db
def test_the_organiser_changes_texts_and_dates(organiser, challenge):
    challenge_update(actor=organiser, challenge=challenge, theme=text("Work and study"), team_max=6)

    challenge.refresh_from_db()
    assert str(challenge.theme) == "Work and study"
    assert challenge.team_max == 6
    assert AuditEntry.objects.filter(object_id=str(challenge.pk), action="update").exists()


@pytest.mark.django_db
def test_only_programme_staff_move_a_challenge_to_another_organiser(
    organiser, coordinator, challenge, authority
):
    with pytest.raises(PermissionDenied):
        challenge_update(actor=organiser, challenge=challenge, organiser=authority)

    challenge_update(actor=coordinator, challenge=challenge, organiser=authority)
    challenge.refresh_from_db()
    assert challenge.organiser == authority


@pytest.mark.django_db
def test_someone_else_cannot_change_the_challenge(outsider, officer, challenge):
    for person in (outsider, officer):
        with pytest.raises(PermissionDenied):
            challenge_update(actor=person, challenge=challenge, team_max=6)


@pytest.mark.django_db
def test_the_eligibility_rule_is_fixed_once_people_registered(organiser, challenge):
    RegistrationFactory(challenge=challenge, country="IT")

    with pytest.raises(ValidationError) as refused:
        challenge_update(
            actor=organiser, challenge=challenge, max_age=30,
            starts_on=challenge.starts_on + datetime.timedelta(days=1),
            allowed_countries=["AT"],
        )  # fmt: skip

    assert set(refused.value.message_dict) == {"max_age", "starts_on", "allowed_countries"}
    # Adding a country is fine: nobody registered under it.
    challenge_update(
        actor=organiser, challenge=challenge, allowed_countries=[*challenge.allowed_countries, "DE"]
    )
    challenge.refresh_from_db()
    assert "DE" in challenge.allowed_countries


@pytest.mark.django_db
def test_publish_and_back_to_draft_while_nobody_registered(organiser):
    challenge = ChallengeFactory(is_published=False)
    grant(organiser, Role.REPRESENTATIVE, challenge.organiser)

    challenge_publish(actor=organiser, challenge=challenge)
    challenge.refresh_from_db()
    assert challenge.is_published

    challenge_unpublish(actor=organiser, challenge=challenge)
    challenge.refresh_from_db()
    assert not challenge.is_published


@pytest.mark.django_db
def test_back_to_draft_is_refused_once_anyone_registered(organiser, challenge):
    RegistrationFactory(challenge=challenge, status="withdrawn")

    with pytest.raises(ValidationError, match="stays published"):
        challenge_unpublish(actor=organiser, challenge=challenge)

    challenge.refresh_from_db()
    assert challenge.is_published


@pytest.mark.django_db
def test_someone_else_cannot_publish(outsider):
    challenge = ChallengeFactory(is_published=False)

    with pytest.raises(PermissionDenied):
        challenge_publish(actor=outsider, challenge=challenge)


@pytest.mark.django_db
def test_the_web_address_is_fixed_once_published(organiser, challenge):
    with pytest.raises(ValidationError) as refused:
        challenge_update(actor=organiser, challenge=challenge, slug="another-name")
    assert "slug" in refused.value.message_dict

    challenge_update(actor=organiser, challenge=challenge, slug=challenge.slug, team_max=4)
