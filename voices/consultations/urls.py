from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/search/", views.search, name="search"),
    path("consultations/new/", views.consultation_create, name="create"),
    path("consultations/<int:consultation_id>/", views.consultation_detail, name="detail"),
    path("consultations/<int:consultation_id>/edit/", views.consultation_edit, name="edit"),
    path(
        "consultations/<int:consultation_id>/publish/",
        views.consultation_publish,
        name="publish",
    ),
    path(
        "consultations/<int:consultation_id>/take-part/",
        views.participation,
        name="participation",
    ),
    path("consultations/<int:consultation_id>/proposals/", views.proposal_list, name="proposals"),
    path(
        "consultations/<int:consultation_id>/proposals/new/",
        views.proposal_create,
        name="proposal_create",
    ),
    path(
        "consultations/<int:consultation_id>/comments/",
        views.comment_create,
        name="comment_create",
    ),
    path(
        "consultations/<int:consultation_id>/proposals/<int:proposal_id>/comments/",
        views.comment_create,
        name="proposal_comment_create",
    ),
    path(
        "consultations/<int:consultation_id>/moderation/",
        views.moderation_queue,
        name="moderation",
    ),
    path(
        "consultations/<int:consultation_id>/moderation/unblock/<int:block_id>/",
        views.moderation_unblock,
        name="unblock",
    ),
    path(
        "consultations/<int:consultation_id>/closing-statement/",
        views.closing_statement,
        name="closing_statement",
    ),
    path("consultations/<int:consultation_id>/results/", views.results, name="results"),
    path(
        "consultations/<int:consultation_id>/contributions.csv",
        views.export_csv,
        name="export",
    ),
    path("consultations/<int:consultation_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal_edit"),
    path(
        "proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"
    ),
    path("proposals/<int:proposal_id>/support/", views.proposal_support, name="proposal_support"),
    path("proposals/<int:proposal_id>/answer/", views.proposal_answer, name="proposal_answer"),
    path("proposals/<int:proposal_id>/cite/", views.proposal_cite, name="proposal_cite"),
    path("comments/<int:comment_id>/remove/", views.comment_remove, name="comment_remove"),
    path("contributions/<str:kind>/<int:object_id>/report/", views.report, name="report"),
    path(
        "contributions/<str:kind>/<int:object_id>/translate/",
        views.translate,
        name="translate",
    ),
    path(
        "contributions/<str:kind>/<int:object_id>/moderate/",
        views.moderation_decide,
        name="moderate",
    ),
    path(
        "contributions/<str:kind>/<int:object_id>/block-author/",
        views.moderation_block,
        name="block",
    ),
]
