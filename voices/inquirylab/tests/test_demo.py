"""The demo Inquiry Lab: a finished challenge whose judging shows what normalisation does, with
results, people's choice and a brief sent to a council, and a challenge open for registration."""

import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from voices.accounts.models import User
from voices.assessments import selectors as reviews
from voices.assessments.models import Assignment, Conflict, Item, Reviewer
from voices.inquirylab import demo
from voices.inquirylab.models import (
    Brief,
    BriefVersion,
    Challenge,
    Forwarding,
    Mentor,
    OfficeHour,
    PublicVote,
    Question,
    Registration,
    Result,
    Stage,
    Team,
    TeamMember,
    TeamMessage,
)
from voices.inquirylab.result_selectors import peoples_choice


def seed_demo() -> None:
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())


def row_counts() -> dict[str, int]:
    models = (
        Challenge, Registration, Team, TeamMember, Mentor, OfficeHour, TeamMessage, Question,
        Brief, BriefVersion, Reviewer, Item, Assignment, Conflict, PublicVote, Result, Forwarding,
        User,
    )  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_finished_challenge_was_played_through_to_the_council():
    seed_demo()

    now = timezone.now()
    challenge = Challenge.objects.get(slug=demo.FINISHED["slug"])
    assert challenge.is_published and challenge.stage_at(now) == Stage.RESULTS
    assert challenge.results_at < challenge.results_published_at < now
    assert set(challenge.allowed_countries) == {"AT", "BG", "FR", "GR", "HU", "IT", "RO"}
    # Fourteen confirmed participants in four teams of three or four, each mixing countries.
    registrations = challenge.registrations.all()
    assert registrations.count() == 14
    assert set(registrations.values_list("status", flat=True)) == {"confirmed"}
    country = dict(registrations.values_list("user_id", "country"))
    teams = list(challenge.teams.prefetch_related("members"))
    assert len(teams) == 4
    for team in teams:
        members = [m.user_id for m in team.members.all()]
        assert 3 <= len(members) <= 4
        assert len({country[m] for m in members}) >= 2
        assert team.language in challenge.languages
    # Every brief submitted before the deadline, in two languages, in its full structure.
    briefs = Brief.objects.filter(challenge=challenge).select_related("submitted_version")
    assert briefs.count() == 4
    for brief in briefs:
        version = brief.submitted_version
        assert version is not None and brief.submitted_at < challenge.deadline_at
        assert brief.versions.count() >= 2
        assert version.summary_language != version.second_summary_language
        for field in ("problem", "affected", "proposal", "evidence", "institution",
                      "feasibility", "steps", "summary", "second_summary"):  # fmt: skip
            assert getattr(version, field).strip(), (brief, field)
        assert version.source_lines
    assert {"en", "fr"} <= {b.submitted_version.summary_language for b in briefs}
    # The mentor helped: past office hours booked by teams, threads, answered questions.
    assert OfficeHour.objects.filter(
        mentor__challenge=challenge, team__isnull=False, starts_at__lt=now
    ).exists()
    assert TeamMessage.objects.filter(team__challenge=challenge).count() >= 3
    assert not challenge.questions.filter(answer="").exists()


@pytest.mark.django_db
def test_the_judging_shows_normalisation_correcting_a_harsh_and_a_lenient_judge():
    seed_demo()

    challenge = Challenge.objects.get(slug=demo.FINISHED["slug"])
    round = reviews.round_for(challenge)
    assert round.reviewers.count() >= 4
    organisations = set(round.reviewers.values_list("organisation", flat=True))
    assert len(organisations - {None}) == 3
    for item in Item.objects.filter(round=round):
        submitted = item.assignments.filter(submitted_at__isnull=False)
        assert submitted.count() >= 3
        assert not submitted.filter(comment="").exists()
        # Nobody reviewed a brief they have a conflict of interest with.
        conflicted = set(item.conflicts.values_list("user_id", flat=True))
        assert not submitted.filter(reviewer__user_id__in=conflicted).exists()
    assert Conflict.objects.filter(item__round=round, reason="organisation").count() == 2
    # The harsh judge scores below the others, the lenient one above.
    scores = defaultdict(list)
    criteria = reviews.criteria_of(round.rubric)
    for assignment in Assignment.objects.filter(item__round=round).prefetch_related("scores"):
        values = {s.criterion_id: s.value for s in assignment.scores.all()}
        scores[assignment.reviewer.user.username].append(reviews.review_score(values, criteria))
    means = {username: sum(v) / len(v) for username, v in scores.items()}
    assert means["lab-judge-linden"] < means["judge"] < means["lab-judge-rowan"]
    # Published: three winners, and the normalised ranking is not the raw one.
    results = list(Result.objects.filter(challenge=challenge).order_by("rank"))
    assert len(results) == 4
    assert [r.is_winner for r in results] == [True, True, True, False]
    assert all(r.feedback for r in results)
    by_raw = sorted(results, key=lambda r: -r.raw_score)
    assert [r.rank for r in by_raw] != [r.rank for r in results]


@pytest.mark.django_db
def test_the_people_choose_and_the_winning_brief_reached_a_council():
    seed_demo()

    now = timezone.now()
    challenge = Challenge.objects.get(slug=demo.FINISHED["slug"])
    votes = PublicVote.objects.filter(challenge=challenge).select_related("brief")
    assert votes.count() >= 12
    # Nobody voted for their own team's brief.
    for vote in votes:
        assert not TeamMember.objects.filter(team=vote.brief.team_id, user=vote.user_id).exists()
    choice = peoples_choice(challenge, at=now)
    assert not choice.voters.is_suppressed
    assert any(not row.votes.is_suppressed for row in choice.rows)
    forwarding = Forwarding.objects.select_related("brief__result", "council").get(
        brief__challenge=challenge
    )
    assert forwarding.brief.result.rank == 1
    assert forwarding.uptake == Forwarding.Uptake.ACKNOWLEDGED
    assert forwarding.council.slug == "gr-council"
    assert challenge.results_published_at < forwarding.forwarded_at
    assert forwarding.forwarded_at < forwarding.uptake_changed_at < now


@pytest.mark.django_db
def test_the_open_challenge_takes_registrations_and_a_second_run_adds_nothing():
    seed_demo()
    before = row_counts()

    now = timezone.now()
    challenge = Challenge.objects.get(slug=demo.OPEN["slug"])
    assert challenge.is_published and challenge.stage_at(now) == Stage.REGISTRATION
    assert challenge.teams_at > now
    registration = challenge.registrations.get(user__username="dmytro")
    assert registration.status == Registration.Status.CONFIRMED
    # Amina is left to try registering.
    assert not challenge.registrations.filter(user__username="amina").exists()
    mentor = challenge.mentors.get(user__username="mentor")
    assert mentor.office_hours.filter(starts_at__gt=now, team__isnull=True).count() >= 2
    assert challenge.questions.count() == 2
    assert {"en", "de", "uk"} <= set(challenge.title.values)

    seed_demo()

    assert row_counts() == before
