"""Paths of the Inquiry Lab's team pages."""

from django.urls import path

from . import team_views as views

urlpatterns = [
    path("lab/<slug:slug>/teams/", views.teams, name="teams"),
    path("lab/<slug:slug>/teams/new/", views.team_create, name="team_create"),
    path("lab/<slug:slug>/people/", views.people, name="people"),
    path("lab/<slug:slug>/team-profile/", views.participant_profile, name="participant_profile"),
    path("lab/<slug:slug>/matching/", views.matching, name="matching"),
    path("lab/<slug:slug>/matching/propose/", views.matching_propose, name="matching_propose"),
    path("lab/matching/<int:proposal_id>/apply/", views.matching_apply, name="matching_apply"),
    path(
        "lab/matching/<int:proposal_id>/discard/",
        views.matching_discard,
        name="matching_discard",
    ),
    path("lab/teams/<int:team_id>/", views.team_detail, name="team"),
    path("lab/teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("lab/teams/<int:team_id>/invite/", views.team_invite, name="team_invite"),
    path("lab/teams/<int:team_id>/join/", views.team_join, name="team_join"),
    path("lab/teams/<int:team_id>/leave/", views.team_leave, name="team_leave"),
    path("lab/teams/<int:team_id>/hand-over/", views.team_handover, name="team_handover"),
    path(
        "lab/teams/<int:team_id>/remove-member/",
        views.team_remove_member,
        name="team_remove_member",
    ),
    path(
        "lab/team-requests/<int:request_id>/answer/",
        views.team_request_answer,
        name="team_request_answer",
    ),
]
