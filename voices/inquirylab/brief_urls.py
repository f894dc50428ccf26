"""Paths of the Inquiry Lab's brief pages."""

from django.urls import path

from . import brief_views as views

urlpatterns = [
    path("lab/teams/<int:team_id>/brief/", views.brief_edit, name="brief_edit"),
    path("lab/teams/<int:team_id>/brief/submit/", views.brief_submit, name="brief_submit"),
    path(
        "lab/teams/<int:team_id>/brief/attachments/",
        views.brief_attachment_add,
        name="brief_attachment_add",
    ),
    path("lab/teams/<int:team_id>/brief/versions/", views.brief_versions, name="brief_versions"),
    path(
        "lab/teams/<int:team_id>/brief/versions/<int:number>/",
        views.brief_version,
        name="brief_version",
    ),
    path(
        "lab/teams/<int:team_id>/brief/versions/<int:number>/restore/",
        views.brief_version_restore,
        name="brief_version_restore",
    ),
    path("lab/briefs/<int:brief_id>/", views.brief_detail, name="brief"),
    path("lab/brief-files/<int:attachment_id>/", views.brief_attachment, name="brief_attachment"),
    path(
        "lab/brief-files/<int:attachment_id>/remove/",
        views.brief_attachment_delete,
        name="brief_attachment_delete",
    ),
]
