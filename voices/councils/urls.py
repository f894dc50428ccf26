from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("councils/", views.council_list, name="list"),
    path("councils/new/", views.council_create_view, name="create"),
    path("councils/join/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("councils/<slug:slug>/", views.council_detail, name="detail"),
    path("councils/<slug:slug>/edit/", views.council_edit, name="edit"),
    path("councils/<slug:slug>/members/", views.member_manage, name="members"),
    path(
        "councils/<slug:slug>/members/<int:membership_id>/end/",
        views.member_end,
        name="member_end",
    ),
    path(
        "councils/<slug:slug>/requests/<int:request_id>/decide/",
        views.join_request_decide_view,
        name="join_request_decide",
    ),
    path("councils/<slug:slug>/invitations/", views.invitation_manage, name="invitations"),
    path(
        "councils/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("councils/<slug:slug>/join/", views.join_request_view, name="join"),
    path("councils/<slug:slug>/my-membership/", views.own_membership, name="own_membership"),
]
