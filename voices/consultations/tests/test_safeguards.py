"""Safeguards found in review: what an anonymous browser, an edit or a moderator's decision may
not get around."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from voices.accounts.tests.factories import UserFactory
from voices.consultations import selectors, services
from voices.consultations.models import Comment, Consultation
from voices.consultations.tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ProposalFactory,
)
from voices.core import moderation
from voices.core.models import ModerationState, Notification


def code_of(exc_info) -> str | None:
    return exc_info.value.error_list[0].code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rule",
    [
        {"eligibility": Consultation.Eligibility.RESIDENTS},
        {"min_age": 19},
        {"max_age": 26},
    ],
)
def test_people_without_an_account_cannot_take_part_where_a_rule_must_be_checked(
    consultation, rule
):
    for field, value in rule.items():
        setattr(consultation, field, value)
    consultation.allows_anonymous = True

    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()
    assert "allows_anonymous" in exc.value.message_dict

    # Even a row stored some other way refuses them.
    Consultation.objects.filter(pk=consultation.pk).update(allows_anonymous=True, **rule)
    consultation.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(
            user=AnonymousUser(), anon_key="k", consultation=consultation, title="Buses",
            body="More.", language="en",
        )  # fmt: skip
    assert code_of(exc) == "not_eligible"


@pytest.mark.django_db
def test_an_edit_under_pre_moderation_waits_for_a_moderator_again(consultation, participant):
    consultation.premoderation = True
    consultation.save()
    proposal = services.proposal_create(
        user=participant, consultation=consultation, title="Buses", body="More.", language="en"
    )
    proposal.moderation_state = ModerationState.VISIBLE
    proposal.save()

    services.proposal_update(user=participant, proposal=proposal, title="Buses", body="Insult.")

    proposal.refresh_from_db()
    assert proposal.moderation_state == ModerationState.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ModerationState.REPORTED, ModerationState.HIDDEN])
def test_reported_or_hidden_text_cannot_be_edited(consultation, participant, state):
    proposal = ProposalFactory(consultation=consultation, author=participant, title="Buses")
    proposal.moderation_state = state
    proposal.save()

    with pytest.raises(ValidationError) as exc:
        services.proposal_update(user=participant, proposal=proposal, title="Other", body="x")

    assert code_of(exc) == "not_editable"
    proposal.refresh_from_db()
    assert proposal.title == "Buses"


@pytest.mark.django_db
def test_a_blocked_author_cannot_edit(consultation, participant, officer):
    proposal = services.proposal_create(
        user=participant, consultation=consultation, title="Buses", body="More.", language="en"
    )
    moderation.user_block(
        actor=officer, scope=consultation, model=type(proposal), user=participant, reason="Spam."
    )

    with pytest.raises(ValidationError) as exc:
        services.proposal_update(user=participant, proposal=proposal, title="Ads", body="Buy.")

    assert code_of(exc) == "not_eligible"


@pytest.mark.django_db
def test_supports_on_a_hidden_proposal_do_not_use_up_the_limit(consultation, participant):
    consultation.supports_per_person = 1
    consultation.save()
    first, second = ProposalFactory.create_batch(2, consultation=consultation)
    services.support_add(user=participant, proposal=first)
    first.moderation_state = ModerationState.HIDDEN
    first.save()

    services.support_add(user=participant, proposal=second)

    second.refresh_from_db()
    assert second.supports_count == 1


@pytest.mark.django_db
def test_supports_without_an_account_never_reach_the_threshold(consultation):
    consultation.allows_anonymous = True
    consultation.support_threshold = 1
    consultation.save()
    proposal = ProposalFactory(consultation=consultation)

    services.support_add(user=AnonymousUser(), anon_key="a", proposal=proposal)

    proposal.refresh_from_db()
    assert (proposal.supports_count, proposal.unverified_supports_count) == (0, 1)
    assert proposal.reached_at is None


@pytest.mark.django_db
def test_changing_the_threshold_marks_the_proposals_again(consultation, officer):
    proposal = ProposalFactory(consultation=consultation, supports_count=5)

    services.consultation_update(actor=officer, consultation=consultation, support_threshold=5)
    proposal.refresh_from_db()
    assert proposal.reached_at is not None

    services.consultation_update(actor=officer, consultation=consultation, support_threshold=6)
    proposal.refresh_from_db()
    assert proposal.reached_at is None


@pytest.mark.django_db
def test_an_approved_comment_tells_the_people_it_mentions(consultation, participant, officer):
    consultation.premoderation = True
    consultation.save()
    services.proposal_create(
        user=participant, consultation=consultation, title="Buses", body="x", language="en"
    )
    writer = UserFactory(display_name="Writer")
    held = services.comment_create(
        user=writer, consultation=consultation, body="@Amal yes", stance="for", language="en"
    )
    assert not Notification.objects.filter(recipient=participant).exists()

    moderation.moderation_decide(actor=officer, target=held, action="approve")

    assert Notification.objects.filter(recipient=participant, kind="consultation_mention").count()


@pytest.mark.django_db
def test_a_removed_comment_cannot_be_read_through_the_report_page(client, consultation, outsider):
    comment = CommentFactory(consultation=consultation, body="My phone is 0123")
    services.comment_remove(user=comment.author, comment=comment)
    client.force_login(outsider)

    response = client.get(reverse("consultations:report", args=["comment", comment.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_export_and_the_figures_leave_out_comments_under_a_hidden_proposal(consultation):
    hidden = ProposalFactory(consultation=consultation, moderation_state=ModerationState.HIDDEN)
    CommentFactory(consultation=consultation, proposal=hidden, body="Under a hidden one")
    CommentFactory(consultation=consultation, proposal=None, body="On the consultation")

    assert [c.body for c in selectors.export_comments(consultation)] == ["On the consultation"]
    assert selectors.results_for(consultation).comments == 1


@pytest.mark.django_db
def test_one_browser_has_a_different_key_in_each_consultation(client):
    first = ConsultationFactory(allows_anonymous=True)
    second = ConsultationFactory(allows_anonymous=True)
    for consultation in (first, second):
        proposal = ProposalFactory(consultation=consultation)
        client.post(reverse("consultations:proposal_support", args=[proposal.pk]))

    keys = {p.anon_key for p in first.participants.all()} | {
        p.anon_key for p in second.participants.all()
    }
    assert len(keys) == 2 and "" not in keys


@pytest.mark.django_db
def test_the_queue_of_a_consultation_ignores_kinds_scoped_to_something_else(consultation):
    from dataclasses import replace

    from voices.consultations.models import Participant

    config = moderation.config_for(Comment)
    other = replace(config, model=Participant)  # a model whose "consultation" is the scope...
    moderation.register(replace(other, scope_field="user"))  # ...but registered on another one
    try:
        assert moderation.moderation_queue(consultation) == []
    finally:
        moderation._registry.pop(Participant._meta.label_lower)


@pytest.mark.django_db
def test_deleting_a_consultation_with_merged_proposals_works(consultation, officer):
    kept, merged = ProposalFactory.create_batch(2, consultation=consultation)
    consultation.answers_at = consultation.contributions_at
    consultation.deliberation_at = consultation.contributions_at
    consultation.save()
    from voices.core.translation import TranslatedText

    services.proposal_answer(
        actor=officer, proposal=merged, answer="merged", merged_into=kept,
        text=TranslatedText({"en": "Same idea."}, original="en"),
    )  # fmt: skip

    consultation.delete()

    assert not Consultation.objects.filter(pk=consultation.pk).exists()


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("/en/proposals/5/", True),
        ("https://example.org/report.pdf", True),
        ("//evil.example/x", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("ftp://example.org/x", False),
    ],
)
def test_motion_evidence_is_a_web_address_or_a_path_on_this_site(link, ok):
    from voices.councils.decision_models import evidence_link

    if ok:
        evidence_link(link)
    else:
        with pytest.raises(ValidationError):
            evidence_link(link)
