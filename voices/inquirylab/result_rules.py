"""Permissions of the Inquiry Lab's result pages (see rules.py)."""
