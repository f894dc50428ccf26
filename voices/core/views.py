from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import AuditFilterForm
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
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("core:notifications")
