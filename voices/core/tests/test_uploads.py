"""Uploads are judged by their bytes, stored privately and served only to those allowed."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.core.models import Attachment
from voices.core.uploads import attachment_create, attachment_delete
from voices.directory.tests.factories import OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ" + b"\x90\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def png_bytes() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def document(authority, coordinator):
    return attachment_create(
        owner=authority, upload=upload("minutes.pdf", PDF), uploaded_by=coordinator
    )


# attachment_create


@pytest.mark.django_db
def test_it_stores_a_pdf_under_its_own_name(authority, coordinator, settings):
    attachment = attachment_create(
        owner=authority, upload=upload("Minutes 2025.pdf", PDF), uploaded_by=coordinator
    )

    assert attachment.mime_type == "application/pdf"
    assert attachment.name == "Minutes_2025.pdf"
    assert attachment.size == len(PDF)
    assert attachment.owner == authority
    assert attachment.uploaded_by == coordinator
    assert attachment.file.read() == PDF
    assert len(stored_files(settings)) == 1


@pytest.mark.django_db
def test_it_judges_the_type_by_content_not_by_name(authority, coordinator):
    attachment = attachment_create(
        owner=authority, upload=upload("report.pdf", png_bytes()), uploaded_by=coordinator
    )

    assert attachment.mime_type == "image/png"
    assert attachment.name == "report.png"
    assert attachment.file.name.endswith(".png")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("invoice.pdf", EXE), ("invoice.pdf", HTML), ("notes.txt", b"just some plain text")],
)
def test_it_refuses_files_of_a_kind_it_does_not_accept(
    authority, coordinator, settings, name, content
):
    with pytest.raises(ValidationError) as exc:
        attachment_create(owner=authority, upload=upload(name, content), uploaded_by=coordinator)

    assert exc.value.code == "file_type"
    assert "PDF" in exc.value.messages[0]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_it_refuses_files_over_the_limit(authority, coordinator, settings):
    settings.UPLOAD_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as exc:
        attachment_create(
            owner=authority, upload=upload("big.pdf", PDF + b"0" * 1024), uploaded_by=coordinator
        )

    assert exc.value.code == "file_too_large"
    assert "1.0\xa0KB" in exc.value.messages[0]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_it_accepts_a_file_exactly_at_the_limit(authority, coordinator, settings):
    settings.UPLOAD_MAX_BYTES = len(PDF)

    attachment = attachment_create(
        owner=authority, upload=upload("fits.pdf", PDF), uploaded_by=coordinator
    )

    assert attachment.size == settings.UPLOAD_MAX_BYTES


@pytest.mark.django_db
def test_it_refuses_an_empty_file(authority, coordinator, settings):
    with pytest.raises(ValidationError) as exc:
        attachment_create(owner=authority, upload=upload("empty.pdf", b""), uploaded_by=coordinator)

    assert exc.value.code == "empty_file"
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_it_leaves_no_file_behind_when_the_row_cannot_be_saved(
    authority, coordinator, settings, monkeypatch
):
    def refuse(self, *args, **kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(Attachment, "full_clean", refuse)

    with pytest.raises(ValidationError):
        attachment_create(owner=authority, upload=upload("a.pdf", PDF), uploaded_by=coordinator)

    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_deleting_an_attachment_removes_its_file_after_commit(
    document, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment_delete(attachment=document)

    assert not Attachment.objects.exists()
    assert len(stored_files(settings)) == 1  # still there until the transaction commits

    for callback in callbacks:
        callback()
    assert stored_files(settings) == []


# The download view


def download(client, attachment):
    return client.get(reverse("core:attachment_download", args=[attachment.pk]))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "admin_user", "officer"])
def test_those_allowed_can_download_the_file(client, document, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = download(client, document)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="minutes.pdf"' in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    response.close()


@pytest.mark.django_db
def test_a_representative_of_the_owning_organisation_can_download(client, document, authority):
    representative = UserFactory()
    grant(representative, Role.REPRESENTATIVE, authority)
    client.force_login(representative)

    response = download(client, document)

    assert response.status_code == 200
    response.close()


@pytest.mark.django_db
def test_anyone_else_gets_a_404(client, document, participant):
    client.force_login(participant)

    assert download(client, document).status_code == 404


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_a_404(client, document):
    assert download(client, document).status_code == 404


@pytest.mark.django_db
def test_an_officer_of_another_organisation_gets_a_404(client, document):
    other_officer = UserFactory()
    grant(other_officer, Role.OFFICER, OrganisationFactory())
    client.force_login(with_second_factor(other_officer))

    assert download(client, document).status_code == 404


@pytest.mark.django_db
def test_a_missing_attachment_is_a_404(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("core:attachment_download", args=[999999]))

    assert response.status_code == 404
