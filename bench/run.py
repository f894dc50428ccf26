"""Benchmarks: page costs as ratios against a reference measured in the same run.

Absolute timings depend on the machine; ratios to a minimal request (the health check) measured
alongside them do much less, so figures can be compared across machines and runs.
Run with `make bench`.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voices.testing")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from voices.directory.models import Organisation  # noqa: E402
from voices.directory.tests.factories import OrganisationFactory  # noqa: E402

REPEATS = 7
CALLS = 30


def measure(client: Client, url: str) -> float:
    """Median seconds per request over several rounds."""
    rounds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(CALLS):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        rounds.append((time.perf_counter() - start) / CALLS)
    return statistics.median(rounds)


def _past_meeting_id() -> int:
    from voices.councils.models import Meeting

    return Meeting.objects.filter(status="ended").order_by("pk").values_list("pk", flat=True)[0]


def _implemented_id() -> int:
    from voices.recommendations.models import Recommendation

    return Recommendation.objects.filter(state="implemented").values_list("pk", flat=True)[0]


def _demo_consultation_id() -> int:
    from voices.consultations.models import Consultation

    return Consultation.objects.filter(country__code="AT").values_list("pk", flat=True)[0]


def _big_consultation() -> tuple[int, int]:
    """A consultation with 10,000 proposals and 100,000 comments, written in bulk."""
    from voices.accounts.tests.factories import UserFactory
    from voices.consultations.tests.factories import ConsultationFactory
    from voices.consultations.tests.test_queries import add_proposals, add_threads

    authors = UserFactory.create_batch(20)
    consultation = ConsultationFactory()
    proposals = add_proposals(consultation, 10_000, authors)
    add_threads(consultation, [p for p in proposals for _ in range(9)], authors, replies=10)
    add_threads(consultation, [None] * 1_000, authors, replies=0)
    return consultation.pk, proposals[0].pk


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # A directory the size of a busy programme: a thousand organisations.
    for _ in range(1000 - Organisation.objects.count()):
        OrganisationFactory(country=None, kind=Organisation.Kind.EU_BODY)
    big, big_proposal = _big_consultation()
    client = Client()
    reference = measure(client, "/healthz")
    pages = {
        "home page": "/en/",
        "organisation list (1,000 in the directory)": "/en/organisations/",
        "organisation detail": "/en/organisations/at-city/",
        "API organisations (page of 50)": "/api/v1/organisations",
        "home page in Arabic": "/ar/",
        "council list": "/en/councils/",
        "council page (members, meetings)": "/en/councils/fr-council/",
        "meeting page (agenda, votes, minutes)": f"/en/meetings/{_past_meeting_id()}/",
        "API ballot results of a meeting": f"/api/v1/meetings/{_past_meeting_id()}/ballots",
        "recommendation tracker (98 in the demo)": "/en/recommendations/",
        "recommendation page (timeline, answers)": f"/en/recommendations/{_implemented_id()}/",
        "scorecards per authority": "/en/recommendations/scorecards/",
        "tracker as CSV": "/en/recommendations/export.csv",
        "API recommendations (page of 50)": "/api/v1/recommendations",
        "consultation list": "/en/consultations/",
        "consultation page (demo)": f"/en/consultations/{_demo_consultation_id()}/",
        "consultation page (10,000 proposals)": f"/en/consultations/{big}/",
        "proposals, most supported (of 10,000)": (
            f"/en/consultations/{big}/proposals/?order=supported"
        ),
        "proposals, newest, page 50 (of 10,000)": f"/en/consultations/{big}/proposals/?page=50",
        "proposals, words searched (of 10,000)": f"/en/consultations/{big}/proposals/?q=number+77",
        "proposal page (threads of comments)": f"/en/proposals/{big_proposal}/",
        "consultation results (10,000 proposals)": f"/en/consultations/{big}/results/",
        "API proposals (page of 50, of 10,000)": f"/api/v1/consultations/{big}/proposals",
    }
    print(f"reference: GET /healthz = 1.0 (measured {reference * 1000:.2f} ms here)")
    for label, url in pages.items():
        print(f"{label:<45} {measure(client, url) / reference:6.1f} × reference")


if __name__ == "__main__":
    main()
