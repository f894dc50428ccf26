import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "voices.opinions"
    label = "opinions"
    verbose_name = _("Opinion maps")

    def ready(self) -> None:
        from voices.accounts.selectors import register_data_section
        from voices.consultations import components as consultation_components
        from voices.core import moderation, periodic

        from . import components, rules, tasks  # noqa: F401  (rules registers permissions)
        from .models import Statement
        from .selectors import opinions_of

        moderation.register(
            moderation.Moderated(
                model=Statement,
                scope_field="consultation",
                perm="consultations.moderate_consultation",
                author=lambda obj: obj.author,
                excerpt=lambda obj: obj.text,
                threshold=lambda obj: obj.consultation.report_threshold,
                select_related=("author", "map"),
            )
        )
        consultation_components.register(components.OPINIONS)
        register_data_section("opinions", opinions_of)
        # The debounce enqueues an analysis when votes arrive; this catches the last votes
        # before a quiet period, which no later vote would.
        periodic.register(tasks.analyses_due, every=datetime.timedelta(minutes=1))
