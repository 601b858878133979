"""Permissions for the children screens."""
