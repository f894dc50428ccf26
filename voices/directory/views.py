from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.accounts.models import RoleGrant
from voices.accounts.selectors import role_grants_for_scope, user_find_by_username
from voices.core.permissions import check_perm, staff_page
from voices.core.selectors import attachment_list_for

from . import selectors
from .forms import DocumentForm, OrganisationFilterForm, OrganisationForm, OrganisationPersonForm
from .services import (
    organisation_create,
    organisation_document_add,
    organisation_person_add,
    organisation_person_remove,
    organisation_update,
)

PAGE_SIZE = 25


def country_list(request: HttpRequest) -> HttpResponse:
    countries = selectors.country_list()
    programme = [c for c in countries if c.is_programme]
    others = [c for c in countries if not c.is_programme]
    return render(
        request, "directory/country_list.html", {"programme": programme, "others": others}
    )


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = selectors.country_get(code)
    organisations = selectors.organisation_list(country=country.code.code)
    regions = country.regions.prefetch_related("municipalities")
    context = {"country": country, "organisations": organisations, "regions": regions}
    return render(request, "directory/country_detail.html", context)


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None, countries=selectors.country_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.organisation_list(country=filters.get("country"), kind=filters.get("kind"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "directory/organisation_list.html", context)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(slug, user=request.user)
    user = request.user
    documents = (
        attachment_list_for(organisation)
        if user.has_perm("directory.view_organisation_document", organisation)
        else None
    )
    people = (
        role_grants_for_scope(scope_type_id=_org_type_id(), scope_id=str(organisation.pk))
        if user.has_perm("directory.view_organisation_people", organisation)
        else None
    )
    context = {
        "organisation": organisation,
        "documents": documents,
        "people": people,
        "document_form": DocumentForm(),
    }
    return render(request, "directory/organisation_detail.html", context)


def _org_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    from .models import Organisation

    return ContentType.objects.get_for_model(Organisation).pk


@staff_page
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "directory.add_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The organisation was added."))
            return redirect(organisation)
    return render(request, "directory/organisation_form.html", {"form": form})


@staff_page
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(slug, user=request.user)
    check_perm(request.user, "directory.change_organisation", organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(organisation)
    context = {"form": form, "organisation": organisation}
    return render(request, "directory/organisation_form.html", context)


@staff_page
def organisation_people(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(slug, user=request.user)
    check_perm(request.user, "directory.manage_organisation_people", organisation)
    form = OrganisationPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = user_find_by_username(form.cleaned_data["username"])
        if person is None:
            form.add_error("username", _("No active account has this username."))
        else:
            try:
                organisation_person_add(
                    actor=request.user,
                    organisation=organisation,
                    user=person,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": person})
                return redirect("directory:organisation_people", slug=organisation.slug)
    people = role_grants_for_scope(scope_type_id=_org_type_id(), scope_id=str(organisation.pk))
    context = {"organisation": organisation, "form": form, "people": people}
    return render(request, "directory/organisation_people.html", context)


@require_POST
@staff_page
def organisation_person_remove_view(request: HttpRequest, slug: str, grant_id: int) -> HttpResponse:
    organisation = selectors.organisation_get(slug, user=request.user)
    check_perm(request.user, "directory.manage_organisation_people", organisation)
    grant = get_object_or_404(
        RoleGrant, pk=grant_id, scope_type_id=_org_type_id(), scope_id=str(organisation.pk)
    )
    organisation_person_remove(actor=request.user, organisation=organisation, grant=grant)
    messages.success(
        request, _("%(name)s no longer acts for this organisation.") % {"name": grant.user}
    )
    return redirect("directory:organisation_people", slug=organisation.slug)


@require_POST
@staff_page
def organisation_document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(slug, user=request.user)
    check_perm(request.user, "directory.add_organisation_document", organisation)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            organisation_document_add(
                actor=request.user, organisation=organisation, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The document was uploaded."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect(organisation)
