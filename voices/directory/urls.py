from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create_view, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/people/", views.organisation_people, name="organisation_people"
    ),
    path(
        "organisations/<slug:slug>/people/<int:grant_id>/remove/",
        views.organisation_person_remove_view,
        name="organisation_person_remove",
    ),
    path(
        "organisations/<slug:slug>/documents/",
        views.organisation_document_upload,
        name="organisation_document_upload",
    ),
]
