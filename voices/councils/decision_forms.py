from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from voices.core.forms import BoundedModelChoiceField
from voices.directory.models import Organisation

from .decision_models import Vote


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Who was there, what was discussed, what was decided. Markdown is allowed."),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", translation.get_language())


class CorrectionForm(MinutesForm):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=500)


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text of the motion"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the council decides, in full sentences."),
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
    evidence_label = forms.CharField(
        label=_("Evidence (what it is)"), max_length=200, required=False,
        help_text=_("For example: results of the consultation on housing."),
    )  # fmt: skip
    evidence_url = forms.URLField(
        label=_("Evidence (link)"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"].queryset = Organisation.objects.filter(
            is_active=True, kind__in=Organisation.AUTHORITY_KINDS
        ).select_related("country")
        self.initial.setdefault("language", translation.get_language())

    def clean(self):
        data = super().clean()
        if data.get("is_request_to_authority") and not data.get("addressed_to"):
            self.add_error("addressed_to", _("Choose the authority the motion asks."))
        if bool(data.get("evidence_label")) != bool(data.get("evidence_url")):
            self.add_error("evidence_url", _("Give both what the evidence is and its link."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        evidence = (
            [(data["evidence_label"], data["evidence_url"])] if data.get("evidence_url") else []
        )
        return {
            "title": data["title"], "text": data["text"], "reasons": data["reasons"],
            "language": data["language"],
            "is_request_to_authority": data["is_request_to_authority"],
            "addressed_to": data["addressed_to"], "evidence": evidence,
        }  # fmt: skip


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label=_("New text of the motion"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("If the amendment is adopted, this text replaces the motion's text."),
    )
    reasons = forms.CharField(
        label=_("Reasons"), max_length=20_000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect
    )
