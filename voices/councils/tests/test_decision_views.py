"""Pages and API of formal decisions: who sees drafts, who may vote, forms, and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voices.councils.decision_models import (
    Amendment,
    Ballot,
    BallotParticipation,
    Minutes,
    Motion,
    Vote,
)
from voices.councils.decision_services import (
    ballot_close,
    ballot_open,
    ballot_prepare,
    minutes_correct,
    minutes_save,
    vote_cast,
)
from voices.councils.meeting_models import AgendaItem, Meeting
from voices.councils.meeting_services import attendance_set
from voices.councils.models import Council, Membership
from voices.councils.tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
    facilitator_of,
)
from voices.directory.tests.factories import text

Seat = Membership.Role
DAY = datetime.timedelta(days=1)
API = "/api/v1"


def url(name: str, **kwargs) -> str:
    return reverse(f"councils:{name}", kwargs=kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def council(db):
    return CouncilFactory(
        slug="graz", name=text("Graz Migrant Council"), quorum_share=Decimal("0.50")
    )


def seat(council: Council, role: str = Seat.MEMBER, **fields) -> Membership:
    return MembershipFactory(council=council, role=role, **fields)


@pytest.fixture
def facilitator(council):
    return facilitator_of(council, display_name="Fatima")


@pytest.fixture
def members(council):
    return [seat(council) for _ in range(3)]


@pytest.fixture
def member(members):
    return members[0].user


@pytest.fixture
def live(council):
    return MeetingFactory(council=council, in_progress=True, title=text("Spring meeting"))


@pytest.fixture
def item(live):
    return AgendaItemFactory(meeting=live, kind=AgendaItem.Kind.DECISION, title=text("Buses"))


@pytest.fixture
def ended(council):
    start = timezone.now() - 30 * DAY
    return MeetingFactory(
        council=council, title=text("Winter meeting"), starts_at=start, status=Meeting.Status.ENDED
    )


def motion_on(item: AgendaItem, **fields) -> Motion:
    values = {
        "title": "Buses after 22:00",
        "text": "Run buses after 22:00.",
        "original_text": "Run buses after 22:00.",
        "language": "en",
    }
    return Motion.objects.create(agenda_item=item, **(values | fields))


def present(actor, meeting: Meeting, *memberships: Membership, is_present: bool = True) -> None:
    for membership in memberships:
        attendance_set(actor=actor, meeting=meeting, membership=membership, is_present=is_present)


@pytest.fixture
def ballot(facilitator, live, item, members):
    """An open ballot on a motion, with every voting member recorded present."""
    present(facilitator, live, *members)
    prepared = ballot_prepare(actor=facilitator, meeting=live, motion=motion_on(item))
    return ballot_open(actor=facilitator, ballot=prepared)


def minutes_at(meeting: Meeting, status: str, version: int = 1, **fields) -> Minutes:
    return Minutes.objects.create(
        meeting=meeting,
        version=version,
        status=status,
        text=f"Minutes, version {version}.",
        language="en",
        **fields,
    )


# Minutes: who sees drafts


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "proposed", "approved"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, 404),
        ("outsider", 404),
        ("observer", 200),
        ("member", 200),
        ("facilitator", 200),
        ("coordinator", 200),
    ],
)
def test_unpublished_minutes_are_hidden_from_the_public_but_shown_to_members(
    client, request, council, ended, status, who, expected
):
    minutes = minutes_at(ended, status)
    if who == "observer":
        client.force_login(seat(council, Seat.OBSERVER).user)
    elif who:
        client.force_login(request.getfixturevalue(who))

    response = client.get(minutes.get_absolute_url())

    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "outsider", "member"])
def test_published_minutes_are_public(client, request, ended, who):
    minutes = minutes_at(ended, Minutes.Status.PUBLISHED)
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get(minutes.get_absolute_url())

    assert response.status_code == 200
    assert "Minutes, version 1." in response.text


@pytest.mark.django_db
def test_the_meeting_page_shows_the_public_the_published_version_and_members_the_draft(
    client, member, ended
):
    published = minutes_at(ended, Minutes.Status.PUBLISHED)
    draft = minutes_at(
        ended,
        Minutes.Status.DRAFT,
        version=2,
        corrects=published,
        correction_reason="A name was misspelt.",
    )

    public = client.get(ended.get_absolute_url())
    client.force_login(member)
    inside = client.get(ended.get_absolute_url())

    assert public.context["minutes"] == published
    assert draft.get_absolute_url() not in public.text
    assert inside.context["minutes"] == draft


@pytest.mark.django_db
def test_a_meeting_with_only_draft_minutes_tells_the_public_they_are_not_published(client, ended):
    draft = minutes_at(ended, Minutes.Status.DRAFT)

    response = client.get(ended.get_absolute_url())

    assert response.context["minutes"] is None
    assert draft.get_absolute_url() not in response.text
    assert "The minutes are not published yet." in response.text


# Minutes: writing, approval, correction


@pytest.mark.django_db
def test_the_facilitator_writes_the_minutes_of_an_ended_meeting(client, facilitator, ended):
    client.force_login(facilitator)

    response = client.post(
        url("minutes_edit", meeting_id=ended.pk), {"text": "We met.", "language": "en"}
    )

    minutes = Minutes.objects.get()
    assert response.status_code == 302
    assert response.url == minutes.get_absolute_url()
    assert (minutes.status, minutes.text, minutes.written_by) == ("draft", "We met.", facilitator)


@pytest.mark.django_db
def test_approved_minutes_cannot_be_changed_through_the_form(client, facilitator, ended):
    minutes = minutes_at(ended, Minutes.Status.APPROVED)
    client.force_login(facilitator)

    response = client.post(
        url("minutes_edit", meeting_id=ended.pk), {"text": "Rewritten.", "language": "en"}
    )

    assert response.status_code == 200
    assert "Approved minutes cannot be changed." in " ".join(
        response.context["form"].non_field_errors()
    )
    minutes.refresh_from_db()
    assert minutes.text == "Minutes, version 1."


@pytest.mark.django_db
def test_a_member_cannot_open_the_minutes_form(client, member, ended):
    client.force_login(member)

    response = client.post(
        url("minutes_edit", meeting_id=ended.pk), {"text": "Mine.", "language": "en"}
    )

    assert response.status_code == 403
    assert not Minutes.objects.exists()


@pytest.mark.django_db
def test_a_correction_without_a_reason_is_refused(client, facilitator, ended):
    minutes = minutes_at(ended, Minutes.Status.PUBLISHED)
    client.force_login(facilitator)

    response = client.post(
        url("minutes_correct", minutes_id=minutes.pk),
        {"text": "Fixed.", "language": "en", "reason": ""},
    )

    assert response.status_code == 302
    assert response.url == minutes.get_absolute_url()
    assert messages_of(response) == ["This field is required."]
    assert Minutes.objects.count() == 1


@pytest.mark.django_db
def test_a_correction_starts_a_new_linked_version(client, facilitator, ended):
    minutes = minutes_at(ended, Minutes.Status.PUBLISHED)
    client.force_login(facilitator)

    response = client.post(
        url("minutes_correct", minutes_id=minutes.pk),
        {"text": "Fixed.", "language": "en", "reason": "Wrong date."},
    )

    correction = Minutes.objects.get(version=2)
    assert response.url == correction.get_absolute_url()
    assert (correction.corrects, correction.status) == (minutes, "draft")
    page = client.get(correction.get_absolute_url())
    assert "This version corrects version 1: Wrong date." in page.text


@pytest.mark.django_db
def test_the_chair_approves_minutes_from_their_page(client, council, facilitator, ended):
    council.minutes_approval = Council.MinutesApproval.CHAIR
    council.save()
    chair = seat(council, Seat.CHAIR).user
    minutes = minutes_at(ended, Minutes.Status.PROPOSED)
    client.force_login(chair)

    page = client.get(minutes.get_absolute_url())
    response = client.post(url("minutes_action", minutes_id=minutes.pk), {"action": "approve"})

    assert 'value="approve"' in page.text
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_by) == ("approved", chair)


@pytest.mark.django_db
def test_a_member_who_is_not_chair_cannot_approve_minutes(client, council, member, ended):
    council.minutes_approval = Council.MinutesApproval.CHAIR
    council.save()
    minutes = minutes_at(ended, Minutes.Status.PROPOSED)
    client.force_login(member)

    response = client.post(url("minutes_action", minutes_id=minutes.pk), {"action": "approve"})

    assert response.status_code == 403
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PROPOSED


@pytest.mark.django_db
def test_publishing_unapproved_minutes_shows_an_error(client, facilitator, ended):
    minutes = minutes_at(ended, Minutes.Status.PROPOSED)
    client.force_login(facilitator)

    response = client.post(url("minutes_action", minutes_id=minutes.pk), {"action": "publish"})

    assert messages_of(response) == ["Only approved minutes can be published."]
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PROPOSED


@pytest.mark.django_db
def test_minutes_go_from_draft_to_public_through_the_pages(client, council, facilitator, ended):
    council.minutes_approval = Council.MinutesApproval.CHAIR
    council.save()
    chair = seat(council, Seat.CHAIR).user
    minutes = minutes_save(actor=facilitator, meeting=ended, text="We met.", language="en")
    client.force_login(facilitator)
    client.post(url("minutes_action", minutes_id=minutes.pk), {"action": "propose"})
    client.force_login(chair)
    client.post(url("minutes_action", minutes_id=minutes.pk), {"action": "approve"})
    client.force_login(facilitator)
    client.post(url("minutes_action", minutes_id=minutes.pk), {"action": "publish"})
    client.logout()

    response = client.get(minutes.get_absolute_url())

    assert response.status_code == 200
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED


# Motions


@pytest.mark.django_db
def test_a_request_to_an_authority_without_the_authority_shows_the_field_error(
    client, member, live, item
):
    client.force_login(member)

    response = client.post(
        url("motion_create", meeting_id=live.pk, item_id=item.pk),
        {
            "title": "Buses",
            "text": "Run buses after 22:00.",
            "language": "en",
            "is_request_to_authority": "on",
            "addressed_to": "",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["addressed_to"] == ["Choose the authority the motion asks."]
    assert 'id="id_addressed_to_errors"' in response.text
    assert not Motion.objects.exists()


@pytest.mark.django_db
def test_evidence_needs_both_a_label_and_a_link(client, member, live, item):
    client.force_login(member)

    response = client.post(
        url("motion_create", meeting_id=live.pk, item_id=item.pk),
        {"title": "Buses", "text": "Run buses.", "language": "en", "evidence_label": "Survey"},
    )

    assert "evidence_url" in response.context["form"].errors
    assert not Motion.objects.exists()


@pytest.mark.django_db
def test_a_member_proposes_a_request_to_an_authority(client, member, authority, live, item):
    client.force_login(member)

    response = client.post(
        url("motion_create", meeting_id=live.pk, item_id=item.pk),
        {
            "title": "Buses",
            "text": "Run buses after 22:00.",
            "language": "en",
            "is_request_to_authority": "on",
            "addressed_to": authority.pk,
            "evidence_label": "Survey",
            "evidence_url": "https://example.org/survey",
        },
    )

    motion = Motion.objects.get()
    assert response.url == motion.get_absolute_url()
    assert (motion.addressed_to, motion.proposer.user) == (authority, member)
    assert motion.evidence.get().url == "https://example.org/survey"


@pytest.mark.django_db
def test_someone_outside_the_council_cannot_propose_a_motion(client, outsider, live, item):
    client.force_login(outsider)

    response = client.post(
        url("motion_create", meeting_id=live.pk, item_id=item.pk),
        {"title": "Buses", "text": "Run buses.", "language": "en"},
    )

    assert response.status_code == 403
    assert not Motion.objects.exists()


@pytest.mark.django_db
def test_an_empty_amendment_shows_the_field_error_on_the_motion_page(client, member, item):
    motion = motion_on(item)
    client.force_login(member)

    response = client.post(url("amendment_create", motion_id=motion.pk), {"text": ""})

    assert response.status_code == 200
    assert "text" in response.context["amendment_form"].errors
    assert not Amendment.objects.exists()


# Ballots and votes


@pytest.mark.django_db
def test_a_member_present_votes_once_through_the_page(client, member, ballot):
    client.force_login(member)

    page = client.get(ballot.get_absolute_url())
    response = client.post(url("vote", ballot_id=ballot.pk), {"choice": "for"})
    again = client.post(url("vote", ballot_id=ballot.pk), {"choice": "against"})
    after = client.get(ballot.get_absolute_url())

    assert page.context["voter"] is not None
    assert "Cast my vote" in page.text
    assert response.status_code == 302
    assert messages_of(response) == ["Your vote was recorded."]
    assert messages_of(again)[-1] == "You have already voted."
    assert list(Vote.objects.values_list("choice", flat=True)) == ["for"]
    assert after.context["has_voted"] is True
    assert "You have voted. Thank you." in after.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Seat.OBSERVER, Seat.AUTHORITY_LIAISON, Seat.FACILITATOR])
def test_a_non_voting_member_present_gets_403_and_nothing_is_stored(
    client, council, facilitator, live, ballot, role
):
    non_voting = seat(council, role)
    present(facilitator, live, non_voting)
    client.force_login(non_voting.user)

    response = client.post(url("vote", ballot_id=ballot.pk), {"choice": "for"})

    assert response.status_code == 403
    assert not Vote.objects.exists()
    assert not BallotParticipation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "coordinator", "facilitator"])
def test_someone_without_a_vote_in_the_council_gets_403(client, request, ballot, who):
    client.force_login(request.getfixturevalue(who))

    response = client.post(url("vote", ballot_id=ballot.pk), {"choice": "for"})

    assert response.status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_voting_member_not_recorded_present_gets_403(
    client, council, facilitator, live, ballot, members
):
    present(facilitator, live, members[2], is_present=False)
    late = seat(council)  # never recorded
    for person in (members[2].user, late.user):
        client.force_login(person)

        response = client.post(url("vote", ballot_id=ballot.pk), {"choice": "for"})

        assert response.status_code == 403
    assert not Vote.objects.exists()
    page = client.get(ballot.get_absolute_url())
    assert "Only voting members recorded as present can vote." in page.text


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(client, ballot):
    response = client.post(url("vote", ballot_id=ballot.pk), {"choice": "for"})

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_vote_after_close_is_refused_and_the_result_stays(
    client, facilitator, member, members, ballot
):
    vote_cast(user=members[1].user, ballot=ballot, choice="against")
    ballot_close(actor=facilitator, ballot=ballot)
    client.force_login(member)

    response = client.post(url("vote", ballot_id=ballot.pk), {"choice": "for"})

    assert response.status_code == 302
    assert messages_of(response) == ["This ballot is not open."]
    ballot.refresh_from_db()
    assert (ballot.votes_for, ballot.votes_against, ballot.passed) == (0, 1, False)
    assert Vote.objects.count() == 1


@pytest.mark.django_db
def test_a_vote_without_a_choice_is_refused(client, member, ballot):
    client.force_login(member)

    response = client.post(url("vote", ballot_id=ballot.pk), {"choice": "maybe"})

    assert messages_of(response) == ["Choose for, against or abstain."]
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_opening_a_ballot_without_quorum_shows_why(client, facilitator, live, item, members):
    present(facilitator, live, members[0])
    prepared = ballot_prepare(actor=facilitator, meeting=live, motion=motion_on(item))
    client.force_login(facilitator)

    response = client.post(url("ballot_action", ballot_id=prepared.pk), {"action": "open"})

    assert response.url == prepared.get_absolute_url()
    assert messages_of(response) == ["No quorum: 1 of 3 voting members are present, 2 are needed."]
    prepared.refresh_from_db()
    assert prepared.status == Ballot.Status.PREPARED


@pytest.mark.django_db
def test_the_facilitator_opens_and_closes_a_ballot_from_its_page(
    client, facilitator, live, item, members
):
    present(facilitator, live, *members)
    client.force_login(facilitator)
    client.post(
        url("ballot_prepare", meeting_id=live.pk),
        {"subject": "motion", "subject_id": str(motion_on(item).pk)},
    )
    prepared = Ballot.objects.get()

    client.post(url("ballot_action", ballot_id=prepared.pk), {"action": "open"})
    vote_cast(user=members[0].user, ballot=prepared, choice="for")
    response = client.post(url("ballot_action", ballot_id=prepared.pk), {"action": "close"})
    page = client.get(prepared.get_absolute_url())

    assert messages_of(response)[-1] == "The ballot is closed and the result is recorded."
    assert page.context["ballot"].passed is True
    assert "Voting members present" in page.text


@pytest.mark.django_db
def test_a_member_cannot_open_a_ballot(client, member, live, item, facilitator, members):
    present(facilitator, live, *members)
    prepared = ballot_prepare(actor=facilitator, meeting=live, motion=motion_on(item))
    client.force_login(member)

    response = client.post(url("ballot_action", ballot_id=prepared.pk), {"action": "open"})

    assert response.status_code == 403
    prepared.refresh_from_db()
    assert prepared.status == Ballot.Status.PREPARED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"subject": "motion", "subject_id": "²"},  # a digit to str.isdigit(), not to int()
        {"subject": "motion", "subject_id": "1" * 19},
        {"subject": "motion", "subject_id": "-1"},
        {"subject": "vote", "subject_id": "1"},
        {},
    ],
)
def test_a_ballot_on_nothing_is_refused_with_a_message(client, facilitator, live, data):
    client.force_login(facilitator)

    response = client.post(url("ballot_prepare", meeting_id=live.pk), data)

    assert response.status_code == 302
    assert messages_of(response) == ["Choose what to vote on."]
    assert not Ballot.objects.exists()


# API


@pytest.mark.django_db
def test_the_api_lists_only_published_minutes(client, facilitator, ended):
    published = minutes_at(ended, Minutes.Status.PUBLISHED)
    minutes_correct(actor=facilitator, minutes=published, text="Fixed.", reason="Typo.")
    other = MeetingFactory(
        council=ended.council, status=Meeting.Status.ENDED, starts_at=ended.starts_at - DAY
    )
    for status in ("draft", "proposed", "approved"):
        minutes_at(other, status, version={"draft": 1, "proposed": 2, "approved": 3}[status])

    body = client.get(f"{API}/meetings/{ended.pk}/minutes").json()
    nothing = client.get(f"{API}/meetings/{other.pk}/minutes").json()

    assert [(m["version"], m["text"]) for m in body] == [(1, "Minutes, version 1.")]
    assert nothing == []


@pytest.mark.django_db
def test_the_api_lists_corrections_with_the_version_they_correct(client, ended):
    first = minutes_at(ended, Minutes.Status.PUBLISHED)
    minutes_at(ended, Minutes.Status.PUBLISHED, version=2, corrects=first)

    body = client.get(f"{API}/meetings/{ended.pk}/minutes").json()

    assert [(m["version"], m["corrects_version"]) for m in body] == [(1, None), (2, 1)]


@pytest.mark.django_db
def test_the_api_lists_only_closed_ballots_with_their_stored_results(
    client, facilitator, live, item, members, ballot
):
    for membership in members:
        vote_cast(user=membership.user, ballot=ballot, choice="for")
    ballot_close(actor=facilitator, ballot=ballot)
    ballot_prepare(actor=facilitator, meeting=live, motion=motion_on(item, title="Night lines"))
    opened = ballot_open(
        actor=facilitator,
        ballot=ballot_prepare(
            actor=facilitator, meeting=live, motion=motion_on(item, title="Trams")
        ),
    )

    body = client.get(f"{API}/meetings/{live.pk}/ballots").json()

    assert [b["id"] for b in body] == [ballot.pk]
    assert opened.pk not in [b["id"] for b in body]
    result = body[0]
    assert result["subject"] == "motion"
    assert result["subject_title"] == "Buses after 22:00"
    assert (result["votes_for"], result["votes_against"], result["present"]) == (3, 0, 3)
    assert (result["quorum_met"], result["passed"]) == (True, True)


@pytest.mark.django_db
def test_the_api_answers_404_for_an_unknown_meeting(client):
    assert client.get(f"{API}/meetings/999999/minutes").status_code == 404
    assert client.get(f"{API}/meetings/999999/ballots").status_code == 404


# Query counts


def add_decisions(meeting: Meeting, item: AgendaItem, count: int) -> None:
    """`count` motions, each with an amendment and closed ballots on both, and minutes of an
    earlier meeting waiting for a vote, with a ballot prepared on them."""
    closed = {
        "status": Ballot.Status.CLOSED,
        "majority": "simple",
        "entitled": 3,
        "present": 3,
        "votes_for": 2,
        "votes_against": 1,
        "votes_abstain": 0,
        "quorum_met": True,
        "passed": True,
        "closed_at": timezone.now(),
    }
    first = Motion.objects.filter(agenda_item=item).count()
    for number in range(first, first + count):
        motion = motion_on(item, title=f"Motion {number}", proposer=seat(meeting.council))
        amendment = Amendment.objects.create(motion=motion, text="Better wording.")
        Ballot.objects.create(meeting=meeting, amendment=amendment, **closed)
        Ballot.objects.create(meeting=meeting, motion=motion, **closed)
        earlier = MeetingFactory(
            council=meeting.council,
            status=Meeting.Status.ENDED,
            starts_at=meeting.starts_at - (number + 2) * DAY,
        )
        minutes = minutes_at(earlier, Minutes.Status.PROPOSED)
        Ballot.objects.create(meeting=meeting, minutes=minutes, majority="simple")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator", None])
def test_the_meeting_page_needs_the_same_queries_for_2_or_8_motions_and_ballots(
    client, request, live, item, who, django_assert_num_queries
):
    if who:
        client.force_login(request.getfixturevalue(who))
    add_decisions(live, item, 2)
    page = live.get_absolute_url()
    client.get(page)  # warm per-process caches

    with CaptureQueriesContext(connection) as few:
        client.get(page)
    add_decisions(live, item, 6)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(page)

    assert len(response.context["motions"]) == 8
    assert len(response.context["ballots"]) == 24
    assert "Motion 7" in response.text
