from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    content_type = forms.TypedChoiceField(
        label=_("Kind of object"), required=False, coerce=int, empty_value=None
    )
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, content_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_type"].choices = [("", _("All kinds"))] + [
            (ct.pk, str(ct.model_class()._meta.verbose_name) if ct.model_class() else ct.model)
            for ct in content_types
        ]
        self.fields["action"].choices = [("", _("All actions")), *AuditEntry.Action.choices]
