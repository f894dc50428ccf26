from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("files/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read_all, name="notifications_read"),
]
