"""Forms of the Inquiry Lab's expert pages; the services check the rules again."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from voices.core.forms import BoundedModelChoiceField
from voices.directory.models import Organisation

from . import mentor_services

_DATETIME = {"type": "datetime-local"}


class MentorAddForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_("The person needs an account on Voices. They are told that you added them."),
    )
    areas = forms.CharField(
        label=_("Areas of expertise"),
        max_length=300,
        help_text=_("For example: housing law, youth work. The mentor can change it later."),
    )


class MentorProfileForm(forms.Form):
    areas = forms.CharField(
        label=_("Areas of expertise"),
        max_length=300,
        help_text=_("What teams can ask you about, for example: housing law, youth work."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can help in"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = BoundedModelChoiceField(
        label=_("Organisation (optional)"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    bio = forms.CharField(
        label=_("About you"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences teams read before they book you. Up to 1,500 characters."),
    )


class OfficeHourForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs=_DATETIME, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In your time zone."),
    )
    minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=10, max_value=180, initial=30
    )
    where = forms.CharField(
        label=_("Where or how to meet"),
        max_length=300,
        required=False,
        help_text=_("A room, or a video call address. Only the team that books it sees it."),
    )


class OfficeHourCancelForm(forms.Form):
    note = forms.CharField(
        label=_("A message to the team (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BookingForm(forms.Form):
    topic = forms.CharField(
        label=_("What your team wants to talk about"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=mentor_services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text. Up to 5,000 characters."),
    )


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        max_length=mentor_services.QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone can read the questions and answers. Do not share personal details."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=mentor_services.ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. Everyone can read it."),
    )
