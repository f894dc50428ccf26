from django import forms
from django.utils.translation import gettext_lazy as _

from voices.accounts.models import Role
from voices.core.forms import model_formfield

from .models import Country, Organisation
from .services import ROLES_FOR_ORGANISATIONS


class OrganisationFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, countries: list[Country], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code.code.lower(), c.name) for c in countries
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *Organisation.Kind.choices]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = model_formfield
        fields = [
            "name", "slug", "kind", "country", "region", "municipality", "website",
            "description", "is_active",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.all()
        self.fields["country"].label_from_instance = lambda c: c.name
        self.fields["region"].queryset = self.fields["region"].queryset.select_related("country")
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.select_related(
            "region"
        )
        self.fields["slug"].help_text = _(
            "Used in the web address. Small letters, digits and hyphens, e.g. city-of-graz."
        )


class OrganisationPersonForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.label) for r in Role if r in ROLES_FOR_ORGANISATIONS]
    )


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))
