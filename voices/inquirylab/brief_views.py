from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import brief_selectors as selectors
from . import brief_services as services
from . import forwarding_selectors, stages
from .brief_forms import AttachmentForm, BriefForm
from .brief_rules import in_team
from .models import Action, Team

PAGE_SIZE = 50


def _edit_url(team: Team, anchor: str = "") -> str:
    return reverse("inquirylab:brief_edit", kwargs={"team_id": team.pk}) + anchor


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_initial(version) -> dict:
    if version is None:
        return {"based_on": 0}
    return {
        **{name: getattr(version, name) for name in services.SECTION_FIELDS},
        "based_on": version.number,
    }


@login_required
def brief_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_writer(team_id, user=request.user)
    challenge = team.challenge
    brief = selectors.brief_of(team)
    latest = selectors.brief_latest_version(brief)
    form = BriefForm(
        request.POST or None, challenge=challenge, team=team, initial=_form_initial(latest)
    )
    if request.method == "POST" and form.is_valid():
        try:
            version, created = services.brief_save(
                actor=request.user,
                team=team,
                based_on=form.cleaned_data.get("based_on"),
                **form.sections(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            if getattr(exc, "code", None) == "stale" and latest is not None:
                # Saving again from here keeps this text, on purpose this time.
                latest = selectors.brief_latest_version(selectors.brief_of(team))
                form.data = form.data.copy()
                form.data["based_on"] = str(latest.number)
        else:
            when = services.when_text(version.created_at)
            if created:
                messages.success(
                    request,
                    _("Saved as version %(number)s at %(when)s.")
                    % {"number": version.number, "when": when},
                )
            else:
                messages.info(
                    request,
                    _("Nothing changed since version %(number)s, so no new version was saved.")
                    % {"number": version.number},
                )
            return redirect(_edit_url(team))
    context = {
        "team": team,
        "challenge": challenge,
        "brief": brief,
        "latest": latest,
        "latest_when": services.when_text(latest.created_at) if latest else "",
        "submitted_when": services.when_text(brief.submitted_at)
        if brief and brief.submitted_at
        else "",
        "form": form,
        "attachments": selectors.brief_attachments(brief),
        "attachment_form": AttachmentForm(),
        "max_attachments": services.MAX_ATTACHMENTS,
        "refusal": stages.refusal(challenge, Action.WRITE_BRIEF),
        "can_write": request.user.has_perm("inquirylab.write_brief", team),
        "can_submit": request.user.has_perm("inquirylab.submit_brief", team),
        "missing": services.missing_sections(latest),
        "deadline": services.when_text(challenge.deadline_at),
    }
    return render(request, "inquirylab/brief_edit.html", context)


@require_POST
@login_required
def brief_submit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_writer(team_id, user=request.user)
    try:
        brief = services.brief_submit(actor=request.user, team=team)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(
            request,
            _(
                "Version %(number)s is submitted (%(when)s). Until the deadline you can submit "
                "a newer version, which then replaces it."
            )
            % {
                "number": brief.submitted_version.number,
                "when": services.when_text(brief.submitted_at),
            },
        )
    return redirect(_edit_url(team, "#submission"))


@require_POST
@login_required
def brief_attachment_add(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_writer(team_id, user=request.user)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.brief_attachment_add(
                actor=request.user, team=team, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.name})
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect(_edit_url(team, "#attachments"))


@require_POST
@login_required
def brief_attachment_delete(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment, brief = selectors.brief_attachment_get_for_user(attachment_id, user=request.user)
    try:
        services.brief_attachment_remove(actor=request.user, brief=brief, attachment=attachment)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.name})
    return redirect(_edit_url(brief.team, "#attachments"))


def brief_attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment, _brief = selectors.brief_attachment_get_for_user(attachment_id, user=request.user)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.mime_type,
    )
    # Unpublished briefs' files must not linger in shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def brief_versions(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_draft_reader(team_id, user=request.user)
    brief = selectors.brief_of(team)
    page = Paginator(selectors.brief_version_list(brief), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "team": team,
        "challenge": team.challenge,
        "brief": brief,
        "page": page,
        "can_write": request.user.has_perm("inquirylab.write_brief", team),
    }
    return render(request, "inquirylab/brief_versions.html", context)


@login_required
def brief_version(request: HttpRequest, team_id: int, number: int) -> HttpResponse:
    team = selectors.team_get_for_draft_reader(team_id, user=request.user)
    version = selectors.brief_version_get(team, number=number)
    latest = selectors.brief_latest_version(version.brief)
    context = {
        "team": team,
        "challenge": team.challenge,
        "brief": version.brief,
        "version": version,
        "is_latest": latest is not None and latest.pk == version.pk,
        "can_write": request.user.has_perm("inquirylab.write_brief", team),
        "refusal": stages.refusal(team.challenge, Action.WRITE_BRIEF),
    }
    return render(request, "inquirylab/brief_version.html", context)


@require_POST
@login_required
def brief_version_restore(request: HttpRequest, team_id: int, number: int) -> HttpResponse:
    team = selectors.team_get_for_writer(team_id, user=request.user)
    try:
        version, created = services.brief_version_restore(
            actor=request.user, team=team, number=number
        )
    except ValidationError as exc:
        _error_messages(request, exc)
        return redirect("inquirylab:brief_version", team_id=team.pk, number=number)
    if created:
        messages.success(
            request,
            _("Version %(old)s is restored as version %(number)s.")
            % {"old": number, "number": version.number},
        )
    else:
        messages.info(request, _("The latest version already has this text: nothing to restore."))
    return redirect(_edit_url(team))


def brief_detail(request: HttpRequest, brief_id: int) -> HttpResponse:
    brief = selectors.brief_get_for_user(brief_id, user=request.user)
    team = brief.team
    context = {
        "brief": brief,
        "team": team,
        "challenge": brief.challenge,
        "version": brief.submitted_version,
        "attachments": selectors.brief_attachments(brief),
        "is_member": in_team(request.user, team),
        "can_read_drafts": request.user.has_perm("inquirylab.view_brief_drafts", team),
        "uptake": forwarding_selectors.uptake_of(brief),
    }
    return render(request, "inquirylab/brief_detail.html", context)
