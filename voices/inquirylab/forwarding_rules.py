"""Permissions of the Inquiry Lab's forwarding pages (see rules.py)."""
