"""Forms of the Inquiry Lab's team pages; the rules themselves are in team_services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from voices.core.names import public_name

from .models import Challenge, Team


def language_choices(challenge: Challenge) -> list[tuple[str, str]]:
    """The languages the challenge runs in, named in their own language, in its order."""
    names = dict(settings.LANGUAGES)
    return [(code, names.get(code, code)) for code in challenge.languages or []]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)
    language = forms.ChoiceField(
        label=_("Working language"),
        help_text=_("The language the team writes and talks in."),
    )
    description = forms.CharField(
        label=_("What the team wants to work on"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_open = forms.BooleanField(
        label=_("Other participants may ask to join"), required=False, initial=True
    )

    def __init__(self, *args, challenge: Challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(challenge)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A few words to the team (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what you can bring, or which languages you speak."),
    )


class InviteForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    message = forms.CharField(label=_("Message (optional)"), max_length=500, required=False)


class AnswerForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("decline", _("Decline")),
            ("cancel", _("Cancel")),
        ]
    )


class MemberChoiceForm(forms.Form):
    """Choose one of the team's other members (to hand over to, or to remove)."""

    user = forms.TypedChoiceField(label=_("Member"), coerce=int)

    def __init__(self, *args, team: Team, members: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._users = {m.user_id: m.user for m in members if m.user_id != team.lead_id}
        self.fields["user"].choices = [(pk, public_name(u)) for pk, u in self._users.items()]

    def clean_user(self):
        """The chosen member's user, not only their id."""
        return self._users[self.cleaned_data["user"]]


class ProfileForm(forms.Form):
    skills = forms.CharField(
        label=_("Skills you bring"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: research, writing, design, law, data, presenting."),
    )
    first_language = forms.ChoiceField(label=_("The language you work in best"))
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages you can work in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_looking_for_team = forms.BooleanField(
        label=_("I am looking for a team"),
        required=False,
        help_text=_(
            "Teams and organisers see your public name, skills, languages and country, and "
            "may invite you."
        ),
    )

    def __init__(self, *args, challenge: Challenge, in_team: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = language_choices(challenge)
        self.fields["first_language"].choices = choices
        self.fields["other_languages"].choices = choices
        if in_team:
            self.fields["is_looking_for_team"].disabled = True
            self.fields["is_looking_for_team"].help_text = _(
                "You are in a team, so you are not shown as looking for one."
            )

    @staticmethod
    def initial_for(registration) -> dict:
        languages = list(registration.languages or [])
        return {
            "skills": registration.skills,
            "first_language": languages[0] if languages else "",
            "other_languages": languages[1:],
            "is_looking_for_team": registration.is_looking_for_team,
        }

    def languages(self) -> list[str]:
        """The chosen languages in order of preference: the best one first."""
        first = self.cleaned_data["first_language"]
        others = [c for c in self.cleaned_data["other_languages"] if c != first]
        return [first, *others]
