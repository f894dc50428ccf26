from django import forms
from django.utils.translation import gettext_lazy as _

from voices.core.forms import model_formfield

from .meeting_models import AgendaItem, Meeting, MeetingResponse


class LocalDateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; the time is read in the viewer's time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        formfield_callback = model_formfield
        fields = ["title", "format", "place", "online_link", "starts_at", "ends_at"]
        widgets = {"starts_at": LocalDateTimeInput(), "ends_at": LocalDateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["starts_at"].help_text = _("In your time zone, as set in your profile.")


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        formfield_callback = model_formfield
        fields = ["title", "kind", "description"]


class ResponseForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=MeetingResponse.Answer.choices,
        widget=forms.RadioSelect,
    )
