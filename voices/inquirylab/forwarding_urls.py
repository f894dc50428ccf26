"""Paths of the Inquiry Lab's forwarding pages."""

urlpatterns: list = []
