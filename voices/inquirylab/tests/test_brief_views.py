"""Brief pages through the client: writing and saving, versions and restoring, attachments,
submission and the deadline in the viewer's time zone, and who may see a brief."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.assessments.models import Assignment, Item, Reviewer, Round
from voices.assessments.tests.factories import make_rubric
from voices.core.selectors import attachment_list_for
from voices.core.uploads import attachment_create
from voices.inquirylab import brief_services as services
from voices.inquirylab.models import BriefVersion, Stage
from voices.inquirylab.tests.factories import (
    ChallengeFactory,
    MentorFactory,
    brief_for,
    move_to,
)
from voices.inquirylab.tests.factories_briefs import (
    GIF,
    member_of,
    sections,
    team_in_work,
    upload,
)

DEADLINE = datetime.datetime(2027, 3, 15, 21, 59, tzinfo=datetime.UTC)


def url(name: str, **kwargs) -> str:
    return reverse(f"inquirylab:{name}", kwargs=kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def team(db):
    return team_in_work(size=2)


@pytest.fixture
def lead_client(client, team):
    client.force_login(team.lead)
    return client


def form_data(**overrides) -> dict:
    data = dict(sections(**overrides))
    data.setdefault("based_on", "0")
    return data


# Writing


def test_a_member_sees_the_form_with_the_challenges_languages_first(lead_client, team):
    response = lead_client.get(url("brief_edit", team_id=team.pk))

    assert response.status_code == 200
    assert "Save draft" in response.content.decode()
    codes = [c for c, _n in response.context["form"].fields["summary_language"].choices]
    assert codes[:3] == ["en", "uk", "ar"]
    assert len(codes) == 11
    assert response.context["form"]["second_summary_language"].value() == "uk"


def test_saving_shows_the_version_and_the_time_in_the_viewers_zone(lead_client, team):
    team.lead.time_zone = "Europe/Kyiv"
    team.lead.save()

    response = lead_client.post(url("brief_edit", team_id=team.pk), form_data(), follow=True)

    (message,) = messages_of(response)
    assert message.startswith("Saved as version 1 at ")
    assert message.endswith("(Europe/Kyiv time).")
    assert "Saved as version 1 at" in response.content.decode()
    assert BriefVersion.objects.get().number == 1


def test_saving_unchanged_text_says_so(lead_client, team):
    lead_client.post(url("brief_edit", team_id=team.pk), form_data())

    response = lead_client.post(
        url("brief_edit", team_id=team.pk), form_data(based_on="1"), follow=True
    )

    assert messages_of(response)[-1] == (
        "Nothing changed since version 1, so no new version was saved."
    )
    assert BriefVersion.objects.count() == 1


def test_a_teammates_newer_save_is_not_overwritten_by_accident(lead_client, team):
    services.brief_save(actor=member_of(team), team=team, **sections(title="Theirs"))

    response = lead_client.post(
        url("brief_edit", team_id=team.pk), form_data(title="Mine", based_on="0")
    )

    assert response.status_code == 200
    assert "saved version 1 while you were editing" in response.content.decode()
    assert response.context["form"]["title"].value() == "Mine"
    # The second click keeps this text, knowingly.
    lead_client.post(url("brief_edit", team_id=team.pk), form_data(title="Mine", based_on="1"))
    assert BriefVersion.objects.order_by("-number").first().title == "Mine"


@pytest.mark.parametrize(
    ("field", "value"),
    [("video_url", "ftp://example.org/v"), ("video_url", "http://example.org/v")],
)
def test_a_video_link_other_than_https_is_refused(lead_client, team, field, value):
    response = lead_client.post(url("brief_edit", team_id=team.pk), form_data(**{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not BriefVersion.objects.exists()


def test_the_summaries_need_two_different_languages(lead_client, team):
    response = lead_client.post(
        url("brief_edit", team_id=team.pk), form_data(second_summary_language="en")
    )

    assert response.context["form"].errors["second_summary_language"]


def test_someone_outside_the_team_gets_not_found(client, team):
    client.force_login(UserFactory())

    assert client.get(url("brief_edit", team_id=team.pk)).status_code == 404
    assert client.post(url("brief_edit", team_id=team.pk), form_data()).status_code == 404
    assert not BriefVersion.objects.exists()


def test_after_the_deadline_the_page_explains_and_saving_is_refused(lead_client, team):
    services.brief_save(actor=team.lead, team=team, **sections())
    move_to(team.challenge, Stage.JUDGING)

    page = lead_client.get(url("brief_edit", team_id=team.pk)).content.decode()
    response = lead_client.post(
        url("brief_edit", team_id=team.pk), form_data(title="Too late", based_on="1")
    )

    assert "Briefs can be written only while the work stage is open." in page
    assert "Save draft" not in page
    assert "Briefs can be written only while the work stage is open." in str(
        response.context["form"].non_field_errors()
    )
    assert BriefVersion.objects.count() == 1


def test_the_page_works_in_ukrainian(lead_client, team):
    response = lead_client.get(
        reverse("inquirylab:brief_edit", kwargs={"team_id": team.pk}).replace("/en/", "/uk/")
    )

    assert response.status_code == 200
    assert '<html lang="uk"' in response.content.decode()


# Submitting


def test_only_the_lead_is_offered_the_submit_button(client, team):
    services.brief_save(actor=team.lead, team=team, **sections())
    client.force_login(member_of(team))

    page = client.get(url("brief_edit", team_id=team.pk)).content.decode()
    response = client.post(url("brief_submit", team_id=team.pk))

    assert "Submit version 1" not in page
    assert "The team lead," in page
    assert response.status_code == 403


def test_the_lead_submits_and_the_page_says_which_version(lead_client, team):
    services.brief_save(actor=team.lead, team=team, **sections())

    response = lead_client.post(url("brief_submit", team_id=team.pk), follow=True)

    assert messages_of(response)[0].startswith("Version 1 is submitted (")
    assert "Version 1, submitted at" in response.content.decode()


def test_the_page_lists_what_is_missing_before_submitting(lead_client, team):
    services.brief_save(actor=team.lead, team=team, **sections(steps=""))

    page = lead_client.get(url("brief_edit", team_id=team.pk)).content.decode()

    assert "To submit, the brief still needs:" in page
    assert "the next steps" in page
    assert "Submit version 1" not in page


def _deadline_team():
    challenge = ChallengeFactory(
        registration_at=DEADLINE - datetime.timedelta(days=60),
        teams_at=DEADLINE - datetime.timedelta(days=40),
        work_at=DEADLINE - datetime.timedelta(days=30),
        deadline_at=DEADLINE,
        results_at=DEADLINE + datetime.timedelta(days=20),
    )
    return team_in_work(size=2, challenge=challenge)


def test_a_late_submission_shows_the_deadline_in_the_viewers_zone(client, db, monkeypatch):
    team = _deadline_team()
    team.lead.time_zone = "Europe/Kyiv"
    team.lead.save()
    monkeypatch.setattr(timezone, "now", lambda: DEADLINE - datetime.timedelta(hours=2))
    services.brief_save(actor=team.lead, team=team, **sections())
    monkeypatch.setattr(timezone, "now", lambda: DEADLINE)
    client.force_login(team.lead)

    response = client.post(url("brief_submit", team_id=team.pk), follow=True)

    assert messages_of(response) == [
        "The deadline was March 15, 2027, 23:59 (Europe/Kyiv time). Late briefs cannot be accepted."
    ]


def test_a_late_submission_in_ukrainian(client, db, monkeypatch):
    team = _deadline_team()
    team.lead.time_zone = "Europe/Kyiv"
    team.lead.languages = ["uk"]
    team.lead.save()
    monkeypatch.setattr(timezone, "now", lambda: DEADLINE + datetime.timedelta(minutes=1))
    client.force_login(team.lead)

    response = client.post(
        url("brief_submit", team_id=team.pk).replace("/en/", "/uk/"), follow=True
    )

    (message,) = messages_of(response)
    assert "15 березня 2027" in message and "23:59" in message and "Europe/Kyiv" in message


# Versions


def test_the_history_names_the_authors_with_a_constant_number_of_queries(lead_client, team):
    other = member_of(team)
    services.brief_save(actor=team.lead, team=team, **sections())
    services.brief_save(actor=other, team=team, **sections(title="Second"))
    with CaptureQueriesContext(connection) as few:
        response = lead_client.get(url("brief_versions", team_id=team.pk))
    for n in range(8):
        services.brief_save(actor=other, team=team, **sections(title=f"Title {n}"))
    with CaptureQueriesContext(connection) as many:
        lead_client.get(url("brief_versions", team_id=team.pk))

    page = response.content.decode()
    assert other.display_name in page and team.lead.display_name in page
    assert len(many) == len(few)


def test_a_mentor_reads_the_drafts_but_cannot_restore(client, team):
    services.brief_save(actor=team.lead, team=team, **sections())
    services.brief_save(actor=team.lead, team=team, **sections(title="Second"))
    client.force_login(MentorFactory(challenge=team.challenge).user)

    page = client.get(url("brief_version", team_id=team.pk, number=1))
    restore = client.post(url("brief_version_restore", team_id=team.pk, number=1))

    assert page.status_code == 200
    assert "Restore this version" not in page.content.decode()
    assert restore.status_code == 404
    assert client.get(url("brief_edit", team_id=team.pk)).status_code == 404


def test_restoring_a_version_through_the_page(lead_client, team):
    services.brief_save(actor=team.lead, team=team, **sections())
    services.brief_save(actor=team.lead, team=team, **sections(proposal="Oops"))

    page = lead_client.get(url("brief_version", team_id=team.pk, number=1)).content.decode()
    response = lead_client.post(
        url("brief_version_restore", team_id=team.pk, number=1), follow=True
    )

    assert "Restore this version" in page
    assert messages_of(response) == ["Version 1 is restored as version 3."]
    assert BriefVersion.objects.get(number=3).proposal == sections()["proposal"]


def test_a_version_that_does_not_exist_is_not_found(lead_client, team):
    services.brief_save(actor=team.lead, team=team, **sections())

    assert lead_client.get(url("brief_version", team_id=team.pk, number=9)).status_code == 404


# Attachments


def test_attaching_and_removing_a_file(lead_client, team):
    services.brief_save(actor=team.lead, team=team, **sections())

    added = lead_client.post(
        url("brief_attachment_add", team_id=team.pk), {"file": upload("study.pdf")}, follow=True
    )
    attachment = attachment_list_for(team.brief).get()
    page = added.content.decode()
    removed = lead_client.post(
        url("brief_attachment_delete", attachment_id=attachment.pk), follow=True
    )

    assert messages_of(added) == ["“study.pdf” is attached."]
    assert url("brief_attachment", attachment_id=attachment.pk) in page
    assert messages_of(removed) == ["“study.pdf” was removed."]
    assert not attachment_list_for(team.brief).exists()


def test_a_file_of_another_kind_is_refused_with_a_clear_message(lead_client, team):
    services.brief_save(actor=team.lead, team=team, **sections())

    response = lead_client.post(
        url("brief_attachment_add", team_id=team.pk), {"file": upload("a.pdf", GIF)}, follow=True
    )

    assert messages_of(response) == [
        "This kind of file is not accepted. Accepted: DOCX, JPG, ODT, PDF, PNG."
    ]


def test_attachments_are_downloaded_only_by_those_who_see_the_brief(client, team):
    services.brief_save(actor=team.lead, team=team, **sections())
    attachment = services.brief_attachment_add(actor=team.lead, team=team, upload=upload())

    client.force_login(member_of(team))
    response = client.get(url("brief_attachment", attachment_id=attachment.pk))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    client.force_login(UserFactory())
    assert client.get(url("brief_attachment", attachment_id=attachment.pk)).status_code == 404


def test_the_brief_download_does_not_serve_other_files(client, team):
    other = attachment_create(
        owner=team.challenge.organiser, upload=upload(), uploaded_by=team.lead
    )
    client.force_login(team.lead)

    assert client.get(url("brief_attachment", attachment_id=other.pk)).status_code == 404


# The submitted brief


@pytest.fixture
def submitted(team):
    return brief_for(team)


def test_the_team_mentors_and_organisers_read_the_submitted_brief(client, submitted, team):
    mentor = MentorFactory(challenge=team.challenge).user
    for person in (team.lead, member_of(team), mentor):
        client.force_login(person)
        response = client.get(url("brief", brief_id=submitted.pk))
        assert response.status_code == 200
        assert "Evening classes for all" in response.content.decode()


def test_the_organiser_reads_it(client, submitted, team):
    organiser = with_second_factor(UserFactory())
    grant(organiser, Role.REPRESENTATIVE, team.challenge.organiser)
    client.force_login(organiser)

    assert client.get(url("brief", brief_id=submitted.pk)).status_code == 200


def test_others_get_not_found_until_the_results_are_published(client, submitted, team):
    client.force_login(UserFactory())
    assert client.get(url("brief", brief_id=submitted.pk)).status_code == 404

    team.challenge.results_published_at = timezone.now()
    team.challenge.save()
    client.logout()
    response = client.get(url("brief", brief_id=submitted.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"A brief by the team “{team.name}”" in page
    assert '<div class="prose" lang="uk" dir="ltr">' in page


def test_an_unsubmitted_brief_stays_private_after_the_results(client, team):
    brief = brief_for(team, submitted=False)
    team.challenge.results_published_at = timezone.now()
    team.challenge.save()

    assert client.get(url("brief", brief_id=brief.pk)).status_code == 404


def test_summaries_in_arabic_or_persian_read_right_to_left(client, team):
    services.brief_save(
        actor=team.lead,
        team=team,
        **sections(second_summary="دروس مسائية", second_summary_language="ar"),
    )
    services.brief_submit(actor=team.lead, team=team)
    client.force_login(team.lead)

    page = client.get(url("brief", brief_id=team.brief.pk)).content.decode()

    assert '<div class="prose" lang="ar" dir="rtl">' in page
    assert 'href="https://example.org/city-statistics-2025"' in page


def test_a_video_is_a_plain_link_never_embedded(client, team):
    services.brief_save(
        actor=team.lead, team=team, **sections(video_url="https://video.example.org/1")
    )
    client.force_login(team.lead)

    page = client.get(url("brief_version", team_id=team.pk, number=1)).content.decode()

    assert '<a href="https://video.example.org/1" rel="noopener noreferrer nofollow">' in page
    assert "<iframe" not in page and "<video" not in page


def test_a_judge_assigned_to_the_brief_downloads_its_files(client, submitted, team):
    attachment = attachment_create(
        owner=submitted, upload=upload(), uploaded_by=team.lead,
        allowed=services.BRIEF_ATTACHMENT_TYPES,
    )  # fmt: skip
    judge = UserFactory()
    round_ = Round.objects.create(
        owner_type=ContentType.objects.get_for_model(team.challenge),
        owner_id=str(team.challenge.pk),
        rubric=make_rubric(),
    )
    item = Item.objects.create(
        round=round_, object_type=ContentType.objects.get_for_model(submitted),
        object_id=str(submitted.pk), code="Entry 1", submitted_at=submitted.submitted_at,
    )  # fmt: skip
    client.force_login(judge)
    assert client.get(url("brief_attachment", attachment_id=attachment.pk)).status_code == 404

    Assignment.objects.create(item=item, reviewer=Reviewer.objects.create(round=round_, user=judge))

    assert client.get(url("brief_attachment", attachment_id=attachment.pk)).status_code == 200
    # The brief's own page names the team; judges read it on the judging pages instead.
    assert client.get(url("brief", brief_id=submitted.pk)).status_code == 404


def test_the_body_can_leave_the_team_out_for_blind_judging(submitted, team):
    html = render_to_string(
        "inquirylab/_brief_body.html",
        {"version": submitted.submitted_version, "attachments": [], "show_team": False},
    )

    assert team.name not in html
    assert "Evening classes for all" in html
    assert "No attachments." in html
    assert '<h2 id="brief-' in html and "<h3>" in html
