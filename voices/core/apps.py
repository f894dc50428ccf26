from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "voices.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        import datetime

        from . import periodic, tasks

        periodic.register(tasks.notification_digests, every=datetime.timedelta(days=1))
