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
        handoff.on_motion_page(motion_link)


def council_link(council, user) -> tuple[str, str]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return _("Recommendations to authorities"), reverse(
        "recommendations:council", kwargs={"slug": council.slug}
    )


def motion_link(motion, user) -> tuple[str, str] | None:
    """From an adopted motion to what it became: its recommendation, or a new one."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .models import Recommendation

    recommendation = Recommendation.objects.filter(motion=motion).first()
    if recommendation is not None and user.has_perm(
        "recommendations.view_recommendation", recommendation
    ):
        return _("Follow what the authority does with it"), recommendation.get_absolute_url()
    council = motion.agenda_item.meeting.council
    if (
        recommendation is None
        and motion.status == motion.Status.ADOPTED
        and user.has_perm("recommendations.add_recommendation", council)
    ):
        url = reverse("recommendations:create", kwargs={"slug": council.slug})
        return _("Write a recommendation from this motion"), f"{url}?motion={motion.pk}"
    return None
