from django_tasks import task

from . import services


@task()
def recommendation_from_motion(*, motion_id: int) -> None:
    services.recommendation_from_motion(motion_id=motion_id)


def recommendation_from_motion_enqueue(motion_id: int) -> None:
    """Called by councils after the ballot that adopted the motion has committed."""
    recommendation_from_motion.enqueue(motion_id=motion_id)


@task()
def recommendation_deadlines() -> None:
    """Reminders before the deadline, overdue notices and escalation after it."""
    services.deadlines_check()
