from django.urls import path

from . import decision_views, meeting_views, views

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
        "councils/<slug:slug>/members/<int:membership_id>/undo-end/",
        views.member_end_undo,
        name="member_end_undo",
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
    path("councils/<slug:slug>/meetings/", meeting_views.meeting_list, name="meetings"),
    path("councils/<slug:slug>/meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("councils/<slug:slug>/meetings.ics", meeting_views.council_ical, name="council_ical"),
    path("meetings/<int:meeting_id>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:meeting_id>/cancel/",
        meeting_views.meeting_cancel_view,
        name="meeting_cancel",
    ),
    path("meetings/<int:meeting_id>/start/", meeting_views.meeting_open_view, name="meeting_open"),
    path("meetings/<int:meeting_id>/end/", meeting_views.meeting_close_view, name="meeting_close"),
    path("meetings/<int:meeting_id>/agenda/", meeting_views.agenda_manage, name="agenda"),
    path(
        "meetings/<int:meeting_id>/agenda/<int:item_id>/",
        meeting_views.agenda_item_action,
        name="agenda_item",
    ),
    path(
        "meetings/<int:meeting_id>/answer/",
        meeting_views.meeting_respond_view,
        name="meeting_respond",
    ),
    path("meetings/<int:meeting_id>/attendance/", meeting_views.attendance, name="attendance"),
    path("meetings/<int:meeting_id>/calendar.ics", meeting_views.meeting_ical, name="meeting_ical"),
    path("meetings/<int:meeting_id>/minutes/", decision_views.minutes_edit, name="minutes_edit"),
    path("minutes/<int:minutes_id>/", decision_views.minutes_detail, name="minutes"),
    path("minutes/<int:minutes_id>/action/", decision_views.minutes_action, name="minutes_action"),
    path(
        "minutes/<int:minutes_id>/correct/",
        decision_views.minutes_correct_view,
        name="minutes_correct",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/<int:item_id>/motions/new/",
        decision_views.motion_create,
        name="motion_create",
    ),
    path("motions/<int:motion_id>/", decision_views.motion_detail, name="motion_detail"),
    path(
        "motions/<int:motion_id>/withdraw/",
        decision_views.motion_withdraw_view,
        name="motion_withdraw",
    ),
    path(
        "motions/<int:motion_id>/amendments/",
        decision_views.amendment_create,
        name="amendment_create",
    ),
    path(
        "meetings/<int:meeting_id>/ballots/",
        decision_views.ballot_prepare_view,
        name="ballot_prepare",
    ),
    path("ballots/<int:ballot_id>/", decision_views.ballot_detail, name="ballot_detail"),
    path("ballots/<int:ballot_id>/action/", decision_views.ballot_action, name="ballot_action"),
    path("ballots/<int:ballot_id>/vote/", decision_views.vote, name="vote"),
]
