from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .documents import can_add_document, document_add, document_delete, owner_from_reference
from .forms import AuditFilterForm, DocumentForm
from .notifications import notifications_mark_read
from .permissions import check_perm, staff_page
from .selectors import (
    attachment_get_for_user,
    audit_content_types,
    audit_entry_list,
    notification_list_for,
)

PAGE_SIZE = 50


@staff_page
def audit_log(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "core.view_auditlog")
    form = AuditFilterForm(request.GET or None, content_types=audit_content_types())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entry_list(
        actor=filters.get("actor"),
        content_type_id=filters.get("content_type"),
        action=filters.get("action"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "core/audit_log.html", context)


def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = attachment_get_for_user(attachment_id, user=request.user)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.mime_type,
    )
    # Private files must not linger in shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notification_list.html", {"page": page})


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back_to(request, "core:notifications")


def _back_to(request: HttpRequest, fallback) -> HttpResponse:
    """Redirect to the form's `next` when it is a path on this site, else to `fallback`."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)


@require_POST
@staff_page
def document_upload(request: HttpRequest) -> HttpResponse:
    owner = owner_from_reference(request.POST.get("owner", ""))
    if owner is None:
        raise Http404
    if not can_add_document(request.user, owner):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_add(actor=request.user, owner=owner, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The document was uploaded."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return _back_to(request, owner)


@require_POST
@staff_page
def document_remove(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = attachment_get_for_user(attachment_id, user=request.user)
    check_perm(request.user, "core.delete_attachment", attachment)
    owner = attachment.owner
    document_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("The document “%(name)s” was removed.") % {"name": attachment.name})
    return _back_to(request, owner)
