"""Paths of the Inquiry Lab's brief pages."""

urlpatterns: list = []
