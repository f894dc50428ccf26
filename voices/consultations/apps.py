from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "voices.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from voices.accounts.selectors import register_data_section
        from voices.core import moderation
        from voices.councils import handoff

        from . import components, rules, services  # noqa: F401  (rules registers permissions)
        from .models import Comment, Proposal
        from .selectors import contributions_of

        def on_published(obj) -> None:
            if isinstance(obj, Comment):
                services.mentions_notify(obj)

        kinds = (
            (Proposal, lambda p: p.title, ("author",)),
            (Comment, lambda c: c.body, ("author", "proposal")),
        )
        for model, excerpt, related in kinds:
            moderation.register(
                moderation.Moderated(
                    model=model,
                    scope_field="consultation",
                    perm="consultations.moderate_consultation",
                    author=lambda obj: obj.author,
                    excerpt=excerpt,
                    threshold=lambda obj: obj.consultation.report_threshold,
                    select_related=related,
                    on_published=on_published,
                )
            )
        components.register(components.PROPOSALS)
        register_data_section("consultations", contributions_of)
        handoff.on_council_page(council_link)


def council_link(council, user) -> tuple[str, str] | None:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return _("Consultations"), reverse("consultations:list") + f"?council={council.slug}"
