"""Paths of the Inquiry Lab's mentor pages: mentors, office hours, team threads, the Q&A board."""

from django.urls import path

from . import mentor_views as views

urlpatterns = [
    path("lab/<slug:slug>/mentors/", views.mentors, name="mentors"),
    path("lab/<slug:slug>/mentors/add/", views.mentor_add, name="mentor_add"),
    path("lab/<slug:slug>/mentors/profile/", views.mentor_profile, name="mentor_profile"),
    path("lab/mentors/<int:mentor_id>/active/", views.mentor_toggle, name="mentor_toggle"),
    path("lab/<slug:slug>/office-hours/", views.office_hours, name="office_hours"),
    path("lab/office-hours/<int:slot_id>/book/", views.office_hour_book, name="office_hour_book"),
    path(
        "lab/office-hours/<int:slot_id>/cancel/",
        views.office_hour_cancel,
        name="office_hour_cancel",
    ),
    path(
        "lab/office-hours/<int:slot_id>/delete/",
        views.office_hour_delete,
        name="office_hour_delete",
    ),
    path("lab/teams/<int:team_id>/thread/", views.team_thread, name="team_thread"),
    path("lab/teams/<int:team_id>/thread/post/", views.thread_post, name="thread_post"),
    path("lab/<slug:slug>/questions/", views.questions, name="questions"),
    path("lab/<slug:slug>/questions/ask/", views.question_ask, name="question_ask"),
    path(
        "lab/questions/<int:question_id>/answer/",
        views.question_answer,
        name="question_answer",
    ),
    path("lab/questions/<int:question_id>/hide/", views.question_hide, name="question_hide"),
]
