from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voices.core.forms import BoundedModelChoiceField, model_formfield
from voices.directory.models import Country, Organisation

from .models import Council, Membership, PolicyDomain


class CouncilFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    domain = forms.ChoiceField(label=_("Policy domain"), required=False)

    def __init__(self, *args, countries, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code.code.lower(), c.name) for c in countries
        ]
        self.fields["level"].choices = [("", _("All levels")), *Council.Level.choices]
        self.fields["domain"].choices = [("", _("All domains"))] + [
            (d.code, str(d.name)) for d in domains
        ]


class CouncilForm(forms.ModelForm):
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Council
        formfield_callback = model_formfield
        fields = [
            "name", "slug", "description", "level", "country", "region", "municipality",
            "host_authority", "supporting_organisations", "parent", "status", "founded_on",
            "working_languages", "domains", "voting_seats", "term_months", "max_terms",
            "quorum_share", "majority", "minutes_approval", "response_days", "time_zone",
        ]  # fmt: skip
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "domains": forms.CheckboxSelectMultiple,
            "supporting_organisations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.all()
        self.fields["country"].label_from_instance = lambda c: c.name
        self.fields["host_authority"].queryset = Organisation.objects.filter(
            is_active=True
        ).select_related("country")
        self.fields["supporting_organisations"].queryset = Organisation.objects.filter(
            is_active=True
        ).select_related("country")
        self.fields["domains"].queryset = PolicyDomain.objects.all()
        parents = Council.objects.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["slug"].help_text = _(
            "Used in the web address. Small letters, digits and hyphens, e.g. graz-council."
        )
        self.fields["region"].queryset = self.fields["region"].queryset.select_related("country")
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.select_related(
            "region"
        )

    def relations(self) -> dict:
        data = dict(self.cleaned_data)
        return {
            "fields": {k: v for k, v in data.items()
                       if k not in ("domains", "supporting_organisations")},
            "domains": data.get("domains"),
            "supporting_organisations": data.get("supporting_organisations"),
        }  # fmt: skip


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    entry = forms.ChoiceField(label=_("Came in by"), choices=Membership.Entry.choices)
    term_start = forms.DateField(
        label=_("Term starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    term_end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a full term."),
    )
    association = BoundedModelChoiceField(
        label=_("Association represented"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for association representatives."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Organisation.objects.filter(
            is_active=True,
            kind__in=[Organisation.Kind.MIGRANT_ASSOCIATION, Organisation.Kind.NGO],
        ).select_related("country")
        self.initial.setdefault("term_start", timezone.localdate())


class InvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    entry = forms.ChoiceField(
        label=_("Came in by"), choices=Membership.Entry.choices, initial=Membership.Entry.ELECTED
    )
    note = forms.CharField(
        label=_("For whom"),
        max_length=200,
        required=False,
        help_text=_("A reminder for facilitators only, e.g. a first name. Not shown to others."),
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why do you want to join? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OwnMembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["is_public", "contact_email", "contact_phone"]
        help_texts = {
            "contact_email": _("Seen only by the council's members and facilitators."),
            "contact_phone": _("Seen only by the council's members and facilitators."),
        }
