"""Harbour: children's services case recording, statutory timescales and insight."""
