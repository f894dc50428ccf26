from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .brief_models import BriefVersion
from .brief_services import SECTION_FIELDS, source_errors, upload_limit_text
from .models import Challenge, Team


def language_choices(challenge: Challenge) -> list[tuple[str, str]]:
    """The site's languages, the challenge's own first."""
    names = dict(settings.LANGUAGES)
    first = [code for code in challenge.languages if code in names]
    rest = [code for code in names if code not in first]
    return [(code, names[code]) for code in [*first, *rest]]


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "dir": "auto"})


class BriefForm(forms.ModelForm):
    """The brief's fixed structure. Only the title is needed to save a draft; every section is
    checked when the brief is submitted."""

    # The version the writer started from (0: none yet), to catch a teammate's newer save.
    based_on = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    # A bare address ("example.org/v") is read as https, the only scheme accepted.
    video_url = forms.URLField(
        label=_("Video link (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_(
            "A web address starting with https://. It is shown as a plain link, never "
            "embedded in the page."
        ),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )

    class Meta:
        model = BriefVersion
        fields = SECTION_FIELDS
        labels = {
            "title": _("Title"),
            "problem": _("The problem"),
            "affected": _("Who is affected"),
            "proposal": _("The proposal"),
            "evidence": _("Evidence"),
            "sources": _("Sources"),
            "institution": _("Institution addressed"),
            "feasibility": _("Feasibility and cost"),
            "steps": _("Next steps"),
            "summary": _("Summary"),
            "summary_language": _("Language of the summary"),
            "second_summary": _("Summary in a second language"),
            "second_summary_language": _("Language of the second summary"),
        }
        help_texts = {
            "problem": _("What is wrong today, and where?"),
            "affected": _("Which people live with the problem, and how many, if you know."),
            "proposal": _("What should change. Be concrete."),
            "institution": _("The authority or body that can make the change."),
            "feasibility": _("What it needs (people, money, time) and what it would cost."),
            "steps": _("What should happen first, and who does it."),
            "summary": _("A few sentences for people who read only this."),
            "second_summary": _("The same summary in another language, so more people read it."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "problem": _area(6),
            "affected": _area(4),
            "proposal": _area(8),
            "evidence": _area(6),
            "sources": _area(4),
            "institution": forms.TextInput(attrs={"dir": "auto"}),
            "feasibility": _area(4),
            "steps": _area(4),
            "summary": _area(4),
            "second_summary": _area(4),
        }

    def __init__(self, *args, challenge: Challenge, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        choices = language_choices(challenge)
        for name in ("summary_language", "second_summary_language"):
            self.fields[name] = forms.ChoiceField(label=self._meta.labels[name], choices=choices)
        # Defaults: the team's working language, then the challenge's next one.
        first = team.language if team.language in dict(choices) else choices[0][0]
        second = next(code for code, _name in choices if code != first)
        self.initial.setdefault("summary_language", first)
        self.initial.setdefault("second_summary_language", second)

    def clean_sources(self) -> str:
        sources = self.cleaned_data.get("sources", "")
        errors = source_errors(sources)
        if errors:
            raise forms.ValidationError(errors)
        return sources

    def clean_video_url(self) -> str:
        url = self.cleaned_data.get("video_url", "")
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(
                _("Enter a web address that starts with https://."), code="https_only"
            )
        return url

    def clean(self):
        data = super().clean()
        first, second = data.get("summary_language"), data.get("second_summary_language")
        if first and second and first == second:
            self.add_error(
                "second_summary_language",
                _("Choose a language different from the first summary's."),
            )
        return data

    def _post_clean(self):
        # The service builds and checks the version; the form only checks what was typed.
        pass

    def sections(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in SECTION_FIELDS}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Add an attachment"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_limit_text()
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.docx,.odt,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
        )
