"""The demo consultations: every programme country, several phases, consistent counts."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from voices.accounts.models import User
from voices.consultations.models import (
    Comment,
    Consultation,
    Participant,
    Phase,
    Proposal,
    Support,
)
from voices.core.models import ModerationDecision, ModerationState, Report
from voices.directory.models import Country


def seed_demo() -> None:
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())


def row_counts() -> dict[str, int]:
    models = (Consultation, Proposal, Comment, Support, Participant, Report, ModerationDecision)
    return {model.__name__: model.objects.count() for model in (*models, User)}


@pytest.mark.django_db
def test_the_demo_has_a_consultation_in_every_programme_country_in_several_phases():
    seed_demo()

    now = timezone.now()
    consultations = list(Consultation.objects.select_related("country"))
    programme = set(Country.objects.filter(is_programme=True).values_list("code", flat=True))
    assert len(consultations) >= 7
    assert {c.country.code.code for c in consultations} == {str(code) for code in programme}
    assert {"AT", "BG", "FR", "GR", "HU", "IT", "RO"} <= {str(code) for code in programme}
    assert len({c.phase_at(now) for c in consultations}) >= 4
    assert all(c.is_published and c.title.get("en") for c in consultations)
    answering = [c for c in consultations if c.phase_at(now) in (Phase.ANSWERS, Phase.CLOSED)]
    assert answering
    for consultation in answering:
        visible = consultation.proposals.filter(moderation_state=ModerationState.VISIBLE)
        assert visible.exists()
        assert not visible.filter(answer="").exists(), consultation
        assert not visible.filter(answer_text={}).exists(), consultation


@pytest.mark.django_db
def test_the_demo_counts_match_the_rows_behind_them():
    seed_demo()

    proposals = Proposal.objects.annotate(
        verified=Count("supports", filter=Q(supports__participant__anon_key="")),
        unverified=Count("supports", filter=~Q(supports__participant__anon_key="")),
    )
    assert proposals.exists()
    assert not proposals.exclude(supports_count=F("verified")).exists()
    assert not proposals.exclude(unverified_supports_count=F("unverified")).exists()
    for proposal in Proposal.objects.select_related("consultation"):
        threshold = proposal.consultation.support_threshold
        reached = threshold is not None and proposal.supports_count >= threshold
        assert (proposal.reached_at is not None) == reached, proposal
    assert Proposal.objects.filter(reached_at__isnull=False).exists()
    # Everyone who wrote or supported something took part through a participant row.
    for row in (*Proposal.objects.all(), *Comment.objects.all()):
        assert row.participant is not None
        assert row.participant.consultation_id == row.consultation_id
        assert row.participant.user_id == row.author_id
    assert not Support.objects.exclude(participant__consultation=F("consultation")).exists()
    limited = Consultation.objects.filter(supports_per_person__isnull=False)
    for consultation in limited:
        used = Support.objects.filter(consultation=consultation).values("participant")
        most = used.annotate(n=Count("id")).order_by("-n").values_list("n", flat=True).first()
        assert most <= consultation.supports_per_person
    # Replies belong to their parent's thread, one level deeper.
    for reply in Comment.objects.filter(parent__isnull=False).select_related("parent"):
        assert reply.thread_id == (reply.parent.thread_id or reply.parent_id)
        assert reply.depth == reply.parent.depth + 1
        assert reply.proposal_id == reply.parent.proposal_id
    assert not Comment.objects.filter(parent__isnull=True).filter(~Q(depth=0)).exists()
    # The moderation queue is not empty: an open report on visible content, a hidden comment.
    assert Report.objects.filter(resolved_at__isnull=True).exists()
    assert Comment.objects.filter(moderation_state=ModerationState.HIDDEN).exists()
    assert ModerationDecision.objects.filter(action=ModerationDecision.Action.HIDE).exists()


@pytest.mark.django_db
def test_running_the_demo_again_creates_nothing_new():
    seed_demo()
    before = row_counts()

    seed_demo()

    assert row_counts() == before
