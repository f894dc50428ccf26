import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from voices.accounts.tests.factories import UserFactory
from voices.assessments.models import Round
from voices.core.models import AuditEntry, Notification
from voices.core.translation import TranslatedText
from voices.inquirylab import result_selectors, result_services
from voices.inquirylab.models import Result, Stage
from voices.inquirylab.tests.factories import move_to
from voices.inquirylab.tests.factories_results import (
    judged,
    judging_under_way,
    published,
    score_all,
)


def test_publishing_fixes_the_ranking_with_raw_and_normalised_scores(
    challenge, organiser, django_capture_on_commit_callbacks
):
    world = judged(challenge, organiser=organiser)

    with django_capture_on_commit_callbacks(execute=True):
        rows = result_services.results_publish(
            actor=organiser,
            challenge=challenge,
            winners=2,
            feedback={world.briefs[2].pk: "  Add the cost of the teachers.  "},
        )

    results = list(Result.objects.order_by("rank"))
    assert [r.brief for r in results] == world.briefs
    assert [r.rank for r in results] == [1, 2, 3]
    assert [r.raw_score for r in results] == [100.0, 75.0, 50.0]
    assert results[0].normalised_score > results[1].normalised_score > results[2].normalised_score
    assert [r.is_winner for r in results] == [True, True, False]
    assert results[2].feedback == "Add the cost of the teachers."
    assert len(rows) == 3
    challenge.refresh_from_db()
    assert challenge.results_published_at is not None
    world.round.refresh_from_db()
    assert world.round.status == Round.Status.CLOSED
    assert AuditEntry.objects.filter(object_id=str(challenge.pk), action="update").exists()


def test_every_team_member_is_told_in_their_own_language(
    challenge, organiser, django_capture_on_commit_callbacks
):
    world = judged(challenge, organiser=organiser)
    lead = world.teams[0].lead
    lead.languages = ["fr"]
    lead.save()
    challenge.title = TranslatedText({"en": "Night classes", "fr": "Cours du soir"}, "en")
    challenge.save()

    with django_capture_on_commit_callbacks(execute=True):
        result_services.results_publish(actor=organiser, challenge=challenge, winners=1)

    notices = Notification.objects.filter(kind="lab_results")
    members = {m.user_id for t in world.teams for m in t.members.all()}
    assert {n.recipient_id for n in notices} == members
    winner = notices.get(recipient=world.teams[1].lead)
    assert "place 2" in winner.body
    assert "Cours du soir" in notices.get(recipient=lead).subject
    assert "Night classes" in winner.subject


def test_results_wait_for_every_review_unless_the_organiser_confirms(challenge, organiser):
    world = judging_under_way(challenge, organiser=organiser)
    score_all(world, leave=2)
    move_to(challenge, Stage.RESULTS)

    with pytest.raises(ValidationError) as error:
        result_services.results_publish(actor=organiser, challenge=challenge)
    assert error.value.code == "missing_reviews"
    assert "2 reviews are not submitted yet" in error.value.messages[0]
    assert not Result.objects.exists()

    result_services.results_publish(actor=organiser, challenge=challenge, allow_missing=True)

    assert Result.objects.count() == 3


def test_results_are_published_only_after_judging(challenge, organiser):
    world = judging_under_way(challenge, organiser=organiser)
    score_all(world)

    with pytest.raises(ValidationError) as error:
        result_services.results_publish(actor=organiser, challenge=challenge)

    assert error.value.code == "stage"
    assert not Result.objects.exists()


def test_only_those_who_run_the_challenge_publish_its_results(challenge, organiser, outsider):
    judged(challenge, organiser=organiser)

    with pytest.raises(PermissionDenied):
        result_services.results_publish(actor=outsider, challenge=challenge)

    assert not Result.objects.exists()


def test_the_number_of_winners_must_fit_the_ranking(challenge, organiser):
    judged(challenge, organiser=organiser)

    with pytest.raises(ValidationError) as error:
        result_services.results_publish(actor=organiser, challenge=challenge, winners=4)

    assert error.value.code == "winners"


def test_publishing_without_any_score_is_refused(challenge, organiser):
    judging_under_way(challenge, organiser=organiser)
    move_to(challenge, Stage.RESULTS)

    with pytest.raises(ValidationError) as error:
        result_services.results_publish(actor=organiser, challenge=challenge, allow_missing=True)

    assert error.value.code == "no_scores"


def test_results_can_be_taken_back_and_published_again(challenge, organiser):
    world = published(challenge, organiser=organiser, winners=1)
    Result.objects.filter(brief=world.briefs[0]).update(feedback="Strong evidence.")

    result_services.results_unpublish(actor=organiser, challenge=challenge)

    challenge.refresh_from_db()
    assert challenge.results_published_at is None
    # Kept unseen, so that the feedback written is not lost.
    assert result_selectors.team_feedback(world.teams[0].lead, challenge) is None
    assert Result.objects.count() == 3
    with pytest.raises(ValidationError) as error:
        result_services.results_unpublish(actor=organiser, challenge=challenge)
    assert error.value.code == "not_published"

    result_services.results_publish(actor=organiser, challenge=challenge, winners=3)

    assert Result.objects.filter(is_winner=True).count() == 3


def test_team_feedback_goes_to_the_team_only(challenge, organiser):
    world = judged(challenge, organiser=organiser)
    result_services.results_publish(
        actor=organiser, challenge=challenge, feedback={world.briefs[0].pk: "Well done."}
    )
    challenge.refresh_from_db()
    member = world.teams[0].members.exclude(user=world.teams[0].lead).get().user

    feedback = result_selectors.team_feedback(member, challenge)

    assert feedback.brief == world.briefs[0]
    assert feedback.result.feedback == "Well done."
    assert feedback.comments == ["Clear and well argued."] * 3
    assert result_selectors.team_feedback(UserFactory(), challenge) is None
    assert result_selectors.team_feedback(world.judges[0], challenge) is None
