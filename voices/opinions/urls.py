from django.urls import path

from . import views, views_export

app_name = "opinions"

MAP = "consultations/<int:consultation_id>/map/"

urlpatterns = [
    path(MAP, views.vote, name="vote"),
    path(f"{MAP}vote/<int:number>/", views.vote_cast, name="vote_cast"),
    path(f"{MAP}statements/", views.statement_list, name="statements"),
    path(f"{MAP}take-part/", views.participation, name="participation"),
    path(f"{MAP}results/", views.map_results, name="map"),
    path(f"{MAP}report.pdf", views.report_pdf, name="report_pdf"),
    path(f"{MAP}export/<slug:file>.csv", views_export.export_csv, name="export"),
    path(f"{MAP}settings/", views.map_settings, name="settings"),
    path(f"{MAP}seed/", views.seed, name="seed"),
    path(f"{MAP}analyse/", views.analyse, name="analyse"),
    path(
        f"{MAP}statements/<int:number>/moderate/",
        views.statement_moderate,
        name="moderate",
    ),
]
