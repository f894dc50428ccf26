from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("files/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("files/upload/", views.document_upload, name="document_upload"),
    path("files/<int:attachment_id>/remove/", views.document_remove, name="document_remove"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read_all, name="notifications_read"),
]
