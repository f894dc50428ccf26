"""Forms of the forwarding pages: send a brief to a council, draft a motion from it."""

from __future__ import annotations

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from voices.councils.decision_forms import MotionForm


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


class MotionDraftForm(MotionForm):
    """The councils' motion form, on a chosen decision item; the brief is the evidence."""

    agenda_item = forms.TypedChoiceField(
        label=_("Decision item of the agenda"),
        coerce=int,
        choices=(),
        help_text=_("The motion is put to the vote under this item."),
    )
    # The brief itself is the motion's evidence: linked by the service, never typed in.
    evidence_label = None
    evidence_url = None
    field_order = ["agenda_item"]

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.fields["agenda_item"].choices = [
            ("", _("Choose an item")),
            *[(item.pk, _item_label(item)) for item in items],
        ]
        self.fields["text"].help_text = _(
            "What the council decides, in full sentences. Start from the brief's summary."
        )

    def clean_agenda_item(self):
        return self.items[self.cleaned_data["agenda_item"]]
