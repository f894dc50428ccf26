"""Forms of the challenge pages: setting a challenge up, registering, deciding a registration."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from voices.core.forms import BoundedModelChoiceField
from voices.core.translation import TranslatableFormField
from voices.directory.models import Organisation
from voices.directory.selectors import country_choices

from . import eligibility
from .models import STAGE_STARTS, Challenge

_DATETIME = {"type": "datetime-local"}
OTHER_COUNTRY = "other"


def _when(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs=_DATETIME, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


def _day(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        **kwargs,
    )


def _organisations():
    return Organisation.objects.filter(is_active=True).order_by("slug")


class ChallengeForm(forms.Form):
    organiser = BoundedModelChoiceField(
        label=_("Organised by"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Its officers and representatives run the challenge."),
    )
    slug = forms.SlugField(
        label=_("Short web name"),
        max_length=80,
        help_text=_(
            "Letters, digits and hyphens, as in youth-policy-2027. It is part of the link."
        ),
    )
    title = TranslatableFormField(label=_("Title"), max_length=200)
    theme = TranslatableFormField(label=_("Theme"), max_length=300)
    brief = TranslatableFormField(
        label=_("The challenge"), max_length=20_000, multiline=True,
        help_text=_("What the teams work on. You can use simple formatting (Markdown)."),
    )  # fmt: skip
    policy_questions = TranslatableFormField(
        label=_("Policy questions"), max_length=5_000, multiline=True, required=False
    )
    resources = TranslatableFormField(
        label=_("Resources"), max_length=20_000, multiline=True, required=False,
        help_text=_("Reading, data and links for the teams. Markdown is possible."),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages it runs in"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    allowed_countries = forms.MultipleChoiceField(
        label=_("Countries of residence that may take part"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_("Youngest age"), min_value=14, max_value=99, initial=19)
    max_age = forms.IntegerField(label=_("Oldest age"), min_value=14, max_value=99, initial=26)
    starts_on = _day(_("Start date"), help_text=_("Ages are counted on this day."))
    team_min = forms.IntegerField(label=_("Smallest team"), min_value=1, max_value=20, initial=2)
    team_max = forms.IntegerField(label=_("Largest team"), min_value=1, max_value=20, initial=5)
    registration_at = _when(_("Registration opens"))
    teams_at = _when(_("Team formation starts"))
    work_at = _when(_("Work starts"))
    deadline_at = _when(_("Submission deadline"))
    results_at = _when(_("Results from"))
    has_public_vote = forms.BooleanField(
        label=_("People's choice vote"),
        required=False,
        initial=True,
        help_text=_("Signed-in people vote for one brief during judging; shown after the results."),
    )

    def __init__(self, *args, user, challenge: Challenge | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        countries = {str(c.code): c.name for c in country_choices()}
        for code in challenge.allowed_countries if challenge else []:
            countries.setdefault(code, eligibility.country_name(code))
        self.fields["allowed_countries"].choices = sorted(
            countries.items(), key=lambda item: item[1].casefold()
        )
        if user.has_perm("inquirylab.add_challenge"):
            self.fields["organiser"].queryset = _organisations()
        else:
            # Only the programme moves a challenge to another organiser.
            del self.fields["organiser"]
        if challenge is None:
            now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            days = datetime.timedelta(days=1)
            self.initial.update(
                registration_at=now + days, teams_at=now + 22 * days, work_at=now + 36 * days,
                deadline_at=now + 78 * days, results_at=now + 99 * days,
                starts_on=(now + 36 * days).date(), languages=[translation.get_language()],
                allowed_countries=[
                    str(c.code) for c in country_choices() if c.is_programme
                ],
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        previous = None
        for _stage, name in STAGE_STARTS:
            value = data.get(name)
            if value and previous and value < previous:
                self.add_error(name, gettext("Each stage must start after the one before it."))
            previous = value or previous
        work, deadline = data.get("work_at"), data.get("deadline_at")
        if work and deadline and deadline <= work and "deadline_at" not in self.errors:
            self.add_error("deadline_at", gettext("The deadline must come after work starts."))
        low, high = data.get("min_age"), data.get("max_age")
        if low and high and low > high:
            self.add_error("max_age", gettext("The oldest age must not be below the youngest age."))
        small, large = data.get("team_min"), data.get("team_max")
        if small and large and small > large:
            self.add_error(
                "team_max", gettext("The largest team must not be smaller than the smallest team.")
            )
        return data


def _birth_date_help(years: list[int]) -> str:
    if len(years) == 2:
        return gettext(
            "Instead of the year. Needed only if you were born in %(first)d or %(second)d: for "
            "these years the exact day decides. Also used once and not stored."
        ) % {"first": years[0], "second": years[1]}
    if len(years) == 1:
        return gettext(
            "Instead of the year. Needed only if you were born in %(year)d: for this year the "
            "exact day decides. Also used once and not stored."
        ) % {"year": years[0]}
    return gettext("Instead of the year, if you prefer. Also used once and not stored.")


class RegistrationForm(forms.Form):
    """Asks only what the eligibility check and the teams need."""

    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, required=False)
    birth_date = _day(_("Full birth date"), required=False)
    country = forms.ChoiceField(label=_("Country where you live"), choices=())
    languages = forms.MultipleChoiceField(
        label=_("Languages you can work in"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    skills = forms.CharField(
        label=_("Skills you bring (optional)"),
        max_length=500,
        required=False,
        help_text=_("For example: research, writing, design, law, talking to people."),
    )
    is_looking_for_team = forms.BooleanField(
        label=_("I am looking for a team"),
        required=False,
        help_text=_("Teams looking for members will see you, and you can be proposed for a team."),
    )
    organisation = BoundedModelChoiceField(
        label=_("Organisation you belong to (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Judges from it will not judge your team."),
    )
    consent = forms.BooleanField(label=_("I accept the rules of this challenge."))

    def __init__(self, *args, challenge: Challenge, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        today = timezone.localdate()
        self.fields["birth_year"].max_value = today.year
        self.fields["birth_year"].widget.attrs["max"] = today.year
        start = eligibility.start_date_text(challenge)
        self.fields["birth_year"].help_text = gettext(
            "Used once to check your age on %(date)s; not stored."
        ) % {"date": start}
        self.fields["birth_date"].help_text = _birth_date_help(
            eligibility.years_needing_full_date(challenge)
        )
        names = {code: eligibility.country_name(code) for code in challenge.allowed_countries}
        self.fields["country"].choices = [
            ("", gettext("Choose your country")),
            *sorted(names.items(), key=lambda item: item[1].casefold()),
            (OTHER_COUNTRY, gettext("Another country")),
        ]
        site = dict(settings.LANGUAGES)
        ordered = [c for c in challenge.languages if c in site] + [
            c for c in site if c not in challenge.languages
        ]
        self.fields["languages"].choices = [(code, site[code]) for code in ordered]
        self.fields["organisation"].queryset = _organisations()
        mine = [c for c in user.language_list() if c in site] if user.is_authenticated else []
        self.initial.setdefault("languages", mine or [translation.get_language()])
        if user.is_authenticated and str(user.country or "") in names:
            self.initial.setdefault("country", str(user.country))
        self.fields["consent"].help_text = gettext(
            "The rules are on the challenge page. You can withdraw while registration is open."
        )

    def clean(self):
        data = super().clean()
        year, day = data.get("birth_year"), data.get("birth_date")
        if day is not None and day > timezone.localdate():
            self.add_error("birth_date", gettext("The birth date cannot be in the future."))
        elif day is not None:
            data["birth"] = day
        elif year is not None:
            data["birth"] = year
        elif "birth_year" not in self.errors:
            self.add_error("birth_year", gettext("Please give your birth year or birth date."))
        country = data.get("country")
        data["country"] = "" if country == OTHER_COUNTRY else (country or "")
        return data

    def ask_full_date(self) -> None:
        """Say kindly that the year alone cannot decide, and point to the date field."""
        self.add_error(
            "birth_date",
            gettext(
                "Thank you. For people born in %(year)s, the exact day decides whether they are "
                "inside the age range. Please give your full birth date as well."
            )
            % {"year": self.cleaned_data.get("birth_year")},
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required to reject; the person reads it)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
