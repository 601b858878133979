"""Permissions for the front_door screens."""
