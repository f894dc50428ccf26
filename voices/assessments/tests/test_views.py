"""The engine's pages through the client: reviewing, running a round, results and CSV."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from voices.accounts.tests.factories import UserFactory
from voices.assessments import services
from voices.assessments.models import Assignment, Criterion, Round
from voices.directory.tests.factories import text

from .factories import add_items, add_reviewers, make_round, spec


def _open_round(coordinator, *, items=1, reviewers=3, blind=False):
    round = make_round(spec("Evidence", weight=2), spec("Feasibility", scale=(0, 2)), blind=blind)
    add_reviewers(round, reviewers, actor=coordinator)
    add_items(round, items)
    services.reviewers_assign(actor=coordinator, round=round)
    return round


def _login_as_reviewer(client, assignment):
    client.force_login(assignment.reviewer.user)


@pytest.mark.django_db
def test_the_review_page_groups_each_criterion_with_a_described_radio_per_level(
    client, coordinator
):
    round = _open_round(coordinator)
    assignment = Assignment.objects.order_by("pk").first()
    _login_as_reviewer(client, assignment)

    response = client.get(reverse("assessments:review", args=[assignment.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") >= 2
    assert "<legend" in html and ">Evidence</legend>" in html
    assert 'type="radio"' in html
    assert "Evidence: level 4</label>" in html
    assert "Submit (cannot be changed)" in html
    assert round.items.get().target.name.get() in html  # not blind: the owner's title


@pytest.mark.django_db
def test_a_blind_review_and_my_reviews_show_only_the_code(client, coordinator):
    round = _open_round(coordinator, blind=True)
    assignment = Assignment.objects.order_by("pk").first()
    name = str(round.items.get().target.name)
    _login_as_reviewer(client, assignment)

    for url in (
        reverse("assessments:review", args=[assignment.pk]),
        reverse("assessments:my_reviews"),
    ):
        html = client.get(url).content.decode()
        assert "Entry 1" in html
        assert name not in html


@pytest.mark.django_db
def test_submitting_through_the_page_locks_the_review(client, coordinator):
    round = _open_round(coordinator)
    assignment = Assignment.objects.order_by("pk").first()
    evidence, feasibility = round.rubric.criteria.order_by("position")
    _login_as_reviewer(client, assignment)
    url = reverse("assessments:review", args=[assignment.pk])

    response = client.post(url, {f"criterion_{evidence.pk}": "4", "action": "submit"})
    assert response.status_code == 200
    assert "Score every criterion" in response.content.decode()

    response = client.post(
        url,
        {f"criterion_{evidence.pk}": "4", f"criterion_{feasibility.pk}": "2",
         "comment": "Well argued.", "action": "submit"},
    )  # fmt: skip
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "It can no longer be changed." in html
    assert 'type="radio"' not in html
    assert "Well argued." in html


@pytest.mark.django_db
def test_declaring_a_conflict_through_the_page(client, coordinator):
    _open_round(coordinator, reviewers=4)
    assignment = Assignment.objects.order_by("pk").first()
    _login_as_reviewer(client, assignment)

    response = client.post(
        reverse("assessments:conflict", args=[assignment.pk]), {"note": "My former colleague."}
    )

    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert assignment.item.assignments.count() == 3


@pytest.mark.django_db
def test_someone_elses_review_is_hidden(client, coordinator, participant):
    _open_round(coordinator)
    assignment = Assignment.objects.order_by("pk").first()
    client.force_login(participant)
    assert client.get(reverse("assessments:review", args=[assignment.pk])).status_code == 404


@pytest.mark.django_db
def test_adding_a_criterion_with_every_level_described(client, coordinator):
    round = make_round(spec("Evidence"))
    client.force_login(coordinator)
    url = reverse("assessments:rubric", args=[round.pk])
    data = {
        "title_en": "Impact", "title_fr": "Impact", "description_en": "Who gains and how much.",
        "weight": "3", "scale_min": "0", "scale_max": "2",
        "level_0_en": "No effect", "level_1_en": "Some effect", "level_2_en": "Large effect",
        "level_2_fr": "Effet important",
    }  # fmt: skip

    response = client.post(url, {**data, "level_1_en": ""})
    assert response.status_code == 400
    assert not Criterion.objects.filter(weight=3).exists()

    assert client.post(url, data).status_code == 302
    added = Criterion.objects.get(weight=3)
    assert added.levels.get(score=2).description.get("fr") == "Effet important"

    html = client.get(url).content.decode()
    assert "Large effect" in html
    assert "Add a criterion" in html


@pytest.mark.django_db
def test_the_rubric_page_is_read_only_once_reviewing_started(client, coordinator):
    round = _open_round(coordinator)
    client.force_login(coordinator)

    html = client.get(reverse("assessments:rubric", args=[round.pk])).content.decode()

    assert "can no longer change" in html
    assert "Add a criterion" not in html
    criterion = round.rubric.criteria.first()
    response = client.post(reverse("assessments:criterion_remove", args=[round.pk, criterion.pk]))
    assert response.status_code == 302
    assert Criterion.objects.filter(pk=criterion.pk).exists()


@pytest.mark.django_db
def test_running_a_round_from_its_page(client, coordinator):
    round = make_round()
    add_items(round, 2)
    client.force_login(coordinator)
    page = reverse("assessments:round", args=[round.pk])
    for username in ("first-judge", "second-judge", "third-judge"):
        UserFactory(username=username)
        response = client.post(
            reverse("assessments:reviewer_add", args=[round.pk]), {"username": username.upper()}
        )
        assert response.status_code == 302

    response = client.post(reverse("assessments:assign", args=[round.pk]), follow=True)

    round.refresh_from_db()
    assert round.status == Round.Status.OPEN
    assert "Reviewing is open." in response.content.decode()
    assert client.get(page).status_code == 200
    client.post(reverse("assessments:close", args=[round.pk]))
    round.refresh_from_db()
    assert round.status == Round.Status.CLOSED


@pytest.mark.django_db
def test_an_unknown_user_name_is_a_form_error(client, coordinator):
    round = make_round()
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:reviewer_add", args=[round.pk]), {"username": "nobody-here"}
    )
    assert response.status_code == 400
    assert "No account has this user name." in response.content.decode()


def _scored_round(coordinator, items: int):
    round = _open_round(coordinator, items=items, reviewers=4)
    evidence, feasibility = round.rubric.criteria.order_by("position")
    for n, assignment in enumerate(Assignment.objects.filter(item__round=round).order_by("pk")):
        services.review_save(
            user=assignment.reviewer.user, assignment=assignment,
            scores={evidence.pk: 1 + n % 5, feasibility.pk: n % 3}, comment="", submit=True,
        )  # fmt: skip
    return round


@pytest.mark.django_db
def test_results_show_raw_and_normalised_side_by_side_and_download_as_csv(client, coordinator):
    round = _scored_round(coordinator, items=3)
    first = round.items.order_by("pk").first().target
    first.name = text("=HYPERLINK(1)")
    first.save()
    client.force_login(coordinator)

    html = client.get(reverse("assessments:results", args=[round.pk])).content.decode()
    assert "Normalised score" in html and "Raw score" in html
    assert "harshly" in html

    response = client.get(reverse("assessments:results_csv", args=[round.pk]))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("Rank,Code,Title,Normalised score,Raw score")
    assert len(body.splitlines()) == 4
    assert "Entry 1 · =HYPERLINK(1)" in body  # starts with the code, so it is no formula


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_results_run_the_same_queries_for_three_or_nine_items(
    client, coordinator, django_assert_num_queries
):
    small = _scored_round(coordinator, items=3)
    client.force_login(coordinator)
    expected = _queries(client, reverse("assessments:results", args=[small.pk]))

    large = _scored_round(coordinator, items=9)
    with django_assert_num_queries(expected):
        client.get(reverse("assessments:results", args=[large.pk]))


@pytest.mark.django_db
def test_my_reviews_runs_the_same_queries_for_few_or_many_reviews(
    client, coordinator, django_assert_num_queries
):
    _open_round(coordinator, items=1)
    reviewer = Assignment.objects.order_by("pk").first().reviewer.user
    client.force_login(reviewer)
    expected = _queries(client, reverse("assessments:my_reviews"))

    for _n in range(3):  # more rounds with several items each, all with this reviewer
        round = make_round()
        services.reviewer_add(actor=coordinator, round=round, user=reviewer)
        add_reviewers(round, 2, actor=coordinator)
        add_items(round, 4)
        services.reviewers_assign(actor=coordinator, round=round)
    assert Assignment.objects.filter(reviewer__user=reviewer).count() == 13
    with django_assert_num_queries(expected):
        client.get(reverse("assessments:my_reviews"))


@pytest.mark.django_db
def test_the_review_page_shows_criteria_in_the_readers_language(client, coordinator):
    round = make_round(spec("Evidence"))
    criterion = round.rubric.criteria.get()
    criterion.title = text("Evidence", fr="Preuves")
    criterion.save()
    add_reviewers(round, 3, actor=coordinator)
    add_items(round, 1)
    services.reviewers_assign(actor=coordinator, round=round)
    assignment = Assignment.objects.order_by("pk").first()
    _login_as_reviewer(client, assignment)

    with translation.override("fr"):
        url = reverse("assessments:review", args=[assignment.pk])
    assert url.startswith("/fr/")
    assert "Preuves</legend>" in client.get(url).content.decode()
