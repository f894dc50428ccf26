"""Daily digests and recurring tasks: one email a day for those who chose it, each round once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import task

from voices.accounts.tests.factories import UserFactory
from voices.core import periodic
from voices.core.models import Notification, PeriodicRun
from voices.core.notifications import notification_digests_send, notification_send

TEMPLATE = "test_digests/news"
NOW = datetime.datetime(2026, 6, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def notification_templates(settings, tmp_path):
    """A tiny notification whose subject names what it is about."""
    folder = tmp_path / "templates" / "test_digests"
    folder.mkdir(parents=True)
    (folder / "news_subject.txt").write_text("News about {{ what }}\n", encoding="utf-8")
    (folder / "news_body.txt").write_text("Something happened to {{ what }}.\n", encoding="utf-8")
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [tmp_path / "templates", *engine["DIRS"]]
    settings.TEMPLATES = [engine]


def send(recipient, what: str) -> Notification:
    return notification_send(
        recipient=recipient, kind="news", template=TEMPLATE, context={"what": what}, url="/en/"
    )


def run_digests(capture, *, now=NOW) -> int:
    # The digest email is queued after its transaction commits, like every email.
    with capture(execute=True):
        return notification_digests_send(now=now)


@pytest.fixture
def reader(db):
    return UserFactory(username="reader", email_digest=True)


# Digests


@pytest.mark.django_db
def test_someone_who_chose_a_digest_gets_no_email_at_once(
    reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = send(reader, "the library")

    assert callbacks == []
    assert mail.outbox == []
    assert (notification.in_digest, notification.emailed_at) == (True, None)


@pytest.mark.django_db
def test_the_digest_sends_one_email_with_everything_waiting(
    reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for what in ("the library", "the night buses", "the park"):
            send(reader, what)

    assert run_digests(django_capture_on_commit_callbacks) == 1

    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert message.subject == "3 new notifications on Voices"
    for what in ("the library", "the night buses", "the park"):
        assert f"News about {what}" in message.body
        assert f"Something happened to {what}." in message.body
    assert list(Notification.objects.values_list("emailed_at", flat=True)) == [NOW] * 3


@pytest.mark.django_db
def test_a_second_digest_run_sends_nothing_more(reader, django_capture_on_commit_callbacks):
    send(reader, "the library")
    run_digests(django_capture_on_commit_callbacks)

    assert (
        run_digests(django_capture_on_commit_callbacks, now=NOW + datetime.timedelta(hours=1)) == 0
    )

    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at == NOW  # not marked again


@pytest.mark.django_db
def test_the_next_digest_carries_only_what_came_since(reader, django_capture_on_commit_callbacks):
    send(reader, "the library")
    run_digests(django_capture_on_commit_callbacks)
    send(reader, "the park")

    assert (
        run_digests(django_capture_on_commit_callbacks, now=NOW + datetime.timedelta(days=1)) == 1
    )

    latest = mail.outbox[-1]
    assert latest.subject == "1 new notification on Voices"
    assert "the park" in latest.body
    assert "the library" not in latest.body


@pytest.mark.django_db
def test_each_reader_gets_their_own_digest(reader, django_capture_on_commit_callbacks):
    other = UserFactory(username="other", email_digest=True)
    send(reader, "the library")
    send(other, "the park")
    send(other, "the pool")

    assert run_digests(django_capture_on_commit_callbacks) == 2

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"reader@example.org", "other@example.org"}
    assert "the library" in by_address["reader@example.org"].body
    assert "the park" not in by_address["reader@example.org"].body
    assert by_address["other@example.org"].subject == "2 new notifications on Voices"


@pytest.mark.django_db
def test_someone_without_a_digest_gets_each_email_at_once_and_no_digest(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(username="quick", email_digest=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = send(user, "the library")

    (message,) = mail.outbox
    assert (message.to, message.subject) == (["quick@example.org"], "News about the library")
    notification.refresh_from_db()
    assert notification.in_digest is False
    assert notification.emailed_at is not None

    assert run_digests(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_someone_who_turned_emails_off_since_gets_no_digest_but_the_waiting_ones_are_marked(
    reader, django_capture_on_commit_callbacks
):
    send(reader, "the library")
    reader.email_notifications = False
    reader.save()

    assert run_digests(django_capture_on_commit_callbacks) == 0

    assert mail.outbox == []
    # Marked, so that turning emails on again does not send old news.
    assert Notification.objects.get().emailed_at == NOW


@pytest.mark.django_db
def test_someone_who_removed_their_address_gets_no_digest_but_the_waiting_ones_are_marked(
    reader, django_capture_on_commit_callbacks
):
    send(reader, "the library")
    reader.email = ""
    reader.save()

    assert run_digests(django_capture_on_commit_callbacks) == 0

    assert mail.outbox == []
    assert Notification.objects.get().emailed_at == NOW


@pytest.mark.django_db
def test_someone_who_wants_no_emails_gets_neither_kind(django_capture_on_commit_callbacks):
    user = UserFactory(email_notifications=False, email_digest=True)

    with django_capture_on_commit_callbacks(execute=True):
        notification = send(user, "the library")

    assert notification.in_digest is False  # nothing is kept waiting for an email never sent
    assert run_digests(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=user).exists()  # still shown in the app


@pytest.mark.django_db
def test_the_digest_is_written_in_the_readers_language(django_capture_on_commit_callbacks):
    user = UserFactory(username="claire", email_digest=True, languages=["fr"])
    send(user, "la bibliothèque")
    send(user, "le parc")

    run_digests(django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    english = "2 new notifications on Voices"
    singular = "%(counter)s new notification on Voices"
    plural = "%(counter)s new notifications on Voices"
    with translation.override("fr"):
        translated = ngettext(singular, plural, 2) != plural
    # The catalogues are being translated: compare only once this one is.
    if translated:
        assert message.subject != english
    assert "la bibliothèque" in message.body
    assert translation.get_language() == "en"  # the sender's language is left as it was


# Recurring tasks

CALLS: list[str] = []


@task()
def tick() -> None:
    CALLS.append("tick")


@task()
def tock() -> None:
    CALLS.append("tock")


@pytest.fixture
def registry(monkeypatch):
    """Only this module's tasks are registered; the real ones are left alone."""
    monkeypatch.setattr(periodic, "_registry", {})
    CALLS.clear()
    periodic.register(tick, every=datetime.timedelta(hours=1))
    return periodic


def enqueue(capture, now) -> list[str]:
    with capture(execute=True):
        return periodic.periodic_enqueue_due(now=now)


@pytest.mark.django_db
def test_a_registered_task_is_enqueued_once_per_interval(
    registry, django_capture_on_commit_callbacks
):
    hour = datetime.timedelta(hours=1)

    assert enqueue(django_capture_on_commit_callbacks, NOW) == [tick.module_path]
    assert enqueue(django_capture_on_commit_callbacks, NOW) == []
    assert (
        enqueue(django_capture_on_commit_callbacks, NOW + hour - datetime.timedelta(seconds=1))
        == []
    )
    assert CALLS == ["tick"]

    assert enqueue(django_capture_on_commit_callbacks, NOW + hour) == [tick.module_path]
    assert CALLS == ["tick", "tick"]
    assert PeriodicRun.objects.get(name=tick.module_path).last_enqueued_at == NOW + hour


@pytest.mark.django_db
def test_each_registered_task_keeps_its_own_interval(registry, django_capture_on_commit_callbacks):
    periodic.register(tock, every=datetime.timedelta(days=1))

    assert sorted(enqueue(django_capture_on_commit_callbacks, NOW)) == sorted(
        [tick.module_path, tock.module_path]
    )
    assert enqueue(django_capture_on_commit_callbacks, NOW + datetime.timedelta(hours=2)) == [
        tick.module_path
    ]
    assert sorted(CALLS) == ["tick", "tick", "tock"]


@pytest.mark.django_db
def test_a_task_is_enqueued_only_after_the_round_is_recorded(
    registry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        names = periodic.periodic_enqueue_due(now=NOW)

    # Nothing runs before the commit that records the round.
    assert names == [tick.module_path]
    assert CALLS == []
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_real_recurring_work_is_registered():
    names = set(periodic.registered())

    assert "voices.core.tasks.notification_digests" in names
    assert "voices.recommendations.tasks.recommendation_deadlines" in names
    assert periodic.registered()["voices.core.tasks.notification_digests"].every == (
        datetime.timedelta(days=1)
    )


@pytest.mark.django_db
def test_the_digest_task_sends_the_digests(reader, django_capture_on_commit_callbacks):
    from voices.core.tasks import notification_digests

    send(reader, "the library")

    with django_capture_on_commit_callbacks(execute=True):
        notification_digests.call()

    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at <= timezone.now()
