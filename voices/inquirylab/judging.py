"""How a challenge plugs into the assessment engine (see voices/assessments/registry.py).

The challenge owns one review round. This module says who runs it, how a brief is shown to the
judges, when they may score (the judging stage), which briefs are judged and who has a conflict
of interest with each, and what the Inquiry Lab's default rubric is.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from voices.core.translation import TranslatedText

from . import brief_selectors, stages
from .models import (
    Action,
    Brief,
    Challenge,
    Mentor,
    OfficeHour,
    Registration,
    TeamMember,
    TeamMessage,
)
from .rules import runs_challenge

ITEM_TEMPLATE = "inquirylab/assessment_item.html"

# The default rubric, in English; `gettext_noop` puts every text in the .po files, and
# `in_every_language` reads each language's translation when a round is created. Each criterion:
# (title, what the judges look at, weight, the meaning of scores 1 to 5).
RUBRIC_TITLE = gettext_noop("Inquiry Lab rubric")
RUBRIC = (
    (
        gettext_noop("Relevance to young migrants and refugees"),
        gettext_noop(
            "Does the brief take up a real problem of young migrants and refugees, and does the "
            "proposal answer it?"
        ),
        3,
        (
            gettext_noop("The brief is not about young migrants or refugees."),
            gettext_noop("It touches on their situation, but the problem stays vague."),
            gettext_noop("A real problem of theirs, but the proposal answers only part of it."),
            gettext_noop("A clear problem of theirs, and a proposal that answers it."),
            gettext_noop(
                "A pressing problem, described precisely, and a proposal that answers it fully."
            ),
        ),
    ),
    (
        gettext_noop("Quality of the evidence"),
        gettext_noop(
            "Are the facts behind the problem and the proposal correct, relevant and cited?"
        ),
        2,
        (
            gettext_noop("No evidence is given."),
            gettext_noop("Some facts are given, but without sources."),
            gettext_noop("Facts with sources, but they support only part of the argument."),
            gettext_noop("Relevant facts from reliable sources support the argument."),
            gettext_noop(
                "Strong, well-chosen evidence from several reliable sources, cited precisely."
            ),
        ),
    ),
    (
        gettext_noop("Feasibility and cost"),
        gettext_noop(
            "Could the institution addressed carry out the proposal, with the money and people "
            "it has or could get?"
        ),
        2,
        (
            gettext_noop("The proposal could not be carried out, or nothing is said about how."),
            gettext_noop("Carrying it out would be very hard, and the cost is not considered."),
            gettext_noop("It could be carried out, but the cost or the steps are unclear."),
            gettext_noop("A realistic proposal with a reasonable estimate of its cost."),
            gettext_noop(
                "A realistic proposal with clear steps, a careful cost estimate and a way to "
                "pay for it."
            ),
        ),
    ),
    (
        gettext_noop("Clarity"),
        gettext_noop(
            "Can a busy official understand the problem and the proposal in a few minutes?"
        ),
        1,
        (
            gettext_noop("Hard to follow: the problem and the proposal cannot be made out."),
            gettext_noop("Understandable with effort; the structure is unclear."),
            gettext_noop("Understandable, but long or repetitive in places."),
            gettext_noop("Clear and well structured."),
            gettext_noop("Very clear, short and convincing: ready to be sent to an institution."),
        ),
    ),
    (
        gettext_noop("Participation of the people affected"),
        gettext_noop(
            "Did the team involve the people the problem affects, and does the brief show what "
            "they said?"
        ),
        2,
        (
            gettext_noop("The people affected were not asked."),
            gettext_noop("Their views are assumed, not asked for."),
            gettext_noop("A few people affected were asked; their views are mentioned."),
            gettext_noop("People affected were asked, and their views shaped the proposal."),
            gettext_noop(
                "People affected took part throughout, and the proposal is built on what they said."
            ),
        ),
    ),
)


def in_every_language(source: str) -> TranslatedText:
    """The English `source` with its translation into every language of the site."""
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = gettext(source)
    return TranslatedText(values, original="en")


def default_criteria() -> list:
    """The default rubric's criteria, as the engine's `CriterionSpec`s."""
    from voices.assessments.services import CriterionSpec

    return [
        CriterionSpec(
            title=in_every_language(title),
            description=in_every_language(description),
            weight=weight,
            scale_min=1,
            scale_max=len(levels),
            levels={score: in_every_language(text) for score, text in enumerate(levels, 1)},
        )
        for title, description, weight, levels in RUBRIC
    ]


def submitted_briefs(challenge: Challenge):
    """The briefs judged: those submitted, oldest brief first (which fixes their codes)."""
    return brief_selectors.briefs_submitted(challenge, order_by=("id",))


def item_specs(challenge: Challenge) -> list:
    """One `ItemSpec` per submitted brief, with the authors' organisations and their mentors.

    The code is the brief's place among the submitted briefs (by id), never its id: blind judges
    could otherwise open the brief's public page and see the team. After the deadline no brief is
    submitted or withdrawn, so the places, and the codes, do not change.
    """
    from voices.assessments.services import ItemSpec

    briefs = list(submitted_briefs(challenge))
    team_ids = [b.team_id for b in briefs]
    members = defaultdict(set)
    for team_id, user_id in TeamMember.objects.filter(team_id__in=team_ids).values_list(
        "team_id", "user_id"
    ):
        members[team_id].add(user_id)
    organisations = defaultdict(set)
    for user_id, organisation_id in Registration.objects.filter(
        challenge=challenge, organisation__isnull=False
    ).values_list("user_id", "organisation_id"):
        organisations[user_id].add(organisation_id)
    # A mentor who met a team in an office hour or wrote in its thread has helped it.
    mentor_users = set(Mentor.objects.filter(challenge=challenge).values_list("user_id", flat=True))
    helped = defaultdict(set)
    for team_id, user_id in OfficeHour.objects.filter(
        mentor__challenge=challenge, team_id__in=team_ids
    ).values_list("team_id", "mentor__user_id"):
        helped[team_id].add(user_id)
    for team_id, user_id in TeamMessage.objects.filter(
        team_id__in=team_ids, author_id__in=mentor_users
    ).values_list("team_id", "author_id"):
        helped[team_id].add(user_id)
    return [
        ItemSpec(
            target=brief,
            # A number, shown as "Entry 4" in each reader's language (`Item.label`).
            code=str(number),
            submitted_at=brief.submitted_at or brief.created_at,
            organisation_ids=frozenset(
                org for user_id in members[brief.team_id] for org in organisations[user_id]
            ),
            conflicts={user_id: "mentor" for user_id in sorted(helped[brief.team_id])},
        )
        for number, brief in enumerate(briefs, 1)
    ]


def _can_manage(user, challenge: Challenge) -> bool:
    return bool(runs_challenge(user, challenge))


def _item_title(item, blind: bool) -> str:
    if blind:
        return item.label
    brief = item.target
    version = brief.submitted_version if brief is not None else None
    if version is None:
        return item.label
    return gettext("%(title)s, by the team %(team)s") % {
        "title": version.title,
        "team": brief.team.name,
    }


def _owner_url(challenge: Challenge) -> str:
    return reverse("inquirylab:judging", kwargs={"slug": challenge.slug})


def _scoring_refusal(challenge: Challenge) -> str:
    return stages.refusal(challenge, Action.JUDGE)


def connect() -> None:
    """Register the challenge as an owner of review rounds."""
    from voices.assessments import registry

    registry.register(
        registry.Owner(
            model=Challenge,
            can_manage=_can_manage,
            item_title=_item_title,
            item_template=ITEM_TEMPLATE,
            owner_url=_owner_url,
            scoring_refusal=_scoring_refusal,
            target_queryset=lambda: Brief.objects.select_related("team", "submitted_version"),
        )
    )
