from django.contrib import admin

from voices.core.admin import AuditedAdmin

from .models import Council, CouncilStatusChange, Invitation, JoinRequest, Membership, PolicyDomain


@admin.register(PolicyDomain)
class PolicyDomainAdmin(AuditedAdmin):
    list_display = ["code", "__str__", "position"]


class StatusChangeInline(admin.TabularInline):
    model = CouncilStatusChange
    extra = 0


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    list_display = ["__str__", "slug", "level", "country", "status"]
    list_filter = ["level", "status", "country"]
    search_fields = ["slug"]
    inlines = [StatusChangeInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "council", "role", "term_start", "term_end", "ended_on"]
    list_filter = ["role", "council"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ["council", "role", "created_at", "expires_at", "used_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(JoinRequest)
class JoinRequestAdmin(AuditedAdmin):
    list_display = ["user", "council", "status", "created_at"]
    list_filter = ["status"]
