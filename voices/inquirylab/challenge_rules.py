"""Permissions of the Inquiry Lab's challenge pages (see rules.py)."""
