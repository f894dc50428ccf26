from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/", views.recommendation_list, name="list"),
    path("recommendations/export.csv", views.recommendation_export, name="export"),
    path("recommendations/scorecards/", views.scorecard_list, name="scorecards"),
    path("recommendations/inbox/", views.inbox, name="inbox"),
    path(
        "recommendations/council/<slug:slug>/",
        views.council_recommendations,
        name="council",
    ),
    path(
        "recommendations/council/<slug:slug>/new/",
        views.recommendation_create,
        name="create",
    ),
    path("recommendations/<int:recommendation_id>/", views.recommendation_detail, name="detail"),
    path("recommendations/<int:recommendation_id>/edit/", views.recommendation_edit, name="edit"),
    path(
        "recommendations/<int:recommendation_id>/adopt/",
        views.recommendation_adopt,
        name="adopt",
    ),
    path("recommendations/<int:recommendation_id>/send/", views.recommendation_send, name="send"),
    path(
        "recommendations/<int:recommendation_id>/withdraw/",
        views.recommendation_withdraw,
        name="withdraw",
    ),
    path(
        "recommendations/<int:recommendation_id>/follow/",
        views.recommendation_follow,
        name="follow",
    ),
    path(
        "recommendations/<int:recommendation_id>/evidence/",
        views.evidence_add,
        name="evidence_add",
    ),
    path(
        "recommendations/evidence/<int:evidence_id>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path(
        "recommendations/answer/<int:addressee_id>/",
        views.respond,
        name="respond",
    ),
    path(
        "recommendations/answer/<int:addressee_id>/acknowledge/",
        views.acknowledge,
        name="acknowledge",
    ),
    path(
        "recommendations/answer/<int:addressee_id>/progress/",
        views.progress_add,
        name="progress",
    ),
    path("recommendations/answer/<int:addressee_id>/close/", views.close, name="close"),
]
