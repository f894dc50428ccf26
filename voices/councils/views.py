from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.accounts.selectors import user_find_by_username
from voices.core.documents import owner_reference
from voices.core.permissions import check_perm, staff_page
from voices.core.selectors import attachment_list_for
from voices.directory.selectors import country_choices

from . import handoff, selectors
from .forms import (
    CouncilFilterForm,
    CouncilForm,
    InvitationForm,
    JoinRequestForm,
    MemberAddForm,
    OwnMembershipForm,
)
from .meeting_selectors import meeting_list_for_council
from .models import Invitation, JoinRequest, Membership
from .services import (
    council_create,
    council_update,
    invitation_accept,
    invitation_create,
    invitation_find,
    invitation_revoke,
    join_request_create,
    join_request_decide,
    membership_add,
    membership_end,
    membership_end_undo,
    membership_update_own,
)

PAGE_SIZE = 24


def council_list(request: HttpRequest) -> HttpResponse:
    form = CouncilFilterForm(
        request.GET or None, countries=country_choices(), domains=selectors.policy_domains()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.council_list(
        country=filters.get("country"), level=filters.get("level"), domain=filters.get("domain")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "councils/council_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def council_detail(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    user = request.user
    sees_contacts = user.has_perm("councils.view_member_contacts", council)
    members = selectors.members_current(council=council, public_only=not sees_contacts)
    own = (
        selectors.membership_current(user=user, council=council) if user.is_authenticated else None
    )
    pending = (
        JoinRequest.objects.filter(
            council=council, user=user, status=JoinRequest.Status.PENDING
        ).exists()
        if user.is_authenticated
        else False
    )
    context = {
        "council": council,
        "members": members,
        "sees_contacts": sees_contacts,
        "own_membership": own,
        "has_pending_request": pending,
        "status_changes": council.status_changes.all()[:10],
        "links": handoff.council_links(council, user),
        "upcoming_meetings": meeting_list_for_council(council=council)[0][:3],
        "documents": attachment_list_for(council),
        "owner_ref": owner_reference(council),
        "can_add_document": user.has_perm("councils.add_council_document", council),
        "can_delete_document": user.has_perm("councils.delete_council_document", council),
    }
    return render(request, "councils/council_detail.html", context)


@staff_page
def council_create_view(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "councils.add_council")
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parts = form.relations()
        try:
            council = council_create(
                actor=request.user, domains=parts["domains"],
                supporting_organisations=parts["supporting_organisations"], **parts["fields"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The council was set up."))
            return redirect(council)
    return render(request, "councils/council_form.html", {"form": form})


@staff_page
def council_edit(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    check_perm(request.user, "councils.change_council", council)
    form = CouncilForm(request.POST or None, instance=council)
    if request.method == "POST" and form.is_valid():
        parts = form.relations()
        try:
            council = council_update(
                actor=request.user, council=council, domains=parts["domains"],
                supporting_organisations=parts["supporting_organisations"], **parts["fields"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(council)
    return render(request, "councils/council_form.html", {"form": form, "council": council})


@staff_page
def member_manage(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    check_perm(request.user, "councils.manage_members", council)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = user_find_by_username(data["username"])
        if person is None:
            form.add_error("username", _("No active account has this username."))
        else:
            try:
                membership_add(
                    actor=request.user, council=council, user=person, role=data["role"],
                    entry=data["entry"], term_start=data["term_start"],
                    term_end=data["term_end"], association=data["association"],
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": person})
                return redirect("councils:members", slug=council.slug)
    context = {
        "council": council,
        "form": form,
        "memberships": selectors.members_all(council=council),
        "requests": selectors.join_requests_pending(council=council),
        "today": timezone.localdate(),
    }
    return render(request, "councils/member_manage.html", context)


@require_POST
@staff_page
def member_end(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    return _membership_change(
        request, slug, membership_id, membership_end, _("%(name)s is no longer a member.")
    )


@require_POST
@staff_page
def member_end_undo(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    return _membership_change(
        request, slug, membership_id, membership_end_undo, _("%(name)s is a member again.")
    )


def _membership_change(request, slug: str, membership_id: int, service, success: str):
    council = selectors.council_get(slug)
    check_perm(request.user, "councils.manage_members", council)
    membership = get_object_or_404(Membership, pk=membership_id, council=council)
    try:
        service(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success % {"name": membership.user})
    return redirect("councils:members", slug=council.slug)


@require_POST
@staff_page
def join_request_decide_view(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    council = selectors.council_get(slug)
    check_perm(request.user, "councils.manage_members", council)
    join_request = get_object_or_404(JoinRequest, pk=request_id, council=council)
    accept = request.POST.get("decision") == "accept"
    try:
        join_request_decide(actor=request.user, join_request=join_request, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = (
            _("%(name)s is now a member.") if accept else _("The request of %(name)s was declined.")
        )
        messages.success(request, text % {"name": join_request.user})
    return redirect("councils:members", slug=council.slug)


@staff_page
def invitation_manage(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    check_perm(request.user, "councils.manage_members", council)
    form = InvitationForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        _invitation, raw = invitation_create(
            actor=request.user, council=council, **form.cleaned_data
        )
        link = request.build_absolute_uri(
            reverse("councils:invitation_accept", kwargs={"token": raw})
        )
        form = InvitationForm()
    context = {
        "council": council,
        "form": form,
        "link": link,
        "invitations": selectors.invitation_list(council=council),
        "now": timezone.now(),
    }
    return render(request, "councils/invitation_manage.html", context)


@require_POST
@staff_page
def invitation_revoke_view(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    council = selectors.council_get(slug)
    check_perm(request.user, "councils.manage_members", council)
    invitation = get_object_or_404(Invitation, pk=invitation_id, council=council)
    invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation link no longer works."))
    return redirect("councils:invitations", slug=council.slug)


@login_required
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_find(token)
    usable = invitation is not None and invitation.is_usable(at=timezone.now())
    if request.method == "POST" and usable:
        try:
            membership = invitation_accept(user=request.user, raw=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Welcome to %(council)s.") % {"council": membership.council}
            )
            return redirect(membership.council)
    status = 200 if usable else 404
    return render(
        request,
        "councils/invitation_accept.html",
        {"invitation": invitation if usable else None},
        status=status,
    )


@login_required
def join_request_view(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            join_request_create(user=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request was sent. A facilitator will answer you."))
            return redirect(council)
    return render(request, "councils/join_request.html", {"council": council, "form": form})


@login_required
def own_membership(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    check_perm(request.user, "councils.change_own_membership", council)
    membership = selectors.membership_current(user=request.user, council=council)
    if membership is None:  # administrators pass every check but still have no seat here
        raise Http404
    form = OwnMembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        membership_update_own(user=request.user, membership=membership, **form.cleaned_data)
        messages.success(request, _("Your choices were saved."))
        return redirect(council)
    context = {"council": council, "form": form, "membership": membership}
    return render(request, "councils/own_membership.html", context)
