"""The public Q&A board: anyone reads, signed-in people ask in the page's language, mentors and
organisers answer until the deadline, organisers hide and show again."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.core.models import AuditEntry, ModerationState, Notification
from voices.inquirylab import mentor_services
from voices.inquirylab.models import Question, Stage
from voices.inquirylab.tests.factories import move_to
from voices.inquirylab.tests.factories_mentors import QuestionFactory, mentor_for, work_challenge


@pytest.fixture
def challenge(db):
    return work_challenge()


@pytest.fixture
def mentor(challenge):
    return mentor_for(challenge)


@pytest.fixture
def question(challenge):
    return QuestionFactory(challenge=challenge, author=UserFactory(display_name="Olena"))


def _board(challenge) -> str:
    return reverse("inquirylab:questions", kwargs={"slug": challenge.slug})


# Asking


@pytest.mark.django_db
def test_anyone_signed_in_asks_and_the_mentors_are_told(challenge, mentor):
    asker = UserFactory()

    question = mentor_services.question_ask(
        actor=asker, challenge=challenge, body=" May we cite news articles?\r\n", language="fr"
    )

    assert question.body == "May we cite news articles?" and question.language == "fr"
    assert question.moderation_state == ModerationState.VISIBLE
    notice = Notification.objects.get(kind="lab_question")
    assert notice.recipient == mentor.user


@pytest.mark.django_db
def test_mentors_are_told_at_most_once_an_hour_about_the_board(challenge, mentor):
    for n in range(3):
        mentor_services.question_ask(
            actor=UserFactory(), challenge=challenge, body=f"Question {n}", language="en"
        )

    assert Notification.objects.filter(recipient=mentor.user, kind="lab_question").count() == 1


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_the_sites(challenge):
    question = mentor_services.question_ask(
        actor=UserFactory(), challenge=challenge, body="Hello?", language="xx"
    )

    assert question.language == "en"


@pytest.mark.django_db
def test_no_question_after_the_deadline(challenge):
    move_to(challenge, Stage.RESULTS)

    with pytest.raises(ValidationError) as refused:
        mentor_services.question_ask(
            actor=UserFactory(), challenge=challenge, body="Too late?", language="en"
        )

    assert refused.value.code == "stage"


@pytest.mark.django_db
def test_a_question_keeps_the_language_of_the_page_it_was_asked_on(client, challenge):
    client.force_login(UserFactory(languages=["en"]))

    response = client.post(
        f"/uk{_board(challenge)[3:]}ask/", {"body": "Чи можна писати українською?"}
    )

    assert response.status_code == 302
    assert Question.objects.get().language == "uk"


@pytest.mark.django_db
def test_asking_needs_an_account(client, challenge):
    response = client.post(
        reverse("inquirylab:question_ask", kwargs={"slug": challenge.slug}), {"body": "Hello?"}
    )

    assert response.status_code == 302 and "login" in response["Location"]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_an_empty_question_is_refused_on_the_page(client, challenge):
    client.force_login(UserFactory())

    response = client.post(
        reverse("inquirylab:question_ask", kwargs={"slug": challenge.slug}), {"body": "   "}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


# Answering


@pytest.mark.django_db
def test_a_mentor_answers_and_the_asker_is_told_once(question, mentor):
    mentor_services.question_answer(actor=mentor.user, question=question, answer="Yes, cite them.")
    mentor_services.question_answer(
        actor=mentor.user, question=question, answer="Yes, cite them with the date."
    )

    question.refresh_from_db()
    assert question.answer == "Yes, cite them with the date."
    assert question.answered_by == mentor.user and question.answered_at
    assert (
        Notification.objects.filter(recipient=question.author, kind="lab_question_answered").count()
        == 1
    )
    assert AuditEntry.objects.filter(object_id=str(question.pk)).count() == 2


@pytest.mark.django_db
def test_an_organiser_answers_too(question, organiser):
    mentor_services.question_answer(actor=organiser, question=question, answer="Yes.")

    question.refresh_from_db()
    assert question.answered_by == organiser


@pytest.mark.django_db
def test_participants_and_paused_mentors_do_not_answer(challenge, question):
    paused = mentor_for(challenge, is_active=False)

    for actor in (question.author, paused.user, UserFactory()):
        with pytest.raises(PermissionDenied):
            mentor_services.question_answer(actor=actor, question=question, answer="Yes.")


@pytest.mark.django_db
def test_answering_stops_at_the_deadline(challenge, question, mentor):
    move_to(challenge, Stage.JUDGING)

    with pytest.raises(ValidationError) as refused:
        mentor_services.question_answer(actor=mentor.user, question=question, answer="Late.")

    assert refused.value.code == "stage"


@pytest.mark.django_db
def test_a_hidden_question_is_not_answered(question, organiser):
    mentor_services.question_set_hidden(actor=organiser, question=question, hidden=True)

    with pytest.raises(ValidationError) as refused:
        mentor_services.question_answer(actor=organiser, question=question, answer="Yes.")

    assert refused.value.code == "hidden"


@pytest.mark.django_db
def test_answering_through_the_page(client, question, mentor):
    client.force_login(mentor.user)
    url = reverse("inquirylab:question_answer", kwargs={"question_id": question.pk})

    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "Yes.\r\nWith sources."}, follow=True)

    assert response.redirect_chain[-1][0].endswith(f"#question-{question.pk}")
    assert "Yes.<br>With sources." in response.content.decode()


@pytest.mark.django_db
def test_the_answer_page_is_refused_to_participants(client, question):
    client.force_login(question.author)

    url = reverse("inquirylab:question_answer", kwargs={"question_id": question.pk})
    assert client.get(url).status_code == 403


# Hiding


@pytest.mark.django_db
def test_an_organiser_hides_a_question_and_shows_it_again(client, challenge, question, organiser):
    mentor_services.question_set_hidden(actor=organiser, question=question, hidden=True)
    assert question.body not in Client().get(_board(challenge)).content.decode()

    mentor_services.question_set_hidden(actor=organiser, question=question, hidden=False)
    assert question.body in Client().get(_board(challenge)).content.decode()
    assert AuditEntry.objects.filter(object_id=str(question.pk)).count() == 2


@pytest.mark.django_db
def test_mentors_do_not_hide_questions(question, mentor):
    with pytest.raises(PermissionDenied):
        mentor_services.question_set_hidden(actor=mentor.user, question=question, hidden=True)


@pytest.mark.django_db
def test_hiding_through_the_page_offers_the_undo(client, challenge, question, organiser):
    client.force_login(organiser)
    url = reverse("inquirylab:question_hide", kwargs={"question_id": question.pk})

    content = client.post(url, {"hidden": "1"}, follow=True).content.decode()
    assert "Show on the board again" in content
    question.refresh_from_db()
    assert question.moderation_state == ModerationState.HIDDEN

    client.post(url, {"hidden": "0"})
    question.refresh_from_db()
    assert question.moderation_state == ModerationState.VISIBLE


@pytest.mark.django_db
def test_the_author_still_sees_their_hidden_question_marked(client, challenge, question):
    question.moderation_state = ModerationState.HIDDEN
    question.save()
    client.force_login(question.author)

    content = client.get(_board(challenge)).content.decode()

    assert question.body in content and "Hidden by the organisers" in content


# The board


@pytest.mark.django_db
def test_anyone_reads_the_board_with_public_names_only(client, challenge, question, mentor):
    mentor.user.display_name = "Dr Nadia"
    mentor.user.save()
    mentor_services.question_answer(actor=mentor.user, question=question, answer="Yes, it can.")

    content = client.get(_board(challenge)).content.decode()

    assert question.body in content and "Yes, it can." in content
    assert "Olena" in content and "Dr Nadia" in content
    assert question.author.username not in content and mentor.user.username not in content
    assert 'lang="en"' in content


@pytest.mark.django_db
def test_mentors_see_the_unanswered_questions_first(client, challenge, mentor):
    old_open = QuestionFactory(challenge=challenge, body="Old and open")
    answered = QuestionFactory(
        challenge=challenge, body="New and answered", answer="Yes.", answered_at=timezone.now()
    )
    Question.objects.filter(pk=old_open.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )

    public = [q.pk for q in Client().get(_board(challenge)).context["page"].object_list]
    client.force_login(mentor.user)
    for_mentors = [q.pk for q in client.get(_board(challenge)).context["page"].object_list]

    assert public == [answered.pk, old_open.pk]
    assert for_mentors == [old_open.pk, answered.pk]


@pytest.mark.django_db
def test_after_the_deadline_the_board_is_read_only_and_says_so(client, challenge, question):
    move_to(challenge, Stage.JUDGING)
    client.force_login(UserFactory())

    content = client.get(_board(challenge)).content.decode()

    assert question.body in content
    assert reverse("inquirylab:question_ask", kwargs={"slug": challenge.slug}) not in content
    assert "Nobody asks or answers after the submission deadline" in content


@pytest.mark.django_db
def test_an_unpublished_challenges_board_is_hidden(client):
    draft = work_challenge(is_published=False)

    assert client.get(_board(draft)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "mentor", "organiser"])
def test_the_board_runs_as_many_queries_with_50_questions_as_with_2(
    challenge, mentor, organiser, who, django_assert_num_queries
):
    client = Client()
    if who != "anonymous":
        client.force_login({"mentor": mentor.user, "organiser": organiser}[who])

    def ask(count: int) -> None:
        for _n in range(count):
            QuestionFactory(
                challenge=challenge, answer="Yes.", answered_by=mentor.user,
                answered_at=timezone.now(),
            )  # fmt: skip

    ask(2)
    client.get(_board(challenge))
    with CaptureQueriesContext(connection) as few:
        client.get(_board(challenge))
    ask(53)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(_board(challenge))
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db
def test_the_board_in_ukrainian(client, challenge, question):
    response = client.get(f"/uk{_board(challenge)[3:]}")

    assert response.status_code == 200
    assert '<html lang="uk"' in response.content.decode()
    assert question.body in response.content.decode()
