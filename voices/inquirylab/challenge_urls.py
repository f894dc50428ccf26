"""Paths of the Inquiry Lab's challenge pages."""

from django.urls import path

from . import challenge_views as views

urlpatterns = [
    path("lab/", views.challenge_list, name="list"),
    # Before "lab/<slug>/": "new" is also a reserved slug (challenge_services.RESERVED_SLUGS).
    path("lab/new/", views.challenge_create, name="create"),
    path(
        "lab/registrations/<int:registration_id>/decide/",
        views.registration_decide,
        name="registration_decide",
    ),
    path("lab/<slug:slug>/", views.challenge_detail, name="detail"),
    path("lab/<slug:slug>/edit/", views.challenge_edit, name="edit"),
    path("lab/<slug:slug>/publish/", views.challenge_publish, name="publish"),
    path("lab/<slug:slug>/register/", views.register, name="register"),
    path(
        "lab/<slug:slug>/register/withdraw/",
        views.registration_withdraw,
        name="registration_withdraw",
    ),
    path("lab/<slug:slug>/registrations/", views.registrations, name="registrations"),
]
