"""Paths of the Inquiry Lab's mentor pages."""

urlpatterns: list = []
