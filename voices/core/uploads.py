"""Uploads: checked by their content (not their name) and size, stored outside any public URL."""

from __future__ import annotations

from pathlib import PurePath

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from .models import Attachment

# What staff may attach: documents and pictures, recognised by their first bytes.
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
}


def sniff_type(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload: UploadedFile, *, allowed: dict[str, str] | None = None) -> str:
    """Return the file's real content type, or raise ValidationError with a clear message."""
    allowed = allowed or DOCUMENT_TYPES
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large. The limit is %(limit)s.")
            % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="file_too_large",
        )
    mime = sniff_type(upload)
    if mime not in allowed:
        raise ValidationError(
            _("This kind of file is not accepted. Accepted: %(kinds)s.")
            % {"kinds": ", ".join(sorted(set(allowed.values()))).upper()},
            code="file_type",
        )
    return mime


@transaction.atomic
def attachment_create(
    *, owner: models.Model, upload: UploadedFile, uploaded_by, allowed: dict[str, str] | None = None
) -> Attachment:
    """Store a checked upload and attach it to `owner`."""
    mime = validate_upload(upload, allowed=allowed)
    extension = (allowed or DOCUMENT_TYPES)[mime]
    stem = get_valid_filename(PurePath(upload.name or "file").stem)[:150] or "file"
    name = f"{stem}.{extension}"
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=str(owner.pk),
        name=name,
        mime_type=mime,
        size=upload.size,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        # Nothing half-written: a row that could not be stored leaves no file behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment) -> None:
    """Remove an attachment and its stored file."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
