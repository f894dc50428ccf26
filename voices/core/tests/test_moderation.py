"""Moderation: reports hide content at a threshold, moderators hide, restore and approve it (with
a reason the author is told), and block people from a consultation. Consultation proposals and
comments are the registered content."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.consultations import selectors
from voices.consultations.models import Comment, Proposal
from voices.consultations.tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ProposalFactory,
)
from voices.core import moderation
from voices.core.models import (
    AuditEntry,
    Block,
    ModerationDecision,
    ModerationState,
    Notification,
    Report,
)
from voices.directory.tests.factories import OrganisationFactory

Do = ModerationDecision.Action
State = ModerationState


def code_of(exc_info) -> str | None:
    return exc_info.value.code


def report(reporter, target, reason: str = Report.Reason.SPAM, **fields) -> Report:
    return moderation.report_create(reporter=reporter, target=target, reason=reason, **fields)


def reported_by(target, count: int) -> list[Report]:
    return [report(UserFactory(), target) for _ in range(count)]


def decide(actor, target, action: str, reason: str = "Insults another participant.") -> None:
    moderation.moderation_decide(
        actor=actor, target=target, action=action, reason=reason, url="/proposals/1/"
    )


def state_of(target) -> str:
    target.refresh_from_db()
    return target.moderation_state


@pytest.fixture
def consultation(authority):
    """The City of Graz asks; its officer (the `officer` fixture) moderates."""
    return ConsultationFactory(owner_organisation=authority)


@pytest.fixture
def proposal(consultation, participant):
    """The participant's proposal, published; three reports hide it."""
    assert consultation.report_threshold == 3
    return ProposalFactory(consultation=consultation, author=participant, title="Buses")


@pytest.fixture
def other_officer(db):
    """An officer of another authority: moderates nothing of the City of Graz."""
    user = UserFactory(username="other-officer")
    grant(user, Role.OFFICER, OrganisationFactory())
    return user


# Reports


@pytest.mark.django_db
@pytest.mark.parametrize("reporter", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_a_report_needs_a_signed_in_reporter(proposal, reporter):
    with pytest.raises(PermissionDenied):
        report(reporter, proposal)

    assert not Report.objects.exists()


@pytest.mark.django_db
def test_nobody_reports_their_own_contribution(proposal, participant):
    with pytest.raises(ValidationError) as exc:
        report(participant, proposal)

    assert code_of(exc) == "own_content"
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_person_reports_a_contribution_once(proposal, outsider):
    report(outsider, proposal, note="  Advertising a shop.  ")

    with pytest.raises(ValidationError) as exc:
        report(outsider, proposal, reason=Report.Reason.ABUSE)

    assert code_of(exc) == "already_reported"
    stored = Report.objects.get()
    assert (stored.reporter, stored.reason, stored.note) == (
        outsider,
        "spam",
        "Advertising a shop.",
    )
    assert stored.target == proposal
    assert stored.scope_id == str(proposal.consultation_id)


@pytest.mark.django_db
def test_a_contribution_is_hidden_when_its_reports_reach_the_threshold(consultation, proposal):
    reported_by(proposal, 2)
    assert state_of(proposal) == State.VISIBLE
    assert list(selectors.proposal_list(consultation=consultation)) == [proposal]

    reported_by(proposal, 1)

    assert state_of(proposal) == State.REPORTED
    assert list(selectors.proposal_list(consultation=consultation)) == []


@pytest.mark.django_db
def test_a_threshold_of_one_hides_at_the_first_report(consultation, proposal, outsider):
    consultation.report_threshold = 1
    consultation.save()

    report(outsider, proposal)

    assert state_of(proposal) == State.REPORTED


@pytest.mark.django_db
def test_comments_are_reported_like_proposals(consultation):
    comment = CommentFactory(consultation=consultation)

    reported_by(comment, 3)

    assert state_of(comment) == State.REPORTED
    assert (
        Report.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment), object_id=str(comment.pk)
        ).count()
        == 3
    )


@pytest.mark.django_db
def test_content_waiting_for_a_moderator_is_not_reported_again(proposal, outsider):
    reported_by(proposal, 3)

    with pytest.raises(ValidationError) as exc:
        report(outsider, proposal)

    assert code_of(exc) == "already_hidden"
    assert Report.objects.count() == 3


@pytest.mark.django_db
def test_an_over_long_report_note_is_refused(proposal, outsider):
    with pytest.raises(ValidationError):
        report(outsider, proposal, note="x" * 1001)

    assert not Report.objects.exists()


# Decisions


@pytest.mark.django_db
def test_hiding_needs_a_reason(proposal, officer):
    with pytest.raises(ValidationError) as exc:
        decide(officer, proposal, Do.HIDE, reason="   ")

    assert code_of(exc) == "reason_required"
    assert state_of(proposal) == State.VISIBLE
    assert not ModerationDecision.objects.exists()


@pytest.mark.django_db
def test_hiding_upholds_the_open_reports_and_tells_the_author(proposal, officer, participant):
    reported_by(proposal, 2)

    decide(officer, proposal, Do.HIDE, reason="  Advertising.  ")

    assert state_of(proposal) == State.HIDDEN
    assert set(Report.objects.values_list("outcome", flat=True)) == {Report.Outcome.UPHELD}
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    decision = ModerationDecision.objects.get()
    assert (decision.actor, decision.action, decision.reason, decision.subject) == (
        officer,
        Do.HIDE,
        "Advertising.",
        participant,
    )
    assert decision.target == proposal
    notice = Notification.objects.get(recipient=participant)
    assert notice.kind == "moderation_hide"
    assert notice.url == "/proposals/1/"


@pytest.mark.django_db
def test_a_decision_is_written_to_the_audit_log(proposal, officer):
    decide(officer, proposal, Do.HIDE)

    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=str(proposal.pk)
    )
    assert entry.actor == officer
    assert entry.before == {"moderation_state": State.VISIBLE}
    assert entry.after == {"moderation_state": State.HIDDEN}


@pytest.mark.django_db
def test_restoring_shows_reported_content_again_and_dismisses_the_reports(
    consultation, proposal, officer, participant
):
    reported_by(proposal, 3)

    decide(officer, proposal, Do.RESTORE, reason="")

    assert state_of(proposal) == State.VISIBLE
    assert list(selectors.proposal_list(consultation=consultation)) == [proposal]
    assert set(Report.objects.values_list("outcome", flat=True)) == {Report.Outcome.DISMISSED}
    assert Notification.objects.get(recipient=participant).kind == "moderation_restore"


@pytest.mark.django_db
def test_after_a_restore_only_new_reports_count_towards_the_threshold(proposal, officer):
    reported_by(proposal, 3)
    decide(officer, proposal, Do.RESTORE)

    reported_by(proposal, 2)
    assert state_of(proposal) == State.VISIBLE

    reported_by(proposal, 1)
    assert state_of(proposal) == State.REPORTED


@pytest.mark.django_db
def test_a_hidden_contribution_is_restored(proposal, officer):
    decide(officer, proposal, Do.HIDE)

    decide(officer, proposal, Do.RESTORE)

    assert state_of(proposal) == State.VISIBLE


@pytest.mark.django_db
def test_approving_publishes_a_held_contribution_and_tells_the_author(consultation, officer):
    author = UserFactory()
    held = ProposalFactory(consultation=consultation, author=author, moderation_state=State.PENDING)

    decide(officer, held, Do.APPROVE, reason="")

    assert state_of(held) == State.VISIBLE
    assert list(selectors.proposal_list(consultation=consultation)) == [held]
    assert ModerationDecision.objects.get().action == Do.APPROVE
    assert Notification.objects.get(recipient=author).kind == "moderation_approve"


@pytest.mark.django_db
def test_dismissing_reports_below_the_threshold_keeps_the_contribution_quietly(
    proposal, officer, participant
):
    reported_by(proposal, 2)

    decide(officer, proposal, Do.RESTORE, reason="")

    assert state_of(proposal) == State.VISIBLE
    assert set(Report.objects.values_list("outcome", flat=True)) == {Report.Outcome.DISMISSED}
    assert not Notification.objects.filter(recipient=participant).exists()


@pytest.mark.django_db
def test_a_visible_contribution_without_reports_has_nothing_to_restore(proposal, officer):
    with pytest.raises(ValidationError) as exc:
        decide(officer, proposal, Do.RESTORE)

    assert code_of(exc) == "already_decided"
    assert not ModerationDecision.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.VISIBLE, State.REPORTED, State.HIDDEN])
def test_only_held_contributions_are_approved(consultation, officer, state):
    target = ProposalFactory(consultation=consultation, moderation_state=state)

    with pytest.raises(ValidationError) as exc:
        decide(officer, target, Do.APPROVE)

    assert code_of(exc) == "already_decided"
    assert state_of(target) == state


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [(Do.HIDE, Do.HIDE), (Do.RESTORE, Do.RESTORE), (Do.APPROVE, Do.APPROVE)],
)
def test_a_contribution_already_dealt_with_is_not_decided_twice(
    consultation, officer, coordinator, first, second
):
    start = {Do.HIDE: State.REPORTED, Do.RESTORE: State.REPORTED, Do.APPROVE: State.PENDING}
    target = ProposalFactory(consultation=consultation, moderation_state=start[first])
    decide(officer, target, first)
    after_first = state_of(target)

    with pytest.raises(ValidationError) as exc:
        decide(coordinator, target, second)

    assert code_of(exc) == "already_decided"
    assert state_of(target) == after_first
    assert ModerationDecision.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_action_is_refused(proposal, officer):
    with pytest.raises(ValidationError) as exc:
        decide(officer, proposal, "delete")

    assert code_of(exc) == "action"
    assert state_of(proposal) == State.VISIBLE


@pytest.mark.django_db
def test_the_author_is_told_in_their_own_language(consultation, officer):
    author = UserFactory(languages=["fr"])
    target = ProposalFactory(consultation=consultation, author=author)
    with translation.override("fr"):
        expected = gettext("Your contribution was hidden")

    decide(officer, target, Do.HIDE)

    notice = Notification.objects.get(recipient=author, kind="moderation_hide")
    # The French catalog may not have this sentence yet: then the subject is the English one.
    assert notice.subject == expected


@pytest.mark.django_db
def test_a_coordinator_moderates_any_consultation(proposal, coordinator):
    decide(coordinator, proposal, Do.HIDE)

    assert state_of(proposal) == State.HIDDEN


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["participant", "outsider", "other_officer"])
def test_people_who_do_not_run_the_consultation_do_not_moderate(request, proposal, who):
    person = request.getfixturevalue(who)
    reported_by(proposal, 3)

    for action in (Do.HIDE, Do.RESTORE):
        with pytest.raises(PermissionDenied):
            decide(person, proposal, action)

    assert state_of(proposal) == State.REPORTED
    assert not ModerationDecision.objects.exists()
    assert not Report.objects.filter(resolved_at__isnull=False).exists()


# The moderators' queue


@pytest.mark.django_db
def test_the_queue_lists_what_waits_in_this_consultation_most_reported_first(
    authority, consultation, officer
):
    hidden_by_reports = ProposalFactory(consultation=consultation)
    reported_by(hidden_by_reports, 3)
    twice = ProposalFactory(consultation=consultation)
    reported_by(twice, 2)
    once = CommentFactory(consultation=consultation)
    reported_by(once, 1)
    held = CommentFactory(consultation=consultation, moderation_state=State.PENDING)
    ProposalFactory(consultation=consultation)  # nothing to do
    decided = ProposalFactory(consultation=consultation)
    reported_by(decided, 1)
    decide(officer, decided, Do.HIDE)
    elsewhere = ConsultationFactory(owner_organisation=authority)
    ProposalFactory(consultation=elsewhere, moderation_state=State.PENDING)
    reported_by(ProposalFactory(consultation=elsewhere), 3)

    queue = moderation.moderation_queue(consultation)

    assert [entry.target for entry in queue] == [hidden_by_reports, twice, once, held]
    assert [len(entry.reports) for entry in queue] == [3, 2, 1, 0]
    assert [entry.config.model for entry in queue] == [Proposal, Proposal, Comment, Comment]


@pytest.mark.django_db
def test_the_queue_of_a_quiet_consultation_is_empty(consultation):
    ProposalFactory(consultation=consultation)

    assert moderation.moderation_queue(consultation) == []


# Blocking people


def block(actor, consultation, user, reason: str = "Repeated insults.") -> Block:
    return moderation.user_block(
        actor=actor, scope=consultation, model=Proposal, user=user, reason=reason
    )


@pytest.mark.django_db
def test_a_moderator_blocks_a_person_who_is_told_why(consultation, officer, participant):
    lock = block(officer, consultation, participant, reason="  Repeated insults.  ")

    assert lock.reason == "Repeated insults."
    assert moderation.is_blocked(participant, consultation)
    assert list(moderation.blocks_active(consultation)) == [lock]
    assert Notification.objects.get(recipient=participant).kind == "moderation_block"
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.subject, decision.actor) == (Do.BLOCK, participant, officer)
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Block), object_id=str(lock.pk)
    ).exists()


@pytest.mark.django_db
def test_a_block_needs_a_reason(consultation, officer, participant):
    with pytest.raises(ValidationError) as exc:
        block(officer, consultation, participant, reason="  ")

    assert code_of(exc) == "reason_required"
    assert not Block.objects.exists()


@pytest.mark.django_db
def test_moderators_do_not_block_themselves(consultation, officer):
    with pytest.raises(ValidationError) as exc:
        block(officer, consultation, officer)

    assert code_of(exc) == "self"
    assert not Block.objects.exists()


@pytest.mark.django_db
def test_a_person_has_one_active_block_per_consultation(
    consultation, officer, coordinator, participant
):
    block(officer, consultation, participant)

    with pytest.raises(ValidationError) as exc:
        block(coordinator, consultation, participant)

    assert code_of(exc) == "already"
    assert Block.objects.count() == 1
    assert ModerationDecision.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["participant", "outsider", "other_officer"])
def test_people_who_do_not_run_the_consultation_do_not_block(request, consultation, who):
    person = request.getfixturevalue(who)
    target = UserFactory()

    with pytest.raises(PermissionDenied):
        block(person, consultation, target)

    assert not moderation.is_blocked(target, consultation)


@pytest.mark.django_db
def test_a_block_is_lifted_once_and_the_person_may_be_blocked_again(
    consultation, officer, participant
):
    lock = block(officer, consultation, participant)

    moderation.user_unblock(actor=officer, block=lock, model=Proposal)
    assert not moderation.is_blocked(participant, consultation)
    assert ModerationDecision.objects.filter(action=Do.UNBLOCK, subject=participant).exists()

    with pytest.raises(ValidationError) as exc:
        moderation.user_unblock(actor=officer, block=lock, model=Proposal)
    assert code_of(exc) == "already"
    assert ModerationDecision.objects.filter(action=Do.UNBLOCK).count() == 1

    block(officer, consultation, participant, reason="Insults again.")
    assert moderation.is_blocked(participant, consultation)


@pytest.mark.django_db
def test_only_moderators_lift_a_block(consultation, officer, participant, other_officer):
    lock = block(officer, consultation, participant)

    with pytest.raises(PermissionDenied):
        moderation.user_unblock(actor=participant, block=lock, model=Proposal)
    with pytest.raises(PermissionDenied):
        moderation.user_unblock(actor=other_officer, block=lock, model=Proposal)

    assert moderation.is_blocked(participant, consultation)
