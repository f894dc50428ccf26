from django.contrib import admin

from voices.core.admin import AuditedAdmin

from .models import RoleGrant, User


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ["username", "display_name", "country", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "country"]
    search_fields = ["username", "display_name", "email"]
    fields = [
        "username", "display_name", "email", "languages", "country", "birth_year", "time_zone",
        "is_active", "is_superuser", "date_joined", "last_login",
    ]  # fmt: skip
    readonly_fields = ["date_joined", "last_login"]


@admin.register(RoleGrant)
class RoleGrantAdmin(AuditedAdmin):
    list_display = ["user", "role", "scope_type", "scope_id", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "granted_by"]
