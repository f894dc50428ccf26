"""User Markdown is rendered to HTML with nothing executable left in it."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from voices.core.markdown import render_markdown
from voices.core.translation import TranslatedText

# Any tag with an on* event handler attribute, e.g. <img onerror=...>.
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_it_renders_ordinary_markdown():
    html = render_markdown("## Agenda\n\n**Bus lines** and *schools*\n\n- one\n- two")

    assert "<h2>Agenda</h2>" in html
    assert "<strong>Bus lines</strong>" in html
    assert "<em>schools</em>" in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Hello <script>alert(1)</script> world",
        "```\n</code><script>alert(1)</script>\n```",
    ],
)
def test_it_leaves_no_script_element(source):
    html = render_markdown(source)

    assert "<script" not in html.lower()


@pytest.mark.parametrize(
    "source",
    [
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        "<p onmouseover=alert(1)>hover</p>",
    ],
)
def test_it_leaves_no_event_handler_attribute(source):
    html = render_markdown(source)

    assert not EVENT_HANDLER.search(html)
    assert "<img" not in html


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1) )",
        "<javascript:alert(1)>",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
    ],
)
def test_it_drops_links_with_dangerous_schemes(source):
    html = render_markdown(source)

    hrefs = re.findall(r'href="([^"]*)"', html)
    assert not [h for h in hrefs if not h.startswith(("http:", "https:", "mailto:"))]


def test_it_escapes_raw_html_instead_of_passing_it_through():
    html = render_markdown('<iframe src="https://evil.example"></iframe><b>bold</b>')

    assert "<iframe" not in html
    assert "<b>" not in html
    assert "&lt;iframe" in html  # shown as text, so the author sees what happened


def test_it_removes_tags_outside_the_allowed_list_but_keeps_their_text():
    html = render_markdown("# Big title\n\n![a cat](https://example.org/cat.png)")

    assert "<h1" not in html
    assert "Big title" in html
    assert "<img" not in html


def test_links_get_rel_nofollow():
    html = render_markdown("[our site](https://example.org/page)")

    link = re.search(r"<a [^>]*>", html).group(0)
    assert 'href="https://example.org/page"' in link
    rel = re.search(r'rel="([^"]*)"', link).group(1).split()
    assert "nofollow" in rel
    assert "noopener" in rel


def test_mailto_links_are_kept():
    html = render_markdown("[write to us](mailto:council@example.org)")

    assert 'href="mailto:council@example.org"' in html


def test_an_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_the_template_filter_renders_translated_text_in_the_active_language():
    text = TranslatedText({"en": "**Hello**", "fr": "**Bonjour**"}, original="en")
    template = Template("{% load voices %}{{ text|markdown }}")

    with translation.override("fr"):
        html = template.render(Context({"text": text}))

    assert "<strong>Bonjour</strong>" in html
