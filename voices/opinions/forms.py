from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from voices.core.translation import TranslatableFormField

from .models import STATEMENT_MAX_LIMIT, STATEMENT_MIN_LIMIT, Vote
from .services import too_long_message


class StatementForm(forms.Form):
    """A statement, by a participant or (as a seed) by a moderator; the map sets its length."""

    text = forms.CharField(
        label=_("Your statement"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.fields["text"].widget.attrs["maxlength"] = max_length
        self.fields["text"].help_text = ngettext(
            "One short idea that others can agree or disagree with, at most %(limit)d character.",
            "One short idea that others can agree or disagree with, at most %(limit)d characters.",
            max_length,
        ) % {"limit": max_length}
        self.initial.setdefault("language", translation.get_language())

    def clean_text(self) -> str:
        # Counted as the service counts it: runs of spaces and line breaks are one space.
        text = " ".join(self.cleaned_data["text"].split())
        if len(text) > self.max_length:
            raise forms.ValidationError(
                too_long_message(self.max_length, len(text)), code="too_long"
            )
        return text


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=Vote.Value.choices, coerce=int)
    # Where to go back to: the voting page (default) or a page of the statement list.
    back = forms.ChoiceField(choices=[("", ""), ("list", "list")], required=False)
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)


class OpinionMapForm(forms.Form):
    question = TranslatableFormField(
        label=_("The question of the map"), max_length=500, multiline=True,
        help_text=_("Participants vote on statements that answer it."),
    )  # fmt: skip
    participants_may_add = forms.BooleanField(
        label=_("Participants may add statements"), required=False, initial=True
    )
    premoderation = forms.BooleanField(
        label=_("A moderator approves each statement before it is shown"), required=False
    )
    statement_max_length = forms.IntegerField(
        label=_("Longest statement, in characters"),
        min_value=STATEMENT_MIN_LIMIT, max_value=STATEMENT_MAX_LIMIT, initial=140,
    )  # fmt: skip
    analysis_every_votes = forms.IntegerField(
        label=_("Update the map after this many new votes"),
        min_value=1, max_value=1_000_000, initial=20,
    )  # fmt: skip
    analysis_every_seconds = forms.IntegerField(
        label=_("…or at the latest this many seconds after a vote"),
        min_value=10, max_value=7 * 24 * 3600, initial=60,
        help_text=_(
            "A large map takes a few seconds to update. Updating more often uses more of the "
            "server's time."
        ),
    )  # fmt: skip
