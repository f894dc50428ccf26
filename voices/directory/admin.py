from django.contrib import admin

from voices.core.admin import AuditedAdmin

from .models import Country, Municipality, Organisation, Region


@admin.register(Country)
class CountryAdmin(AuditedAdmin):
    list_display = ["code", "is_programme", "language"]
    list_filter = ["is_programme"]


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["__str__", "country", "code"]
    list_filter = ["country"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["__str__", "region", "code"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["__str__", "slug", "kind", "country", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = ["slug"]
