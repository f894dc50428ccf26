"""Paths of the Inquiry Lab's result pages."""

urlpatterns: list = []
