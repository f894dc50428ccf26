"""Paths of the Inquiry Lab's judging, results, people's choice and certificates."""

from django.urls import path

from . import result_views as views

urlpatterns = [
    path("lab/<slug:slug>/judging/", views.judging, name="judging"),
    path("lab/<slug:slug>/judging/start/", views.judging_start, name="judging_start"),
    path("lab/<slug:slug>/judging/judges/", views.judging_judge_add, name="judging_judge_add"),
    path(
        "lab/<slug:slug>/judging/judges/<int:user_id>/remove/",
        views.judging_judge_remove,
        name="judging_judge_remove",
    ),
    path("lab/<slug:slug>/judging/items/", views.judging_items, name="judging_items"),
    path("lab/<slug:slug>/judging/assign/", views.judging_assign, name="judging_assign"),
    path("lab/<slug:slug>/results/", views.results, name="results"),
    path("lab/<slug:slug>/results/publish/", views.results_publish, name="results_publish"),
    path("lab/<slug:slug>/results/unpublish/", views.results_unpublish, name="results_unpublish"),
    path("lab/<slug:slug>/vote/", views.vote, name="vote"),
    path("lab/<slug:slug>/certificate/", views.certificate, name="certificate"),
]
