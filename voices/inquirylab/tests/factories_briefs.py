"""Briefs for tests: complete sections to save through the services, and small files whose
content is of a known kind (the upload check looks at the content, not the name)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from voices.accounts.tests.factories import UserFactory
from voices.inquirylab.models import Stage, Team
from voices.inquirylab.tests.factories import ChallengeFactory, TeamFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64


def sections(**overrides: str) -> dict[str, str]:
    """Every section of a brief, complete enough to submit."""
    values = {
        "title": "Evening classes for all",
        "problem": "Language classes end at 16:00, when many young newcomers work.",
        "affected": "About 2,000 young people who work during the day.",
        "proposal": "Open the city's language classes until 21:00.",
        "evidence": "Two thirds of the young newcomers we asked work in the afternoon.",
        "sources": "https://example.org/city-statistics-2025\nOur own survey, 40 answers, 2026",
        "institution": "City council, education committee",
        "feasibility": "Two teachers, EUR 60,000 a year.",
        "steps": "A pilot in one school from September.",
        "summary": "Evening classes so that working newcomers can learn the language.",
        "summary_language": "en",
        "second_summary": "Вечірні заняття, щоб працюючі новоприбулі могли вивчати мову.",
        "second_summary_language": "uk",
        "video_url": "",
    }
    values.update(overrides)
    return values


def upload(name: str = "study.pdf", content: bytes = PDF, **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, **kwargs)


def team_in_work(*, size: int = 2, **kwargs) -> Team:
    """A team of `size` confirmed members (the lead first) in a challenge's work stage."""
    kwargs.setdefault("challenge", ChallengeFactory(stage=Stage.WORK))
    members = [UserFactory() for _n in range(size - 1)]
    return TeamFactory(members=members, **kwargs)


def member_of(team: Team):
    """A member of the team who is not its lead."""
    return team.members.exclude(user=team.lead).select_related("user").first().user
