from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:assignment_id>/", views.review, name="review"),
    path("reviews/<int:assignment_id>/conflict/", views.conflict, name="conflict"),
    path("reviews/rounds/<int:round_id>/", views.round_detail, name="round"),
    path("reviews/rounds/<int:round_id>/settings/", views.round_settings, name="round_settings"),
    path("reviews/rounds/<int:round_id>/reviewers/", views.reviewer_add, name="reviewer_add"),
    path(
        "reviews/rounds/<int:round_id>/reviewers/<int:reviewer_id>/remove/",
        views.reviewer_remove,
        name="reviewer_remove",
    ),
    path("reviews/rounds/<int:round_id>/assign/", views.assign, name="assign"),
    path("reviews/rounds/<int:round_id>/close/", views.round_close, name="close"),
    path("reviews/rounds/<int:round_id>/reopen/", views.round_reopen, name="reopen"),
    path("reviews/rounds/<int:round_id>/rubric/", views.rubric, name="rubric"),
    path(
        "reviews/rounds/<int:round_id>/rubric/<int:criterion_id>/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "reviews/rounds/<int:round_id>/rubric/<int:criterion_id>/remove/",
        views.criterion_remove,
        name="criterion_remove",
    ),
    path(
        "reviews/rounds/<int:round_id>/rubric/<int:criterion_id>/move/",
        views.criterion_move,
        name="criterion_move",
    ),
    path("reviews/rounds/<int:round_id>/results/", views.results, name="results"),
    path("reviews/rounds/<int:round_id>/results.csv", views.results_csv, name="results_csv"),
]
