"""The demo opinion maps: written statements in several languages, votes from planted groups of
opinion that the analysis finds again, counters that match the votes, and nothing new on a
second run."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from voices.accounts.models import User
from voices.consultations.models import Participant, Phase
from voices.core.models import AuditEntry, ModerationDecision, ModerationState
from voices.opinions import demo
from voices.opinions.analysis.agreement import adjusted_rand_index
from voices.opinions.models import Analysis, OpinionMap, Statement, Vote


def seed_demo() -> None:
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())


def row_counts() -> dict[str, int]:
    models = (
        OpinionMap, Statement, Vote, Analysis, Participant, User, ModerationDecision, AuditEntry,
    )  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_has_maps_to_vote_on_and_a_finished_one_with_written_statements():
    seed_demo()

    now = timezone.now()
    maps = list(OpinionMap.objects.select_related("consultation__country", "consultation__domain"))
    assert len(maps) == 3
    phases = {m.consultation.phase_at(now) for m in maps}
    assert phases & {Phase.CONTRIBUTIONS, Phase.DELIBERATION}
    assert phases & {Phase.ANSWERS, Phase.CLOSED}
    assert {m.consultation.domain.code for m in maps} == {"education", "housing", "health"}
    for opinion_map in maps:
        consultation = opinion_map.consultation
        local = consultation.country.language
        assert {"proposals", "opinions"} <= set(consultation.components)
        assert opinion_map.question.get(local) and opinion_map.question.get("en")
        statements = Statement.objects.filter(map=opinion_map)
        assert 20 <= statements.filter(is_seed=True).count() <= 30
        assert all(len(s.text) <= opinion_map.statement_max_length for s in statements)
        languages = set(statements.values_list("language", flat=True))
        assert local in languages and len(languages) >= 3, languages
        # Participants wrote a few, through their participant rows.
        written = statements.filter(is_seed=False)
        assert 2 <= written.count() <= 5
        for statement in written.select_related("participant"):
            assert statement.participant.consultation_id == consultation.pk
            assert statement.participant.user_id == statement.author_id
            assert statement.is_anonymous == statement.participant.is_anonymous
    # A pre-moderated map with one statement still waiting, and a duplicate flagged.
    premoderated = [m for m in maps if m.premoderation]
    assert premoderated
    pending = Statement.objects.filter(map__in=premoderated, moderation_state="pending")
    assert pending.count() == 1
    duplicate = Statement.objects.get(duplicate_of__isnull=False)
    assert duplicate.text_key == duplicate.duplicate_of.text_key
    assert duplicate.is_visible and not duplicate.is_seed


@pytest.mark.django_db
def test_the_demo_votes_are_counted_dated_and_spread_as_real_ones_would_be():
    seed_demo()

    now = timezone.now()
    for opinion_map in OpinionMap.objects.select_related("consultation"):
        consultation = opinion_map.consultation
        votes = Vote.objects.filter(statement__map=opinion_map)
        voters = votes.values("participant").distinct().count()
        assert 60 <= voters <= 150
        # Counters as vote_cast keeps them, and no analysis left waiting.
        counted = Statement.objects.filter(map=opinion_map).annotate(
            agree=Count("votes", filter=Q(votes__value=1)),
            disagree=Count("votes", filter=Q(votes__value=-1)),
            passes=Count("votes", filter=Q(votes__value=0)),
        )
        for statement in counted:
            assert statement.agree_count == statement.agree, statement
            assert statement.disagree_count == statement.disagree, statement
            assert statement.pass_count == statement.passes, statement
        assert sum(s.votes_count for s in counted) == votes.count()
        opinion_map.refresh_from_db()
        assert opinion_map.votes_since_analysis == 0
        # Every value is used, and some statements are agreed by nearly everyone.
        assert set(votes.values_list("value", flat=True)) == {-1, 0, 1}
        assert any(s.agree_count >= 0.75 * s.votes_count for s in counted if s.votes_count)
        # Only published statements get votes, never their author's, within the voting weeks.
        assert not votes.exclude(statement__moderation_state=ModerationState.VISIBLE).exists()
        assert not votes.filter(statement__participant=F("participant")).exists()
        assert not votes.exclude(participant__consultation=consultation).exists()
        first, last = votes.order_by("updated_at")[0], votes.order_by("-updated_at")[0]
        assert first.updated_at >= consultation.contributions_at
        assert last.updated_at <= min(consultation.answers_at, now)
        assert (last.updated_at - first.updated_at).days >= 7
        assert not votes.filter(updated_at__lt=F("statement__created_at")).exists()
        assert not votes.exclude(created_at=F("updated_at")).exists()
        # Each voter answers between half and nine tenths of the statements shown to them.
        visible = Statement.objects.filter(map=opinion_map, moderation_state="visible").count()
        per_voter = votes.values("participant").annotate(n=Count("pk")).values_list("n", flat=True)
        assert max(per_voter) <= 0.9 * visible
        assert sorted(per_voter)[len(per_voter) // 2] >= 0.4 * visible


@pytest.mark.django_db
def test_the_analysis_finds_the_planted_groups_and_a_second_run_adds_nothing():
    seed_demo()
    before = row_counts()

    for opinion_map in OpinionMap.objects.select_related("consultation"):
        analysis = Analysis.objects.get(map=opinion_map)
        assert analysis.result["k"] >= 2
        assert analysis.n_votes == Vote.objects.filter(statement__map=opinion_map).count()
        found = {int(pid): group for pid, group in analysis.result["group_of"].items()}
        planted = demo.planted_groups(opinion_map.consultation)
        assert set(found) == set(planted)
        people = sorted(planted)
        ari = adjusted_rand_index([planted[p] for p in people], [found[p] for p in people])
        assert ari >= 0.75, (opinion_map.consultation, ari)

    seed_demo()

    assert row_counts() == before
