"""Formal decisions: quorum, who may vote, one vote each, secret ballots, majorities, amendments,
results stored once, the hand-off of adopted requests, and minutes with approval and corrections.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from voices.core.tests.concurrency import at_once
from voices.councils import decision_services, handoff
from voices.councils.decision_models import (
    Amendment,
    Ballot,
    BallotParticipation,
    Minutes,
    Motion,
    Vote,
)
from voices.councils.decision_services import (
    amendment_propose,
    ballot_close,
    ballot_open,
    ballot_prepare,
    minutes_approve_by_chair,
    minutes_correct,
    minutes_propose,
    minutes_publish,
    minutes_save,
    minutes_unpropose,
    motion_propose,
    motion_withdraw,
    passes,
    vote_cast,
)
from voices.councils.meeting_models import AgendaItem, Meeting
from voices.councils.meeting_selectors import quorum_for
from voices.councils.meeting_services import attendance_set, meeting_close, meeting_open
from voices.councils.models import Council, Membership
from voices.councils.tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
    facilitator_of,
)
from voices.directory.tests.factories import OrganisationFactory, text

Seat = Membership.Role
DAY = datetime.timedelta(days=1)
NON_VOTING_SEATS = [Seat.OBSERVER, Seat.AUTHORITY_LIAISON, Seat.FACILITATOR]


# People, meetings and helpers


@pytest.fixture
def council(db):
    return CouncilFactory(
        slug="graz",
        name=text("Graz Migrant Council"),
        quorum_share=Decimal("0.50"),
        majority=Council.Majority.SIMPLE,
        minutes_approval=Council.MinutesApproval.VOTE,
    )


def seat(council: Council, role: str = Seat.MEMBER, **fields) -> Membership:
    return MembershipFactory(council=council, role=role, **fields)


@pytest.fixture
def facilitator(council):
    """Runs the meeting: records attendance, runs ballots, writes minutes; has no vote."""
    return facilitator_of(council, display_name="Fatima")


@pytest.fixture
def members(council):
    """Four voting members: a quorum of 50 % needs two of them present."""
    return [seat(council) for _ in range(4)]


@pytest.fixture
def live(council, facilitator):
    """A meeting that has been started (meeting_open), so attendance can be recorded."""
    meeting = MeetingFactory(
        council=council,
        title=text("Spring meeting"),
        starts_at=timezone.now() - datetime.timedelta(minutes=20),
    )
    return meeting_open(actor=facilitator, meeting=meeting)


@pytest.fixture
def item(live):
    return AgendaItemFactory(meeting=live, kind=AgendaItem.Kind.DECISION, title=text("Buses"))


@pytest.fixture
def ended(council):
    """Last month's meeting, over: its minutes can be written."""
    start = timezone.now() - 30 * DAY
    return MeetingFactory(
        council=council,
        title=text("Winter meeting"),
        starts_at=start,
        status=Meeting.Status.ENDED,
        opened_at=start,
        closed_at=start + datetime.timedelta(hours=2),
    )


def mark(actor, meeting: Meeting, *memberships: Membership, present: bool = True) -> None:
    for membership in memberships:
        attendance_set(actor=actor, meeting=meeting, membership=membership, is_present=present)


def propose(actor, item: AgendaItem, **fields) -> Motion:
    values = {
        "title": "Buses after 22:00",
        "text": "The council asks the city to run buses after 22:00.",
        "reasons": "Many members work late shifts.",
        "language": "en",
    }
    return motion_propose(actor=actor, agenda_item=item, **(values | fields))


def cast(ballot: Ballot, votes: dict[Membership, str]) -> None:
    for membership, choice in votes.items():
        vote_cast(user=membership.user, ballot=ballot, choice=choice)


def fresh(meeting: Meeting) -> Meeting:
    """The meeting and its council as a new request would load them (after charter changes)."""
    return Meeting.objects.select_related("council").get(pk=meeting.pk)


def opened(actor, meeting: Meeting, **subject) -> Ballot:
    ballot = ballot_prepare(actor=actor, meeting=fresh(meeting), **subject)
    return ballot_open(actor=actor, ballot=ballot)


def decide(actor, meeting: Meeting, votes: dict[Membership, str], **subject) -> Ballot:
    ballot = opened(actor, meeting, **subject)
    cast(ballot, votes)
    return ballot_close(actor=actor, ballot=ballot)


def code_of(exc_info) -> str | None:
    return exc_info.value.code


# Quorum


@pytest.mark.django_db
def test_a_ballot_does_not_open_without_quorum(facilitator, live, item, members):
    mark(facilitator, live, members[0])
    ballot = ballot_prepare(actor=facilitator, meeting=live, motion=propose(facilitator, item))

    with pytest.raises(ValidationError) as exc:
        ballot_open(actor=facilitator, ballot=ballot)

    assert code_of(exc) == "no_quorum"
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.PREPARED
    assert ballot.opened_at is None


@pytest.mark.django_db
def test_non_voting_people_present_do_not_make_a_quorum(council, facilitator, live, item, members):
    mark(facilitator, live, members[0])
    mark(facilitator, live, *(seat(council, role) for role in NON_VOTING_SEATS))
    ballot = ballot_prepare(actor=facilitator, meeting=live, motion=propose(facilitator, item))

    with pytest.raises(ValidationError) as exc:
        ballot_open(actor=facilitator, ballot=ballot)

    assert code_of(exc) == "no_quorum"


@pytest.mark.django_db
def test_a_ballot_opens_with_quorum_and_records_the_quorum_at_opening(
    facilitator, live, item, members
):
    mark(facilitator, live, *members[:2])

    ballot = opened(facilitator, live, motion=propose(facilitator, item))

    assert ballot.status == Ballot.Status.OPEN
    assert (ballot.open_entitled, ballot.open_present) == (4, 2)
    assert ballot.opened_at is not None


@pytest.mark.django_db
def test_quorum_lost_during_the_meeting_blocks_the_next_ballot(facilitator, live, item, members):
    first, second = propose(facilitator, item), propose(facilitator, item, title="Night lines")
    mark(facilitator, live, *members[:2])
    decide(facilitator, live, {members[0]: "for", members[1]: "for"}, motion=first)
    mark(facilitator, live, members[1], present=False)  # leaves early
    ballot = ballot_prepare(actor=facilitator, meeting=live, motion=second)

    with pytest.raises(ValidationError) as exc:
        ballot_open(actor=facilitator, ballot=ballot)

    assert code_of(exc) == "no_quorum"
    assert not Vote.objects.filter(ballot=ballot).exists()


@pytest.mark.django_db
def test_a_ballot_open_when_quorum_is_lost_closes_without_quorum_and_does_not_pass(
    facilitator, live, item, members
):
    motion = propose(facilitator, item)
    mark(facilitator, live, *members[:2])
    ballot = opened(facilitator, live, motion=motion)
    cast(ballot, {members[0]: "for", members[1]: "for"})
    mark(facilitator, live, members[1], present=False)

    ballot = ballot_close(actor=facilitator, ballot=ballot)

    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED
    assert ballot.quorum_met is False
    assert ballot.passed is False
    assert (ballot.entitled, ballot.present, ballot.votes_for) == (4, 1, 2)
    # Without quorum nothing was decided: the motion stays open to a new vote.
    motion.refresh_from_db()
    assert motion.status == Motion.Status.PROPOSED
    mark(facilitator, live, members[1])
    again = ballot_prepare(actor=facilitator, meeting=live, motion=motion)
    assert again.status == Ballot.Status.PREPARED


# Who may vote


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_VOTING_SEATS)
def test_a_non_voting_member_present_cannot_vote(council, facilitator, live, item, members, role):
    mark(facilitator, live, *members[:2])
    non_voting = seat(council, role)
    mark(facilitator, live, non_voting)
    ballot = opened(facilitator, live, motion=propose(facilitator, item))

    with pytest.raises(PermissionDenied):
        vote_cast(user=non_voting.user, ballot=ballot, choice="for")

    assert not Vote.objects.exists()
    assert not BallotParticipation.objects.exists()


@pytest.mark.django_db
def test_someone_outside_the_council_cannot_vote(outsider, facilitator, live, item, members):
    mark(facilitator, live, *members[:2])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))

    with pytest.raises(PermissionDenied):
        vote_cast(user=outsider, ballot=ballot, choice="for")

    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_member_of_another_council_cannot_vote_here(facilitator, live, item, members):
    elsewhere = seat(CouncilFactory())
    mark(facilitator, live, *members[:2])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))

    with pytest.raises(PermissionDenied):
        vote_cast(user=elsewhere.user, ballot=ballot, choice="for")

    assert not Vote.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("recorded", ["not_recorded", "recorded_absent"])
def test_a_voting_member_not_recorded_present_cannot_vote(
    facilitator, live, item, members, recorded
):
    mark(facilitator, live, *members[:2])
    if recorded == "recorded_absent":
        mark(facilitator, live, members[2], present=False)
    ballot = opened(facilitator, live, motion=propose(facilitator, item))

    with pytest.raises(PermissionDenied):
        vote_cast(user=members[2].user, ballot=ballot, choice="for")

    assert not Vote.objects.exists()
    assert not BallotParticipation.objects.exists()


@pytest.mark.django_db
def test_the_chair_and_an_association_representative_present_can_vote(
    council, facilitator, live, item, members
):
    chair = seat(council, Seat.CHAIR)
    representative = seat(
        council,
        Seat.ASSOCIATION_REPRESENTATIVE,
        association=OrganisationFactory(kind="association"),
    )
    mark(facilitator, live, chair, representative, *members[:2])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))

    cast(ballot, {chair: "for", representative: "against"})

    assert sorted(Vote.objects.values_list("choice", flat=True)) == ["against", "for"]
    assert set(BallotParticipation.objects.values_list("membership", flat=True)) == {
        chair.pk,
        representative.pk,
    }


@pytest.mark.django_db
def test_a_member_votes_only_once(facilitator, live, item, members):
    mark(facilitator, live, *members[:2])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))
    cast(ballot, {members[0]: "for"})

    with pytest.raises(ValidationError) as exc:
        vote_cast(user=members[0].user, ballot=ballot, choice="against")

    assert code_of(exc) == "already_voted"
    assert list(Vote.objects.values_list("membership", "choice")) == [(members[0].pk, "for")]
    assert BallotParticipation.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("choice", ["", "yes", "FOR", "for "])
def test_only_for_against_or_abstain_is_a_vote(facilitator, live, item, members, choice):
    mark(facilitator, live, *members[:2])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))

    with pytest.raises(ValidationError) as exc:
        vote_cast(user=members[0].user, ballot=ballot, choice=choice)

    assert code_of(exc) == "invalid_choice"
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_no_vote_before_the_ballot_opens(facilitator, live, item, members):
    mark(facilitator, live, *members[:2])
    ballot = ballot_prepare(actor=facilitator, meeting=live, motion=propose(facilitator, item))

    with pytest.raises(ValidationError) as exc:
        vote_cast(user=members[0].user, ballot=ballot, choice="for")

    assert code_of(exc) == "not_open"
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_vote_cannot_be_cast_or_changed_after_close(facilitator, live, item, members):
    mark(facilitator, live, *members[:3])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))
    cast(ballot, {members[0]: "for", members[1]: "against"})
    ballot_close(actor=facilitator, ballot=ballot)

    for membership, choice in [(members[2], "for"), (members[1], "for"), (members[0], "for")]:
        with pytest.raises(ValidationError) as exc:
            vote_cast(user=membership.user, ballot=ballot, choice=choice)
        assert code_of(exc) == "not_open"

    ballot.refresh_from_db()
    assert (ballot.votes_for, ballot.votes_against, ballot.votes_abstain) == (1, 1, 0)
    assert sorted(Vote.objects.values_list("choice", flat=True)) == ["against", "for"]
    assert BallotParticipation.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("is_secret", [False, True], ids=["open_ballot", "secret_ballot"])
def test_fifty_simultaneous_votes_from_one_member_store_exactly_one(
    facilitator, live, item, members, is_secret
):
    mark(facilitator, live, *members[:2])
    ballot = opened(facilitator, live, motion=propose(facilitator, item), is_secret=is_secret)
    ballot = Ballot.objects.select_related("meeting__council").get(pk=ballot.pk)
    voter = members[0].user

    # at_once checks that every thread finished and each reported an outcome.
    outcomes = at_once(
        50,
        lambda n: vote_cast(user=voter, ballot=ballot, choice=["for", "against", "abstain"][n % 3]),
    )

    assert outcomes.count("stored") == 1
    assert set(outcomes) <= {"stored", "already_voted", "locked"}
    assert Vote.objects.filter(ballot=ballot).count() == 1
    assert BallotParticipation.objects.filter(ballot=ballot).count() == 1
    assert BallotParticipation.objects.get(ballot=ballot).membership == members[0]


# Secret ballots


@pytest.mark.django_db
def test_a_secret_ballot_keeps_who_voted_apart_from_what_they_voted(
    facilitator, live, item, members
):
    mark(facilitator, live, *members)
    ballot = opened(facilitator, live, motion=propose(facilitator, item), is_secret=True)

    cast(ballot, {members[0]: "for", members[1]: "for", members[2]: "against"})

    assert not Vote.objects.filter(membership__isnull=False).exists()
    assert set(BallotParticipation.objects.values_list("membership", flat=True)) == {
        m.pk for m in members[:3]
    }
    with pytest.raises(ValidationError) as exc:
        vote_cast(user=members[0].user, ballot=ballot, choice="against")
    assert code_of(exc) == "already_voted"
    assert Vote.objects.count() == 3


@pytest.mark.django_db
def test_closing_a_secret_ballot_rewrites_the_votes_in_shuffled_order(
    facilitator, live, item, members, monkeypatch
):
    shuffled = []

    class Reversing:
        def shuffle(self, items: list) -> None:
            shuffled.append(list(items))
            items.reverse()

    monkeypatch.setattr(decision_services.random, "SystemRandom", Reversing)
    mark(facilitator, live, *members)
    ballot = opened(facilitator, live, motion=propose(facilitator, item), is_secret=True)
    cast(
        ballot, {members[0]: "for", members[1]: "against", members[2]: "abstain", members[3]: "for"}
    )
    ids_while_open = set(Vote.objects.values_list("id", flat=True))

    ballot = ballot_close(actor=facilitator, ballot=ballot)

    after = list(Vote.objects.filter(ballot=ballot).order_by("id"))
    assert shuffled == [["for", "against", "abstain", "for"]]
    assert [v.choice for v in after] == ["for", "abstain", "against", "for"]
    assert ids_while_open.isdisjoint(v.pk for v in after)
    assert all(v.membership_id is None for v in after)
    assert (ballot.votes_for, ballot.votes_against, ballot.votes_abstain) == (2, 1, 1)
    assert BallotParticipation.objects.filter(ballot=ballot).count() == 4


@pytest.mark.django_db
def test_after_a_secret_ballot_closes_no_vote_has_a_member_and_the_counts_match(
    facilitator, live, item, members
):
    mark(facilitator, live, *members)
    ballot = opened(facilitator, live, motion=propose(facilitator, item), is_secret=True)
    cast(ballot, {members[0]: "for", members[1]: "for", members[2]: "for", members[3]: "against"})

    ballot = ballot_close(actor=facilitator, ballot=ballot)

    votes = Vote.objects.filter(ballot=ballot)
    assert not votes.filter(membership__isnull=False).exists()
    assert votes.filter(choice="for").count() == ballot.votes_for == 3
    assert votes.filter(choice="against").count() == ballot.votes_against == 1
    assert ballot.passed is True


@pytest.mark.django_db
def test_an_open_ballot_records_who_voted_what(facilitator, live, item, members):
    mark(facilitator, live, *members[:2])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))

    cast(ballot, {members[0]: "for", members[1]: "against"})
    ballot_close(actor=facilitator, ballot=ballot)

    assert set(Vote.objects.values_list("membership", "choice")) == {
        (members[0].pk, "for"),
        (members[1].pk, "against"),
    }


# Results are stored once


@pytest.mark.django_db
def test_a_ballot_closes_only_once(facilitator, live, item, members):
    mark(facilitator, live, *members[:3])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))
    cast(ballot, {members[0]: "for", members[1]: "for", members[2]: "against"})
    first = ballot_close(actor=facilitator, ballot=ballot)

    with pytest.raises(ValidationError) as exc:
        ballot_close(actor=facilitator, ballot=ballot)

    assert code_of(exc) == "not_open"
    ballot.refresh_from_db()
    assert ballot.closed_at == first.closed_at
    assert (ballot.votes_for, ballot.votes_against, ballot.passed) == (2, 1, True)


@pytest.mark.django_db
def test_changing_attendance_after_close_does_not_change_the_stored_result(
    council, facilitator, live, item, members
):
    council.majority = Council.Majority.ABSOLUTE
    council.save()
    mark(facilitator, live, *members[:3])
    ballot = opened(facilitator, live, motion=propose(facilitator, item))
    cast(ballot, {members[0]: "for", members[1]: "for", members[2]: "against"})
    ballot_close(actor=facilitator, ballot=ballot)
    stored = Ballot.objects.values().get(pk=ballot.pk)

    mark(facilitator, live, *members[:3], present=False)
    mark(facilitator, live, members[3])
    seat(council)  # one more voting member joins

    assert Ballot.objects.values().get(pk=ballot.pk) == stored
    assert (stored["entitled"], stored["present"], stored["quorum_met"], stored["passed"]) == (
        4,
        3,
        True,
        True,
    )
    assert quorum_for(live).is_met is False


# Majorities


@pytest.mark.parametrize(
    ("votes_for", "against", "abstain", "expected"),
    [
        (2, 1, 0, True),
        (2, 2, 0, False),  # a tie is not a majority
        (1, 0, 9, True),  # abstentions do not count against
        (0, 0, 3, False),
        (0, 0, 0, False),
    ],
)
def test_a_simple_majority_needs_more_for_than_against(votes_for, against, abstain, expected):
    result = passes(
        majority=Council.Majority.SIMPLE,
        votes_for=votes_for,
        against=against,
        abstain=abstain,
        present=20,
    )

    assert result is expected


@pytest.mark.parametrize(
    ("votes_for", "present", "expected"),
    [
        (4, 6, True),
        (3, 6, False),  # exactly half is not more than half
        (3, 5, True),
        (2, 5, False),
        (4, 7, True),
        (3, 7, False),
        (1, 1, True),
        (0, 0, False),
    ],
)
def test_an_absolute_majority_needs_more_than_half_of_the_voting_members_present(
    votes_for, present, expected
):
    result = passes(
        majority=Council.Majority.ABSOLUTE,
        votes_for=votes_for,
        against=0,
        abstain=0,
        present=present,
    )

    assert result is expected


@pytest.mark.parametrize(
    ("votes_for", "against", "expected"),
    [
        (2, 1, True),  # exactly two thirds
        (1, 1, False),
        (4, 2, True),
        (3, 2, False),  # 60 %
        (4, 1, True),  # 80 %
        (5, 3, False),  # 62.5 %
        (6, 3, True),
        (66, 34, False),
        (67, 33, True),
        (1, 0, True),
        (0, 0, False),
    ],
)
def test_a_two_thirds_majority_needs_two_thirds_of_the_votes_cast(votes_for, against, expected):
    result = passes(
        majority=Council.Majority.TWO_THIRDS,
        votes_for=votes_for,
        against=against,
        abstain=0,
        present=100,
    )

    assert result is expected


@pytest.mark.django_db
def test_an_absolute_majority_counts_the_members_present_at_close(
    council, facilitator, live, item, members
):
    council.majority = Council.Majority.ABSOLUTE
    council.save()
    mark(facilitator, live, *members)
    motion = propose(facilitator, item)

    # 2 for of 4 present is half, not more: under a simple majority it would pass.
    ballot = decide(
        facilitator,
        live,
        {members[0]: "for", members[1]: "for", members[2]: "abstain"},
        motion=motion,
    )

    assert (ballot.present, ballot.votes_for, ballot.votes_against) == (4, 2, 0)
    assert ballot.majority == Council.Majority.ABSOLUTE
    assert ballot.passed is False


@pytest.mark.django_db
def test_a_ballot_keeps_the_majority_it_was_prepared_with(
    council, facilitator, live, item, members
):
    mark(facilitator, live, *members)
    ballot = opened(facilitator, live, motion=propose(facilitator, item))
    council.majority = Council.Majority.TWO_THIRDS
    council.save()
    cast(ballot, {members[0]: "for", members[1]: "for", members[2]: "against"})

    ballot = ballot_close(actor=facilitator, ballot=ballot)

    assert ballot.majority == Council.Majority.SIMPLE
    assert ballot.passed is True


# Amendments come before their motion


@pytest.mark.django_db
def test_the_motion_ballot_does_not_open_while_an_amendment_is_undecided(
    facilitator, live, item, members
):
    mark(facilitator, live, *members)
    motion = propose(members[0].user, item)
    amendment_propose(actor=members[1].user, motion=motion, text="Buses after 23:00.", reasons="")
    ballot = ballot_prepare(actor=facilitator, meeting=live, motion=motion)

    with pytest.raises(ValidationError) as exc:
        ballot_open(actor=facilitator, ballot=ballot)

    assert code_of(exc) == "amendments_pending"
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.PREPARED


@pytest.mark.django_db
def test_an_adopted_amendment_replaces_the_text_and_keeps_the_original(
    facilitator, live, item, members
):
    mark(facilitator, live, *members)
    motion = propose(members[0].user, item, text="Buses after 22:00.")
    amendment = amendment_propose(
        actor=members[1].user,
        motion=motion,
        text="Buses and trams after 22:00.",
        reasons="Trams too.",
    )

    ballot = decide(facilitator, live, {members[0]: "for", members[1]: "for"}, amendment=amendment)

    assert ballot.passed is True
    amendment.refresh_from_db()
    motion.refresh_from_db()
    assert amendment.status == Amendment.Status.ADOPTED
    assert motion.text == "Buses and trams after 22:00."
    assert motion.original_text == "Buses after 22:00."
    assert motion.status == Motion.Status.PROPOSED
    decided = decide(facilitator, live, {members[0]: "for"}, motion=motion)
    motion.refresh_from_db()
    assert decided.passed is True
    assert motion.status == Motion.Status.ADOPTED
    assert motion.text == "Buses and trams after 22:00."


@pytest.mark.django_db
def test_a_rejected_amendment_leaves_the_text_as_it_was(facilitator, live, item, members):
    mark(facilitator, live, *members)
    motion = propose(members[0].user, item, text="Buses after 22:00.")
    amendment = amendment_propose(
        actor=members[1].user, motion=motion, text="No buses.", reasons=""
    )

    decide(
        facilitator,
        live,
        {members[0]: "against", members[1]: "for", members[2]: "against"},
        amendment=amendment,
    )

    amendment.refresh_from_db()
    motion.refresh_from_db()
    assert amendment.status == Amendment.Status.REJECTED
    assert motion.text == motion.original_text == "Buses after 22:00."
    assert opened(facilitator, live, motion=motion).status == Ballot.Status.OPEN


@pytest.mark.django_db
def test_no_amendment_once_the_motion_is_put_to_the_vote(facilitator, live, item, members):
    motion = propose(members[0].user, item)
    ballot_prepare(actor=facilitator, meeting=live, motion=motion)

    with pytest.raises(ValidationError) as exc:
        amendment_propose(actor=members[1].user, motion=motion, text="Later.", reasons="")

    assert code_of(exc) == "too_late"
    assert not Amendment.objects.exists()


# One open ballot at a time


@pytest.mark.django_db
def test_only_one_ballot_is_open_at_a_time(facilitator, live, item, members):
    mark(facilitator, live, *members)
    first = opened(facilitator, live, motion=propose(facilitator, item))
    second = ballot_prepare(
        actor=facilitator, meeting=live, motion=propose(facilitator, item, title="Night lines")
    )

    with pytest.raises(ValidationError) as exc:
        ballot_open(actor=facilitator, ballot=second)

    assert code_of(exc) == "one_at_a_time"
    ballot_close(actor=facilitator, ballot=first)
    assert ballot_open(actor=facilitator, ballot=second).status == Ballot.Status.OPEN


@pytest.mark.django_db
def test_a_ballot_opens_only_while_the_meeting_is_in_progress(facilitator, live, item, members):
    mark(facilitator, live, *members)
    ballot = ballot_prepare(actor=facilitator, meeting=live, motion=propose(facilitator, item))
    meeting_close(actor=facilitator, meeting=live)

    with pytest.raises(ValidationError) as exc:
        ballot_open(actor=facilitator, ballot=ballot)

    assert code_of(exc) == "not_in_progress"


@pytest.mark.django_db
def test_members_cannot_run_ballots(facilitator, live, item, members):
    motion = propose(members[0].user, item)

    with pytest.raises(PermissionDenied):
        ballot_prepare(actor=members[0].user, meeting=live, motion=motion)

    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_the_secretary_runs_ballots(council, facilitator, live, item, members):
    secretary = seat(council, Seat.SECRETARY)
    mark(facilitator, live, *members)

    ballot = decide(secretary.user, live, {members[0]: "for"}, motion=propose(facilitator, item))

    assert ballot.passed is True


# Motions


@pytest.mark.django_db
def test_a_request_to_an_authority_must_name_the_authority(facilitator, item, members):
    with pytest.raises(ValidationError) as exc:
        propose(members[0].user, item, is_request_to_authority=True, addressed_to=None)

    assert "addressed_to" in exc.value.message_dict
    assert not Motion.objects.exists()


@pytest.mark.django_db
def test_a_motion_keeps_its_proposer_evidence_and_authority(authority, item, members):
    motion = propose(
        members[0].user,
        item,
        is_request_to_authority=True,
        addressed_to=authority,
        evidence=[("Survey on night work", "https://example.org/survey")],
    )

    assert motion.proposer == members[0]
    assert motion.addressed_to == authority
    assert list(motion.evidence.values_list("label", "url")) == [
        ("Survey on night work", "https://example.org/survey")
    ]


@pytest.mark.django_db
def test_motions_belong_to_decision_items(facilitator, live, members):
    discussion = AgendaItemFactory(meeting=live, kind=AgendaItem.Kind.DISCUSSION)

    with pytest.raises(ValidationError) as exc:
        propose(members[0].user, discussion)

    assert code_of(exc) == "kind"


@pytest.mark.django_db
def test_someone_outside_the_council_cannot_propose_a_motion(outsider, item):
    with pytest.raises(PermissionDenied):
        propose(outsider, item)

    assert not Motion.objects.exists()


@pytest.mark.django_db
def test_a_motion_is_withdrawn_only_before_its_ballot_opens(facilitator, live, item, members):
    mark(facilitator, live, *members)
    early = propose(members[0].user, item)
    ballot_prepare(actor=facilitator, meeting=live, motion=early)
    late = propose(members[0].user, item, title="Night lines")
    opened(facilitator, live, motion=late)

    motion_withdraw(actor=members[0].user, motion=early)
    with pytest.raises(ValidationError) as exc:
        motion_withdraw(actor=members[0].user, motion=late)

    early.refresh_from_db()
    assert early.status == Motion.Status.WITHDRAWN
    assert not early.ballots.exists()
    assert code_of(exc) == "too_late"


@pytest.mark.django_db
def test_only_the_proposer_or_a_manager_withdraws_a_motion(facilitator, item, members):
    motion = propose(members[0].user, item)

    with pytest.raises(PermissionDenied):
        motion_withdraw(actor=members[1].user, motion=motion)

    motion.refresh_from_db()
    assert motion.status == Motion.Status.PROPOSED


# The hand-off of adopted requests


@pytest.fixture
def handed_off(monkeypatch) -> list[int]:
    """Motion ids received by a registered hand-off handler (and only by it)."""
    monkeypatch.setattr(handoff, "_adopted_request_handlers", [])
    received: list[int] = []
    handoff.on_request_adopted(received.append)
    return received


@pytest.mark.django_db
def test_an_adopted_request_is_handed_off_once_after_commit(
    authority, facilitator, live, item, members, handed_off, django_capture_on_commit_callbacks
):
    mark(facilitator, live, *members)
    motion = propose(members[0].user, item, is_request_to_authority=True, addressed_to=authority)
    ballot = opened(facilitator, live, motion=motion)
    cast(ballot, {members[0]: "for", members[1]: "for", members[2]: "against"})

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ballot_close(actor=facilitator, ballot=ballot)
        assert handed_off == []  # not before the commit

    assert len(callbacks) == 1
    assert handed_off == [motion.pk]


@pytest.mark.django_db
def test_a_rejected_request_is_not_handed_off(
    authority, facilitator, live, item, members, handed_off, django_capture_on_commit_callbacks
):
    mark(facilitator, live, *members)
    motion = propose(members[0].user, item, is_request_to_authority=True, addressed_to=authority)
    ballot = opened(facilitator, live, motion=motion)
    cast(ballot, {members[0]: "for", members[1]: "against", members[2]: "against"})

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ballot_close(actor=facilitator, ballot=ballot)

    assert callbacks == []
    assert handed_off == []
    motion.refresh_from_db()
    assert motion.status == Motion.Status.REJECTED


@pytest.mark.django_db
def test_an_adopted_motion_that_asks_no_authority_is_not_handed_off(
    facilitator, live, item, members, handed_off, django_capture_on_commit_callbacks
):
    mark(facilitator, live, *members)
    motion = propose(members[0].user, item)
    ballot = opened(facilitator, live, motion=motion)
    cast(ballot, {members[0]: "for"})

    with django_capture_on_commit_callbacks(execute=True):
        ballot_close(actor=facilitator, ballot=ballot)

    assert handed_off == []
    motion.refresh_from_db()
    assert motion.status == Motion.Status.ADOPTED


@pytest.mark.django_db
def test_an_adoption_rolled_back_is_not_handed_off(
    authority, facilitator, live, item, members, handed_off, django_capture_on_commit_callbacks
):
    mark(facilitator, live, *members)
    motion = propose(members[0].user, item, is_request_to_authority=True, addressed_to=authority)
    ballot = opened(facilitator, live, motion=motion)
    cast(ballot, {members[0]: "for"})

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            ballot_close(actor=facilitator, ballot=ballot)
            raise RuntimeError("the request failed after the close")

    assert handed_off == []
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN


# Minutes


def write(actor, meeting: Meeting, text_: str = "We met and decided on buses.") -> Minutes:
    return minutes_save(actor=actor, meeting=meeting, text=text_, language="en")


def approved(actor, meeting: Meeting, chair: Membership) -> Minutes:
    """Minutes approved by the chair (the council is switched to chair approval)."""
    council = meeting.council
    council.minutes_approval = Council.MinutesApproval.CHAIR
    council.save()
    minutes = minutes_propose(actor=actor, minutes=write(actor, meeting))
    return minutes_approve_by_chair(actor=chair.user, minutes=minutes)


@pytest.fixture
def chair(council):
    return seat(council, Seat.CHAIR)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["scheduled", "in_progress", "cancelled"])
def test_minutes_are_written_only_after_the_meeting_ended(council, facilitator, status):
    meeting = MeetingFactory(council=council, status=status)

    with pytest.raises(ValidationError) as exc:
        write(facilitator, meeting)

    assert code_of(exc) == "early"
    assert not Minutes.objects.exists()


@pytest.mark.django_db
def test_draft_minutes_are_changed_in_place(facilitator, ended):
    first = write(facilitator, ended, "We met.")

    second = write(facilitator, ended, "We met and decided.")

    assert second.pk == first.pk
    assert (second.version, second.status, second.text) == (1, "draft", "We met and decided.")
    assert second.written_by == facilitator


@pytest.mark.django_db
def test_a_plain_member_cannot_write_minutes(ended, members):
    with pytest.raises(PermissionDenied):
        write(members[0].user, ended)


@pytest.mark.django_db
def test_proposed_minutes_are_changed_only_after_taking_the_proposal_back(facilitator, ended):
    minutes = minutes_propose(actor=facilitator, minutes=write(facilitator, ended))

    with pytest.raises(ValidationError) as exc:
        write(facilitator, ended, "Changed.")
    assert code_of(exc) == "proposed"

    minutes_unpropose(actor=facilitator, minutes=minutes)
    assert write(facilitator, ended, "Changed.").text == "Changed."


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [False, True], ids=["approved", "published"])
def test_approved_minutes_cannot_be_edited(facilitator, ended, chair, publish):
    minutes = approved(facilitator, ended, chair)
    if publish:
        minutes_publish(actor=facilitator, minutes=minutes)

    with pytest.raises(ValidationError) as exc:
        write(facilitator, ended, "Something else.")

    assert code_of(exc) == "locked"
    minutes.refresh_from_db()
    assert minutes.text == "We met and decided on buses."
    assert Minutes.objects.count() == 1


@pytest.mark.django_db
def test_a_correction_is_a_new_version_linked_to_the_one_it_corrects(facilitator, ended, chair):
    minutes = minutes_publish(actor=facilitator, minutes=approved(facilitator, ended, chair))

    correction = minutes_correct(
        actor=facilitator,
        minutes=minutes,
        text="We met on Tuesday.",
        reason="  The date was wrong.  ",
    )

    assert correction.pk != minutes.pk
    assert (correction.version, correction.corrects, correction.status) == (2, minutes, "draft")
    assert correction.correction_reason == "The date was wrong."
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.text == "We met and decided on buses."


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_correction_needs_a_reason(facilitator, ended, chair, reason):
    minutes = approved(facilitator, ended, chair)

    with pytest.raises(ValidationError) as exc:
        minutes_correct(actor=facilitator, minutes=minutes, text="Fixed.", reason=reason)

    assert "reason" in exc.value.message_dict
    assert Minutes.objects.count() == 1


@pytest.mark.django_db
def test_a_correction_goes_through_approval_again(facilitator, ended, chair):
    minutes = minutes_publish(actor=facilitator, minutes=approved(facilitator, ended, chair))
    correction = minutes_correct(
        actor=facilitator, minutes=minutes, text="Fixed.", reason="A name was misspelt."
    )

    with pytest.raises(ValidationError) as exc:
        minutes_publish(actor=facilitator, minutes=correction)
    assert code_of(exc) == "not_approved"

    write(facilitator, ended, "Fixed, really.")  # the correction is a draft and can change
    correction = minutes_propose(actor=facilitator, minutes=correction)
    correction = minutes_approve_by_chair(actor=chair.user, minutes=correction)
    correction = minutes_publish(actor=facilitator, minutes=correction)
    assert (correction.status, correction.text) == ("published", "Fixed, really.")
    assert correction.approved_by == chair.user


@pytest.mark.django_db
def test_only_approved_minutes_of_the_latest_version_are_corrected(facilitator, ended, chair):
    minutes = approved(facilitator, ended, chair)
    minutes_correct(actor=facilitator, minutes=minutes, text="Fixed.", reason="Typo.")

    with pytest.raises(ValidationError) as older:
        minutes_correct(actor=facilitator, minutes=minutes, text="Again.", reason="Typo.")
    draft = Minutes.objects.get(version=2)
    with pytest.raises(ValidationError) as unapproved:
        minutes_correct(actor=facilitator, minutes=draft, text="Again.", reason="Typo.")

    assert code_of(older) == "not_latest"
    assert code_of(unapproved) == "not_locked"
    assert Minutes.objects.count() == 2


@pytest.mark.django_db
def test_the_chair_approves_minutes_where_the_charter_says_so(council, facilitator, ended, chair):
    council.minutes_approval = Council.MinutesApproval.CHAIR
    council.save()
    minutes = minutes_propose(actor=facilitator, minutes=write(facilitator, ended))

    minutes = minutes_approve_by_chair(actor=chair.user, minutes=minutes)

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_by == chair.user
    assert minutes.approved_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["secretary", "vice_chair", "member", "facilitator", "coordinator"])
def test_only_the_chair_approves_minutes(request, council, facilitator, ended, chair, who):
    council.minutes_approval = Council.MinutesApproval.CHAIR
    council.save()
    minutes = minutes_propose(actor=facilitator, minutes=write(facilitator, ended))
    user = {
        "facilitator": lambda: facilitator,
        "coordinator": lambda: request.getfixturevalue("coordinator"),
    }.get(who, lambda: seat(council, who).user)()

    with pytest.raises(PermissionDenied):
        minutes_approve_by_chair(actor=user, minutes=minutes)

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PROPOSED


@pytest.mark.django_db
def test_the_chair_does_not_approve_where_the_council_votes(facilitator, ended, chair):
    minutes = minutes_propose(actor=facilitator, minutes=write(facilitator, ended))

    with pytest.raises(ValidationError) as exc:
        minutes_approve_by_chair(actor=chair.user, minutes=minutes)

    assert code_of(exc) == "vote_needed"
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PROPOSED


@pytest.mark.django_db
def test_the_chair_approves_only_proposed_minutes(council, facilitator, ended, chair):
    council.minutes_approval = Council.MinutesApproval.CHAIR
    council.save()
    draft = write(facilitator, ended)

    with pytest.raises(ValidationError) as exc:
        minutes_approve_by_chair(actor=chair.user, minutes=draft)

    assert code_of(exc) == "not_proposed"


@pytest.mark.django_db
def test_a_vote_at_a_later_meeting_approves_the_minutes(facilitator, ended, live, members):
    minutes = minutes_propose(actor=facilitator, minutes=write(facilitator, ended))
    mark(facilitator, live, *members)

    ballot = decide(facilitator, live, {members[0]: "for", members[1]: "for"}, minutes=minutes)

    assert ballot.passed is True
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at is not None


@pytest.mark.django_db
def test_minutes_voted_down_stay_proposed_and_can_be_voted_on_again(
    facilitator, ended, live, members
):
    minutes = minutes_propose(actor=facilitator, minutes=write(facilitator, ended))
    mark(facilitator, live, *members)

    decide(facilitator, live, {members[0]: "against", members[1]: "against"}, minutes=minutes)

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PROPOSED
    assert decide(facilitator, live, {members[0]: "for"}, minutes=minutes).passed is True
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED


@pytest.mark.django_db
def test_minutes_are_not_voted_on_at_the_same_or_an_earlier_meeting(council, facilitator, ended):
    minutes = minutes_propose(actor=facilitator, minutes=write(facilitator, ended))
    earlier = MeetingFactory(
        council=council, status=Meeting.Status.IN_PROGRESS, starts_at=ended.starts_at - DAY
    )

    with pytest.raises(ValidationError) as same:
        ballot_prepare(actor=facilitator, meeting=ended, minutes=minutes)
    with pytest.raises(ValidationError) as before:
        ballot_prepare(actor=facilitator, meeting=earlier, minutes=minutes)

    assert code_of(same) == "meeting_closed"
    assert code_of(before) == "same_meeting"
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_minutes_are_not_voted_on_where_the_chair_approves(council, facilitator, ended, live):
    council.minutes_approval = Council.MinutesApproval.CHAIR
    council.save()
    minutes = minutes_propose(actor=facilitator, minutes=write(facilitator, ended))

    with pytest.raises(ValidationError) as exc:
        ballot_prepare(actor=facilitator, meeting=fresh(live), minutes=minutes)

    assert code_of(exc) == "chair"


@pytest.mark.django_db
def test_draft_minutes_are_not_voted_on(facilitator, ended, live):
    minutes = write(facilitator, ended)

    with pytest.raises(ValidationError) as exc:
        ballot_prepare(actor=facilitator, meeting=live, minutes=minutes)

    assert code_of(exc) == "subject"


@pytest.mark.django_db
def test_minutes_of_another_council_are_not_voted_on_here(facilitator, live):
    other = MeetingFactory(status=Meeting.Status.ENDED, starts_at=timezone.now() - 9 * DAY)
    minutes = Minutes.objects.create(
        meeting=other, text="Elsewhere.", language="en", status=Minutes.Status.PROPOSED
    )

    with pytest.raises(ValidationError) as exc:
        ballot_prepare(actor=facilitator, meeting=live, minutes=minutes)

    assert code_of(exc) == "subject"


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["draft", "proposed"])
def test_only_approved_minutes_are_published(facilitator, ended, step):
    minutes = write(facilitator, ended)
    if step == "proposed":
        minutes = minutes_propose(actor=facilitator, minutes=minutes)

    with pytest.raises(ValidationError) as exc:
        minutes_publish(actor=facilitator, minutes=minutes)

    assert code_of(exc) == "not_approved"
    minutes.refresh_from_db()
    assert minutes.status == step
    assert minutes.published_at is None


@pytest.mark.django_db
def test_publishing_approved_minutes_stamps_the_time(facilitator, ended, chair):
    minutes = minutes_publish(actor=facilitator, minutes=approved(facilitator, ended, chair))

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.published_at is not None


@pytest.mark.django_db
def test_a_meeting_cannot_end_while_a_vote_is_open(facilitator, live, item, members):
    mark(facilitator, live, *members[:2])
    opened(facilitator, live, motion=propose(facilitator, item))

    with pytest.raises(ValidationError) as refused:
        meeting_close(actor=facilitator, meeting=live)

    assert refused.value.code == "ballot_open"
    live.refresh_from_db()
    assert live.status == Meeting.Status.IN_PROGRESS
