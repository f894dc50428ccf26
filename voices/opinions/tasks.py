from django.utils import timezone
from django_tasks import task

from . import services


@task()
def map_analyse(*, map_id: int) -> None:
    """Analyse a map's votes (seconds at 100,000 participants: a task, never a request)."""
    services.analysis_run(map_id=map_id)


@task()
def analyses_due() -> None:
    """Analyse the maps whose last votes came before a quiet period (runs every minute)."""
    services.analyses_enqueue_due(now=timezone.now())
