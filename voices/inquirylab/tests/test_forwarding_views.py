"""The forwarding pages through the client: forward, withdraw, the council's list of briefs,
acknowledge, draft a motion, the challenge's uptake page, and the links on councils' pages."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.core.models import Notification
from voices.councils.decision_models import Motion, MotionEvidence
from voices.councils.models import Membership
from voices.councils.tests.factories import MembershipFactory
from voices.directory.tests.factories import CountryFactory, text
from voices.inquirylab import forwarding_selectors
from voices.inquirylab.models import Forwarding
from voices.inquirylab.tests.factories_forwarding import (
    ActiveCouncilFactory,
    ForwardingFactory,
    decision_item,
    finished_challenge,
    ranked_brief,
    winning_brief,
)

Uptake = Forwarding.Uptake


@pytest.fixture
def finished(db):
    return finished_challenge(allowed_countries=["AT"])


@pytest.fixture
def lab_organiser(finished):
    user = UserFactory(username="lab-organiser", display_name="Lab organiser")
    grant(user, Role.REPRESENTATIVE, finished.organiser)
    return user


@pytest.fixture
def winner(finished):
    return winning_brief(finished, title="Evening classes for all")


@pytest.fixture
def council(db):
    return ActiveCouncilFactory(
        name=text("Graz migrant council"), country=CountryFactory(code="AT")
    )


@pytest.fixture
def chair(council):
    return MembershipFactory(council=council, role=Membership.Role.CHAIR).user


@pytest.fixture
def member(council):
    return MembershipFactory(council=council, role=Membership.Role.MEMBER).user


@pytest.fixture
def forwarding(winner, council):
    return ForwardingFactory(brief=winner, council=council, note="For the education group.")


# Forward and withdraw


@pytest.mark.django_db
def test_the_organiser_sees_councils_of_the_challenges_countries_first(
    client, winner, council, lab_organiser
):
    far = ActiveCouncilFactory(name=text("Lyon council"), country=CountryFactory(code="FR"))
    client.force_login(lab_organiser)

    response = client.get(reverse("inquirylab:forward", kwargs={"brief_id": winner.pk}))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Send a winning brief to a council" in html
    assert "In the challenge&#x27;s countries" in html
    assert html.index("Graz migrant council") < html.index("Lyon council")
    assert str(far.pk) in html


@pytest.mark.django_db
def test_the_organiser_forwards_a_winning_brief(client, winner, council, lab_organiser, chair):
    client.force_login(lab_organiser)
    url = reverse("inquirylab:forward", kwargs={"brief_id": winner.pk})

    response = client.post(url, {"council": council.pk, "note": "For the education group."})

    assert response.status_code == 302
    forwarding = Forwarding.objects.get(brief=winner, council=council)
    assert forwarding.note == "For the education group."
    assert Notification.objects.filter(recipient=chair, kind="lab_brief_forwarded").exists()
    page = client.get(url).content.decode()
    assert "The brief was sent to Graz migrant council." in page
    assert "Take it back" in page


@pytest.mark.django_db
def test_a_council_already_sent_to_is_not_offered_again(client, forwarding, lab_organiser):
    ActiveCouncilFactory()
    client.force_login(lab_organiser)
    url = reverse("inquirylab:forward", kwargs={"brief_id": forwarding.brief_id})

    response = client.post(url, {"council": forwarding.council.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Forwarding.objects.count() == 1


@pytest.mark.django_db
def test_with_every_council_sent_to_the_page_says_so(client, forwarding, lab_organiser):
    client.force_login(lab_organiser)
    url = reverse("inquirylab:forward", kwargs={"brief_id": forwarding.brief_id})

    html = client.get(url).content.decode()

    assert "There is no other active council to send it to." in html


@pytest.mark.django_db
def test_a_brief_that_did_not_win_gets_no_form(client, finished, council, lab_organiser):
    runner_up = ranked_brief(finished, rank=2, is_winner=False)
    client.force_login(lab_organiser)
    url = reverse("inquirylab:forward", kwargs={"brief_id": runner_up.pk})

    page = client.get(url).content.decode()
    client.post(url, {"council": council.pk})

    assert "Only winning briefs can be sent to a council." in page
    assert "Send to the council" not in page
    assert not Forwarding.objects.exists()


@pytest.mark.django_db
def test_a_team_member_cannot_forward(client, winner, council):
    client.force_login(winner.team.lead)
    url = reverse("inquirylab:forward", kwargs={"brief_id": winner.pk})

    assert client.get(url).status_code == 403
    assert client.post(url, {"council": council.pk}).status_code == 403
    assert not Forwarding.objects.exists()


@pytest.mark.django_db
def test_the_organiser_takes_a_brief_back(client, forwarding, lab_organiser):
    client.force_login(lab_organiser)

    response = client.post(
        reverse("inquirylab:forward_withdraw", kwargs={"forwarding_id": forwarding.pk}),
        follow=True,
    )

    assert not Forwarding.objects.exists()
    assert "The brief was taken back from Graz migrant council." in response.content.decode()


@pytest.mark.django_db
def test_a_brief_the_council_took_up_is_not_taken_back(client, forwarding, lab_organiser):
    Forwarding.objects.filter(pk=forwarding.pk).update(uptake=Uptake.ACKNOWLEDGED)
    client.force_login(lab_organiser)

    response = client.post(
        reverse("inquirylab:forward_withdraw", kwargs={"forwarding_id": forwarding.pk}),
        follow=True,
    )

    assert Forwarding.objects.filter(pk=forwarding.pk).exists()
    assert "it can no longer be withdrawn" in response.content.decode()


@pytest.mark.django_db
def test_withdrawing_is_a_post(client, forwarding, lab_organiser):
    client.force_login(lab_organiser)
    url = reverse("inquirylab:forward_withdraw", kwargs={"forwarding_id": forwarding.pk})

    assert client.get(url).status_code == 405


# The council's side


@pytest.mark.django_db
def test_members_see_the_briefs_sent_to_their_council(client, forwarding, member):
    client.force_login(member)

    response = client.get(
        reverse("inquirylab:council_briefs", kwargs={"slug": forwarding.council.slug})
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Evening classes for all" in html
    assert "For the education group." in html
    assert "No answer yet" in html
    assert reverse("inquirylab:forwarding_acknowledge", args=[forwarding.pk]) in html
    assert reverse("inquirylab:forwarding_motion", args=[forwarding.pk]) in html


@pytest.mark.django_db
def test_people_outside_the_council_cannot_see_its_briefs(client, forwarding, lab_organiser):
    url = reverse("inquirylab:council_briefs", kwargs={"slug": forwarding.council.slug})
    client.force_login(lab_organiser)

    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_council_without_briefs_says_so(client, council, member):
    client.force_login(member)

    response = client.get(reverse("inquirylab:council_briefs", kwargs={"slug": council.slug}))

    assert "No brief has been sent to this council yet." in response.content.decode()


@pytest.mark.django_db
def test_the_councils_list_reads_a_constant_number_of_queries(
    client, council, member, django_assert_max_num_queries
):
    for _ in range(6):
        ForwardingFactory(brief=winning_brief(finished_challenge()), council=council)
    client.force_login(member)
    url = reverse("inquirylab:council_briefs", kwargs={"slug": council.slug})
    client.get(url)  # warm up the session and the content types

    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(6):
        ForwardingFactory(brief=winning_brief(finished_challenge()), council=council)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.content.decode().count("Draft a motion from this brief") == 12


@pytest.mark.django_db
def test_a_member_acknowledges_a_brief(client, forwarding, member):
    client.force_login(member)

    response = client.post(
        reverse("inquirylab:forwarding_acknowledge", kwargs={"forwarding_id": forwarding.pk}),
        follow=True,
    )

    forwarding.refresh_from_db()
    assert forwarding.uptake == Uptake.ACKNOWLEDGED
    html = response.content.decode()
    assert "The team can now see that the council has their brief." in html
    assert reverse("inquirylab:forwarding_acknowledge", args=[forwarding.pk]) not in html


@pytest.mark.django_db
def test_the_motion_form_starts_from_the_brief(client, forwarding, member):
    forwarding.council.working_languages = ["uk"]
    forwarding.council.save()
    item = decision_item(forwarding.council)
    client.force_login(member)

    response = client.get(
        reverse("inquirylab:forwarding_motion", kwargs={"forwarding_id": forwarding.pk})
    )

    form = response.context["form"]
    assert form.initial["title"] == "Evening classes for all"
    assert form.initial["text"] == "Вечірні заняття."
    assert form.initial["language"] == "uk"
    assert str(item.pk) in response.content.decode()


@pytest.mark.django_db
def test_a_member_drafts_a_motion_from_a_brief(client, forwarding, member):
    item = decision_item(forwarding.council)
    client.force_login(member)
    url = reverse("inquirylab:forwarding_motion", kwargs={"forwarding_id": forwarding.pk})

    response = client.post(url, {
        "agenda_item": item.pk, "title": "Evening classes for all",
        "text": "The council asks the city to open evening classes.", "language": "en",
    })  # fmt: skip

    motion = Motion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == motion.get_absolute_url()
    forwarding.refresh_from_db()
    assert forwarding.motion == motion
    assert forwarding.uptake == Uptake.DISCUSSED
    assert MotionEvidence.objects.get(motion=motion).url == forwarding.brief.get_absolute_url()


@pytest.mark.django_db
def test_a_request_to_an_authority_must_name_it(client, forwarding, member):
    item = decision_item(forwarding.council)
    client.force_login(member)
    url = reverse("inquirylab:forwarding_motion", kwargs={"forwarding_id": forwarding.pk})

    response = client.post(url, {
        "agenda_item": item.pk, "title": "Evening classes", "text": "We ask.",
        "language": "en", "is_request_to_authority": "on",
    })  # fmt: skip

    assert response.status_code == 200
    assert "Choose the authority the motion asks." in response.content.decode()
    assert not Motion.objects.exists()


@pytest.mark.django_db
def test_without_a_decision_item_to_come_the_page_says_what_to_do(client, forwarding, member):
    client.force_login(member)

    response = client.get(
        reverse("inquirylab:forwarding_motion", kwargs={"forwarding_id": forwarding.pk})
    )

    assert "No meeting to come has a decision item on its agenda." in response.content.decode()


@pytest.mark.django_db
def test_people_outside_the_council_cannot_draft_a_motion(client, forwarding, lab_organiser):
    client.force_login(lab_organiser)
    url = reverse("inquirylab:forwarding_motion", kwargs={"forwarding_id": forwarding.pk})

    assert client.get(url).status_code == 403


# Links on the councils' pages


@pytest.mark.django_db
def test_the_council_page_links_to_its_briefs_for_members_only(client, forwarding, member):
    url = reverse("councils:detail", kwargs={"slug": forwarding.council.slug})
    briefs_url = reverse("inquirylab:council_briefs", kwargs={"slug": forwarding.council.slug})

    assert briefs_url not in client.get(url).content.decode()
    client.force_login(member)
    html = client.get(url).content.decode()

    assert briefs_url in html
    assert "Briefs from the Inquiry Lab" in html


@pytest.mark.django_db
def test_the_council_page_has_no_link_without_briefs(client, council, member):
    client.force_login(member)

    html = client.get(reverse("councils:detail", kwargs={"slug": council.slug})).content.decode()

    assert "Briefs from the Inquiry Lab" not in html


@pytest.mark.django_db
def test_the_motion_page_links_back_to_the_brief(client, forwarding, member):
    from voices.inquirylab.forwarding_services import forwarding_motion_draft

    motion = forwarding_motion_draft(
        actor=member, forwarding=forwarding, agenda_item=decision_item(forwarding.council),
        title="Evening classes", text="We ask.", language="en",
    )  # fmt: skip

    html = client.get(motion.get_absolute_url()).content.decode()

    assert "Drafted from a winning brief of the Inquiry Lab: Evening classes for all" in html
    assert forwarding.brief.get_absolute_url() in html


# The uptake, in public


@pytest.mark.django_db
def test_everyone_sees_what_became_of_the_winning_briefs(client, forwarding):
    Forwarding.objects.filter(pk=forwarding.pk).update(uptake=Uptake.ADOPTED)

    response = client.get(
        reverse("inquirylab:forwarded", kwargs={"slug": forwarding.brief.challenge.slug})
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Evening classes for all" in html
    assert "Graz migrant council" in html
    assert "Adopted as a recommendation" in html
    assert "Send to a council" not in html


@pytest.mark.django_db
def test_the_organiser_finds_the_winners_to_send(client, winner, lab_organiser):
    client.force_login(lab_organiser)

    html = client.get(
        reverse("inquirylab:forwarded", kwargs={"slug": winner.challenge.slug})
    ).content.decode()

    assert "No brief has been sent to a council yet." in html
    assert reverse("inquirylab:forward", kwargs={"brief_id": winner.pk}) in html


@pytest.mark.django_db
def test_the_uptake_page_is_hidden_before_the_results(client, winner, lab_organiser):
    challenge = winner.challenge
    challenge.results_published_at = None
    challenge.save()
    url = reverse("inquirylab:forwarded", kwargs={"slug": challenge.slug})

    assert client.get(url).status_code == 404
    client.force_login(lab_organiser)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_uptake_page_reads_a_constant_number_of_queries(
    client, finished, django_assert_max_num_queries
):
    for _ in range(3):
        ForwardingFactory(brief=winning_brief(finished))
    url = reverse("inquirylab:forwarded", kwargs={"slug": finished.slug})
    client.get(url)

    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for _ in range(5):
        ForwardingFactory(brief=winning_brief(finished))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.content.decode().count("No answer yet") == 8


@pytest.mark.django_db
def test_the_uptake_page_in_french(client, forwarding):
    response = client.get(
        reverse("inquirylab:forwarded", kwargs={"slug": forwarding.brief.challenge.slug}).replace(
            "/en/", "/fr/", 1
        )
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert "Evening classes for all" in html  # the team's words stay in their language


@pytest.mark.django_db
def test_the_uptake_partial_lists_each_council(forwarding):
    rows = forwarding_selectors.uptake_of(forwarding.brief)

    html = render_to_string("inquirylab/forwarding_uptake.html", {"forwardings": rows})

    assert "Graz migrant council" in html
    assert "No answer yet" in html
    assert forwarding.council.get_absolute_url() in html
    assert render_to_string("inquirylab/forwarding_uptake.html", {"forwardings": []}).strip() == ""
