from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import User, time_zone_choices


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field takes a username or an email; browsers should offer saved usernames.
        self.fields["login"].widget.attrs["autocomplete"] = "username"


class SignupForm(forms.Form):
    """Extra sign-up field; allauth adds username, optional email and password."""

    display_name = forms.CharField(
        label=_("Public name"),
        max_length=60,
        required=False,
        help_text=_("Shown to others instead of your username. A nickname is fine."),
    )

    def signup(self, request, user):
        """allauth calls this after creating the user; the adapter has already set the name."""


def _language_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *settings.LANGUAGES]


class ProfileForm(forms.ModelForm):
    first_language = forms.ChoiceField(label=_("First language"), choices=())
    second_language = forms.ChoiceField(label=_("Second language"), choices=(), required=False)
    third_language = forms.ChoiceField(label=_("Third language"), choices=(), required=False)

    class Meta:
        model = User
        fields = [
            "display_name", "country", "birth_year", "time_zone", "email_notifications",
            "email_digest",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_language", "second_language", "third_language"):
            self.fields[name].choices = _language_choices(_("(none)"))
        current = list(self.instance.languages or [])
        for name, code in zip(
            ("first_language", "second_language", "third_language"), current, strict=False
        ):
            self.initial.setdefault(name, code)
        self.fields["country"].choices = [("", _("(not given)")), *countries]
        self.fields["time_zone"].choices = time_zone_choices()
        if self.instance.birth_year is None:
            # Asked only where a programme has an age limit; here it can only be corrected or
            # removed once given.
            del self.fields["birth_year"]
        else:
            self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric"})
            self.fields["birth_year"].help_text = _(
                "You gave this for a programme with an age limit. You can correct or remove it."
            )

    def clean(self):
        data = super().clean()
        chosen = [
            data.get(name)
            for name in ("first_language", "second_language", "third_language")
            if data.get(name)
        ]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Choose each language only once."), code="dup_language")
        data["languages"] = chosen
        return data

    def profile_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
        data["languages"] = self.cleaned_data["languages"]
        return data


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “data export”.")
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional. After this day the token stops working."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."), code="past")
        return day
