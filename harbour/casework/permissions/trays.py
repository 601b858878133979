"""Permissions for the trays screens."""
