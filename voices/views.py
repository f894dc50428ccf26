"""Site-wide pages that sit above every app: the home page, health check and error pages."""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult, get_date_max

from voices.accounts.selectors import participant_count
from voices.consultations import selectors as consultation_selectors
from voices.core.disclosure import disclose_count
from voices.councils import selectors as council_selectors
from voices.directory import selectors as directory

# A task waiting longer than this means no worker is taking work.
TASK_QUEUE_STALL = datetime.timedelta(minutes=15)


def home(request: HttpRequest) -> HttpResponse:
    countries = directory.country_list(programme_only=True)
    figures = {
        "countries": len(countries),
        "authorities": directory.authority_count(),
        "participants": disclose_count(participant_count()),
    }
    councils = list(council_selectors.councils_for_home())
    figures["councils"] = council_selectors.council_count()
    figures["councils_target"] = settings.VOICES_TARGETS["councils"]
    context = {
        "countries": countries,
        "figures": figures,
        "councils": councils,
        "consultations": consultation_selectors.consultations_open(),
        "events": [],
    }
    return render(request, "home.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database answers and the task queue is being worked."""
    report: dict = {"database": "ok", "tasks": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure here means "unhealthy", whatever its kind.
        return JsonResponse(
            {"status": "error", "database": "error", "tasks": "unknown"}, status=503
        )
    try:
        waiting = DBTaskResult.objects.ready()
        report["tasks_waiting"] = waiting.count()
        # A task waits from when it fell due: when enqueued, or at run_after if it was scheduled.
        due_before = timezone.now() - TASK_QUEUE_STALL
        overdue = waiting.filter(enqueued_at__lt=due_before).filter(
            Q(run_after=get_date_max()) | Q(run_after__lt=due_before)
        )
        if overdue.exists():
            report["tasks"] = "stalled"
            status = 503
    except Exception:  # noqa: BLE001
        report["tasks"] = "error"
        status = 503
    report["status"] = "ok" if status == 200 else "error"
    return JsonResponse(report, status=status)


def error_400(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: whatever broke may break the context processors too.
    return render(None, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
