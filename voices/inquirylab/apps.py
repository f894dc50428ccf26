from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiryLabConfig(AppConfig):
    name = "voices.inquirylab"
    label = "inquirylab"
    verbose_name = _("Inquiry Lab")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers permissions)
