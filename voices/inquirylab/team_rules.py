"""Permissions of the Inquiry Lab's team pages (see rules.py)."""
