from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import APIKeyCookie, HttpBearer

from voices.core.api import errors

from .services import token_authenticate


class TokenAuth(HttpBearer):
    """Personal access tokens: `Authorization: Bearer vx_…`."""

    openapi_description = "A personal access token, created on the account's API tokens page."

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser session of a signed-in user (CSRF-checked for unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


AUTH = [TokenAuth(), SessionAuth()]

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    languages: list[str]
    country: str
    is_staff_member: bool


@router.get("/me", response={200: MeOut, **errors(401)}, auth=AUTH, url_name="me")
def me(request: HttpRequest):
    """The signed-in user's own profile."""
    user = request.auth
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        languages=user.language_list(),
        country=user.country.code or "",
        is_staff_member=user.is_staff_member,
    )
