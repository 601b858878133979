"""Permissions for the record screens."""
