"""Permissions of the Inquiry Lab's mentor pages (see rules.py)."""
