"""Who may use each casework screen: the access matrix's cases for this package's URLs
(read by `harbour/access/tests/test_matrix.py`, with its helpers)."""

from harbour.access.tests.test_matrix import R, expect  # noqa: F401 (for the cases below)

CASES: dict = {}
