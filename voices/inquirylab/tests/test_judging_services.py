import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.assessments import registry
from voices.assessments import selectors as reviews
from voices.assessments.models import Assignment, Conflict, Item, Reviewer, Round
from voices.core.models import AuditEntry, Notification
from voices.directory.tests.factories import OrganisationFactory
from voices.inquirylab import judging, result_services
from voices.inquirylab.models import (
    Challenge,
    OfficeHour,
    Registration,
    Stage,
    TeamMessage,
)
from voices.inquirylab.tests.factories import (
    MentorFactory,
    TeamFactory,
    brief_for,
    move_to,
)
from voices.inquirylab.tests.factories_results import judging_under_way


@pytest.fixture
def in_judging(challenge):
    return move_to(challenge, Stage.JUDGING)


def test_setting_up_the_judging_makes_the_default_rubric_in_every_language(challenge, organiser):
    round = result_services.judging_start(
        actor=organiser, challenge=challenge, reviewers_per_item=4, is_blind=True
    )

    assert reviews.round_for(challenge) == round
    assert (round.reviewers_per_item, round.is_blind, round.status) == (4, True, Round.Status.SETUP)
    criteria = list(round.rubric.criteria.prefetch_related("levels"))
    assert [str(c.title) for c in criteria] == [title for title, *_rest in judging.RUBRIC]
    assert [c.weight for c in criteria] == [3, 2, 2, 1, 2]
    languages = {code for code, _name in settings.LANGUAGES}
    for criterion in criteria:
        assert (criterion.scale_min, criterion.scale_max) == (1, 5)
        assert [level.score for level in criterion.levels.all()] == [1, 2, 3, 4, 5]
        texts = [
            criterion.title,
            criterion.description,
            *(lv.description for lv in criterion.levels.all()),
        ]
        assert all(set(text.values) == languages for text in texts)
    assert set(round.rubric.title.values) == languages
    assert AuditEntry.objects.filter(action="create", object_id=str(round.pk)).exists()


def test_the_rubric_reads_each_language_through_gettext(monkeypatch):
    monkeypatch.setattr(
        judging, "gettext", lambda text: f"{judging.translation.get_language()}:{text}"
    )

    text = judging.in_every_language("Clarity")

    assert text.values["uk"] == "uk:Clarity"
    assert text.values["ar"] == "ar:Clarity"
    assert text.original == "en"


def test_only_those_who_run_the_challenge_set_up_its_judging(challenge, outsider):
    with pytest.raises(PermissionDenied):
        result_services.judging_start(actor=outsider, challenge=challenge)

    assert not Round.objects.exists()


def test_a_challenge_has_one_judging(challenge, organiser):
    result_services.judging_start(actor=organiser, challenge=challenge)

    with pytest.raises(ValidationError) as error:
        result_services.judging_start(actor=organiser, challenge=challenge)

    assert error.value.code == "exists"
    assert Round.objects.count() == 1


def test_judging_cannot_be_set_up_in_the_results_stage(challenge, organiser):
    move_to(challenge, Stage.RESULTS)

    with pytest.raises(ValidationError) as error:
        result_services.judging_start(actor=organiser, challenge=challenge)

    assert error.value.code == "stage"


def test_judges_are_added_by_username_or_email_with_their_organisation(challenge, organiser):
    round = result_services.judging_start(actor=organiser, challenge=challenge)
    by_name = UserFactory(username="judge-one")
    by_email = UserFactory(email="Judge.Two@example.org")
    university = OrganisationFactory()

    result_services.judge_add(actor=organiser, challenge=challenge, identifier="JUDGE-ONE")
    result_services.judge_add(
        actor=organiser,
        challenge=challenge,
        identifier=" judge.two@example.org ",
        organisation=university,
    )

    pool = {r.user_id: r.organisation_id for r in Reviewer.objects.filter(round=round)}
    assert pool == {by_name.pk: None, by_email.pk: university.pk}
    assert Notification.objects.filter(recipient=by_name, kind="lab_judge_added").count() == 1


def test_adding_a_judge_twice_tells_them_once(challenge, organiser):
    result_services.judging_start(actor=organiser, challenge=challenge)
    person = UserFactory()

    for _n in range(2):
        result_services.judge_add(actor=organiser, challenge=challenge, identifier=person.username)

    assert Reviewer.objects.filter(user=person).count() == 1
    assert Notification.objects.filter(recipient=person, kind="lab_judge_added").count() == 1


def test_an_unknown_or_ambiguous_judge_is_refused(challenge, organiser):
    result_services.judging_start(actor=organiser, challenge=challenge)
    UserFactory(email="shared@example.org")
    UserFactory(email="shared@example.org")

    for identifier in ("nobody-here", "shared@example.org"):
        with pytest.raises(ValidationError) as error:
            result_services.judge_add(actor=organiser, challenge=challenge, identifier=identifier)
        assert error.value.code == "unknown_user"
    assert not Reviewer.objects.exists()


def test_a_participant_cannot_judge_the_challenge(challenge, organiser):
    result_services.judging_start(actor=organiser, challenge=challenge)
    team = TeamFactory(challenge=challenge)

    with pytest.raises(ValidationError) as error:
        result_services.judge_add(
            actor=organiser, challenge=challenge, identifier=team.lead.username
        )

    assert error.value.code == "participant"


def test_judges_are_added_only_after_the_judging_is_set_up(challenge, organiser):
    with pytest.raises(ValidationError) as error:
        result_services.judge_add(
            actor=organiser, challenge=challenge, identifier=UserFactory().username
        )

    assert error.value.code == "no_round"


def test_a_judge_without_reviews_can_be_removed(challenge, organiser):
    result_services.judging_start(actor=organiser, challenge=challenge)
    person = UserFactory()
    result_services.judge_add(actor=organiser, challenge=challenge, identifier=person.username)

    result_services.judge_remove(actor=organiser, challenge=challenge, user=person)

    assert not Reviewer.objects.exists()
    with pytest.raises(ValidationError) as error:
        result_services.judge_remove(actor=organiser, challenge=challenge, user=person)
    assert error.value.code == "not_judge"


def test_preparing_the_items_makes_one_per_submitted_brief_with_stable_codes(challenge, organiser):
    move_to(challenge, Stage.WORK)
    first = brief_for(TeamFactory(challenge=challenge))
    brief_for(TeamFactory(challenge=challenge), submitted=False)
    third = brief_for(TeamFactory(challenge=challenge))
    result_services.judging_start(actor=organiser, challenge=challenge)
    move_to(challenge, Stage.JUDGING)

    result_services.judging_items_prepare(actor=organiser, challenge=challenge)
    result_services.judging_items_prepare(actor=organiser, challenge=challenge)

    items = {int(i.object_id): i for i in Item.objects.all()}
    assert set(items) == {first.pk, third.pk}
    assert (items[first.pk].code, items[third.pk].code) == ("1", "2")
    assert items[first.pk].submitted_at == first.submitted_at


def test_the_items_record_the_teams_organisations_and_mentors_as_conflicts(challenge, organiser):
    ngo = OrganisationFactory()
    move_to(challenge, Stage.WORK)
    team = TeamFactory(challenge=challenge, members=[UserFactory()])
    other = TeamFactory(challenge=challenge)
    Registration.objects.filter(user=team.lead, challenge=challenge).update(organisation=ngo)
    booked = MentorFactory(challenge=challenge)
    OfficeHour.objects.create(
        mentor=booked, starts_at=timezone.now(), team=team, booked_at=timezone.now()
    )
    writer = MentorFactory(challenge=challenge)
    TeamMessage.objects.create(team=team, author=writer.user, body="Cite the 2024 census.")
    bystander = MentorFactory(challenge=challenge)
    TeamMessage.objects.create(team=other, author=bystander.user, body="Good start.")
    brief = brief_for(team)
    brief_for(other)
    result_services.judging_start(actor=organiser, challenge=challenge)
    colleague = UserFactory()
    for user in (booked.user, writer.user, bystander.user):
        result_services.judge_add(actor=organiser, challenge=challenge, identifier=user.username)
    result_services.judge_add(
        actor=organiser, challenge=challenge, identifier=colleague.username, organisation=ngo
    )
    move_to(challenge, Stage.JUDGING)

    result_services.judging_items_prepare(actor=organiser, challenge=challenge)

    conflicts = {
        (c.user_id, c.reason) for c in Conflict.objects.filter(item__object_id=str(brief.pk))
    }
    assert conflicts == {
        (booked.user_id, "mentor"),
        (writer.user_id, "mentor"),
        (colleague.pk, "organisation"),
    }


def test_items_are_prepared_only_during_judging(challenge, organiser):
    move_to(challenge, Stage.WORK)
    brief_for(TeamFactory(challenge=challenge))
    result_services.judging_start(actor=organiser, challenge=challenge)

    with pytest.raises(ValidationError) as error:
        result_services.judging_items_prepare(actor=organiser, challenge=challenge)

    assert error.value.code == "stage"
    assert not Item.objects.exists()


def test_nothing_to_judge_without_a_submitted_brief(in_judging, organiser):
    result_services.judging_start(actor=organiser, challenge=in_judging)

    with pytest.raises(ValidationError) as error:
        result_services.judging_items_prepare(actor=organiser, challenge=in_judging)

    assert error.value.code == "none"


def test_assigning_gives_every_brief_its_judges_without_conflicts(challenge, organiser):
    world = judging_under_way(challenge, organiser=organiser, teams=4, judges=4)

    per_item = {}
    for assignment in Assignment.objects.filter(item__round=world.round):
        per_item.setdefault(assignment.item_id, set()).add(assignment.reviewer.user_id)
    assert len(per_item) == 4
    assert all(len(users) == 3 for users in per_item.values())
    world.round.refresh_from_db()
    assert world.round.status == Round.Status.OPEN


def test_assigning_with_too_few_judges_writes_nothing(challenge, organiser):
    move_to(challenge, Stage.WORK)
    brief_for(TeamFactory(challenge=challenge))
    result_services.judging_start(actor=organiser, challenge=challenge)
    result_services.judge_add(
        actor=organiser, challenge=challenge, identifier=UserFactory().username
    )
    move_to(challenge, Stage.JUDGING)

    with pytest.raises(ValidationError) as error:
        result_services.judging_reviewers_assign(actor=organiser, challenge=challenge)

    assert error.value.code == "not_enough_reviewers"
    assert not Assignment.objects.exists()
    assert not Item.objects.exists()


def test_the_challenge_is_registered_as_an_owner_of_review_rounds(challenge, organiser, outsider):
    world = judging_under_way(challenge, organiser=organiser, teams=1)
    owner = registry.owner_of(world.round)
    item = Item.objects.get()

    assert owner.model is Challenge
    assert owner.item_template == "inquirylab/assessment_item.html"
    assert owner.can_manage(organiser, challenge)
    assert not owner.can_manage(outsider, challenge)
    assert owner.item_title(item, True) == "Entry 1"
    assert owner.item_title(item, False) == "Brief 1, by the team Team 1"
    assert owner.owner_url(challenge) == f"/en/lab/{challenge.slug}/judging/"
    assert owner.scoring_refusal(challenge) == ""
    move_to(challenge, Stage.RESULTS)
    assert owner.scoring_refusal(challenge) == "Judging is not open now."
