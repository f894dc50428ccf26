"""Notifications: stored in-app, emailed after commit, written in the recipient's language."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from voices.accounts.tests.factories import UserFactory
from voices.core.models import Notification
from voices.core.notifications import notification_send, notifications_mark_read
from voices.core.tasks import notification_email

TEMPLATE = "test_notifications/meeting"


@pytest.fixture(autouse=True)
def notification_templates(settings, tmp_path):
    """Tiny subject/body templates that show the language they were rendered in."""
    folder = tmp_path / "templates" / "test_notifications"
    folder.mkdir(parents=True)
    (folder / "meeting_subject.txt").write_text(
        "{% load i18n %}{% get_current_language as lang %}\n"
        "  [{{ lang }}] Meeting on   {{ day }}\n",
        encoding="utf-8",
    )
    (folder / "meeting_body.txt").write_text(
        "{% load i18n %}{% get_current_language as lang %}\n"
        "Hello {{ name }}, this is written in {{ lang }}.\n"
        # A string from Django's own catalogue, to show gettext follows the language too.
        "{% translate 'Enter a valid value.' %}\n",
        encoding="utf-8",
    )
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [tmp_path / "templates", *engine["DIRS"]]
    settings.TEMPLATES = [engine]


def send(recipient, **extra):
    return notification_send(
        recipient=recipient,
        kind="meeting",
        template=TEMPLATE,
        context={"day": "Monday", "name": recipient.display_name},
        url="/en/organisations/",
        **extra,
    )


@pytest.fixture
def french_reader(db):
    return UserFactory(username="claire", display_name="Claire", languages=["fr", "en"])


# notification_send


@pytest.mark.django_db
def test_it_renders_the_notification_in_the_recipients_language(
    french_reader, django_capture_on_commit_callbacks
):
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        notification = send(french_reader)

    assert notification.subject == "[fr] Meeting on Monday"
    assert notification.body.startswith("Hello Claire, this is written in fr.")
    assert "Saisissez une valeur valide." in notification.body
    assert translation.get_language() != "fr"  # the sender's language is left as it was


@pytest.mark.django_db
def test_a_recipient_without_languages_gets_the_default_language(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(languages=[])

    with translation.override("it"), django_capture_on_commit_callbacks(execute=True):
        notification = send(user)

    assert notification.subject == "[en] Meeting on Monday"


@pytest.mark.django_db
def test_it_stores_the_notification_for_the_recipient(french_reader):
    notification = send(french_reader)

    stored = Notification.objects.get()
    assert stored == notification
    assert stored.recipient == french_reader
    assert stored.kind == "meeting"
    assert stored.url == "/en/organisations/"
    assert stored.read_at is None


@pytest.mark.django_db
def test_it_emails_the_recipient_only_after_the_transaction_commits(
    french_reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(french_reader)

    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire@example.org"]
    assert message.subject == "[fr] Meeting on Monday"
    assert "written in fr" in message.body


@pytest.mark.django_db
def test_no_email_goes_to_someone_without_an_address(django_capture_on_commit_callbacks):
    user = UserFactory(email="")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(user)

    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=user).exists()


@pytest.mark.django_db
def test_no_email_goes_to_someone_who_opted_out(django_capture_on_commit_callbacks):
    user = UserFactory(email_notifications=False)

    with django_capture_on_commit_callbacks(execute=True):
        send(user)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=user).exists()


@pytest.mark.django_db
def test_the_email_task_does_nothing_when_the_notification_is_gone(french_reader):
    notification = send(french_reader)
    notification_id = notification.pk
    notification.delete()

    notification_email.call(notification_id=notification_id)

    assert mail.outbox == []


@pytest.mark.django_db
def test_the_email_task_does_nothing_when_the_address_was_removed(french_reader):
    notification = send(french_reader)
    french_reader.email = ""
    french_reader.save()

    notification_email.call(notification_id=notification.pk)

    assert mail.outbox == []


# notifications_mark_read


@pytest.mark.django_db
def test_marking_read_touches_only_the_users_own_unread_notifications(participant, outsider):
    mine = [send(participant), send(participant)]
    already = send(participant)
    already.read_at = timezone.now() - timezone.timedelta(days=1)
    already.save()
    theirs = send(outsider)

    count = notifications_mark_read(user=participant)

    assert count == 2
    for n in mine:
        n.refresh_from_db()
        assert n.read_at is not None
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_marking_read_can_be_limited_to_some_notifications(participant):
    first, second = send(participant), send(participant)

    assert notifications_mark_read(user=participant, ids=[first.pk]) == 1

    second.refresh_from_db()
    assert second.read_at is None


# The notifications page


@pytest.mark.django_db
def test_the_page_lists_only_the_users_own_notifications(client, participant, outsider):
    Notification.objects.create(recipient=participant, kind="k", subject="For Amal", body="b")
    Notification.objects.create(recipient=outsider, kind="k", subject="For someone else", body="b")
    client.force_login(participant)

    response = client.get(reverse("core:notifications"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "For Amal" in content
    assert "For someone else" not in content
    assert "Mark all as read" in content


@pytest.mark.django_db
def test_the_page_says_when_there_is_nothing(client, participant):
    client.force_login(participant)

    response = client.get(reverse("core:notifications"))

    assert "You have no notifications." in response.content.decode()


@pytest.mark.django_db
def test_the_page_needs_a_signed_in_user(client):
    response = client.get(reverse("core:notifications"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_mark_all_read_marks_them_and_returns_to_the_list(client, participant, outsider):
    mine = Notification.objects.create(recipient=participant, kind="k", subject="s", body="b")
    theirs = Notification.objects.create(recipient=outsider, kind="k", subject="s", body="b")
    client.force_login(participant)

    response = client.post(reverse("core:notifications_read"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("core:notifications")
    assert "All notifications are marked as read." in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_read_returns_to_a_local_next_page(client, participant):
    client.force_login(participant)

    response = client.post(reverse("core:notifications_read"), {"next": "/en/organisations/"})

    assert response["Location"] == "/en/organisations/"


@pytest.mark.django_db
def test_mark_all_read_ignores_a_next_page_on_another_site(client, participant):
    client.force_login(participant)

    response = client.post(
        reverse("core:notifications_read"), {"next": "https://evil.example/phish"}
    )

    assert response["Location"] == reverse("core:notifications")


@pytest.mark.django_db
def test_mark_all_read_needs_a_post(client, participant):
    client.force_login(participant)

    assert client.get(reverse("core:notifications_read")).status_code == 405
