from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .decision_models import Amendment, Ballot, BallotParticipation, Minutes, Motion
from .meeting_models import Meeting


def minutes_for_meeting(*, meeting: Meeting, user) -> Minutes | None:
    """The version of the minutes this user may read: the latest, or the latest published."""
    versions = Minutes.objects.filter(meeting=meeting).order_by("-version")
    if not user.has_perm("councils.see_draft_minutes", meeting.council):
        versions = versions.filter(status=Minutes.Status.PUBLISHED)
    return versions.first()


def minutes_get_for_user(minutes_id: int, *, user) -> Minutes:
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting__council", "corrects"), pk=minutes_id
    )
    if minutes.status != Minutes.Status.PUBLISHED and not user.has_perm(
        "councils.see_draft_minutes", minutes.meeting.council
    ):
        raise Http404
    return minutes


def minutes_waiting_for_vote(*, meeting: Meeting) -> QuerySet[Minutes]:
    """Proposed minutes of earlier meetings of the same council, to approve at this one."""
    return Minutes.objects.filter(
        meeting__council_id=meeting.council_id,
        meeting__starts_at__lt=meeting.starts_at,
        status=Minutes.Status.PROPOSED,
    ).select_related("meeting")


def motions_for_meeting(*, meeting: Meeting) -> QuerySet[Motion]:
    return (
        Motion.objects.filter(agenda_item__meeting=meeting)
        .select_related("agenda_item", "proposer__user", "addressed_to")
        .prefetch_related(
            Prefetch("amendments", queryset=Amendment.objects.order_by("created_at", "id")),
            "ballots",
        )
    )


def motion_get(motion_id: int) -> Motion:
    qs = Motion.objects.select_related(
        "agenda_item__meeting__council", "proposer__user", "addressed_to"
    ).prefetch_related("evidence", "amendments__proposer__user", "ballots")
    return get_object_or_404(qs, pk=motion_id)


def ballots_for_meeting(*, meeting: Meeting) -> QuerySet[Ballot]:
    return Ballot.objects.filter(meeting=meeting).select_related(
        "motion", "amendment__motion", "minutes__meeting"
    )


def ballot_get(ballot_id: int) -> Ballot:
    qs = Ballot.objects.select_related(
        "meeting__council", "motion", "amendment__motion", "minutes__meeting"
    )
    return get_object_or_404(qs, pk=ballot_id)


def has_voted(*, ballot: Ballot, membership) -> bool:
    return (
        membership is not None
        and BallotParticipation.objects.filter(ballot=ballot, membership=membership).exists()
    )


def votes_cast(ballot: Ballot) -> int:
    return BallotParticipation.objects.filter(ballot=ballot).count()


def closed_ballots(*, meeting: Meeting) -> QuerySet[Ballot]:
    return ballots_for_meeting(meeting=meeting).filter(status=Ballot.Status.CLOSED)


def motions_adopted(*, council) -> QuerySet[Motion]:
    """A council's adopted motions, latest decision first."""
    return (
        Motion.objects.filter(agenda_item__meeting__council=council, status=Motion.Status.ADOPTED)
        .select_related("agenda_item__meeting")
        .order_by("-decided_at", "-pk")
    )


def councils_proposing_motions(user) -> list:
    """The councils where `user` may propose motions (`councils.propose_motions`), found with a
    few queries however many councils there are."""
    from voices.accounts.models import Role

    from .models import Council, Membership
    from .rules import is_council_facilitator
    from .selectors import current_q

    if not (user and user.is_authenticated):
        return []
    if user.is_superuser or user.has_role(Role.COORDINATOR):
        return list(Council.objects.all())
    member_of = Membership.objects.filter(current_q(), user=user).values("council")
    facilitated = [int(i) for i in user.scope_ids(Role.FACILITATOR, Council)]
    councils = Council.objects.filter(Q(pk__in=member_of) | Q(pk__in=facilitated)).distinct()
    # A facilitator role outlives an expired seat; the predicate says whether it still counts.
    return [
        c for c in councils
        if c.pk not in facilitated or is_council_facilitator(user, c)
        or Membership.objects.filter(current_q(), user=user, council=c).exists()
    ]  # fmt: skip


def motions_open_in(councils) -> QuerySet[Motion]:
    """Motions not decided yet, on meetings not over, in these councils (newest first)."""
    return (
        Motion.objects.filter(
            status=Motion.Status.PROPOSED, agenda_item__meeting__council__in=councils
        )
        .exclude(agenda_item__meeting__status__in=[Meeting.Status.ENDED, Meeting.Status.CANCELLED])
        .select_related("agenda_item__meeting__council")
        .order_by("-created_at", "-id")
    )
