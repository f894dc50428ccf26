"""The JSON API at /api/v1/: one NinjaAPI, one error format, routers from each app."""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from voices.accounts.api import router as accounts_router
from voices.consultations.api import router as consultations_router
from voices.councils.api import router as councils_router
from voices.directory.api import router as directory_router
from voices.recommendations.api import router as recommendations_router

api = NinjaAPI(
    title="Voices API",
    version="1",
    description=(
        "Open data of the Voices platform. Lists are paginated with `limit` and `offset`. "
        'Every error has the form `{"code": "...", "message": "...", "details": ...}`.'
    ),
    urls_namespace="api",
)


def error(request: HttpRequest, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, {"code": code, "message": message, "details": details}, status=status
    )


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request, exc):
    return error(request, 422, "invalid_input", "The request is not valid.", exc.errors)


@api.exception_handler(ValidationError)
def on_invalid_data(request, exc):
    details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return error(
        request, 400, getattr(exc, "code", None) or "invalid", "The data is not valid.", details
    )


@api.exception_handler(AuthenticationError)
def on_not_authenticated(request, exc):
    return error(request, 401, "not_authenticated", "Authentication is required.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error(request, 403, "permission_denied", "You may not do this.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        429: "too_many_requests",
    }
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


api.add_router("/", directory_router)
api.add_router("/", accounts_router)
api.add_router("/", councils_router)
api.add_router("/", recommendations_router)
api.add_router("/", consultations_router)


NO_SUCH_ADDRESS = "There is no such address in the API."


def _in_error_format(view):
    """Wrap a (sync) Ninja URL view so that what Ninja answers by itself has the error format too.

    That is a wrong method (405, plain text) and the API root (404, Django's HTML page).
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error(request, 404, "not_found", NO_SUCH_ADDRESS)
        if isinstance(response, HttpResponseNotAllowed):
            allow = response["Allow"]
            response = error(request, 405, "method_not_allowed", "This method is not allowed here.")
            response["Allow"] = allow
        return response

    return wrapper


def _unknown_path(request: HttpRequest, *args, **kwargs):
    return error(request, 404, "not_found", NO_SUCH_ADDRESS)


def api_urls():
    """`api.urls`, with every answer in the error format, even for a path the API does not have."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _in_error_format(pattern.callback)
    patterns.append(re_path(r"", _unknown_path, name="unknown-path"))
    return patterns, app_name, namespace
