"""Paths of the Inquiry Lab's team pages."""

urlpatterns: list = []
