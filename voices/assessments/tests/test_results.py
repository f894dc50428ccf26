"""Results: the review score, per-reviewer z-scores, the normalised score and the tie-break,
checked against values computed by hand (docs/assessments.md)."""

import datetime

import pytest
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.assessments import selectors
from voices.assessments.models import Assignment, Reviewer, Score

from .factories import START, add_items, make_round, spec

ten_point = spec("Quality", scale=(0, 10))


def reviewer(round, name: str) -> Reviewer:
    return Reviewer.objects.create(round=round, user=UserFactory(username=name))


def review(item, by: Reviewer, *values: int, comment: str = "", submitted: bool = True):
    criteria = list(item.round.rubric.criteria.order_by("position", "id"))
    assignment = Assignment.objects.create(
        item=item, reviewer=by, comment=comment,
        submitted_at=timezone.now() if submitted else None,
    )  # fmt: skip
    for criterion, value in zip(criteria, values, strict=True):
        Score.objects.create(assignment=assignment, criterion=criterion, value=value)
    return assignment


def by_code(results) -> dict:
    return {r.item.code: r for r in results}


def test_a_review_score_weighs_each_criterion_on_its_own_scale():
    round_criteria = [
        type("C", (), {"pk": 1, "weight": 3, "scale_min": 1, "scale_max": 5})(),
        type("C", (), {"pk": 2, "weight": 1, "scale_min": 0, "scale_max": 10})(),
    ]
    # 100 · (3 · (4 − 1)/4 + 1 · (5 − 0)/10) / (3 + 1) = 100 · (2.25 + 0.5) / 4 = 68.75
    assert selectors.review_score({1: 4, 2: 5}, round_criteria) == pytest.approx(68.75)


@pytest.mark.django_db
def test_the_harsh_judges_best_item_overtakes_the_lenient_judges_worst():
    round = make_round(ten_point)
    a, b, c, d = add_items(round, 4)
    harsh, lenient = reviewer(round, "harsh"), reviewer(round, "lenient")
    review(a, harsh, 2)  # 20
    review(b, harsh, 4)  # 40
    review(c, lenient, 8)  # 80
    review(d, lenient, 10)  # 100

    results = selectors.results(round)

    # Harsh: mean 30, spread 10 → z −1 and +1; lenient: mean 90, spread 10 → z −1 and +1.
    # All reviews: mean M = 60, spread S = √((40² + 20² + 20² + 40²) / 4) = √1000 = 31.6228.
    # Normalised = 60 ± 31.6228 → 28.3772 for the worst of each, 91.6228 for the best.
    got = by_code(results)
    assert got["Entry 1"].raw == pytest.approx(20)
    assert got["Entry 2"].raw == pytest.approx(40)
    assert got["Entry 2"].z == pytest.approx(1)
    assert got["Entry 3"].z == pytest.approx(-1)
    assert got["Entry 2"].normalised == pytest.approx(91.6228, abs=1e-4)
    assert got["Entry 3"].normalised == pytest.approx(28.3772, abs=1e-4)
    # Raw order would be 4, 3, 2, 1; normalised puts Entry 2 (40 raw) above Entry 3 (80 raw).
    assert [(r.rank, r.item.code, r.decided_by) for r in results] == [
        (1, "Entry 4", ""),
        (2, "Entry 2", "raw"),
        (3, "Entry 3", ""),
        (4, "Entry 1", "raw"),
    ]


@pytest.mark.django_db
def test_normalised_scores_match_hand_computed_values_when_judges_share_items():
    round = make_round(ten_point)
    a, b, c, d = add_items(round, 4)
    harsh, lenient = reviewer(round, "harsh"), reviewer(round, "lenient")
    review(a, harsh, 2)  # 20
    review(b, harsh, 4)  # 40
    review(c, harsh, 3)  # 30
    review(b, lenient, 9)  # 90
    review(c, lenient, 7)  # 70
    review(d, lenient, 8)  # 80

    got = by_code(selectors.results(round))

    # Each judge: spread √(200/3) = 8.1650, so ±10 points is z = ±1.2247.
    # Harsh (mean 30): A −1.2247, B +1.2247, C 0. Lenient (mean 80): B +1.2247, C −1.2247, D 0.
    # Item z: A −1.2247, B +1.2247, C −0.6124, D 0.
    # All six reviews: M = 330 / 6 = 55, S = √(4150 / 6) = 26.2996.
    expected = {
        "Entry 1": (20, -1.2247, 22.7898),  # 55 − 1.2247 · 26.2996
        "Entry 2": (65, 1.2247, 87.2102),
        "Entry 3": (50, -0.6124, 38.8949),
        "Entry 4": (80, 0.0, 55.0),
    }
    for code, (raw, z, normalised) in expected.items():
        assert got[code].raw == pytest.approx(raw)
        assert got[code].z == pytest.approx(z, abs=1e-4)
        assert got[code].normalised == pytest.approx(normalised, abs=1e-4)
        assert got[code].reviews == (2 if code in ("Entry 2", "Entry 3") else 1)
    # Entry 4 had the best raw mean from the lenient judge alone; corrected, Entry 2 leads.
    assert [got[c].rank for c in ("Entry 2", "Entry 4", "Entry 3", "Entry 1")] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_a_reviewer_with_one_review_or_equal_scores_gives_z_zero():
    round = make_round(ten_point)
    a, b, c = add_items(round, 3)
    single, flat = reviewer(round, "single"), reviewer(round, "flat")
    review(a, single, 9)
    review(b, flat, 6)
    review(c, flat, 6)

    got = by_code(selectors.results(round))

    assert got["Entry 1"].z == 0
    assert got["Entry 2"].z == 0
    assert got["Entry 3"].z == 0
    # M = (90 + 60 + 60) / 3 = 70: with z = 0 everyone reads the round's mean.
    assert got["Entry 1"].normalised == pytest.approx(70)
    assert got["Entry 1"].rank == 1  # the tie on 70 is broken by the raw score
    assert got["Entry 1"].decided_by == ""
    assert (got["Entry 2"].rank, got["Entry 2"].decided_by) == (2, "raw")
    assert (got["Entry 3"].rank, got["Entry 3"].decided_by) == (3, "submitted_at")


@pytest.mark.django_db
def test_the_top_criterion_breaks_a_tie_of_normalised_and_raw_scores():
    round = make_round(
        spec("Other", weight=1, scale=(0, 10)), spec("Impact", weight=2, scale=(0, 10))
    )
    x, y = add_items(round, 2)
    # Entry 1: 100 · (1 · 1 + 2 · 0) / 3 = 33.33; Entry 2: 100 · (1 · 0 + 2 · 0.5) / 3 = 33.33.
    review(x, reviewer(round, "one"), 10, 0)
    review(y, reviewer(round, "two"), 0, 5)

    results = selectors.results(round)

    assert results[0].raw == results[1].raw
    assert [(r.item.code, r.decided_by) for r in results] == [
        ("Entry 2", ""),
        ("Entry 1", "top_criterion"),
    ]
    top = round.rubric.criteria.get(weight=2)
    assert results[0].criteria[top.pk] == 5


@pytest.mark.django_db
def test_then_the_earlier_submission_and_last_the_code_decide():
    round = make_round(ten_point)
    items = add_items(round, 3)
    items[0].submitted_at = START + datetime.timedelta(hours=1)  # Entry 1 submitted last
    items[0].save()
    items[2].submitted_at = items[1].submitted_at  # Entries 2 and 3 at the same moment
    items[2].save()
    for item in items:
        review(item, reviewer(round, f"r-{item.code}"), 5)

    results = selectors.results(round)

    assert [(r.item.code, r.decided_by) for r in results] == [
        ("Entry 2", ""),
        ("Entry 3", "code"),
        ("Entry 1", "submitted_at"),
    ]


@pytest.mark.django_db
def test_items_without_submitted_reviews_come_last_and_drafts_do_not_count():
    round = make_round(ten_point)
    a, b, c = add_items(round, 3)
    judge = reviewer(round, "judge")
    review(a, judge, 3)
    review(b, judge, 7, submitted=False)

    results = selectors.results(round)

    assert [r.item.code for r in results] == ["Entry 1", "Entry 2", "Entry 3"]
    assert results[1].raw is None and results[1].normalised is None and results[1].reviews == 0
    assert results[2].decided_by == "submitted_at"


@pytest.mark.django_db
def test_feedback_holds_the_submitted_comments_without_names():
    round = make_round(ten_point)
    (a,) = add_items(round, 1)
    review(a, reviewer(round, "one"), 5, comment="Clear proposal; cite the 2023 law.")
    review(a, reviewer(round, "two"), 5, comment="Draft thoughts.", submitted=False)
    review(a, reviewer(round, "three"), 5)

    assert selectors.feedback_for(a) == ["Clear proposal; cite the 2023 law."]
