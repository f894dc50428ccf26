"""Forms of the forwarding pages: send a brief to a council, draft a motion from it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from voices.core.forms import BoundedModelChoiceField
from voices.directory.models import Organisation


def council_label(council) -> str:
    if council.country_id:
        return f"{council.name} ({council.country.code.name})"
    return str(council.name)


class ForwardForm(forms.Form):
    council = forms.TypedChoiceField(label=_("Council"), coerce=int, choices=())
    note = forms.CharField(
        label=_("Note to the council"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Why this brief matters to this council, in a few sentences."),
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = {council.pk: council for council in councils}
        nearby = [(c.pk, council_label(c)) for c in councils if c.is_nearby == 0]
        others = [(c.pk, council_label(c)) for c in councils if c.is_nearby != 0]
        groups = []
        if nearby:
            groups.append((_("In the challenge's countries"), nearby))
        if others:
            groups.append((_("Other councils") if nearby else _("Councils"), others))
        self.fields["council"].choices = [("", _("Choose a council")), *groups]

    def clean_council(self):
        return self.councils[self.cleaned_data["council"]]


def _item_label(item) -> str:
    starts = formats.date_format(
        timezone.localtime(item.meeting.starts_at), "SHORT_DATETIME_FORMAT"
    )
    return f"{item.meeting.title} · {starts} · {item.position}. {item.title}"


class MotionDraftForm(forms.Form):
    agenda_item = forms.TypedChoiceField(
        label=_("Decision item of the agenda"),
        coerce=int,
        choices=(),
        help_text=_("The motion is put to the vote under this item."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text of the motion"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the council decides, in full sentences. Start from the brief's summary."),
    )
    reasons = forms.CharField(
        label=_("Reasons"), max_length=20_000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    is_request_to_authority = forms.BooleanField(
        label=_("This motion asks an authority to act"),
        required=False,
        help_text=_("If adopted, it becomes a recommendation to the authority."),
    )
    addressed_to = BoundedModelChoiceField(
        label=_("Authority asked"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.fields["agenda_item"].choices = [
            ("", _("Choose an item")),
            *[(item.pk, _item_label(item)) for item in items],
        ]
        self.fields["addressed_to"].queryset = Organisation.objects.filter(
            is_active=True, kind__in=Organisation.AUTHORITY_KINDS
        ).select_related("country")

    def clean_agenda_item(self):
        return self.items[self.cleaned_data["agenda_item"]]

    def clean(self):
        data = super().clean()
        if data.get("is_request_to_authority") and not data.get("addressed_to"):
            self.add_error("addressed_to", _("Choose the authority the motion asks."))
        return data
