from django_tasks import task

from . import services


@task()
def answer_notify(*, proposal_id: int, actor_id: int | None = None) -> None:
    """Tell a proposal's author and supporters how it was answered (many people: a task)."""
    services.answer_notices_send(proposal_id=proposal_id, actor_id=actor_id)
