from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for a request sent by htmx (progressive enhancement), which expects a partial."""
    return request.headers.get("HX-Request") == "true"
