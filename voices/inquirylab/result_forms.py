"""Forms of the Inquiry Lab's judging set-up, results and people's choice."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from voices.directory.models import Organisation

from .result_services import DEFAULT_WINNERS, FEEDBACK_MAX_LENGTH


class JudgingStartForm(forms.Form):
    reviewers_per_item = forms.IntegerField(
        label=_("Judges per brief"),
        min_value=3,
        max_value=20,
        initial=3,
        help_text=_("At least three, so that no single judge decides a brief's score."),
    )
    is_blind = forms.BooleanField(
        label=_("Blind judging"),
        required=False,
        help_text=_("Judges see a label such as “Entry 4” instead of the brief's title and team."),
    )


class JudgeAddForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_("The person needs an account on this site."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation the judge works for"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Optional. Briefs by teams from this organisation are never given to them."),
    )


class ResultsPublishForm(forms.Form):
    winners = forms.IntegerField(
        label=_("Number of winners"),
        min_value=0,
        max_value=50,
        initial=DEFAULT_WINNERS,
        help_text=_("The best-placed briefs are marked as winners."),
    )
    allow_missing = forms.BooleanField(
        label=_("Publish even though some reviews are not submitted"),
        required=False,
        help_text=_("The briefs are then ranked on the reviews that were submitted."),
    )

    def __init__(self, *args, briefs=(), results=(), **kwargs):
        super().__init__(*args, **kwargs)
        earlier = {r.brief_id: r.feedback for r in results}
        for brief in briefs:
            self.fields[f"feedback_{brief.pk}"] = forms.CharField(
                label=_("Feedback for the team %(team)s (“%(title)s”)")
                % {"team": brief.team.name, "title": brief.submitted_version.title},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=FEEDBACK_MAX_LENGTH,
                required=False,
                initial=earlier.get(brief.pk, ""),
                help_text=_("Optional. Only this team sees it, with the judges' comments."),
            )

    def feedback(self) -> dict[int, str]:
        return {
            int(name.removeprefix("feedback_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("feedback_") and value
        }
