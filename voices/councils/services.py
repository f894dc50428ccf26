"""Writes for councils and their members. Seat and term rules are checked here, under a lock."""

import datetime
import hashlib
import secrets

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from voices.accounts.models import Role, RoleGrant, User
from voices.accounts.services import role_revoke
from voices.core.audit import audit_record, snapshot
from voices.core.notifications import notification_send

from .models import Council, CouncilStatusChange, Invitation, JoinRequest, Membership
from .selectors import current_q, membership_current

COUNCIL_FIELDS = (
    "slug", "name", "description", "level", "country", "region", "municipality",
    "host_authority", "status", "founded_on", "working_languages", "parent", "voting_seats",
    "term_months", "max_terms", "quorum_share", "majority", "minutes_approval",
)  # fmt: skip
INVITATION_DAYS = 14


def _set_relations(council: Council, domains, supporting_organisations) -> None:
    if domains is not None:
        council.domains.set(domains)
    if supporting_organisations is not None:
        council.supporting_organisations.set(supporting_organisations)


def _council_snapshot(council: Council) -> dict:
    # Without updated_at: save() always moves it, so an edit that changes nothing would be logged.
    data = snapshot(council, exclude=("updated_at",))
    data["domains"] = sorted(council.domains.values_list("code", flat=True))
    data["supporting_organisations"] = sorted(
        council.supporting_organisations.values_list("slug", flat=True)
    )
    return data


@transaction.atomic
def council_create(
    *, actor: User, domains=None, supporting_organisations=None, **fields
) -> Council:
    """Set up a council and log it."""
    if not actor.has_perm("councils.add_council"):
        raise PermissionDenied
    council = Council(**{k: v for k, v in fields.items() if k in COUNCIL_FIELDS})
    council.full_clean()
    council.save()
    _set_relations(council, domains, supporting_organisations)
    CouncilStatusChange.objects.create(
        council=council,
        status=council.status,
        changed_on=council.founded_on or timezone.localdate(),
        changed_by=actor,
    )
    audit_record(actor=actor, action="create", obj=council, after=_council_snapshot(council))
    return council


@transaction.atomic
def council_update(
    *, actor: User, council: Council, domains=None, supporting_organisations=None, **fields
) -> Council:
    """Change a council's details and rules; a new status is recorded with its date."""
    if not actor.has_perm("councils.change_council", council):
        raise PermissionDenied
    council = Council.objects.select_for_update().get(pk=council.pk)
    before = _council_snapshot(council)
    for name, value in fields.items():
        if name in COUNCIL_FIELDS:
            setattr(council, name, value)
    council.full_clean()
    council.save()
    _set_relations(council, domains, supporting_organisations)
    after = _council_snapshot(council)
    if before["status"] != after["status"]:
        CouncilStatusChange.objects.create(
            council=council, status=council.status, changed_on=timezone.localdate(),
            changed_by=actor,
        )  # fmt: skip
    if before != after:
        audit_record(actor=actor, action="update", obj=council, before=before, after=after)
    return council


def term_end_for(council: Council, start: datetime.date) -> datetime.date:
    """The last day of a full term that starts on `start`."""
    return start + relativedelta(months=council.term_months) - datetime.timedelta(days=1)


def _check_seat_rules(
    council: Council,
    *,
    user: User,
    role: str,
    start: datetime.date,
    end: datetime.date,
    exclude_pk: int | None = None,
) -> None:
    """Raise ValidationError when the membership would break the council's charter."""
    if end < start:
        raise ValidationError(_("The term must end after it starts."), code="term_order")
    if end > term_end_for(council, start):
        raise ValidationError(
            _("A term in this council lasts at most %(months)d months.")
            % {"months": council.term_months},
            code="term_too_long",
        )
    others = Membership.objects.filter(council=council).exclude(pk=exclude_pk)
    overlapping = others.filter(term_start__lte=end, term_end__gte=start).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    if overlapping.filter(user=user).exists():
        raise ValidationError(
            _("%(name)s already has a place in this council for this period.") % {"name": user},
            code="already_member",
        )
    if role in Membership.SINGLE_ROLES and overlapping.filter(role=role).exists():
        raise ValidationError(
            _("Someone else already has the role “%(role)s” for this period.")
            % {"role": Membership.Role(role).label},
            code="role_taken",
        )
    if role in Membership.VOTING_ROLES:
        taken = overlapping.filter(role__in=Membership.VOTING_ROLES).count()
        if taken >= council.voting_seats:
            raise ValidationError(
                _("All %(seats)d voting seats are taken for this period.")
                % {"seats": council.voting_seats},
                code="seats_full",
            )
        served = others.filter(user=user, role__in=Membership.VOTING_ROLES).count()
        if served >= council.max_terms:
            raise ValidationError(
                _("%(name)s has already served the most terms allowed (%(max)d).")
                % {"name": user, "max": council.max_terms},
                code="max_terms",
            )


def _membership_create(
    *,
    council: Council,
    user: User,
    role: str,
    entry: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    association=None,
    granted_by: User | None,
) -> Membership:
    # Lock the council row: two facilitators filling the last seat at once must not both win.
    council = Council.objects.select_for_update().get(pk=council.pk)
    term_end = term_end or term_end_for(council, term_start)
    _check_seat_rules(council, user=user, role=role, start=term_start, end=term_end)
    membership = Membership(
        council=council, user=user, role=role, entry=entry, term_start=term_start,
        term_end=term_end, association=association,
    )  # fmt: skip
    membership.full_clean()
    membership.save()
    if role == Membership.Role.FACILITATOR:
        # Facilitation is a staff role: it is what the permission layer and the second-factor
        # gate read, so the seat and the role are given together.
        RoleGrant.objects.get_or_create(
            user=user, role=Role.FACILITATOR,
            scope_type_id=_council_type_id(), scope_id=str(council.pk),
            defaults={"granted_by": granted_by},
        )  # fmt: skip
        user.__dict__.pop("_role_set", None)
    user.__dict__.pop("_council_memberships", None)
    return membership


def _council_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Council).pk


@transaction.atomic
def membership_add(
    *,
    actor: User,
    council: Council,
    user: User,
    role: str,
    entry: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    association=None,
) -> Membership:
    """Give `user` a place in the council, within its seat and term rules, and log it."""
    if not actor.has_perm("councils.manage_members", council):
        raise PermissionDenied
    _check_may_appoint(actor, role, council)
    membership = _membership_create(
        council=council, user=user, role=role, entry=entry, term_start=term_start,
        term_end=term_end, association=association, granted_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="create", obj=membership, after=snapshot(membership))
    return membership


@transaction.atomic
def membership_end(
    *, actor: User, membership: Membership, on: datetime.date | None = None
) -> Membership:
    """End a membership early (the person stays in the council's history)."""
    if not actor.has_perm("councils.manage_members", membership.council):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise ValidationError(_("This membership has already ended."), code="already_ended")
    on = on or timezone.localdate()
    if on < membership.term_start:
        on = membership.term_start
    before = snapshot(membership)
    membership.ended_on = min(on, membership.term_end)
    membership.full_clean()
    membership.save(update_fields=["ended_on", "updated_at"])
    if membership.role == Membership.Role.FACILITATOR:
        still = Membership.objects.filter(
            current_q(), council=membership.council, user=membership.user,
            role=Membership.Role.FACILITATOR,
        ).exclude(pk=membership.pk)  # fmt: skip
        if not still.exists():
            for grant in RoleGrant.objects.filter(
                user=membership.user, role=Role.FACILITATOR,
                scope_type_id=_council_type_id(), scope_id=str(membership.council_id),
            ):  # fmt: skip
                if actor.has_perm("accounts.manage_roles", membership.council):
                    role_revoke(actor=actor, grant=grant)
                else:
                    audit_record(actor=actor, action="revoke", obj=grant, before=snapshot(grant))
                    grant.delete()
                    membership.user.__dict__.pop("_role_set", None)
    audit_record(
        actor=actor, action="update", obj=membership, before=before, after=snapshot(membership)
    )
    return membership


@transaction.atomic
def membership_end_undo(*, actor: User, membership: Membership) -> Membership:
    """Take back a membership ended today by mistake (seat rules are checked again)."""
    council = membership.council
    if not actor.has_perm("councils.manage_members", council):
        raise PermissionDenied
    council = Council.objects.select_for_update().get(pk=council.pk)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on != timezone.localdate():
        raise ValidationError(
            _("Only a membership ended today can be restored."), code="undo_too_late"
        )
    _check_seat_rules(
        council, user=membership.user, role=membership.role, start=membership.term_start,
        end=membership.term_end, exclude_pk=membership.pk,
    )  # fmt: skip
    before = snapshot(membership)
    membership.ended_on = None
    membership.save(update_fields=["ended_on", "updated_at"])
    if membership.role == Membership.Role.FACILITATOR:
        RoleGrant.objects.get_or_create(
            user=membership.user, role=Role.FACILITATOR, scope_type_id=_council_type_id(),
            scope_id=str(council.pk), defaults={"granted_by": actor},
        )  # fmt: skip
    audit_record(
        actor=actor, action="update", obj=membership, before=before, after=snapshot(membership)
    )
    return membership


@transaction.atomic
def membership_update_own(
    *, user: User, membership: Membership, is_public: bool, contact_email: str, contact_phone: str
) -> Membership:
    """A member decides what is shown about them and how the council can reach them."""
    if membership.user_id != user.pk:
        raise PermissionDenied
    membership.is_public = is_public
    membership.contact_email = contact_email.strip()
    membership.contact_phone = contact_phone.strip()
    membership.full_clean()
    membership.save(update_fields=["is_public", "contact_email", "contact_phone", "updated_at"])
    return membership


def _check_may_appoint(actor: User, role: str, council: Council) -> None:
    # A facilitator seat is a staff role: only programme staff hand it out.
    if role == Membership.Role.FACILITATOR and not actor.has_perm("accounts.manage_roles", council):
        raise ValidationError(
            _("Only programme coordinators can appoint facilitators."), code="facilitator_role"
        )


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, actor: User, council: Council, role: str, entry: str, note: str = "",
    days: int = INVITATION_DAYS,
) -> tuple[Invitation, str]:  # fmt: skip
    """Create a single-use join link; the secret is returned once and stored only hashed."""
    if not actor.has_perm("councils.manage_members", council):
        raise PermissionDenied
    _check_may_appoint(actor, role, council)
    raw = secrets.token_urlsafe(24)
    invitation = Invitation(
        council=council, role=role, entry=entry, note=note.strip(), token_hash=_token_hash(raw),
        expires_at=timezone.now() + datetime.timedelta(days=days), created_by=actor,
    )  # fmt: skip
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="create", obj=invitation, after=snapshot(invitation))
    return invitation, raw


def invitation_find(raw: str) -> Invitation | None:
    if not raw or len(raw) > 100:
        return None
    return Invitation.objects.select_related("council").filter(token_hash=_token_hash(raw)).first()


@transaction.atomic
def invitation_accept(*, user: User, raw: str) -> Membership:
    """Use an invitation link: the person takes the offered place from today."""
    found = invitation_find(raw)
    if found is None:
        raise ValidationError(_("This invitation link is not valid."), code="invalid_invitation")
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if not invitation.is_usable(at=timezone.now()):
        raise ValidationError(
            _("This invitation has expired or was already used. Ask for a new one."),
            code="invitation_used",
        )
    membership = _membership_create(
        council=invitation.council, user=user, role=invitation.role, entry=invitation.entry,
        term_start=timezone.localdate(), term_end=None, granted_by=invitation.created_by,
    )  # fmt: skip
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by", "updated_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Withdraw an unused invitation so its link stops working."""
    if not actor.has_perm("councils.manage_members", invitation.council):
        raise PermissionDenied
    before = snapshot(invitation)
    revoked = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), updated_at=timezone.now())
    if revoked:
        invitation.refresh_from_db()
        audit_record(
            actor=actor, action="update", obj=invitation, before=before, after=snapshot(invitation)
        )


@transaction.atomic
def join_request_create(*, user: User, council: Council, message: str = "") -> JoinRequest:
    """Ask to join a council; its facilitators are told."""
    if membership_current(user=user, council=council) is not None:
        raise ValidationError(_("You are already a member of this council."), code="member")
    request = JoinRequest(council=council, user=user, message=message.strip())
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already asked to join. A facilitator will answer soon."),
            code="already_requested",
        ) from None
    for facilitator in User.objects.filter(
        role_grants__role=Role.FACILITATOR,
        role_grants__scope_type_id=_council_type_id(),
        role_grants__scope_id=str(council.pk),
    ).distinct():
        notification_send(
            recipient=facilitator, kind="council_join_request",
            template="councils/notifications/join_request",
            context={"council": council, "person": user},
            url=reverse("councils:members", kwargs={"slug": council.slug}),
        )  # fmt: skip
    return request


@transaction.atomic
def join_request_decide(
    *, actor: User, join_request: JoinRequest, accept: bool,
    role: str = Membership.Role.MEMBER, entry: str = Membership.Entry.COOPTED,
) -> JoinRequest:  # fmt: skip
    """Accept (giving a place from today) or decline a request to join, and tell the person."""
    council = join_request.council
    if not actor.has_perm("councils.manage_members", council):
        raise PermissionDenied
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."), code="decided")
    if accept:
        membership_add(
            actor=actor, council=council, user=join_request.user, role=role, entry=entry,
            term_start=timezone.localdate(),
        )  # fmt: skip
    before = snapshot(join_request)
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=join_request, before=before, after=snapshot(join_request)
    )
    notification_send(
        recipient=join_request.user, kind="council_join_answer",
        template="councils/notifications/join_answer",
        context={"council": council, "accepted": accept}, url=council.get_absolute_url(),
    )  # fmt: skip
    return join_request


@transaction.atomic
def join_request_withdraw(*, user: User, join_request: JoinRequest) -> None:
    """Take back one's own pending request."""
    if join_request.user_id != user.pk:
        raise PermissionDenied
    JoinRequest.objects.filter(pk=join_request.pk, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.WITHDRAWN, updated_at=timezone.now()
    )
