from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


class VoicesAdminSite(admin.AdminSite):
    """Django's admin, for administrators only, behind the site's own login and second factor."""

    site_header = "Voices"
    site_title = "Voices"

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_superuser and not user.needs_second_factor()

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if user.is_authenticated and user.is_superuser and user.needs_second_factor():
                return redirect("mfa_activate_totp")
            if user.is_authenticated and not self.has_permission(request):
                # Signed in but no administrator: sending them to log in would loop, as the
                # login page sends a signed-in user straight back here.
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return wrapper

    def login(self, request, extra_context=None):
        if self.has_permission(request):
            return redirect("admin:index")
        return redirect(f"{reverse('account_login')}?next={reverse('admin:index')}")


class VoicesAdminConfig(AdminConfig):
    default_site = "voices.core.admin_site.VoicesAdminSite"
