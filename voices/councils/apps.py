from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "voices.councils"
    label = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        # rules' autodiscovery imports rules.py only; the meeting permissions sit beside it.
        from . import meeting_rules  # noqa: F401
