import datetime

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from voices.accounts.models import Role
from voices.core.forms import BoundedModelChoiceField
from voices.core.models import ModerationDecision, Report
from voices.core.translation import TranslatableFormField
from voices.councils.models import Council, PolicyDomain
from voices.directory.models import Country, Municipality, Organisation, Region

from . import components
from .models import Comment, Consultation, Phase, Proposal
from .selectors import councils_facilitated_by

_DATETIME = {"type": "datetime-local"}


def _when(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs=_DATETIME, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


class ConsultationForm(forms.Form):
    owner = forms.ChoiceField(label=_("Who asks"))
    title = TranslatableFormField(label=_("Title"), max_length=200)
    question = TranslatableFormField(label=_("The question"), max_length=500, multiline=True)
    background = TranslatableFormField(
        label=_("Background"), max_length=20_000, multiline=True, required=False
    )
    domain = BoundedModelChoiceField(label=_("Policy domain"), queryset=PolicyDomain.objects.all())
    country = BoundedModelChoiceField(label=_("Country"), queryset=Country.objects.all())
    region = BoundedModelChoiceField(
        label=_("Region (optional)"), queryset=Region.objects.all(), required=False
    )
    municipality = BoundedModelChoiceField(
        label=_("Municipality (optional)"), queryset=Municipality.objects.all(), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages it runs in"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    information_at = _when(_("Information phase starts"))
    contributions_at = _when(_("Contributions phase starts"))
    deliberation_at = _when(_("Deliberation phase starts"))
    answers_at = _when(_("Answers phase starts"))
    closes_at = _when(_("Closes"))
    eligibility = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Consultation.Eligibility.choices,
        widget=forms.RadioSelect,
    )
    eligible_council = BoundedModelChoiceField(
        label=_("Council whose members take part"),
        queryset=Council.objects.all(),
        required=False,
        help_text=_("Only when members of a council take part."),
    )
    min_age = forms.IntegerField(label=_("Youngest age (optional)"), required=False, min_value=14)
    max_age = forms.IntegerField(
        label=_("Oldest age (optional)"), required=False, min_value=14, max_value=120
    )
    allows_anonymous = forms.BooleanField(
        label=_("People without an account may take part"),
        required=False,
        help_text=_("Their contributions are marked as unverified in the results."),
    )
    premoderation = forms.BooleanField(
        label=_("A moderator approves each contribution before it is shown"), required=False
    )
    report_threshold = forms.IntegerField(
        label=_("Reports that hide a contribution until a moderator checks it"),
        min_value=1,
        max_value=50,
        initial=3,
    )
    supports_per_person = forms.IntegerField(
        label=_("Supports each person may give (optional)"), required=False, min_value=1,
        max_value=1000,
    )  # fmt: skip
    support_threshold = forms.IntegerField(
        label=_("Supports a proposal needs to be marked as reached (optional)"),
        required=False,
        min_value=1,
        max_value=1_000_000,
    )
    edit_minutes = forms.IntegerField(
        label=_("Minutes during which authors may edit their proposal"),
        min_value=0,
        max_value=24 * 60,
        initial=15,
    )
    components = forms.MultipleChoiceField(
        label=_("Parts of the consultation"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, user, consultation: Consultation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"].choices = components.choices()
        self.fields["owner"].choices = owner_choices(user, consultation)
        if consultation is not None:
            # The owner is fixed once a consultation exists: answers are given in its name.
            del self.fields["owner"]
        else:
            now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            days = datetime.timedelta(days=1)
            self.initial.update(
                information_at=now + days, contributions_at=now + 8 * days,
                deliberation_at=now + 36 * days, answers_at=now + 50 * days,
                closes_at=now + 80 * days, components=[components.PROPOSALS.key],
                eligibility=Consultation.Eligibility.REGISTERED,
                languages=[translation.get_language()],
            )  # fmt: skip

    def clean_owner(self):
        value = self.cleaned_data["owner"]
        kind, _sep, pk = value.partition(":")
        if kind == "org":
            return {"owner_organisation": Organisation.objects.get(pk=int(pk))}
        return {"owner_council": Council.objects.get(pk=int(pk))}

    def clean(self):
        data = super().clean()
        previous = None
        for name in (
            "information_at",
            "contributions_at",
            "deliberation_at",
            "answers_at",
            "closes_at",
        ):
            value = data.get(name)
            if value and previous and value < previous:
                self.add_error(name, _("Each phase must start after the one before it."))
            previous = value or previous
        return data


def owner_choices(user, consultation: Consultation | None) -> list[tuple[str, str]]:
    """Authorities and councils the user acts for (all of them for programme staff)."""
    staff = user.is_superuser or user.has_role(Role.COORDINATOR)
    organisations = Organisation.objects.filter(
        is_active=True, kind__in=Organisation.AUTHORITY_KINDS
    )
    councils = Council.objects.all()
    if not staff:
        organisations = organisations.filter(
            pk__in=[int(i) for i in user.scope_ids(Role.OFFICER, Organisation)]
        )
        councils = councils.filter(pk__in=[c.pk for c in councils_facilitated_by(user)])
    return [(f"org:{o.pk}", str(o.name)) for o in organisations.order_by("name")] + [
        (f"council:{c.pk}", str(c.name)) for c in councils.order_by("slug")
    ]


class ConsultationFilterForm(forms.Form):
    country = BoundedModelChoiceField(
        label=_("Country"), queryset=Country.objects.filter(is_programme=True), required=False,
        to_field_name="code",
    )  # fmt: skip
    domain = BoundedModelChoiceField(
        label=_("Policy domain"), queryset=PolicyDomain.objects.all(), required=False,
        to_field_name="code",
    )  # fmt: skip
    phase = forms.ChoiceField(
        label=_("Phase"), choices=[("", _("All phases")), *Phase.choices], required=False
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What should change, and why? You can use simple formatting (Markdown)."),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    image = forms.FileField(
        label=_("Picture (optional)"),
        required=False,
        help_text=_("PNG, JPG or WEBP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    attachment = forms.FileField(
        label=_("Document (optional)"), required=False, help_text=_("PDF, DOCX or ODT.")
    )
    # Set once the author has seen the similar proposals and still wants to publish.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", translation.get_language())


class ProposalEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(
        label=_("Your proposal"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("To mention someone, write @ and their public name, with _ for spaces."),
    )
    stance = forms.ChoiceField(
        label=_("Your position"), choices=Comment.Stance.choices, widget=forms.RadioSelect,
        initial=Comment.Stance.NEUTRAL,
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                                max_value=2**53)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", translation.get_language())


class ParticipationForm(forms.Form):
    """Asks only what the consultation's rule needs (fields are removed otherwise)."""

    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, required=False)
    lives_there = forms.BooleanField(label="", required=False)

    def __init__(self, *args, consultation: Consultation, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .eligibility import needs_residence_declaration

        self.fields["birth_year"].max_value = timezone.localdate().year
        has_age_rule = consultation.has_age_rule
        if not has_age_rule or user.birth_year:
            del self.fields["birth_year"]
        else:
            self.fields["birth_year"].required = True
            self.fields["birth_year"].help_text = _(
                "Only used to check the age range. You can remove it from your profile later."
            )
        if needs_residence_declaration(consultation):
            self.fields["lives_there"].required = True
            self.fields["lives_there"].label = _("I live in %(place)s.") % {
                "place": consultation.territory
            }
        else:
            del self.fields["lives_there"]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=Proposal.Answer.choices, widget=forms.RadioSelect
    )
    text = TranslatableFormField(
        label=_("Explanation"), max_length=10_000, multiline=True, required=False,
        help_text=_("Required when the proposal is not accepted or merged."),
    )  # fmt: skip
    merged_into = forms.IntegerField(
        label=_("Merged into proposal number"), required=False, min_value=1, max_value=2**53
    )


class ClosingStatementForm(forms.Form):
    statement = TranslatableFormField(
        label=_("Closing statement"), max_length=20_000, multiline=True
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Details (optional)"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (ModerationDecision.Action.HIDE, _("Hide")),
            (ModerationDecision.Action.RESTORE, _("Show again")),
            (ModerationDecision.Action.APPROVE, _("Approve")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason (the author is told)"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Why block this person? They are told."), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class CiteForm(forms.Form):
    motion = forms.TypedChoiceField(label=_("Motion"), coerce=int, choices=())

    def __init__(self, *args, motions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motion"].choices = [
            (m.pk, f"{m.agenda_item.meeting.council} · {m.title}") for m in motions
        ]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
