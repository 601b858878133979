"""Importing a children in need census XML: `read` checks the whole file and touches no
record; `load` writes what was read (harbour.returns.imports runs both)."""

from harbour.returns.cin.loading import load
from harbour.returns.cin.parsed import CinRead
from harbour.returns.cin.reading import read

__all__ = ["CinRead", "load", "read"]
