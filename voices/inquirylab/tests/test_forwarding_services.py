"""Winning briefs sent to councils: forwarding, withdrawing, the council's uptake (acknowledged,
a motion drafted, adopted as a recommendation through the council's real ballot)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.core.models import AuditEntry, Notification
from voices.core.translation import TranslatedText
from voices.councils import handoff
from voices.councils.decision_models import Motion, MotionEvidence
from voices.councils.decision_services import (
    ballot_close,
    ballot_open,
    ballot_prepare,
    motion_withdraw,
    vote_cast,
)
from voices.councils.meeting_models import AgendaItem, Meeting
from voices.councils.meeting_services import attendance_set, meeting_open
from voices.councils.models import Council, Membership
from voices.councils.tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    facilitator_of,
)
from voices.directory.tests.factories import OrganisationFactory, text
from voices.inquirylab import forwarding_selectors, forwarding_services
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


def audited(forwarding, **fields):
    kind = ContentType.objects.get_for_model(Forwarding)
    return AuditEntry.objects.filter(content_type=kind, object_id=str(forwarding.pk), **fields)


@pytest.fixture
def finished(db):
    return finished_challenge()


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
    return ActiveCouncilFactory(name=text("Graz migrant council"))


@pytest.fixture
def chair(council):
    return MembershipFactory(council=council, role=Membership.Role.CHAIR).user


@pytest.fixture
def secretary(council):
    return MembershipFactory(council=council, role=Membership.Role.SECRETARY).user


@pytest.fixture
def member(council):
    return MembershipFactory(council=council, role=Membership.Role.MEMBER).user


@pytest.fixture
def forwarding(winner, council, lab_organiser):
    return forwarding_services.forwarding_create(
        actor=lab_organiser, brief=winner, council=council, note="For the education group."
    )


def draft(actor, forwarding, item, **fields):
    values = {
        "title": "Evening classes for all",
        "text": "The council asks the city to open evening classes.",
        "language": "en",
    }
    return forwarding_services.forwarding_motion_draft(
        actor=actor, forwarding=forwarding, agenda_item=item, **(values | fields)
    )


# Forwarding


@pytest.mark.django_db
def test_those_who_run_the_challenge_forward_a_winning_brief(winner, council, lab_organiser):
    forwarding = forwarding_services.forwarding_create(
        actor=lab_organiser, brief=winner, council=council, note="  For the education group. "
    )

    assert forwarding.uptake == Uptake.NONE
    assert forwarding.motion is None
    assert forwarding.note == "For the education group."
    assert forwarding.forwarded_by == lab_organiser
    assert audited(forwarding, action="create").exists()


@pytest.mark.django_db
def test_only_winning_briefs_can_be_forwarded(finished, council, lab_organiser):
    runner_up = ranked_brief(finished, rank=2, is_winner=False)

    with pytest.raises(ValidationError) as exc:
        forwarding_services.forwarding_create(actor=lab_organiser, brief=runner_up, council=council)

    assert exc.value.code == "not_winner"
    assert not Forwarding.objects.exists()


@pytest.mark.django_db
def test_a_brief_without_a_result_cannot_be_forwarded(finished, council, lab_organiser):
    from voices.inquirylab.tests.factories import TeamFactory, brief_for

    unranked = brief_for(TeamFactory(challenge=finished))

    with pytest.raises(ValidationError) as exc:
        forwarding_services.forwarding_create(actor=lab_organiser, brief=unranked, council=council)

    assert exc.value.code == "not_winner"


@pytest.mark.django_db
def test_nothing_is_forwarded_before_the_results_are_published(winner, council, lab_organiser):
    challenge = winner.challenge
    challenge.results_published_at = None
    challenge.save()

    with pytest.raises(ValidationError) as exc:
        forwarding_services.forwarding_create(actor=lab_organiser, brief=winner, council=council)

    assert exc.value.code == "no_results"


@pytest.mark.django_db
def test_a_brief_is_forwarded_to_the_same_council_only_once(forwarding, lab_organiser):
    with pytest.raises(ValidationError) as exc:
        forwarding_services.forwarding_create(
            actor=lab_organiser, brief=forwarding.brief, council=forwarding.council
        )

    assert exc.value.code == "already_forwarded"
    assert Forwarding.objects.count() == 1


@pytest.mark.django_db
def test_the_same_brief_can_go_to_two_councils(forwarding, lab_organiser):
    other = ActiveCouncilFactory()

    forwarding_services.forwarding_create(
        actor=lab_organiser, brief=forwarding.brief, council=other
    )

    assert Forwarding.objects.filter(brief=forwarding.brief).count() == 2


@pytest.mark.django_db
def test_an_inactive_council_cannot_receive_a_brief(winner, lab_organiser):
    dormant = ActiveCouncilFactory(status=Council.Status.DORMANT)

    with pytest.raises(ValidationError) as exc:
        forwarding_services.forwarding_create(actor=lab_organiser, brief=winner, council=dormant)

    assert exc.value.code == "inactive"


@pytest.mark.django_db
def test_people_who_do_not_run_the_challenge_cannot_forward(winner, council, member):
    participant = winner.team.lead

    for person in (participant, member):
        with pytest.raises(PermissionDenied):
            forwarding_services.forwarding_create(actor=person, brief=winner, council=council)

    assert not Forwarding.objects.exists()


@pytest.mark.django_db
def test_programme_staff_may_forward(winner, council, coordinator):
    forwarding_services.forwarding_create(actor=coordinator, brief=winner, council=council)

    assert Forwarding.objects.filter(brief=winner, council=council).exists()


@pytest.mark.django_db
def test_the_chair_secretary_and_facilitators_are_told_in_their_language(
    winner, council, lab_organiser, chair, secretary, member
):
    facilitator = facilitator_of(council)
    council.name = TranslatedText({"en": "Graz migrant council", "fr": "Conseil de Graz"}, "en")
    council.save()
    chair.languages = ["fr"]
    chair.save()

    with_notes = forwarding_services.forwarding_create(
        actor=lab_organiser, brief=winner, council=council
    )

    notices = Notification.objects.filter(kind="lab_brief_forwarded")
    assert {n.recipient_id for n in notices} == {chair.pk, secretary.pk, facilitator.pk}
    assert member.pk not in {n.recipient_id for n in notices}
    assert "Conseil de Graz" in notices.get(recipient=chair).subject
    assert "Graz migrant council" in notices.get(recipient=secretary).subject
    assert "Evening classes for all" in notices.get(recipient=secretary).body
    assert notices.get(recipient=secretary).url == f"/en/lab/councils/{council.slug}/briefs/"
    team = {m.user_id for m in with_notes.brief.team.members.all()}
    told = set(
        Notification.objects.filter(kind="lab_brief_uptake").values_list("recipient_id", flat=True)
    )
    assert told == team


@pytest.mark.django_db
def test_active_councils_of_the_challenges_countries_come_first(finished):
    from voices.directory.tests.factories import CountryFactory

    far = ActiveCouncilFactory(slug="a-far", country=CountryFactory(code="DE"))
    near = ActiveCouncilFactory(slug="z-near", country=CountryFactory(code="AT"))
    ActiveCouncilFactory(slug="b-dormant", status=Council.Status.DORMANT)
    finished.allowed_countries = ["AT"]

    councils = list(forwarding_selectors.councils_for_forwarding(finished))

    assert councils == [near, far]


# Withdrawing


@pytest.mark.django_db
def test_a_forwarding_is_withdrawn_while_the_council_has_not_acted(
    forwarding, lab_organiser, chair
):
    forwarding_services.forwarding_withdraw(actor=lab_organiser, forwarding=forwarding)

    assert not Forwarding.objects.exists()
    assert audited(forwarding, action="delete").exists()
    assert Notification.objects.filter(recipient=chair, kind="lab_brief_withdrawn").exists()


@pytest.mark.django_db
def test_a_forwarding_the_council_acknowledged_cannot_be_withdrawn(
    forwarding, lab_organiser, member
):
    forwarding_services.forwarding_acknowledge(actor=member, forwarding=forwarding)

    with pytest.raises(ValidationError) as exc:
        forwarding_services.forwarding_withdraw(actor=lab_organiser, forwarding=forwarding)

    assert exc.value.code == "taken_up"
    assert Forwarding.objects.filter(pk=forwarding.pk).exists()


@pytest.mark.django_db
def test_only_those_who_run_the_challenge_withdraw(forwarding, member):
    with pytest.raises(PermissionDenied):
        forwarding_services.forwarding_withdraw(actor=member, forwarding=forwarding)

    assert Forwarding.objects.filter(pk=forwarding.pk).exists()


# The council's uptake


@pytest.mark.django_db
def test_a_member_acknowledges_a_brief(forwarding, member):
    forwarding_services.forwarding_acknowledge(actor=member, forwarding=forwarding)

    forwarding.refresh_from_db()
    assert forwarding.uptake == Uptake.ACKNOWLEDGED
    assert forwarding.uptake_changed_at is not None


@pytest.mark.django_db
def test_a_brief_is_acknowledged_once(forwarding, member):
    forwarding_services.forwarding_acknowledge(actor=member, forwarding=forwarding)

    with pytest.raises(ValidationError) as exc:
        forwarding_services.forwarding_acknowledge(actor=member, forwarding=forwarding)

    assert exc.value.code == "already_acknowledged"


@pytest.mark.django_db
def test_people_outside_the_council_cannot_acknowledge(forwarding, lab_organiser):
    other_member = MembershipFactory(council=ActiveCouncilFactory()).user

    for person in (lab_organiser, other_member):
        with pytest.raises(PermissionDenied):
            forwarding_services.forwarding_acknowledge(actor=person, forwarding=forwarding)

    forwarding.refresh_from_db()
    assert forwarding.uptake == Uptake.NONE


@pytest.mark.django_db
def test_a_motion_drafted_from_a_brief_links_to_it(forwarding, member):
    item = decision_item(forwarding.council)

    motion = draft(member, forwarding, item, is_request_to_authority=False)

    forwarding.refresh_from_db()
    assert forwarding.motion == motion
    assert forwarding.uptake == Uptake.DISCUSSED
    assert motion.title == "Evening classes for all"
    assert motion.agenda_item == item
    evidence = MotionEvidence.objects.get(motion=motion)
    assert evidence.url == f"/en/lab/briefs/{forwarding.brief_id}/"
    assert evidence.label == "Brief from the Inquiry Lab: Evening classes for all"


@pytest.mark.django_db
def test_a_motion_can_ask_an_authority(forwarding, member):
    authority = OrganisationFactory()

    motion = draft(
        member, forwarding, decision_item(forwarding.council),
        is_request_to_authority=True, addressed_to=authority,
    )  # fmt: skip

    assert motion.is_request_to_authority
    assert motion.addressed_to == authority


@pytest.mark.django_db
def test_only_one_motion_is_drafted_from_a_forwarding(forwarding, member):
    item = decision_item(forwarding.council)
    draft(member, forwarding, item)

    with pytest.raises(ValidationError) as exc:
        draft(member, forwarding, item, title="Again")

    assert exc.value.code == "has_motion"
    assert Motion.objects.count() == 1


@pytest.mark.django_db
def test_a_new_motion_may_follow_a_withdrawn_one(forwarding, member):
    item = decision_item(forwarding.council)
    first = draft(member, forwarding, item)
    motion_withdraw(actor=member, motion=first)
    forwarding.refresh_from_db()

    second = draft(member, forwarding, item, title="Evening classes, second try")

    forwarding.refresh_from_db()
    assert forwarding.motion == second
    assert forwarding.uptake == Uptake.DISCUSSED


@pytest.mark.django_db
def test_a_motion_goes_on_this_councils_agenda_only(forwarding, member):
    elsewhere = decision_item(ActiveCouncilFactory())

    with pytest.raises(ValidationError) as exc:
        draft(member, forwarding, elsewhere)

    assert exc.value.code == "other_council"
    assert not Motion.objects.exists()


@pytest.mark.django_db
def test_a_motion_needs_a_decision_item_of_a_meeting_not_over(forwarding, member):
    discussion = AgendaItemFactory(
        meeting=MeetingFactory(council=forwarding.council), kind=AgendaItem.Kind.DISCUSSION
    )
    past = timezone.now() - datetime.timedelta(days=30)
    over = decision_item(forwarding.council, starts_at=past, status=Meeting.Status.ENDED)

    for item in (discussion, over):
        with pytest.raises(ValidationError):
            draft(member, forwarding, item)

    forwarding.refresh_from_db()
    assert forwarding.uptake == Uptake.NONE
    assert forwarding.motion is None
    assert list(forwarding_selectors.decision_items_for(forwarding.council)) == []


@pytest.mark.django_db
def test_people_outside_the_council_cannot_draft_a_motion(forwarding, lab_organiser):
    with pytest.raises(PermissionDenied):
        draft(lab_organiser, forwarding, decision_item(forwarding.council))

    assert not Motion.objects.exists()


@pytest.mark.django_db
def test_the_summary_in_the_councils_language_is_proposed(winner):
    version = winner.submitted_version
    ukrainian = ActiveCouncilFactory(working_languages=["uk", "en"])
    greek = ActiveCouncilFactory(working_languages=["el"])

    uk = forwarding_selectors.summary_for(
        version, languages=forwarding_selectors.council_languages(ukrainian)
    )
    el = forwarding_selectors.summary_for(
        version, languages=forwarding_selectors.council_languages(greek)
    )

    assert uk == ("Вечірні заняття.", "uk")
    assert el == ("Evening classes.", "en")  # none in Greek: the first summary


# Adoption through the council's ballot


@pytest.fixture
def voting(council, chair, secretary, member):
    """Three voting members, a meeting under way, all of them present."""
    seats = list(Membership.objects.filter(council=council))
    meeting = MeetingFactory(
        council=council, starts_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    meeting = meeting_open(actor=chair, meeting=meeting)
    for seat in seats:
        attendance_set(actor=chair, meeting=meeting, membership=seat, is_present=True)
    item = AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.DECISION)
    return meeting, item, seats


def vote(chair, meeting, motion, seats, choice, capture):
    ballot = ballot_prepare(
        actor=chair, meeting=Meeting.objects.select_related("council").get(pk=meeting.pk),
        motion=motion,
    )  # fmt: skip
    ballot = ballot_open(actor=chair, ballot=ballot)
    for seat in seats:
        vote_cast(user=seat.user, ballot=ballot, choice=choice)
    with capture(execute=True):
        ballot_close(actor=chair, ballot=ballot)


@pytest.mark.django_db
def test_an_adopted_request_makes_the_brief_adopted_as_a_recommendation(
    forwarding, voting, chair, member, django_capture_on_commit_callbacks
):
    meeting, item, seats = voting
    motion = draft(
        member, forwarding, item, is_request_to_authority=True,
        addressed_to=OrganisationFactory(),
    )  # fmt: skip

    vote(chair, meeting, motion, seats, "for", django_capture_on_commit_callbacks)

    forwarding.refresh_from_db()
    assert forwarding.uptake == Uptake.ADOPTED
    assert forwarding.uptake_changed_at is not None
    # The recommendations app made its recommendation from the same motion, with the brief.
    from voices.recommendations.models import Recommendation

    recommendation = Recommendation.objects.get(motion=motion)
    assert recommendation.evidence.get().url == f"/en/lab/briefs/{forwarding.brief_id}/"


@pytest.mark.django_db
def test_a_rejected_motion_leaves_the_brief_discussed(
    forwarding, voting, chair, member, django_capture_on_commit_callbacks
):
    meeting, item, seats = voting
    motion = draft(
        member, forwarding, item, is_request_to_authority=True,
        addressed_to=OrganisationFactory(),
    )  # fmt: skip

    vote(chair, meeting, motion, seats, "against", django_capture_on_commit_callbacks)

    forwarding.refresh_from_db()
    assert forwarding.uptake == Uptake.DISCUSSED
    assert not forwarding_services.may_draft_motion(forwarding)


@pytest.mark.django_db
def test_the_hand_off_marks_only_adopted_requests(forwarding, member):
    motion = draft(
        member, forwarding, decision_item(forwarding.council), is_request_to_authority=True,
        addressed_to=OrganisationFactory(),
    )  # fmt: skip

    handoff.request_adopted(motion.pk)  # still only proposed: nothing changes
    forwarding.refresh_from_db()
    assert forwarding.uptake == Uptake.DISCUSSED

    Motion.objects.filter(pk=motion.pk).update(
        status=Motion.Status.ADOPTED, decided_at=timezone.now()
    )
    handoff.request_adopted(motion.pk)
    handoff.request_adopted(motion.pk)  # a second call changes nothing

    forwarding.refresh_from_db()
    assert forwarding.uptake == Uptake.ADOPTED
    assert audited(forwarding, actor=None).count() == 1


# Uptake shown


@pytest.mark.django_db
def test_uptake_is_public_only_once_results_are_published(forwarding):
    brief = forwarding.brief

    rows = forwarding_selectors.uptake_of(brief)

    assert rows == [(forwarding.council, "No answer yet", forwarding.council.get_absolute_url())]
    brief.challenge.results_published_at = None
    brief.challenge.save()
    assert forwarding_selectors.uptake_of(brief) == []


@pytest.mark.django_db
def test_uptake_links_to_the_motion_once_there_is_one():
    forwarding = ForwardingFactory()
    member = MembershipFactory(council=forwarding.council).user
    motion = draft(member, forwarding, decision_item(forwarding.council))

    (row,) = forwarding_selectors.uptake_of(forwarding.brief)

    assert row == (forwarding.council, "Discussed", motion.get_absolute_url())
