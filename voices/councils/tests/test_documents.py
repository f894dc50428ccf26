"""A council's charter and the papers of agenda items: added by those who run them, public."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voices.core.models import Attachment, AuditEntry
from voices.councils.models import Membership
from voices.councils.tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
    facilitator_of,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="charter.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def upload(client, owner_ref, name="charter.pdf"):
    return client.post(reverse("core:document_upload"), {"owner": owner_ref, "file": pdf(name)})


@pytest.mark.django_db
def test_a_facilitator_adds_the_charter_and_anyone_can_read_it(client):
    council = CouncilFactory()
    facilitator = facilitator_of(council)
    client.force_login(facilitator)

    response = upload(client, f"councils.council:{council.pk}")

    assert response.status_code == 302
    document = Attachment.objects.get()
    assert document.owner == council
    assert AuditEntry.objects.filter(action="create", object_repr="charter.pdf").exists()
    client.logout()
    page = client.get(council.get_absolute_url()).content.decode()
    assert "charter.pdf" in page
    download = client.get(reverse("core:attachment_download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.django_db
def test_a_member_cannot_add_to_the_charter(client):
    council = CouncilFactory()
    member = MembershipFactory(council=council).user
    client.force_login(member)

    response = upload(client, f"councils.council:{council.pk}")

    assert response.status_code == 403
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_unknown_owner_is_a_404(client, coordinator):
    client.force_login(coordinator)

    for reference in ("accounts.user:1", "councils.council:999", "nonsense", "councils.council:x"):
        assert upload(client, reference).status_code == 404
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_the_secretary_attaches_papers_to_an_agenda_item_and_can_remove_them(client):
    council = CouncilFactory()
    secretary = MembershipFactory(council=council, role=Membership.Role.SECRETARY).user
    item = AgendaItemFactory(meeting=MeetingFactory(council=council))
    client.force_login(secretary)

    upload(client, f"councils.agendaitem:{item.pk}", name="budget.pdf")
    document = Attachment.objects.get()
    assert "budget.pdf" in client.get(item.meeting.get_absolute_url()).content.decode()

    response = client.post(reverse("core:document_remove", args=[document.pk]))

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_repr="budget.pdf").exists()


@pytest.mark.django_db
def test_the_meeting_page_reads_the_papers_of_all_items_at_once(client):
    council = CouncilFactory()
    facilitator = facilitator_of(council)
    meeting = MeetingFactory(council=council)
    client.force_login(facilitator)
    for n in range(2):
        item = AgendaItemFactory(meeting=meeting)
        upload(client, f"councils.agendaitem:{item.pk}", name=f"paper{n}.pdf")
    client.get(meeting.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(meeting.get_absolute_url())
    for n in range(6):
        item = AgendaItemFactory(meeting=meeting)
        upload(client, f"councils.agendaitem:{item.pk}", name=f"more{n}.pdf")

    with CaptureQueriesContext(connection) as many:
        page = client.get(meeting.get_absolute_url()).content.decode()

    assert "more5.pdf" in page
    assert len(many.captured_queries) == len(few.captured_queries)
