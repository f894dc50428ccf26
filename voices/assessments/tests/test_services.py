"""Rubrics, round settings, reviewers and reviews: what the services accept and refuse."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from voices.accounts.tests.factories import UserFactory
from voices.assessments import services
from voices.assessments.models import Assignment, Criterion, Reviewer, Round
from voices.core.models import AuditEntry, Notification
from voices.directory.tests.factories import text

from .factories import add_items, add_reviewers, make_round, spec


@pytest.fixture
def open_round(coordinator):
    """Two criteria (1–5, weight 2; 0–3), three reviewers, one item each reviews."""
    round = make_round(spec("Evidence", weight=2), spec("Feasibility", scale=(0, 3)))
    add_reviewers(round, 3, actor=coordinator)
    add_items(round, 1)
    services.reviewers_assign(actor=coordinator, round=round)
    return round


def _criteria(round):
    return list(round.rubric.criteria.order_by("position"))


def _save(assignment, scores, *, submit=False, user=None, comment=""):
    return services.review_save(
        user=user or assignment.reviewer.user, assignment=assignment, scores=scores,
        comment=comment, submit=submit,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_rubric_needs_a_description_for_every_score():
    incomplete = spec("Evidence", scale=(1, 4))
    incomplete.levels.pop(3)

    with pytest.raises(ValidationError) as exc:
        services.rubric_create(title=text("Jury"), criteria=[incomplete])

    assert exc.value.code == "levels_missing"
    assert not Criterion.objects.exists()


@pytest.mark.django_db
def test_one_round_per_owner():
    round = make_round()
    with pytest.raises(ValidationError) as exc:
        services.round_create(owner=round.owner, rubric=round.rubric)
    assert exc.value.code == "exists"


@pytest.mark.django_db
def test_criteria_change_while_preparing_and_never_once_reviewing_started(coordinator):
    round = make_round(spec("Evidence"))
    added = services.criterion_add(actor=coordinator, round=round, spec=spec("Impact", weight=3))
    services.criterion_change(
        actor=coordinator, round=round, criterion=added, spec=spec("Impact", scale=(0, 2))
    )
    added.refresh_from_db()
    assert list(added.levels.values_list("score", flat=True)) == [0, 1, 2]
    services.criterion_move(actor=coordinator, round=round, criterion=added, up=True)
    assert [str(c.title) for c in _criteria(round)] == ["Impact", "Evidence"]
    assert AuditEntry.objects.filter(action="create", object_id=str(added.pk)).exists()

    add_reviewers(round, 3, actor=coordinator)
    add_items(round, 1)
    services.reviewers_assign(actor=coordinator, round=round)
    for attempt in (
        lambda: services.criterion_add(actor=coordinator, round=round, spec=spec("Late")),
        lambda: services.criterion_change(
            actor=coordinator, round=round, criterion=added, spec=spec("Impact")
        ),
        lambda: services.criterion_remove(actor=coordinator, round=round, criterion=added),
        lambda: services.round_settings_change(
            actor=coordinator, round=round, reviewers_per_item=4, is_blind=True
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "started"


@pytest.mark.django_db
def test_the_last_criterion_stays(coordinator, participant):
    round = make_round()
    with pytest.raises(ValidationError) as exc:
        services.criterion_remove(
            actor=coordinator, round=round, criterion=round.rubric.criteria.get()
        )
    assert exc.value.code == "last_criterion"
    with pytest.raises(PermissionDenied):
        services.criterion_add(actor=participant, round=round, spec=spec())


@pytest.mark.django_db
def test_a_draft_is_saved_then_submitted_and_then_locked(open_round):
    assignment = Assignment.objects.order_by("pk").first()
    evidence, feasibility = _criteria(open_round)

    _save(assignment, {evidence.pk: 4}, comment="Good start.")
    assignment.refresh_from_db()
    assert not assignment.is_submitted
    assert dict(assignment.scores.values_list("criterion_id", "value")) == {evidence.pk: 4}

    with pytest.raises(ValidationError) as exc:
        _save(assignment, {evidence.pk: 4}, submit=True)
    assert exc.value.code == "incomplete"

    _save(assignment, {evidence.pk: 5, feasibility.pk: 0}, submit=True, comment="Strong.")
    assignment.refresh_from_db()
    assert assignment.is_submitted
    assert assignment.comment == "Strong."

    with pytest.raises(ValidationError) as exc:
        _save(assignment, {evidence.pk: 1, feasibility.pk: 1}, submit=False)
    assert exc.value.code == "locked"
    assert dict(assignment.scores.values_list("criterion_id", "value")) == {
        evidence.pk: 5,
        feasibility.pk: 0,
    }


@pytest.mark.django_db
def test_scores_outside_the_scale_or_for_unknown_criteria_are_refused(open_round):
    assignment = Assignment.objects.order_by("pk").first()
    evidence, feasibility = _criteria(open_round)
    other = make_round().rubric.criteria.get()

    for scores, code in (
        ({feasibility.pk: 4}, "out_of_scale"),
        ({evidence.pk: 0}, "out_of_scale"),
        ({other.pk: 3}, "unknown_criterion"),
    ):
        with pytest.raises(ValidationError) as exc:
            _save(assignment, scores)
        assert exc.value.code == code
    assert not assignment.scores.exists()


@pytest.mark.django_db
def test_only_the_reviewer_scores_and_only_while_the_owner_allows_it(open_round, coordinator):
    assignment = Assignment.objects.order_by("pk").first()
    evidence, _feasibility = _criteria(open_round)
    with pytest.raises(PermissionDenied):
        _save(assignment, {evidence.pk: 3}, user=UserFactory())

    owner = open_round.owner
    owner.is_active = False  # the stand-in owner's "judging is not open now"
    owner.save()
    with pytest.raises(ValidationError) as exc:
        _save(assignment, {evidence.pk: 3})
    assert exc.value.code == "stage"

    owner.is_active = True
    owner.save()
    services.round_close(actor=coordinator, round=open_round)
    with pytest.raises(ValidationError) as exc:
        _save(assignment, {evidence.pk: 3})
    assert exc.value.code == "not_open"
    services.round_reopen(actor=coordinator, round=open_round)
    _save(assignment, {evidence.pk: 3})


@pytest.mark.django_db
def test_a_reviewer_who_submitted_stays_and_one_who_did_not_leaves_with_a_replacement(
    open_round, coordinator
):
    evidence, feasibility = _criteria(open_round)
    first, second = Assignment.objects.order_by("pk")[:2]
    _save(first, {evidence.pk: 3, feasibility.pk: 2}, submit=True)
    newcomer = add_reviewers(open_round, 1, actor=coordinator)[0]

    with pytest.raises(ValidationError) as exc:
        services.reviewer_remove(actor=coordinator, round=open_round, user=first.reviewer.user)
    assert exc.value.code == "has_reviews"

    services.reviewer_remove(actor=coordinator, round=open_round, user=second.reviewer.user)
    assert not Reviewer.objects.filter(pk=second.reviewer_id).exists()
    item = first.item
    assert set(item.assignments.values_list("reviewer__user", flat=True)) >= {newcomer.pk}
    assert item.assignments.count() == 3


@pytest.mark.django_db
def test_reviewers_are_told_about_their_new_items(coordinator):
    round = make_round()
    people = add_reviewers(round, 3, actor=coordinator)
    add_items(round, 2)

    services.reviewers_assign(actor=coordinator, round=round)

    notes = Notification.objects.filter(kind="assessment_assigned")
    assert {n.recipient_id for n in notes} == {p.pk for p in people}
    assert "2 new items to review" in notes.first().subject


@pytest.mark.django_db
def test_settings_change_before_reviewing(coordinator):
    round = make_round()
    services.round_settings_change(
        actor=coordinator, round=round, reviewers_per_item=4, is_blind=True
    )
    round.refresh_from_db()
    assert (round.reviewers_per_item, round.is_blind, round.status) == (4, True, Round.Status.SETUP)
    with pytest.raises(ValidationError):
        services.round_settings_change(
            actor=coordinator, round=round, reviewers_per_item=2, is_blind=True
        )
