"""Consultation services: phases, proposals, supports, comments and mentions, answers, and
citing a proposal as evidence for a council motion."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.consultations import selectors, services
from voices.consultations.models import (
    Action,
    Comment,
    Consultation,
    MotionCitation,
    Participant,
    Phase,
    Proposal,
    Support,
)
from voices.consultations.tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ProposalFactory,
    in_phase,
    move_to,
)
from voices.core.models import Attachment, AuditEntry, ModerationState, Notification
from voices.core.tests.test_uploads import PDF, png_bytes
from voices.core.translation import TranslatedText
from voices.councils.decision_models import Motion, MotionEvidence
from voices.councils.decision_services import motion_propose
from voices.councils.models import PolicyDomain
from voices.councils.tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
)
from voices.directory.tests.factories import (
    CountryFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    text,
)

DAY = datetime.timedelta(days=1)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 64


def code_of(exc_info) -> str | None:
    return exc_info.value.code


def propose(user, consultation: Consultation, **fields) -> Proposal:
    values = {
        "title": "Evening classes",
        "body": "More language classes after work.",
        "language": "en",
    }
    return services.proposal_create(user=user, consultation=consultation, **(values | fields))


def comment(user, consultation: Consultation, body: str = "I agree.", **fields) -> Comment:
    return services.comment_create(
        user=user, consultation=consultation, body=body, stance=Comment.Stance.IN_FAVOUR,
        language="en", **fields,
    )  # fmt: skip


def image(content: bytes, name: str = "picture.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def mentions_of(user) -> int:
    return Notification.objects.filter(recipient=user, kind="consultation_mention").count()


# Phases: what participants may do in each phase


ALL_PHASES = [
    Phase.UPCOMING,
    Phase.INFORMATION,
    Phase.CONTRIBUTIONS,
    Phase.DELIBERATION,
    Phase.ANSWERS,
    Phase.CLOSED,
]
# Written out here rather than read from PHASE_ACTIONS, so that a change to the table shows up.
ALLOWED = {
    Phase.CONTRIBUTIONS: {Action.PROPOSE, Action.COMMENT, Action.SUPPORT},
    Phase.DELIBERATION: {Action.COMMENT, Action.SUPPORT},
}


def take_part(action: str, *, user, consultation: Consultation, proposal: Proposal) -> None:
    if action == Action.PROPOSE:
        propose(user, consultation)
    elif action == Action.COMMENT:
        comment(user, consultation)
    else:
        services.support_add(user=user, proposal=proposal)


def stored(action: str, *, user) -> bool:
    if action == Action.PROPOSE:
        return Proposal.objects.filter(author=user).exists()
    if action == Action.COMMENT:
        return Comment.objects.filter(author=user).exists()
    return Support.objects.filter(participant__user=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("action", [Action.PROPOSE, Action.COMMENT, Action.SUPPORT])
@pytest.mark.parametrize("phase", ALL_PHASES)
def test_each_action_is_taken_only_in_the_phases_that_allow_it(
    authority, participant, phase, action
):
    consultation = ConsultationFactory(owner_organisation=authority, phase=phase)
    proposal = ProposalFactory(consultation=consultation)

    if action in ALLOWED.get(phase, set()):
        take_part(action, user=participant, consultation=consultation, proposal=proposal)
        assert stored(action, user=participant)
    else:
        with pytest.raises(ValidationError) as exc:
            take_part(action, user=participant, consultation=consultation, proposal=proposal)
        assert code_of(exc) == "phase"
        assert not stored(action, user=participant)
        assert not Participant.objects.filter(user=participant).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("action", [Action.PROPOSE, Action.COMMENT, Action.SUPPORT])
def test_an_unpublished_consultation_takes_no_contributions(authority, participant, action):
    consultation = ConsultationFactory(owner_organisation=authority, is_published=False)
    proposal = ProposalFactory(consultation=consultation)

    with pytest.raises(ValidationError) as exc:
        take_part(action, user=participant, consultation=consultation, proposal=proposal)

    assert code_of(exc) == "phase"
    assert not stored(action, user=participant)


START = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)


def dated() -> Consultation:
    """A consultation (not stored) whose phases start 10 days apart from START."""
    return Consultation(
        information_at=START,
        contributions_at=START + 10 * DAY,
        deliberation_at=START + 20 * DAY,
        answers_at=START + 30 * DAY,
        closes_at=START + 40 * DAY,
    )


@pytest.mark.parametrize(
    ("field", "before", "after"),
    [
        ("information_at", Phase.UPCOMING, Phase.INFORMATION),
        ("contributions_at", Phase.INFORMATION, Phase.CONTRIBUTIONS),
        ("deliberation_at", Phase.CONTRIBUTIONS, Phase.DELIBERATION),
        ("answers_at", Phase.DELIBERATION, Phase.ANSWERS),
        ("closes_at", Phase.ANSWERS, Phase.CLOSED),
    ],
)
def test_a_phase_starts_at_the_exact_instant_of_its_date(field, before, after):
    consultation = dated()
    boundary = getattr(consultation, field)

    assert consultation.phase_at(boundary - datetime.timedelta(microseconds=1)) == before
    assert consultation.phase_at(boundary) == after


def test_a_consultation_stays_closed_long_after_it_closes():
    assert dated().phase_at(START + 4000 * DAY) == Phase.CLOSED


def test_the_timeline_lists_each_phase_with_its_start_and_end():
    steps = dated().timeline()

    assert [(phase, start, end) for phase, _label, start, end in steps] == [
        (Phase.INFORMATION, START, START + 10 * DAY),
        (Phase.CONTRIBUTIONS, START + 10 * DAY, START + 20 * DAY),
        (Phase.DELIBERATION, START + 20 * DAY, START + 30 * DAY),
        (Phase.ANSWERS, START + 30 * DAY, START + 40 * DAY),
        (Phase.CLOSED, START + 40 * DAY, None),
    ]
    assert [str(label) for _phase, label, _start, _end in steps] == [
        "Information",
        "Contributions",
        "Deliberation",
        "Answers",
        "Closed",
    ]


# Consultation.clean and the database constraints


@pytest.mark.django_db
def test_a_well_formed_consultation_passes_its_checks(consultation):
    consultation.full_clean()


@pytest.mark.django_db
def test_phases_out_of_order_are_refused(consultation):
    consultation.deliberation_at = consultation.contributions_at - DAY

    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()

    assert "deliberation_at" in exc.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_phases_out_of_order(consultation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(
            closes_at=consultation.answers_at - DAY
        )


@pytest.mark.django_db
def test_a_region_of_another_country_is_refused(consultation):
    consultation.region = RegionFactory(country=CountryFactory(code="DE"))

    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()

    assert "region" in exc.value.message_dict


@pytest.mark.django_db
def test_a_region_of_the_consultation_country_is_accepted(consultation):
    consultation.region = RegionFactory(country=consultation.country)

    consultation.full_clean()


@pytest.mark.django_db
def test_a_municipality_of_another_region_is_refused(consultation):
    consultation.region = RegionFactory(country=consultation.country)
    consultation.municipality = MunicipalityFactory(
        region=RegionFactory(country=consultation.country)
    )

    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()

    assert "municipality" in exc.value.message_dict


@pytest.mark.django_db
def test_a_municipality_of_another_country_is_refused_even_without_a_region(consultation):
    consultation.municipality = MunicipalityFactory(
        region=RegionFactory(country=CountryFactory(code="DE"))
    )

    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()

    assert "municipality" in exc.value.message_dict


@pytest.mark.django_db
def test_an_age_range_upside_down_is_refused(consultation):
    consultation.min_age, consultation.max_age = 30, 20

    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()

    assert "max_age" in exc.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_an_age_range_upside_down(consultation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(min_age=30, max_age=20)


@pytest.mark.django_db
def test_a_consultation_of_council_members_must_name_the_council(consultation):
    consultation.eligibility = Consultation.Eligibility.COUNCIL_MEMBERS

    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()

    assert "eligible_council" in exc.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_a_consultation_of_council_members_without_a_council(consultation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(
            eligibility=Consultation.Eligibility.COUNCIL_MEMBERS
        )


# Setting up and publishing


def setup_fields() -> dict:
    return {
        "title": text("Night buses"),
        "question": text("Which lines should run after 22:00?"),
        "domain": PolicyDomain.objects.get(code="housing"),
        "country": CountryFactory(code="AT"),
        "languages": ["en", "de"],
        **in_phase(Phase.INFORMATION),
    }


@pytest.mark.django_db
def test_an_officer_sets_up_an_unpublished_consultation_for_their_authority(authority, officer):
    consultation = services.consultation_create(
        actor=officer, owner_organisation=authority, **setup_fields()
    )

    assert consultation.owner == authority
    assert consultation.created_by == officer
    assert not consultation.is_published
    assert consultation.components == ["proposals"]
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Consultation),
        object_id=str(consultation.pk),
        action=AuditEntry.Action.CREATE,
    ).exists()


@pytest.mark.django_db
def test_nobody_sets_up_a_consultation_for_an_authority_they_do_not_act_for(
    authority, officer, participant
):
    for actor, owner in ((officer, OrganisationFactory()), (participant, authority)):
        with pytest.raises(PermissionDenied):
            services.consultation_create(actor=actor, owner_organisation=owner, **setup_fields())

    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_a_published_consultation_is_not_published_twice(consultation, officer):
    with pytest.raises(ValidationError) as exc:
        services.consultation_publish(actor=officer, consultation=consultation)

    assert code_of(exc) == "published"


@pytest.mark.django_db
def test_a_consultation_goes_back_to_draft_only_while_nobody_took_part(
    authority, consultation, officer, participant
):
    quiet = ConsultationFactory(owner_organisation=authority)
    services.consultation_unpublish(actor=officer, consultation=quiet)
    quiet.refresh_from_db()
    assert not quiet.is_published

    propose(participant, consultation)
    with pytest.raises(ValidationError) as exc:
        services.consultation_unpublish(actor=officer, consultation=consultation)

    assert code_of(exc) == "has_participants"
    consultation.refresh_from_db()
    assert consultation.is_published


# Proposals


@pytest.mark.django_db
def test_a_proposal_is_published_at_once_without_premoderation(consultation, participant):
    proposal = propose(participant, consultation)

    assert proposal.moderation_state == ModerationState.VISIBLE
    assert proposal.author == participant
    assert proposal.participant.user == participant
    assert list(selectors.proposal_list(consultation=consultation)) == [proposal]


@pytest.mark.django_db
def test_with_premoderation_only_its_author_sees_a_new_proposal(
    consultation, participant, outsider
):
    consultation.premoderation = True
    consultation.save()

    proposal = propose(participant, consultation)

    assert proposal.moderation_state == ModerationState.PENDING
    assert list(selectors.proposal_list(consultation=consultation)) == []
    assert list(selectors.proposals_pending_for(consultation=consultation, user=participant)) == [
        proposal
    ]
    assert not selectors.proposals_pending_for(consultation=consultation, user=outsider).exists()
    assert selectors.proposal_get_for_user(proposal.pk, user=participant) == proposal
    with pytest.raises(Http404):
        selectors.proposal_get_for_user(proposal.pk, user=outsider)


@pytest.mark.django_db
def test_a_proposal_title_and_body_are_stored_without_surrounding_space(consultation, participant):
    proposal = propose(participant, consultation, title="  Night buses \n", body="\n  Please.  ")

    proposal.refresh_from_db()
    assert (proposal.title, proposal.body) == ("Night buses", "Please.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "length"),
    [("title", 151), ("body", 5001)],
)
def test_an_over_long_proposal_is_refused_and_nothing_is_stored(
    consultation, participant, field, length
):
    with pytest.raises(ValidationError) as exc:
        propose(participant, consultation, **{field: "x" * length})

    assert field in exc.value.message_dict
    assert not Proposal.objects.exists()
    assert not Participant.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "mime"),
    [(png_bytes(), "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")],
    ids=["png", "jpeg", "webp"],
)
def test_a_proposal_takes_a_png_jpeg_or_webp_image(consultation, participant, content, mime):
    proposal = propose(participant, consultation, image=image(content))

    proposal.refresh_from_db()
    assert proposal.image.mime_type == mime
    assert proposal.image.owner == proposal
    assert proposal.image.file.read() == content


@pytest.mark.django_db
def test_a_pdf_as_the_image_is_refused_and_no_proposal_is_left(consultation, participant):
    with pytest.raises(ValidationError) as exc:
        propose(participant, consultation, image=image(PDF, "picture.pdf"))

    assert code_of(exc) == "file_type"
    assert not Proposal.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_pdf_is_accepted_as_the_attachment(consultation, participant):
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")

    proposal = propose(participant, consultation, attachment=upload)

    proposal.refresh_from_db()
    assert proposal.attachment.mime_type == "application/pdf"
    assert proposal.image is None


@pytest.mark.django_db
def test_the_author_corrects_a_proposal_within_the_edit_window(consultation, participant):
    proposal = propose(participant, consultation)

    services.proposal_update(
        user=participant, proposal=proposal, title=" Night buses ", body="After 22:00."
    )

    proposal.refresh_from_db()
    assert (proposal.title, proposal.body) == ("Night buses", "After 22:00.")
    assert proposal.edited_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("minutes_ago", "editable"), [(14, True), (16, False)])
def test_a_proposal_can_be_corrected_only_for_the_consultation_edit_minutes(
    consultation, participant, minutes_ago, editable
):
    consultation.edit_minutes = 15
    consultation.save()
    proposal = propose(participant, consultation)
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    proposal.refresh_from_db()

    if editable:
        services.proposal_update(user=participant, proposal=proposal, title="New", body="New.")
        proposal.refresh_from_db()
        assert proposal.title == "New"
    else:
        with pytest.raises(ValidationError) as exc:
            services.proposal_update(user=participant, proposal=proposal, title="New", body="New.")
        assert code_of(exc) == "not_editable"
        proposal.refresh_from_db()
        assert proposal.title == "Evening classes"


@pytest.mark.django_db
def test_a_supported_proposal_can_no_longer_be_changed(consultation, participant, outsider):
    proposal = propose(participant, consultation)
    services.support_add(user=outsider, proposal=proposal)

    with pytest.raises(ValidationError) as exc:
        services.proposal_update(user=participant, proposal=proposal, title="New", body="New.")

    assert code_of(exc) == "not_editable"
    proposal.refresh_from_db()
    assert proposal.title == "Evening classes"


@pytest.mark.django_db
def test_nobody_else_may_change_a_proposal(consultation, participant, outsider, officer):
    proposal = propose(participant, consultation)

    for someone in (outsider, officer, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.proposal_update(user=someone, proposal=proposal, title="New", body="New.")

    proposal.refresh_from_db()
    assert proposal.title == "Evening classes"


@pytest.mark.django_db
def test_the_author_withdraws_a_proposal_and_takes_the_withdrawal_back(consultation, participant):
    proposal = propose(participant, consultation)

    services.proposal_withdraw(user=participant, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.is_withdrawn

    services.proposal_withdraw(user=participant, proposal=proposal, undo=True)
    proposal.refresh_from_db()
    assert not proposal.is_withdrawn


@pytest.mark.django_db
def test_a_proposal_is_withdrawn_only_once(consultation, participant):
    proposal = propose(participant, consultation)
    services.proposal_withdraw(user=participant, proposal=proposal)

    with pytest.raises(ValidationError) as exc:
        services.proposal_withdraw(user=participant, proposal=proposal)

    assert code_of(exc) == "withdrawn"


@pytest.mark.django_db
def test_a_withdrawal_cannot_be_taken_back_after_the_contributions_phase(consultation, participant):
    proposal = propose(participant, consultation)
    services.proposal_withdraw(user=participant, proposal=proposal)
    move_to(consultation, Phase.DELIBERATION)

    with pytest.raises(ValidationError) as exc:
        services.proposal_withdraw(user=participant, proposal=proposal, undo=True)

    assert code_of(exc) == "phase"
    proposal.refresh_from_db()
    assert proposal.is_withdrawn


@pytest.mark.django_db
def test_only_the_author_withdraws_a_proposal(consultation, participant, outsider):
    proposal = propose(participant, consultation)

    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(user=outsider, proposal=proposal)

    proposal.refresh_from_db()
    assert not proposal.is_withdrawn


@pytest.mark.django_db
def test_an_anonymous_proposal_is_labelled_unverified(consultation):
    consultation.allows_anonymous = True
    consultation.save()

    proposal = propose(AnonymousUser(), consultation, anon_key="abc")

    assert proposal.is_anonymous
    assert proposal.author is None
    assert proposal.participant.anon_key == "abc"
    assert "unverified" in proposal.author_label()


# Supports


@pytest.mark.django_db
def test_a_person_supports_a_proposal_only_once(consultation, participant):
    proposal = ProposalFactory(consultation=consultation)
    services.support_add(user=participant, proposal=proposal)

    with pytest.raises(ValidationError) as exc:
        services.support_add(user=participant, proposal=proposal)

    assert code_of(exc) == "already_supported"
    proposal.refresh_from_db()
    assert proposal.supports_count == 1
    assert Support.objects.filter(proposal=proposal).count() == 1


@pytest.mark.django_db
def test_taking_a_support_back_lowers_the_count(consultation, participant, outsider):
    proposal = ProposalFactory(consultation=consultation)
    services.support_add(user=participant, proposal=proposal)
    services.support_add(user=outsider, proposal=proposal)

    services.support_remove(user=participant, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.supports_count == 1
    assert list(Support.objects.values_list("participant__user", flat=True)) == [outsider.pk]


@pytest.mark.django_db
def test_a_support_that_was_not_given_cannot_be_taken_back(consultation, participant):
    proposal = ProposalFactory(consultation=consultation)

    with pytest.raises(ValidationError) as exc:
        services.support_remove(user=participant, proposal=proposal)

    assert code_of(exc) == "not_supported"
    proposal.refresh_from_db()
    assert proposal.supports_count == 0


@pytest.mark.django_db
def test_a_person_gives_no_more_supports_than_the_consultation_allows(consultation, participant):
    consultation.supports_per_person = 2
    consultation.save()
    first, second, third = ProposalFactory.create_batch(3, consultation=consultation)
    services.support_add(user=participant, proposal=first)
    services.support_add(user=participant, proposal=second)

    with pytest.raises(ValidationError) as exc:
        services.support_add(user=participant, proposal=third)

    assert code_of(exc) == "support_limit"
    third.refresh_from_db()
    assert third.supports_count == 0

    services.support_remove(user=participant, proposal=first)
    services.support_add(user=participant, proposal=third)

    third.refresh_from_db()
    assert third.supports_count == 1
    assert Support.objects.filter(participant__user=participant).count() == 2


@pytest.mark.django_db
def test_a_proposal_is_marked_once_it_reaches_the_support_threshold(consultation):
    consultation.support_threshold = 2
    consultation.save()
    proposal = ProposalFactory(consultation=consultation)
    first, second = UserFactory.create_batch(2)

    services.support_add(user=first, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.reached_at is None

    services.support_add(user=second, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.reached_at is not None

    services.support_remove(user=second, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.reached_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"withdrawn_at": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)}, "not_supportable"),
        ({"moderation_state": ModerationState.HIDDEN}, "not_supportable"),
        ({"moderation_state": ModerationState.REPORTED}, "not_supportable"),
        ({"moderation_state": ModerationState.PENDING}, "not_supportable"),
        ({"answer": Proposal.Answer.ACCEPTED}, "answered"),
    ],
    ids=["withdrawn", "hidden", "reported", "pending", "answered"],
)
def test_withdrawn_answered_or_hidden_proposals_are_not_supported(
    consultation, participant, fields, code
):
    proposal = ProposalFactory(consultation=consultation, **fields)

    with pytest.raises(ValidationError) as exc:
        services.support_add(user=participant, proposal=proposal)

    assert code_of(exc) == code
    assert not Support.objects.exists()
    proposal.refresh_from_db()
    assert proposal.supports_count == 0


@pytest.mark.django_db
def test_people_without_an_account_support_once_per_browser(consultation):
    consultation.allows_anonymous = True
    consultation.save()
    proposal = ProposalFactory(consultation=consultation)

    services.support_add(user=AnonymousUser(), anon_key="browser-a", proposal=proposal)
    services.support_add(user=AnonymousUser(), anon_key="browser-b", proposal=proposal)
    with pytest.raises(ValidationError) as exc:
        services.support_add(user=AnonymousUser(), anon_key="browser-a", proposal=proposal)

    assert code_of(exc) == "already_supported"
    proposal.refresh_from_db()
    # Supports without an account are counted apart, as unverified.
    assert proposal.unverified_supports_count == 2
    assert proposal.supports_count == 0
    assert sorted(Support.objects.values_list("participant__anon_key", flat=True)) == [
        "browser-a",
        "browser-b",
    ]


# Comments


@pytest.mark.django_db
def test_a_comment_is_written_on_the_consultation_itself(consultation, participant):
    written = comment(participant, consultation, body="  Good question.  ")

    assert written.proposal is None
    assert written.body == "Good question."
    assert (written.thread, written.parent, written.depth) == (None, None, 0)
    assert list(
        selectors.comment_threads(consultation=consultation, proposal=None, user=participant)
    ) == [written]


@pytest.mark.django_db
def test_a_comment_is_written_on_a_proposal(consultation, participant):
    proposal = ProposalFactory(consultation=consultation)

    written = comment(participant, consultation, proposal=proposal)

    assert written.proposal == proposal
    assert (
        list(selectors.comment_threads(consultation=consultation, proposal=None, user=participant))
        == []
    )


@pytest.mark.django_db
def test_replies_belong_to_the_thread_and_stop_nesting_at_the_deepest_level(
    consultation, participant
):
    proposal = ProposalFactory(consultation=consultation)
    root = comment(participant, consultation, proposal=proposal)

    chain = [root]
    for _level in range(Comment.MAX_DEPTH + 2):
        chain.append(comment(participant, consultation, proposal=proposal, parent=chain[-1]))

    assert [c.depth for c in chain] == [0, 1, 2, 3, 4, 4, 4]
    assert Comment.MAX_DEPTH == 4
    assert all(c.thread == root for c in chain[1:])
    # A reply to the deepest level joins that level: it answers the same comment its parent did.
    assert chain[5].parent == chain[3]
    assert chain[6].parent == chain[3]


@pytest.mark.django_db
def test_a_reply_to_a_comment_on_another_proposal_is_refused(consultation, participant):
    here, there = ProposalFactory.create_batch(2, consultation=consultation)
    elsewhere = comment(participant, consultation, proposal=there)

    with pytest.raises(ValidationError) as exc:
        comment(participant, consultation, proposal=here, parent=elsewhere)

    assert code_of(exc) == "parent"
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_a_reply_to_a_comment_of_another_consultation_is_refused(
    authority, consultation, participant
):
    other = ConsultationFactory(owner_organisation=authority)
    elsewhere = CommentFactory(consultation=other)

    with pytest.raises(ValidationError) as exc:
        comment(participant, consultation, parent=elsewhere)

    assert code_of(exc) == "parent"


@pytest.mark.django_db
def test_a_removed_comment_takes_no_replies(consultation, participant, outsider):
    first = services.comment_remove(user=participant, comment=comment(participant, consultation))

    with pytest.raises(ValidationError) as exc:
        comment(outsider, consultation, parent=first)

    assert code_of(exc) == "parent"
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_a_hidden_proposal_takes_no_comments(consultation, participant):
    hidden = ProposalFactory(consultation=consultation, moderation_state=ModerationState.HIDDEN)

    with pytest.raises(ValidationError) as exc:
        comment(participant, consultation, proposal=hidden)

    assert code_of(exc) == "proposal"
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_mention_notifies_someone_who_took_part_in_the_consultation(
    consultation, participant, outsider
):
    comment(participant, consultation, body="Buses first.")

    written = comment(outsider, consultation, body="@Amal, I agree with you.")

    notice = Notification.objects.get(recipient=participant, kind="consultation_mention")
    assert notice.url == written.get_absolute_url()
    assert mentions_of(outsider) == 0


@pytest.mark.django_db
def test_a_mention_of_someone_who_did_not_take_part_here_notifies_nobody(
    authority, consultation, participant, outsider
):
    other = ConsultationFactory(owner_organisation=authority)
    comment(participant, other, body="Elsewhere.")

    comment(outsider, consultation, body="What does @Amal think?")

    assert mentions_of(participant) == 0


@pytest.mark.django_db
def test_a_name_with_spaces_is_mentioned_with_underscores(consultation, outsider):
    amal_k = UserFactory(display_name="Amal K")
    comment(amal_k, consultation, body="Buses first.")

    comment(outsider, consultation, body="Thanks @Amal_K.")

    assert mentions_of(amal_k) == 1


@pytest.mark.django_db
def test_a_name_two_participants_share_notifies_nobody(consultation, participant, outsider):
    namesake = UserFactory(display_name="Amal")
    comment(participant, consultation, body="Buses first.")
    comment(namesake, consultation, body="Trams first.")

    comment(outsider, consultation, body="@Amal which one?")

    assert mentions_of(participant) == 0
    assert mentions_of(namesake) == 0


@pytest.mark.django_db
def test_authors_do_not_notify_themselves(consultation, participant):
    comment(participant, consultation, body="Buses first.")

    comment(participant, consultation, body="As @Amal said before: buses.")

    assert mentions_of(participant) == 0


@pytest.mark.django_db
def test_a_comment_mentions_at_most_five_people(consultation, outsider):
    names = ["Ana", "Bea", "Cem", "Dan", "Eli", "Fay"]
    people = [UserFactory(display_name=name) for name in names]
    for person in people:
        comment(person, consultation, body="Here.")

    comment(outsider, consultation, body=" ".join(f"@{name}" for name in names))

    assert [mentions_of(person) for person in people] == [1, 1, 1, 1, 1, 0]


@pytest.mark.django_db
def test_an_over_long_comment_is_refused_and_nothing_is_stored(consultation, participant):
    with pytest.raises(ValidationError) as exc:
        comment(participant, consultation, body="x" * 2001)

    assert "body" in exc.value.message_dict
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_only_the_author_removes_a_comment(consultation, participant, outsider):
    written = comment(participant, consultation)

    with pytest.raises(PermissionDenied):
        services.comment_remove(user=outsider, comment=written)
    written.refresh_from_db()
    assert written.removed_at is None

    services.comment_remove(user=participant, comment=written)
    written.refresh_from_db()
    assert written.removed_at is not None

    with pytest.raises(ValidationError) as exc:
        services.comment_remove(user=participant, comment=written)
    assert code_of(exc) == "removed"


# Answers


@pytest.fixture
def answerable(consultation, participant, outsider):
    """A proposal by the participant, supported by the outsider, now in the answers phase."""
    proposal = propose(participant, consultation)
    services.support_add(user=outsider, proposal=proposal)
    move_to(consultation, Phase.ANSWERS)
    return proposal


def answer(actor, proposal: Proposal, value: str = Proposal.Answer.ACCEPTED, **fields) -> Proposal:
    fields.setdefault("text", text("The city will add two classes."))
    return services.proposal_answer(actor=actor, proposal=proposal, answer=value, **fields)


@pytest.mark.django_db
def test_an_officer_of_the_owner_answers_a_proposal(officer, answerable):
    answer(officer, answerable, Proposal.Answer.NOT_ACCEPTED, text=text("No budget this year."))

    answerable.refresh_from_db()
    assert answerable.answer == Proposal.Answer.NOT_ACCEPTED
    assert str(answerable.answer_text) == "No budget this year."
    assert answerable.answered_by == officer
    assert answerable.answered_at is not None


@pytest.mark.django_db
def test_a_coordinator_answers_a_proposal(coordinator, answerable):
    answer(coordinator, answerable)

    answerable.refresh_from_db()
    assert answerable.answer == Proposal.Answer.ACCEPTED


@pytest.mark.django_db
def test_people_who_do_not_run_the_consultation_cannot_answer(participant, outsider, answerable):
    other_officer = UserFactory()
    grant(other_officer, Role.OFFICER, OrganisationFactory())

    for someone in (participant, outsider, other_officer, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            answer(someone, answerable)

    answerable.refresh_from_db()
    assert answerable.answer == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phase", "allowed"),
    [
        (Phase.CONTRIBUTIONS, False),
        (Phase.DELIBERATION, False),
        (Phase.ANSWERS, True),
        (Phase.CLOSED, True),
    ],
)
def test_proposals_are_answered_from_the_answers_phase_on(
    consultation, officer, participant, phase, allowed
):
    proposal = ProposalFactory(consultation=consultation, author=participant)
    move_to(consultation, phase)

    if allowed:
        answer(officer, proposal)
        proposal.refresh_from_db()
        assert proposal.answer == Proposal.Answer.ACCEPTED
    else:
        with pytest.raises(ValidationError) as exc:
            answer(officer, proposal)
        assert code_of(exc) == "phase"
        proposal.refresh_from_db()
        assert proposal.answer == ""


@pytest.mark.django_db
@pytest.mark.parametrize("value", [Proposal.Answer.NOT_ACCEPTED, Proposal.Answer.MERGED])
def test_not_accepting_or_merging_needs_reasons(consultation, officer, answerable, value):
    target = ProposalFactory(consultation=consultation)

    with pytest.raises(ValidationError) as exc:
        answer(officer, answerable, value, text=TranslatedText({"en": "   "}), merged_into=target)

    assert code_of(exc) == "reasons_required"
    answerable.refresh_from_db()
    assert answerable.answer == ""


@pytest.mark.django_db
def test_accepting_needs_no_reasons(officer, answerable):
    answer(officer, answerable, Proposal.Answer.ACCEPTED, text=TranslatedText())

    answerable.refresh_from_db()
    assert answerable.answer == Proposal.Answer.ACCEPTED


@pytest.mark.django_db
def test_a_proposal_is_merged_into_another_of_the_same_consultation(
    consultation, officer, answerable
):
    target = ProposalFactory(consultation=consultation)

    answer(officer, answerable, Proposal.Answer.MERGED, merged_into=target)

    answerable.refresh_from_db()
    assert answerable.merged_into == target
    assert list(target.merged_from.all()) == [answerable]


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["none", "itself", "other_consultation", "already_merged"])
def test_a_proposal_is_merged_only_into_another_open_proposal_of_the_consultation(
    authority, consultation, officer, answerable, target
):
    if target == "none":
        into = None
    elif target == "itself":
        into = answerable
    elif target == "other_consultation":
        into = ProposalFactory(consultation=ConsultationFactory(owner_organisation=authority))
    else:
        final = ProposalFactory(consultation=consultation)
        into = ProposalFactory(
            consultation=consultation,
            answer=Proposal.Answer.MERGED,
            answer_text=text("Same idea."),
            merged_into=final,
        )

    with pytest.raises(ValidationError) as exc:
        answer(officer, answerable, Proposal.Answer.MERGED, merged_into=into)

    assert code_of(exc) == "merged_into"
    answerable.refresh_from_db()
    assert (answerable.answer, answerable.merged_into) == ("", None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"moderation_state": ModerationState.HIDDEN},
        {"withdrawn_at": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["hidden", "withdrawn"],
)
def test_a_proposal_is_not_merged_into_a_hidden_or_withdrawn_one(
    consultation, officer, answerable, fields
):
    into = ProposalFactory(consultation=consultation, **fields)

    with pytest.raises(ValidationError) as exc:
        answer(officer, answerable, Proposal.Answer.MERGED, merged_into=into)

    assert code_of(exc) == "merged_into"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"moderation_state": ModerationState.HIDDEN},
        {"moderation_state": ModerationState.PENDING},
        {"withdrawn_at": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["hidden", "pending", "withdrawn"],
)
def test_only_published_proposals_are_answered(consultation, officer, fields):
    proposal = ProposalFactory(consultation=consultation, **fields)
    move_to(consultation, Phase.ANSWERS)

    with pytest.raises(ValidationError) as exc:
        answer(officer, proposal)

    assert code_of(exc) == "not_answerable"
    proposal.refresh_from_db()
    assert proposal.answer == ""


@pytest.mark.django_db
def test_another_answer_than_merged_forgets_a_merge_target(consultation, officer, answerable):
    target = ProposalFactory(consultation=consultation)

    answer(officer, answerable, Proposal.Answer.ACCEPTED, merged_into=target)

    answerable.refresh_from_db()
    assert answerable.merged_into is None


@pytest.mark.django_db
def test_the_author_and_supporters_are_told_of_the_answer_after_commit(
    consultation, officer, participant, outsider, django_capture_on_commit_callbacks
):
    consultation.allows_anonymous = True
    consultation.save()
    proposal = propose(participant, consultation)
    services.support_add(user=outsider, proposal=proposal)
    services.support_add(user=officer, proposal=proposal)
    services.support_add(user=AnonymousUser(), anon_key="browser", proposal=proposal)
    move_to(consultation, Phase.ANSWERS)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer(officer, proposal)
    assert not Notification.objects.filter(kind="consultation_answer").exists()

    for callback in callbacks:
        callback()

    told = Notification.objects.filter(kind="consultation_answer")
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "outsider",
        "participant",
    ]
    assert {n.url for n in told} == {proposal.get_absolute_url()}


@pytest.mark.django_db
def test_an_answer_is_recorded_in_the_audit_log(officer, answerable):
    answer(officer, answerable)

    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=str(answerable.pk)
    )
    assert entry.actor == officer
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.after["answer"] == Proposal.Answer.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phase", "allowed"),
    [(Phase.DELIBERATION, False), (Phase.ANSWERS, True), (Phase.CLOSED, True)],
)
def test_the_closing_statement_is_written_from_the_answers_phase_on(
    consultation, officer, phase, allowed
):
    move_to(consultation, phase)
    statement = text("You said buses; the city adds two night lines.")

    if allowed:
        services.closing_statement_save(
            actor=officer, consultation=consultation, statement=statement
        )
        consultation.refresh_from_db()
        assert consultation.closing_statement == statement
    else:
        with pytest.raises(ValidationError) as exc:
            services.closing_statement_save(
                actor=officer, consultation=consultation, statement=statement
            )
        assert code_of(exc) == "phase"
        consultation.refresh_from_db()
        assert not consultation.closing_statement


@pytest.mark.django_db
def test_the_closing_statement_is_saved_after_the_creator_left(consultation, officer):
    consultation.created_by = UserFactory()
    move_to(consultation, Phase.ANSWERS)
    consultation.created_by.delete()
    consultation.refresh_from_db()
    assert consultation.created_by is None

    services.closing_statement_save(
        actor=officer, consultation=consultation, statement=text("We decided.")
    )

    consultation.refresh_from_db()
    assert str(consultation.closing_statement) == "We decided."


@pytest.mark.django_db
def test_only_the_owner_writes_the_closing_statement(consultation, participant):
    move_to(consultation, Phase.ANSWERS)

    with pytest.raises(PermissionDenied):
        services.closing_statement_save(
            actor=participant, consultation=consultation, statement=text("We decided.")
        )


# Citing a proposal as evidence for a council motion


URL = "https://voices.example.org/consultations/proposals/1/"


@pytest.fixture
def motion(participant):
    """A motion the participant, a current member of the council, put on the next meeting."""
    council = CouncilFactory()
    MembershipFactory(council=council, user=participant)
    item = AgendaItemFactory(meeting=MeetingFactory(council=council), kind="decision")
    return motion_propose(
        actor=participant, agenda_item=item, title="Night buses", text="The council asks.",
        reasons="Late shifts.", language="en",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_council_member_cites_a_proposal_as_evidence_for_a_motion(
    consultation, participant, motion
):
    proposal = ProposalFactory(consultation=consultation, title="More night buses")

    citation = services.proposal_cite(actor=participant, proposal=proposal, motion=motion, url=URL)

    assert (citation.proposal, citation.motion, citation.cited_by) == (
        proposal,
        motion,
        participant,
    )
    evidence = MotionEvidence.objects.get(motion=motion)
    assert evidence.url == URL
    assert "More night buses" in evidence.label


@pytest.mark.django_db
def test_someone_who_may_not_propose_motions_cannot_cite(consultation, outsider, motion):
    proposal = ProposalFactory(consultation=consultation)

    with pytest.raises(PermissionDenied):
        services.proposal_cite(actor=outsider, proposal=proposal, motion=motion, url=URL)

    assert not MotionCitation.objects.exists()
    assert not MotionEvidence.objects.exists()


@pytest.mark.django_db
def test_a_proposal_is_cited_once_per_motion(consultation, participant, motion):
    proposal = ProposalFactory(consultation=consultation)
    services.proposal_cite(actor=participant, proposal=proposal, motion=motion, url=URL)

    with pytest.raises(ValidationError) as exc:
        services.proposal_cite(actor=participant, proposal=proposal, motion=motion, url=URL)

    assert code_of(exc) == "already_cited"
    assert MotionCitation.objects.count() == 1
    assert MotionEvidence.objects.count() == 1


@pytest.mark.django_db
def test_a_decided_motion_takes_no_more_evidence(consultation, participant, motion):
    Motion.objects.filter(pk=motion.pk).update(status=Motion.Status.ADOPTED)
    proposal = ProposalFactory(consultation=consultation)

    with pytest.raises(ValidationError) as exc:
        services.proposal_cite(actor=participant, proposal=proposal, motion=motion, url=URL)

    assert code_of(exc) == "decided"
    assert not MotionCitation.objects.exists()
    assert not MotionEvidence.objects.exists()


@pytest.mark.django_db
def test_a_hidden_proposal_cannot_be_cited(consultation, participant, motion):
    proposal = ProposalFactory(consultation=consultation, moderation_state=ModerationState.HIDDEN)

    with pytest.raises(ValidationError) as exc:
        services.proposal_cite(actor=participant, proposal=proposal, motion=motion, url=URL)

    assert code_of(exc) == "not_public"
    assert not MotionEvidence.objects.exists()
