from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiryLabConfig(AppConfig):
    name = "voices.inquirylab"
    label = "inquirylab"
    verbose_name = _("Inquiry Lab")

    def ready(self) -> None:
        from . import forwarding_hooks, judging, rules  # noqa: F401  (rules registers permissions)

        judging.connect()
        forwarding_hooks.connect()
