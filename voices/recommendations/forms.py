from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from voices.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from voices.core.translation import TranslatableFormField
from voices.councils.decision_models import Motion
from voices.councils.decision_selectors import motions_adopted
from voices.councils.models import Council, PolicyDomain
from voices.directory.models import Country, Organisation

from .models import Outcome, State


def _authorities():
    return Organisation.objects.filter(
        is_active=True, kind__in=Organisation.AUTHORITY_KINDS
    ).select_related("country")


class RecommendationForm(forms.Form):
    title = TranslatableFormField(label=_("Title"), max_length=200)
    text = TranslatableFormField(
        label=_("What the council recommends"), max_length=20_000, multiline=True
    )
    reasons = TranslatableFormField(
        label=_("Reasons"), max_length=20_000, multiline=True, required=False
    )
    domain = BoundedModelChoiceField(label=_("Policy domain"), queryset=PolicyDomain.objects.none())
    addressees = BoundedModelMultipleChoiceField(
        label=_("Authorities asked"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    due_on_override = forms.DateField(
        label=_("Answer due by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to use the council's rule, counted from the day it is sent."),
    )

    def __init__(self, *args, council: Council, current_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        self.fields["domain"].queryset = PolicyDomain.objects.all()
        authorities = _authorities()
        if council.country_id:
            # A council asks the authorities of its own country (and keeps any already chosen).
            authorities = authorities.filter(Q(country=council.country) | Q(pk__in=current_ids))
        self.fields["addressees"].queryset = authorities


class EvidenceForm(forms.Form):
    label = forms.CharField(
        label=_("What it is"),
        max_length=200,
        help_text=_("For example: results of the consultation on housing."),
    )
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResponseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Your answer"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons for your answer"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The council and the public will read this. Explain what you will do, or why not."
        ),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", translation.get_language())


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("How far it is done (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    milestone = forms.CharField(label=_("Next milestone"), max_length=200, required=False)
    milestone_on = forms.DateField(
        label=_("Milestone date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", translation.get_language())


class CloseForm(forms.Form):
    implemented = forms.TypedChoiceField(
        label=_("Result"),
        choices=[
            ("yes", pgettext_lazy("result of a recommendation", "Implemented")),
            ("no", pgettext_lazy("result of a recommendation", "Not implemented")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Closing note"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required if it was not implemented: say why."),
    )


class TrackerFilterForm(forms.Form):
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.none(), required=False, to_field_name="code"
    )
    council = forms.ModelChoiceField(
        label=_("Council"), queryset=Council.objects.none(), required=False, to_field_name="slug"
    )
    authority = forms.ModelChoiceField(
        label=_("Authority"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="slug",
    )
    domain = forms.ModelChoiceField(
        label=_("Policy domain"),
        queryset=PolicyDomain.objects.none(),
        required=False,
        to_field_name="code",
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any"))] + [c for c in State.choices if c[0] not in ("draft", "adopted")],
    )
    overdue = forms.BooleanField(label=_("Only overdue answers"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.all()
        self.fields["country"].label_from_instance = lambda c: c.name
        self.fields["council"].queryset = Council.objects.all()
        self.fields["authority"].queryset = _authorities()
        self.fields["domain"].queryset = PolicyDomain.objects.all()


class ScorecardFilterForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Show the scorecards of"),
        required=False,
        choices=[("authority", _("Authorities")), ("council", _("Councils"))],
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.none(), required=False, to_field_name="code"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.all()
        self.fields["country"].label_from_instance = lambda c: c.name


class RecommendationCreateForm(RecommendationForm):
    """A new recommendation may start from an adopted motion of the council (linked, not copied)."""

    motion = BoundedModelChoiceField(
        label=_("From the adopted motion (optional)"),
        queryset=Motion.objects.none(),
        required=False,
        help_text=_("Its evidence is added to the recommendation."),
    )
    field_order = ["motion"]

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, council=council, **kwargs)
        self.fields["motion"].queryset = motions_adopted(council=council).filter(
            recommendation__isnull=True
        )
        self.fields["motion"].label_from_instance = lambda m: m.title
