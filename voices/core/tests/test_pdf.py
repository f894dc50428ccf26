"""The PDF renderer prints templates in every script and never reaches the network."""

import socket
import sys

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from voices.core.pdf import (
    INTERNAL_BASE_URL,
    PdfUnavailable,
    ResourceRefused,
    render_pdf,
    resolve_resource,
    url_fetcher,
)

REPORT = """{% extends "core/pdf_base.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block content %}<h1>{{ heading }}</h1><p>{{ body }}</p>{% endblock %}
"""

# What a template showing someone's content could end up holding: none of it may be fetched.
HOSTILE = """{% extends "core/pdf_base.html" %}
{% block extra_head %}<link rel="stylesheet" href="http://example.org/x.css">
<style>@import url("https://example.org/y.css");
body { background: url(ftp://example.org/z) }</style>
{% endblock %}
{% block content %}<p>Hello</p>
<img src="https://example.org/x.png" alt="">
<img src="file:///etc/passwd" alt="">
<img src="/static/../../etc/passwd" alt="">
<img src="//example.org/protocol-relative.png" alt="">
{% endblock %}
"""


@pytest.fixture
def templates(settings, tmp_path):
    (tmp_path / "report.html").write_text(REPORT)
    (tmp_path / "hostile.html").write_text(HOSTILE)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


@pytest.fixture
def no_network(monkeypatch):
    """Fail any attempt to open a connection, and remember it."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("A PDF tried to open a network connection.")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_it_renders_a_template_to_pdf_bytes(templates):
    pdf = render_pdf("report.html", {"heading": "Migrant council", "body": "Bus lines."})

    assert pdf.startswith(b"%PDF-")


def test_it_renders_arabic_right_to_left(templates):
    context = {"heading": "مجلس المهاجرين", "body": "توصيات إلى البلدية حول النقل العام. " * 50}

    with translation.override("ar"):
        html = render_to_string("report.html", context)
        pdf = render_pdf("report.html", context)

    assert '<html lang="ar" dir="rtl">' in html
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000


def test_the_base_template_is_left_to_right_in_english(templates):
    html = render_to_string("report.html", {"heading": "Council"})

    assert '<html lang="en" dir="ltr">' in html
    assert "/static/css/print.css" in html


def test_it_renders_with_a_request(templates, no_network):
    request = RequestFactory().get("/councils/", HTTP_HOST="testserver")

    pdf = render_pdf("report.html", {"heading": "Council"}, request=request)

    assert pdf.startswith(b"%PDF-")
    assert not no_network


def test_outside_resources_are_refused_without_any_network_access(templates, no_network):
    pdf = render_pdf("hostile.html", {})

    assert pdf.startswith(b"%PDF-")
    assert not no_network


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x.png",
        "file:///etc/passwd",
        "file://example.org/etc/passwd",
        "http://voices.invalid/councils/",
        "http://voices.invalid/static/../../etc/passwd",
        "http://voices.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "http://voices.invalid/static/css/missing.css",
        "https://example.org/static/css/print.css",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_anything_but_data_and_our_static_files(url, no_network):
    fetcher = url_fetcher(base_url=INTERNAL_BASE_URL)

    with pytest.raises(ResourceRefused):
        fetcher(url)
    assert not no_network


def test_the_fetcher_serves_our_static_files_and_data_urls(no_network):
    fetcher = url_fetcher(base_url=INTERNAL_BASE_URL)

    stylesheet = fetcher(INTERNAL_BASE_URL + "static/css/print.css")
    data = fetcher("data:text/plain;base64,Vm9pY2Vz")
    on_disk = fetcher((settings.PACKAGE_DIR / "static" / "css" / "print.css").as_uri())

    assert b"@page" in stylesheet.read()
    assert data.read() == b"Voices"
    assert b"@page" in on_disk.read()
    assert not no_network


def test_static_files_are_found_under_the_site_of_the_request():
    resolved = resolve_resource(
        "https://voices.example.org/static/css/print.css", base_url="https://voices.example.org/"
    )

    assert resolved.startswith("file://")
    assert resolved.endswith("/css/print.css")


def test_collected_static_files_are_read_first(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_text("@page { size: A4 }")

    resolved = resolve_resource(
        INTERNAL_BASE_URL + "static/css/print.0123abcd.css", base_url=INTERNAL_BASE_URL
    )

    assert resolved == (tmp_path / "css" / "print.0123abcd.css").as_uri()


def test_without_weasyprint_it_says_pdfs_are_unavailable(templates, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    with pytest.raises(PdfUnavailable, match="libpango"):
        render_pdf("report.html", {"heading": "Council"})
