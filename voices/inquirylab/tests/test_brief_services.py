"""Brief services: drafts saved as numbered versions, restoring, attachments, and submission with
the deadline enforced at the moment of the request."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from voices.accounts.tests.factories import UserFactory
from voices.core.models import Notification
from voices.core.selectors import attachment_list_for
from voices.inquirylab import brief_services as services
from voices.inquirylab.models import Brief, BriefVersion, Registration, Stage
from voices.inquirylab.tests.factories import ChallengeFactory, MentorFactory, move_to
from voices.inquirylab.tests.factories_briefs import (
    GIF,
    JPEG,
    PNG,
    member_of,
    sections,
    team_in_work,
    upload,
)

UTC = datetime.UTC
# 15 March 2027, 23:59 in Kyiv (UTC+2 until the end of March).
DEADLINE = datetime.datetime(2027, 3, 15, 21, 59, tzinfo=UTC)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def team(db):
    return team_in_work(size=2)


def frozen(monkeypatch, moment: datetime.datetime) -> None:
    """Stop the clock at `moment` (the project has no time-freezing library)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def deadline_team():
    challenge = ChallengeFactory(
        registration_at=DEADLINE - datetime.timedelta(days=60),
        teams_at=DEADLINE - datetime.timedelta(days=40),
        work_at=DEADLINE - datetime.timedelta(days=30),
        deadline_at=DEADLINE,
        results_at=DEADLINE + datetime.timedelta(days=20),
    )
    return team_in_work(size=2, challenge=challenge)


# Drafts and versions


def test_the_first_save_creates_the_brief_and_version_1(team):
    version, created = services.brief_save(actor=team.lead, team=team, **sections())

    assert created
    assert version.number == 1
    assert version.brief == Brief.objects.get(team=team)
    assert version.created_by == team.lead


def test_each_changed_save_is_numbered_one_higher_by_any_member(team):
    services.brief_save(actor=team.lead, team=team, **sections())
    other = member_of(team)

    second, _c = services.brief_save(actor=other, team=team, **sections(title="Classes at night"))
    third, _c = services.brief_save(actor=team.lead, team=team, **sections(steps="Ask the mayor."))

    assert [second.number, third.number] == [2, 3]
    assert second.created_by == other


def test_an_unchanged_save_makes_no_new_version(team):
    first, _c = services.brief_save(actor=team.lead, team=team, **sections())

    again, created = services.brief_save(
        actor=team.lead, team=team, **sections(title="  Evening classes for all  ")
    )

    assert not created
    assert again == first
    assert BriefVersion.objects.count() == 1


def test_a_draft_needs_only_a_title(team):
    version, _c = services.brief_save(
        actor=team.lead, team=team, title="Just started", summary_language="en",
        second_summary_language="uk",
    )  # fmt: skip

    assert version.problem == ""
    with pytest.raises(ValidationError):
        services.brief_save(actor=team.lead, team=team, **sections(title=""))


def test_it_refuses_to_overwrite_a_teammates_newer_save(team):
    services.brief_save(actor=team.lead, team=team, **sections())
    services.brief_save(actor=member_of(team), team=team, **sections(title="Their change"))

    with pytest.raises(ValidationError) as refused:
        services.brief_save(actor=team.lead, team=team, based_on=1, **sections(title="Mine"))

    assert refused.value.code == "stale"
    assert "version 2" in refused.value.messages[0]
    version, created = services.brief_save(
        actor=team.lead, team=team, based_on=2, **sections(title="Mine")
    )
    assert created and version.number == 3


def test_the_video_link_must_be_https(team):
    with pytest.raises(ValidationError) as refused:
        services.brief_save(
            actor=team.lead, team=team, **sections(video_url="http://video.example.org/1")
        )
    assert "video_url" in refused.value.message_dict

    version, _c = services.brief_save(
        actor=team.lead, team=team, **sections(video_url="https://video.example.org/1")
    )
    assert version.video_url == "https://video.example.org/1"


def test_a_source_that_looks_like_a_broken_address_is_refused(team):
    with pytest.raises(ValidationError) as refused:
        services.brief_save(actor=team.lead, team=team, **sections(sources="https://exa mple"))

    assert "sources" in refused.value.message_dict


def test_the_summaries_must_be_in_two_languages(team):
    with pytest.raises(ValidationError):
        services.brief_save(actor=team.lead, team=team, **sections(second_summary_language="en"))


def test_only_members_write(team):
    with pytest.raises(PermissionDenied):
        services.brief_save(actor=UserFactory(), team=team, **sections())


def test_a_member_whose_registration_is_not_confirmed_cannot_write(team):
    other = member_of(team)
    Registration.objects.filter(user=other).update(status=Registration.Status.PENDING)

    with pytest.raises(PermissionDenied):
        services.brief_save(actor=other, team=team, **sections())
    with pytest.raises(ValidationError) as refused:
        services.brief_save(actor=team.lead, team=team, **sections())
    assert refused.value.code == "unconfirmed"


def test_briefs_are_written_only_in_the_work_stage(team):
    move_to(team.challenge, Stage.TEAM_FORMATION)

    with pytest.raises(ValidationError) as refused:
        services.brief_save(actor=team.lead, team=team, **sections())

    assert refused.value.messages == ["Briefs can be written only while the work stage is open."]


def test_saving_a_draft_after_the_deadline_is_refused(db, monkeypatch):
    team = deadline_team()
    frozen(monkeypatch, DEADLINE)

    with pytest.raises(ValidationError) as refused:
        services.brief_save(actor=team.lead, team=team, **sections())

    assert refused.value.code == "stage"
    assert not Brief.objects.exists()


def test_restoring_an_old_version_saves_it_as_the_newest(team):
    services.brief_save(actor=team.lead, team=team, **sections())
    services.brief_save(actor=team.lead, team=team, **sections(proposal="Deleted by mistake"))

    restored, created = services.brief_version_restore(actor=team.lead, team=team, number=1)

    assert created
    assert restored.number == 3
    assert restored.proposal == sections()["proposal"]
    assert BriefVersion.objects.count() == 3


def test_restoring_the_latest_text_again_changes_nothing(team):
    services.brief_save(actor=team.lead, team=team, **sections())

    version, created = services.brief_version_restore(actor=team.lead, team=team, number=1)

    assert not created and version.number == 1


# Submission


def test_the_lead_submits_the_latest_version(team):
    services.brief_save(actor=team.lead, team=team, **sections())
    services.brief_save(actor=team.lead, team=team, **sections(title="Final title"))

    brief = services.brief_submit(actor=team.lead, team=team)

    assert brief.submitted_version.number == 2
    assert brief.submitted_at is not None


def test_other_members_cannot_submit(team):
    services.brief_save(actor=team.lead, team=team, **sections())

    with pytest.raises(PermissionDenied):
        services.brief_submit(actor=member_of(team), team=team)


def test_the_other_members_are_told_of_the_submission(team, django_capture_on_commit_callbacks):
    services.brief_save(actor=team.lead, team=team, **sections())

    with django_capture_on_commit_callbacks(execute=True):
        services.brief_submit(actor=team.lead, team=team)

    notice = Notification.objects.get()
    assert notice.recipient == member_of(team)
    assert "submitted version 1" in notice.body


def test_an_incomplete_brief_cannot_be_submitted(team):
    services.brief_save(actor=team.lead, team=team, **sections(evidence="", sources=""))

    with pytest.raises(ValidationError) as refused:
        services.brief_submit(actor=team.lead, team=team)

    assert refused.value.code == "incomplete"
    assert "the evidence, at least one source" in refused.value.messages[0]


def test_nothing_to_submit_before_a_first_save(team):
    with pytest.raises(ValidationError) as refused:
        services.brief_submit(actor=team.lead, team=team)

    assert refused.value.code == "empty"


def test_a_team_outside_the_size_range_cannot_submit(team):
    services.brief_save(actor=team.lead, team=team, **sections())
    team.challenge.team_min = 3
    team.challenge.save()

    with pytest.raises(ValidationError) as refused:
        services.brief_submit(actor=team.lead, team=team)

    assert refused.value.messages == [
        "A team must have between 3 and 5 members to submit a brief. Yours has 2."
    ]


def test_a_resubmission_replaces_the_submitted_version(team):
    services.brief_save(actor=team.lead, team=team, **sections())
    services.brief_submit(actor=team.lead, team=team)
    services.brief_save(actor=team.lead, team=team, **sections(title="Better title"))

    brief = services.brief_submit(actor=team.lead, team=team)

    assert brief.submitted_version.number == 2
    with pytest.raises(ValidationError) as refused:
        services.brief_submit(actor=team.lead, team=team)
    assert refused.value.code == "already_submitted"


def test_a_submission_one_second_before_the_deadline_is_accepted(db, monkeypatch):
    team = deadline_team()
    frozen(monkeypatch, DEADLINE - SECOND)
    services.brief_save(actor=team.lead, team=team, **sections())

    brief = services.brief_submit(actor=team.lead, team=team)

    assert brief.submitted_at == DEADLINE - SECOND


@pytest.mark.parametrize("late", [datetime.timedelta(0), SECOND, datetime.timedelta(days=3)])
def test_a_submission_at_or_after_the_deadline_is_refused(db, monkeypatch, late):
    team = deadline_team()
    frozen(monkeypatch, DEADLINE - datetime.timedelta(hours=1))
    services.brief_save(actor=team.lead, team=team, **sections())
    frozen(monkeypatch, DEADLINE + late)

    with pytest.raises(ValidationError) as refused:
        services.brief_submit(actor=team.lead, team=team)

    assert refused.value.code == "deadline"
    assert Brief.objects.get().submitted_version is None


def test_the_late_refusal_shows_the_deadline_in_the_viewers_time_zone(db, monkeypatch):
    team = deadline_team()
    frozen(monkeypatch, DEADLINE + SECOND)

    with timezone.override("Europe/Kyiv"), pytest.raises(ValidationError) as refused:
        services.brief_submit(actor=team.lead, team=team)

    assert refused.value.messages == [
        "The deadline was March 15, 2027, 23:59 (Europe/Kyiv time). Late briefs cannot be accepted."
    ]


def test_the_late_refusal_in_ukrainian_names_the_month_in_ukrainian(db, monkeypatch):
    team = deadline_team()
    frozen(monkeypatch, DEADLINE + SECOND)

    with (
        translation.override("uk"),
        timezone.override("Europe/Kyiv"),
        pytest.raises(ValidationError) as refused,
    ):
        services.brief_submit(actor=team.lead, team=team)

    assert "15 березня 2027" in refused.value.messages[0]
    assert "23:59" in refused.value.messages[0]


# Attachments


@pytest.fixture
def saved(team):
    services.brief_save(actor=team.lead, team=team, **sections())
    return team


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("study.pdf", None, "study.pdf"),
        ("chart.png", PNG, "chart.png"),
        ("photo", JPEG, "photo.jpg"),
    ],
)
def test_documents_and_pictures_are_attached(saved, name, content, stored):
    kwargs = {"content": content} if content else {}

    attachment = services.brief_attachment_add(
        actor=saved.lead, team=saved, upload=upload(name, **kwargs)
    )

    assert attachment.name == stored
    assert attachment.owner == saved.brief


def test_a_file_is_checked_by_its_content_not_its_name(saved):
    with pytest.raises(ValidationError) as refused:
        services.brief_attachment_add(
            actor=saved.lead, team=saved, upload=upload("looks-like.pdf", GIF)
        )

    assert refused.value.code == "file_type"


def test_a_file_over_the_size_limit_is_refused(saved, settings):
    settings.UPLOAD_MAX_BYTES = 20

    with pytest.raises(ValidationError) as refused:
        services.brief_attachment_add(actor=saved.lead, team=saved, upload=upload())

    assert refused.value.code == "file_too_large"


def test_a_brief_has_at_most_five_attachments(saved):
    for n in range(5):
        services.brief_attachment_add(actor=saved.lead, team=saved, upload=upload(f"f{n}.pdf"))

    with pytest.raises(ValidationError) as refused:
        services.brief_attachment_add(actor=saved.lead, team=saved, upload=upload("six.pdf"))

    assert refused.value.code == "too_many_files"
    assert attachment_list_for(saved.brief).count() == 5


def test_attachments_wait_for_a_first_save(team):
    with pytest.raises(ValidationError) as refused:
        services.brief_attachment_add(actor=team.lead, team=team, upload=upload())

    assert refused.value.code == "no_brief"


def test_a_member_removes_an_attachment_but_a_mentor_cannot(saved):
    attachment = services.brief_attachment_add(actor=saved.lead, team=saved, upload=upload())
    mentor = MentorFactory(challenge=saved.challenge).user

    with pytest.raises(PermissionDenied):
        services.brief_attachment_remove(actor=mentor, brief=saved.brief, attachment=attachment)
    services.brief_attachment_remove(
        actor=member_of(saved), brief=saved.brief, attachment=attachment
    )

    assert not attachment_list_for(saved.brief).exists()


def test_attachments_cannot_change_after_the_deadline(saved):
    attachment = services.brief_attachment_add(actor=saved.lead, team=saved, upload=upload())
    move_to(saved.challenge, Stage.JUDGING)

    with pytest.raises(ValidationError):
        services.brief_attachment_add(actor=saved.lead, team=saved, upload=upload())
    with pytest.raises(ValidationError):
        services.brief_attachment_remove(actor=saved.lead, brief=saved.brief, attachment=attachment)


def test_the_summaries_must_be_in_the_sites_languages(team):
    with pytest.raises(ValidationError) as refused:
        services.brief_save(actor=team.lead, team=team, **sections(summary_language="xx"))

    assert "summary_language" in refused.value.message_dict
