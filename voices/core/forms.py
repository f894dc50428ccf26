from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))


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


# SQLite stores integers in 64 bits; a larger number typed into a choice would crash the query
# instead of being refused like any other unknown choice.
_MAX_ID = 2**63 - 1


def _is_out_of_range(value) -> bool:
    text = str(value).strip()
    return text.lstrip("-").isdigit() and abs(int(text)) > _MAX_ID


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _is_out_of_range(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value or []:
            if _is_out_of_range(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


def model_formfield(db_field, **kwargs):
    """`Meta.formfield_callback` for model forms: relation fields refuse out-of-range ids, and a
    web address typed without a scheme is taken as https (Django 6's default)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    return db_field.formfield(**kwargs)
