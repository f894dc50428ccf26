from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views
from .api import api_urls

handler400 = "voices.views.error_400"
handler403 = "voices.views.error_403"
handler404 = "voices.views.error_404"
handler500 = "voices.views.error_500"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", api_urls()),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("voices.accounts.urls")),
    path("", include("voices.core.urls")),
    path("", include("voices.directory.urls")),
    path("", include("voices.councils.urls")),
    path("", include("voices.recommendations.urls")),
    path("", include("voices.consultations.urls")),
    path("", include("voices.opinions.urls")),
    path("", include("voices.assessments.urls")),
    path("", include("voices.inquirylab.urls")),
    path("admin/", admin.site.urls),
)
