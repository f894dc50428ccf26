from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from voices.accounts.models import User
from voices.core.forms import BoundedModelChoiceField
from voices.core.translation import TranslatableFormField
from voices.directory.models import Organisation

from .models import Criterion
from .services import MAX_LEVELS, CriterionSpec

SCALE_LIMIT = 100
DEFAULT_SCALE = (1, 5)


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class CriterionForm(forms.Form):
    """A criterion with one described level per score; the level boxes follow the scale.

    Without JavaScript, a changed scale shows its new boxes after saving once: the scores that
    have no description yet are marked as missing.
    """

    title = TranslatableFormField(label=_("Criterion"), max_length=200)
    description = TranslatableFormField(
        label=_("What reviewers look at"), max_length=2000, multiline=True
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=_("How much this criterion counts compared with the others."),
    )
    scale_min = forms.IntegerField(
        label=_("Lowest score"), min_value=-SCALE_LIMIT, max_value=SCALE_LIMIT, initial=1
    )
    scale_max = forms.IntegerField(
        label=_("Highest score"), min_value=-SCALE_LIMIT, max_value=SCALE_LIMIT, initial=5
    )

    def __init__(self, *args, criterion: Criterion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if criterion is not None and not self.is_bound:
            self.initial.update(
                title=criterion.title.to_json(),
                description=criterion.description.to_json(),
                weight=criterion.weight,
                scale_min=criterion.scale_min,
                scale_max=criterion.scale_max,
            )
            for level in criterion.levels.all():
                self.initial[f"level_{level.score}"] = level.description.to_json()
        low, high = self._scale()
        for score in range(low, high + 1):
            self.fields[f"level_{score}"] = TranslatableFormField(
                label=gettext("What a score of %(score)d means") % {"score": score},
                max_length=500,
            )

    def _scale(self) -> tuple[int, int]:
        if self.is_bound:
            low = _int(self.data.get(self.add_prefix("scale_min")))
            high = _int(self.data.get(self.add_prefix("scale_max")))
        else:
            low, high = self.initial.get("scale_min"), self.initial.get("scale_max")
        fits = (
            low is not None
            and high is not None
            and -SCALE_LIMIT <= low < high <= SCALE_LIMIT
            and high - low + 1 <= MAX_LEVELS
        )
        return (low, high) if fits else DEFAULT_SCALE

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None:
            if high <= low:
                self.add_error("scale_max", _("The highest score must be above the lowest score."))
            elif high - low + 1 > MAX_LEVELS:
                self.add_error(
                    "scale_max",
                    gettext("A scale can have at most %(max)d scores.") % {"max": MAX_LEVELS},
                )
        return data

    def level_fields(self):
        return [self[name] for name in self.fields if name.startswith("level_")]

    def spec(self) -> CriterionSpec:
        data = self.cleaned_data
        levels = {
            score: data.get(f"level_{score}")
            for score in range(data["scale_min"], data["scale_max"] + 1)
        }
        return CriterionSpec(
            title=data["title"],
            description=data["description"],
            weight=data["weight"],
            scale_min=data["scale_min"],
            scale_max=data["scale_max"],
            levels=levels,
        )


class RoundSettingsForm(forms.Form):
    reviewers_per_item = forms.IntegerField(
        label=_("Reviewers per item"),
        min_value=3,
        max_value=20,
        help_text=_("At least three, so that no single reviewer decides."),
    )
    is_blind = forms.BooleanField(
        label=_("Blind review: reviewers do not see who wrote what they review"), required=False
    )


class ReviewerAddForm(forms.Form):
    username = forms.CharField(label=_("User name of the reviewer"), max_length=150)
    organisation = BoundedModelChoiceField(
        label=_("Their organisation (optional)"),
        queryset=Organisation.objects.filter(is_active=True).order_by("slug"),
        required=False,
        help_text=_("Items from this organisation are never given to this reviewer."),
    )

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No account has this user name."), code="unknown")
        return user


class ReviewForm(forms.Form):
    """One group of radio buttons per criterion (each level's description is its label)."""

    comment = forms.CharField(
        label=_("Feedback for the authors"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The authors read this without your name. Be specific and kind."),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=str(criterion.title),
                choices=[
                    (level.score, f"{level.score} · {level.description}")
                    for level in criterion.levels.all()
                ],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def criterion_fields(self):
        return [(c, self[f"criterion_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[f"criterion_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"criterion_{c.pk}") not in (None, "")
        }


class ConflictForm(forms.Form):
    note = forms.CharField(
        label=_("Why (optional, seen only by the organisers)"), max_length=500, required=False
    )
