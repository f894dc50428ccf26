import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from voices.accounts.tests.factories import UserFactory
from voices.core.translation import TranslatedText
from voices.inquirylab import result_selectors
from voices.inquirylab.models import Registration
from voices.inquirylab.tests.factories import MentorFactory, TeamFactory, brief_for
from voices.inquirylab.tests.factories_results import judging_under_way, published


def certificate_url(challenge) -> str:
    return reverse("inquirylab:certificate", kwargs={"slug": challenge.slug})


@pytest.fixture
def finished(challenge, organiser):
    """Published results: Team 1 won; a mentor helped."""
    world = published(challenge, organiser=organiser, winners=1)
    world.mentor = MentorFactory(challenge=challenge).user
    return world


def roles(user, challenge) -> list[tuple]:
    return [
        (r.kind, r.team.name if r.team else None, r.is_winner)
        for r in result_selectors.certificate_roles(user, challenge)
    ]


def test_each_person_gets_the_roles_they_had(challenge, finished):
    assert roles(finished.teams[0].lead, challenge) == [("participant", "Team 1", True)]
    assert roles(finished.teams[1].lead, challenge) == [("participant", "Team 2", False)]
    assert roles(finished.mentor, challenge) == [("mentor", None, False)]
    assert roles(finished.judges[0], challenge) == [("judge", None, False)]
    assert roles(UserFactory(), challenge) == []


def test_no_certificate_for_a_team_without_a_brief_or_an_unconfirmed_participant(
    challenge, finished
):
    idle = TeamFactory(challenge=challenge)
    brief_for(idle, submitted=False)
    pending = finished.teams[2].lead
    Registration.objects.filter(user=pending, challenge=challenge).update(status="pending")

    assert roles(idle.lead, challenge) == []
    assert roles(pending, challenge) == []


def test_a_judge_who_submitted_nothing_gets_no_certificate(challenge, organiser):
    world = judging_under_way(challenge, organiser=organiser)

    assert roles(world.judges[0], challenge) == []


def test_the_certificate_is_a_pdf_for_those_who_took_part(client, challenge, finished):
    client.force_login(finished.teams[0].lead)

    response = client.get(certificate_url(challenge))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_others_get_no_certificate(client, challenge, finished):
    assert client.get(certificate_url(challenge)).status_code == 302  # to log in
    client.force_login(UserFactory())

    assert client.get(certificate_url(challenge)).status_code == 403


def test_no_certificate_before_the_results_are_published(client, challenge, organiser):
    world = judging_under_way(challenge, organiser=organiser)
    client.force_login(world.teams[0].lead)

    assert client.get(certificate_url(challenge)).status_code == 404


def test_the_certificate_states_name_challenge_role_and_winner(challenge, finished):
    lead = finished.teams[0].lead
    context = result_selectors.certificate_context(lead, challenge)

    html = render_to_string("inquirylab/certificate_pdf.html", context)

    assert lead.display_name in html
    assert str(challenge.title) in html
    assert "Participant in the team “Team 1”" in html
    assert "winner of the challenge" in html
    assert 'lang="en" dir="ltr"' in html


def test_the_certificate_is_in_the_readers_language(challenge, finished):
    challenge.title = TranslatedText(
        {"en": "Night classes", "fr": "Cours du soir", "ar": "دروس مسائية"}, "en"
    )
    challenge.save()
    context = result_selectors.certificate_context(finished.mentor, challenge)

    with translation.override("fr"):
        french = render_to_string("inquirylab/certificate_pdf.html", context)
    with translation.override("ar"):
        arabic = render_to_string("inquirylab/certificate_pdf.html", context)

    assert 'lang="fr" dir="ltr"' in french and "Cours du soir" in french
    months_fr = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre")  # fmt: skip
    assert any(month in french for month in months_fr)
    assert 'lang="ar" dir="rtl"' in arabic and "دروس مسائية" in arabic
    assert "Night classes" not in french + arabic


def test_an_administrator_who_took_no_part_gets_no_certificate(client, challenge, finished):
    client.force_login(UserFactory(is_superuser=True))

    assert client.get(certificate_url(challenge)).status_code == 403
