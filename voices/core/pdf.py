"""The one PDF renderer: a Django template, rendered to HTML, printed to PDF by WeasyPrint.

Reports, certificates, factsheets and the handbook all come through :func:`render_pdf`, so they
share one print stylesheet (``css/print.css``: A4, page numbers, Noto fonts for every script) and
one rule about resources: **a PDF never causes a network request**. The URL fetcher given to
WeasyPrint serves ``data:`` URLs and our own static files, read from disk, and refuses anything
else. A template showing participant content cannot make the server fetch an address someone
wrote (server-side request forgery), and a PDF renders the same offline as online.

WeasyPrint is imported only when a PDF is made: it needs Debian's Pango
(``libpango-1.0-0``, ``libpangoft2-1.0-0``), and the rest of the site works on a machine without it.
"""

from __future__ import annotations

import functools
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest
from django.template.loader import render_to_string

# The base URL of PDFs made without a request (e.g. in a task). `.invalid` is reserved (RFC 2606)
# and never resolves, so nothing can be fetched from it even if a check below were wrong.
INTERNAL_BASE_URL = "http://voices.invalid/"


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs are not installed on this machine."""


class ResourceRefused(ValueError):
    """A PDF asked for a resource that is neither a ``data:`` URL nor one of our static files."""


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """Render `template_name` with `context` and return it as PDF bytes.

    The active language decides the document's ``lang`` and ``dir`` (see ``core/pdf_base.html``);
    wrap the call in ``translation.override()`` to print in the recipient's language. With a
    request, relative links in the PDF point to the site that served it.
    """
    weasyprint = _weasyprint()
    base_url = request.build_absolute_uri("/") if request is not None else INTERNAL_BASE_URL
    html = render_to_string(template_name, context, request=request)
    document = weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=url_fetcher(base_url=base_url)
    )
    return document.write_pdf()


def url_fetcher(*, base_url: str) -> Any:
    """Return a WeasyPrint URL fetcher that serves only ``data:`` URLs and our static files."""
    return _fetcher_class()(base_url=base_url)


def resolve_resource(url: str, *, base_url: str) -> str:
    """Return the URL to read for `url`: itself if ``data:``, else a ``file:`` URL of a static file.

    Raise :class:`ResourceRefused` for anything else (http, https, ftp, other files...).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return url
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"Refused a file on another host: {url[:200]}")
        path = Path(url2pathname(parts.path)).resolve()
        if path.is_file() and any(path.is_relative_to(root) for root in _static_roots()):
            return path.as_uri()
        raise ResourceRefused(f"Refused a file outside the static files: {url[:200]}")
    # `{% static %}` gives STATIC_URL + name, resolved against the base URL (or absolute already).
    prefix = urljoin(base_url, settings.STATIC_URL)
    location = parts._replace(query="", fragment="").geturl()
    if location.startswith(prefix):
        found = _static_file(unquote(location[len(prefix) :]))
        if found is not None:
            return found.as_uri()
    raise ResourceRefused(f"Refused to fetch a resource for a PDF: {url[:200]}")


def _static_roots() -> list[Path]:
    roots = [settings.STATIC_ROOT] if settings.STATIC_ROOT else []
    for entry in settings.STATICFILES_DIRS:
        roots.append(entry[1] if isinstance(entry, tuple | list) else entry)
    return [Path(root).resolve() for root in roots]


def _static_file(name: str) -> Path | None:
    if not name or name.startswith("/") or ".." in PurePosixPath(name).parts:
        return None
    # Collected files first: in production `{% static %}` names carry a hash that only the
    # collected copies have; the finders then cover development and tests (no collectstatic).
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / name).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    return Path(found).resolve() if isinstance(found, str) else None


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        # OSError: the Python package is there but cffi cannot load Pango.
        raise PdfUnavailable(
            "WeasyPrint cannot be loaded, so no PDF can be made: install requirements.lock and "
            f"Debian's libpango-1.0-0 and libpangoft2-1.0-0 ({exc})."
        ) from exc
    return weasyprint


@functools.cache
def _fetcher_class() -> type:
    urls = _weasyprint().urls

    class StaticOnlyURLFetcher(urls.URLFetcher):
        """WeasyPrint's fetcher, handed only URLs that :func:`resolve_resource` let through."""

        def __init__(self, *, base_url: str) -> None:
            super().__init__(allow_redirects=False)
            self.base_url = base_url

        def fetch(self, url: str, headers: dict | None = None) -> Any:
            # Only data: and file: URLs get past this line, so urllib never opens a socket.
            return super().fetch(resolve_resource(url, base_url=self.base_url), headers)

    return StaticOnlyURLFetcher
