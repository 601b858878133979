"""Harbour: children's services case recording, statutory timescales and insight."""

__version__ = "0.1.0"
