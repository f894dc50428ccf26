"""Paths of the Inquiry Lab's challenge pages."""

urlpatterns: list = []
