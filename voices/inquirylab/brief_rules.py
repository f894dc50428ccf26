"""Permissions of the Inquiry Lab's brief pages (see rules.py)."""
