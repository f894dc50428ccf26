"""Paths of the Inquiry Lab's forwarding pages."""

from django.urls import path

from . import forwarding_views as views

urlpatterns = [
    path("lab/briefs/<int:brief_id>/forward/", views.forward, name="forward"),
    path(
        "lab/forwardings/<int:forwarding_id>/withdraw/",
        views.forward_withdraw,
        name="forward_withdraw",
    ),
    path(
        "lab/forwardings/<int:forwarding_id>/acknowledge/",
        views.forwarding_acknowledge,
        name="forwarding_acknowledge",
    ),
    path(
        "lab/forwardings/<int:forwarding_id>/motion/",
        views.forwarding_motion,
        name="forwarding_motion",
    ),
    path("lab/councils/<slug:slug>/briefs/", views.council_briefs, name="council_briefs"),
    path("lab/<slug:slug>/forwarded/", views.forwarded, name="forwarded"),
]
