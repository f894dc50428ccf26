from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "voices.recommendations"
    label = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from voices.core import periodic
        from voices.councils import handoff

        from . import tasks

        # An adopted council motion that asks an authority to act becomes a recommendation.
        handoff.on_request_adopted(tasks.recommendation_from_motion_enqueue)
        periodic.register(tasks.recommendation_deadlines)
        handoff.on_council_page(council_link)


def council_link(council, user) -> tuple[str, str]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return _("Recommendations to authorities"), reverse(
        "recommendations:council", kwargs={"slug": council.slug}
    )
