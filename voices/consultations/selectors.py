"""Reads for consultations, including who may see what (hidden things are a 404).

Lists are built for large consultations (10,000 proposals, 100,000 comments): counts are kept on
the proposal or computed per page, threads are fetched one page at a time with all their replies
in one query, and no page runs a query per row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from voices.accounts.models import Role
from voices.core.disclosure import Disclosed, disclose_count
from voices.core.models import ModerationState
from voices.core.search import search_filter
from voices.councils.decision_selectors import councils_proposing_motions, motions_open_in
from voices.councils.models import Council
from voices.councils.rules import is_council_facilitator
from voices.directory.models import Organisation

from .models import PHASE_STARTS, Comment, Consultation, Participant, Phase, Proposal, Support

VISIBLE = ModerationState.VISIBLE


def _phase_q(phase: str, now: datetime.datetime) -> Q:
    """The consultations in `phase` at `now`, as a filter on the phase dates."""
    starts = dict(PHASE_STARTS)
    order = [p for p, _f in PHASE_STARTS]
    if phase == Phase.UPCOMING:
        return Q(information_at__gt=now)
    q = Q(**{f"{starts[phase]}__lte": now})
    index = order.index(phase)
    if index + 1 < len(order):
        q &= Q(**{f"{starts[order[index + 1]]}__gt": now})
    return q


def consultation_list(
    *,
    country: str = "",
    domain: str = "",
    phase: str = "",
    council: str = "",
    organisation: str = "",
) -> QuerySet[Consultation]:
    """Published consultations, newest first, with what their cards show."""
    qs = Consultation.objects.filter(is_published=True).select_related(
        "owner_organisation", "owner_council", "domain", "country", "region", "municipality"
    )
    if country:
        qs = qs.filter(country__code=country.upper())
    if domain:
        qs = qs.filter(domain__code=domain)
    if council:
        qs = qs.filter(owner_council__slug=council)
    if organisation:
        qs = qs.filter(owner_organisation__slug=organisation)
    if phase in Phase.values:
        qs = qs.filter(_phase_q(phase, timezone.now()))
    # A subquery, counted only for the page shown (a join and GROUP BY counted every proposal
    # of every consultation, 10,000 of them for one large consultation, before paging).
    published = Proposal.objects.filter(consultation=OuterRef("pk"), moderation_state=VISIBLE)
    counted = published.order_by().values("consultation").annotate(n=Count("pk")).values("n")
    return qs.annotate(
        proposal_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    ).order_by("-contributions_at", "-id")


def consultations_open(limit: int = 6) -> list[Consultation]:
    """Published consultations taking contributions or supports now, closing soonest first."""
    now = timezone.now()
    qs = Consultation.objects.filter(
        is_published=True, contributions_at__lte=now, answers_at__gt=now
    ).select_related("owner_organisation", "owner_council", "domain", "country")
    return list(qs.order_by("answers_at", "id")[:limit])


def consultations_run_by(user) -> QuerySet[Consultation]:
    """Consultations the user runs, drafts included (for their own list)."""
    if not (user and user.is_authenticated):
        return Consultation.objects.none()
    qs = Consultation.objects.select_related("owner_organisation", "owner_council", "domain")
    if user.is_superuser or user.has_role(Role.COORDINATOR):
        return qs.filter(is_published=False)
    organisations = [int(i) for i in user.scope_ids(Role.OFFICER, Organisation)]
    return qs.filter(
        Q(owner_organisation_id__in=organisations)
        | Q(owner_council_id__in=[c.pk for c in councils_facilitated_by(user)])
    ).filter(is_published=False)


def councils_facilitated_by(user) -> list[Council]:
    """Councils the user facilitates now (a role left from an expired seat does not count)."""
    scoped = [int(i) for i in user.scope_ids(Role.FACILITATOR, Council)]
    return [c for c in Council.objects.filter(pk__in=scoped) if is_council_facilitator(user, c)]


def consultation_get_for_user(consultation_id: int, *, user) -> Consultation:
    qs = Consultation.objects.select_related(
        "owner_organisation", "owner_council", "domain", "country", "region", "municipality",
        "eligible_council",
    )  # fmt: skip
    consultation = get_object_or_404(qs, pk=consultation_id)
    if not user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    return consultation


def participant_of(consultation: Consultation, *, user, anon_key: str = "") -> Participant | None:
    if user is not None and user.is_authenticated:
        return Participant.objects.filter(consultation=consultation, user=user).first()
    if anon_key:
        return Participant.objects.filter(
            consultation=consultation, user=None, anon_key=anon_key
        ).first()
    return None


def _comment_count() -> Subquery:
    visible = Comment.objects.filter(
        proposal=OuterRef("pk"), moderation_state=VISIBLE, removed_at__isnull=True
    )
    counted = visible.order_by().values("proposal").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


ORDERS = {
    "new": ("-created_at", "-id"),
    "old": ("created_at", "id"),
    "supported": ("-supports_count", "-created_at", "-id"),
}


def proposal_list(
    *, consultation: Consultation, order: str = "new", answer: str = "", query: str = ""
) -> QuerySet[Proposal]:
    """The published proposals of a consultation, each with its comment count."""
    qs = Proposal.objects.filter(consultation=consultation, moderation_state=VISIBLE)
    if answer == "none":
        qs = qs.filter(answer="")
    elif answer in Proposal.Answer.values:
        qs = qs.filter(answer=answer)
    elif answer == "reached":
        qs = qs.filter(reached_at__isnull=False)
    qs = qs.select_related("author", "consultation")
    if query:
        qs = search_filter(qs, query, fields=["title", "body"])
    else:
        qs = qs.order_by(*ORDERS.get(order, ORDERS["new"]))
    return qs.annotate(comment_count=_comment_count())


def proposal_list_preview(*, consultation: Consultation, user, limit: int = 5) -> dict:
    """The consultation page's view of its proposals: the most supported few and the total."""
    qs = proposal_list(consultation=consultation, order="supported")
    return {"proposals": list(qs[:limit]), "total": qs.count()}


def proposals_pending_for(*, consultation: Consultation, user) -> QuerySet[Proposal]:
    """The user's own proposals that wait for a moderator (nobody else sees them yet)."""
    if not (user and user.is_authenticated):
        return Proposal.objects.none()
    return Proposal.objects.filter(
        consultation=consultation, author=user, moderation_state=ModerationState.PENDING
    )


def proposal_get_for_user(proposal_id: int, *, user) -> Proposal:
    qs = Proposal.objects.select_related(
        "consultation__owner_organisation", "consultation__owner_council", "consultation__domain",
        "consultation__country", "author", "image", "attachment", "merged_into", "answered_by",
    )  # fmt: skip
    proposal = get_object_or_404(qs, pk=proposal_id)
    if not user.has_perm("consultations.view_proposal", proposal):
        raise Http404
    return proposal


def proposals_similar(
    *, consultation: Consultation, title: str, exclude: int | None = None, limit: int = 5
) -> list[Proposal]:
    """Published proposals whose titles share words with `title`, most shared first."""
    words = []
    for word in title.casefold().split():
        word = word.strip(".,;:!?\"'()[]«»“”")
        if len(word) >= 4 and word not in words:
            words.append(word)
    words = words[:8]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word)
    qs = Proposal.objects.filter(consultation=consultation, moderation_state=VISIBLE).filter(match)
    if exclude:
        qs = qs.exclude(pk=exclude)
    candidates = list(qs.only("id", "title", "supports_count", "answer", "withdrawn_at")[:100])
    scored = [(sum(w in p.title.casefold() for w in words), p) for p in candidates]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].supports_count, pair[1].pk))
    return [p for score, p in scored if score][:limit]


def supported_ids(*, consultation: Consultation, participant: Participant | None) -> set[int]:
    if participant is None:
        return set()
    return set(
        Support.objects.filter(consultation=consultation, participant=participant).values_list(
            "proposal_id", flat=True
        )
    )


def supports_used(*, participant: Participant | None) -> int:
    return 0 if participant is None else Support.objects.filter(participant=participant).count()


@dataclass
class Thread:
    comment: Comment
    replies: list[Thread] = field(default_factory=list)


def _shown_comments(qs: QuerySet[Comment], user, *, moderator: bool) -> QuerySet[Comment]:
    """Comments waiting for a moderator are seen by their author and the moderators only."""
    if moderator:
        return qs
    hidden_pending = Q(moderation_state=ModerationState.PENDING)
    if user is not None and user.is_authenticated:
        return qs.exclude(hidden_pending & ~Q(author=user))
    return qs.exclude(hidden_pending)


def comment_threads(
    *, consultation: Consultation, proposal: Proposal | None, user, moderator: bool = False
) -> QuerySet[Comment]:
    """The first comments of the threads on a proposal (or on the consultation), oldest first."""
    qs = Comment.objects.filter(
        consultation=consultation, proposal=proposal, parent__isnull=True
    ).select_related("author")
    return _shown_comments(qs, user, moderator=moderator)


def threads_with_replies(roots: list[Comment], *, user, moderator: bool = False) -> list[Thread]:
    """Attach every reply of these threads, fetched in one query, as a tree."""
    if not roots:
        return []
    replies = _shown_comments(
        Comment.objects.filter(thread_id__in=[c.pk for c in roots]).select_related("author"),
        user,
        moderator=moderator,
    ).order_by("created_at", "id")
    nodes = {c.pk: Thread(c) for c in roots}
    for reply in replies:
        nodes[reply.pk] = Thread(reply)
    for reply in replies:
        parent = nodes.get(reply.parent_id)
        if parent is not None:
            parent.replies.append(nodes[reply.pk])
    return [nodes[c.pk] for c in roots]


def comment_get(comment_id: int, *, consultation: Consultation | None = None) -> Comment:
    qs = Comment.objects.select_related("consultation", "proposal", "author")
    comment = get_object_or_404(qs, pk=comment_id)
    if consultation is not None and comment.consultation_id != consultation.pk:
        raise Http404
    return comment


# Results


@dataclass
class Results:
    participants: Disclosed
    unverified: Disclosed
    supporters: Disclosed
    proposals: int
    comments: int
    by_answer: list[tuple[str, str, int]]
    top: list[Proposal]


def results_for(consultation: Consultation) -> Results:
    """Participation figures (people only through disclosure control), proposals by answer and
    the most supported proposals."""
    proposals = Proposal.objects.filter(consultation=consultation, moderation_state=VISIBLE)
    comments = _published_comments(consultation)
    took_part = Q(pk__in=Proposal.objects.filter(consultation=consultation).values("participant"))
    took_part |= Q(pk__in=Comment.objects.filter(consultation=consultation).values("participant"))
    took_part |= Q(pk__in=Support.objects.filter(consultation=consultation).values("participant"))
    people = (
        Participant.objects.filter(consultation=consultation)
        .filter(took_part)
        .aggregate(total=Count("pk"), anonymous=Count("pk", filter=~Q(anon_key="")))
    )
    supporters = (
        Support.objects.filter(consultation=consultation).values("participant").distinct().count()
    )
    counts = dict(
        proposals.order_by()
        .values_list("answer")
        .annotate(n=Count("pk"))
        .values_list("answer", "n")
    )
    by_answer = [("none", "", counts.get("", 0))] + [
        (value, label, counts.get(value, 0)) for value, label in Proposal.Answer.choices
    ]
    top = list(
        proposals.filter(supports_count__gt=0)
        .select_related("author")
        .order_by("-supports_count", "created_at", "id")[:10]
    )
    return Results(
        participants=disclose_count(people["total"]),
        unverified=disclose_count(people["anonymous"]),
        supporters=disclose_count(supporters),
        proposals=sum(counts.values()),
        comments=comments.count(),
        by_answer=by_answer,
        top=top,
    )


def export_proposals(consultation: Consultation) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(consultation=consultation, moderation_state=VISIBLE)
        .select_related("author", "merged_into")
        .order_by("created_at", "id")
    )


def _published_comments(consultation: Consultation) -> QuerySet[Comment]:
    """Comments anyone may read: published, not removed, and not under a hidden proposal."""
    return Comment.objects.filter(
        consultation=consultation, moderation_state=VISIBLE, removed_at__isnull=True
    ).filter(Q(proposal__isnull=True) | Q(proposal__moderation_state=VISIBLE))


def export_comments(consultation: Consultation) -> QuerySet[Comment]:
    return _published_comments(consultation).select_related("author").order_by("created_at", "id")


# Search


def search(*, query: str, limit: int = 20) -> tuple[list[Consultation], list[Proposal]]:
    """Published consultations and published proposals matching every word of `query`."""
    consultations = search_filter(
        Consultation.objects.filter(is_published=True).select_related("domain", "country"),
        query,
        fields=["title", "question", "background"],
    )
    proposals = search_filter(
        Proposal.objects.filter(
            consultation__is_published=True, moderation_state=VISIBLE
        ).select_related("consultation", "author"),
        query,
        fields=["title", "body"],
    )
    return list(consultations[:limit]), list(proposals[:limit])


def citations_for(proposal: Proposal):
    return proposal.citations.select_related("motion__agenda_item__meeting__council")


def motions_citable_by(user) -> list:
    """Motions not decided yet, in councils where the user may propose motions."""
    councils = councils_proposing_motions(user)
    return list(motions_open_in(councils)[:100]) if councils else []


def may_cite(user) -> bool:
    councils = councils_proposing_motions(user)
    return bool(councils) and motions_open_in(councils).exists()


def contributions_of(user) -> list[dict]:
    """What a person wrote and supported in consultations, for their own data download."""
    rows: list[dict] = []
    for p in Proposal.objects.filter(author=user).select_related("consultation"):
        rows.append({
            "kind": "proposal", "consultation": str(p.consultation.title), "title": p.title,
            "text": p.body, "language": p.language, "written": p.created_at.isoformat(),
            "withdrawn": p.withdrawn_at.isoformat() if p.withdrawn_at else None,
            "moderation": p.moderation_state,
        })  # fmt: skip
    for c in Comment.objects.filter(author=user).select_related("consultation"):
        rows.append({
            "kind": "comment", "consultation": str(c.consultation.title), "text": c.body,
            "stance": c.stance, "language": c.language, "written": c.created_at.isoformat(),
            "removed": c.removed_at.isoformat() if c.removed_at else None,
            "moderation": c.moderation_state,
        })  # fmt: skip
    supports = Support.objects.filter(participant__user=user).select_related("proposal")
    for s in supports:
        rows.append(
            {"kind": "support", "proposal": s.proposal.title, "given": s.created_at.isoformat()}
        )
    return rows
