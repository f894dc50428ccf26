from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core.dates import end_of_day
from voices.core.permissions import check_perm

from .forms import AccountDeleteForm, ProfileForm, TokenForm
from .selectors import token_get_for_user, token_list_for_user, user_data_export
from .services import profile_update, token_create, token_revoke, user_delete


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "accounts.change_profile", request.user)
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=request.user, **form.profile_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "accounts.delete_account", request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_delete(user=user)
        messages.success(request, _("Your account and your personal data were deleted."))
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})


@login_required
def account_data(request: HttpRequest) -> HttpResponse:
    """Download everything Voices holds about the signed-in person, as JSON."""
    check_perm(request.user, "accounts.change_profile", request.user)
    response = JsonResponse(
        user_data_export(user=request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="voices-my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "accounts.use_api_tokens")
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires_on"]
        try:
            _token, new_secret = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=end_of_day(day, request.user.time_zone) if day else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            form = TokenForm()
    tokens = token_list_for_user(user=request.user)
    context = {"form": form, "tokens": tokens, "new_secret": new_secret, "now": timezone.now()}
    return render(request, "accounts/token_list.html", context)


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_get_for_user(token_id, user=request.user)
    check_perm(request.user, "accounts.revoke_token", token)
    token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")
