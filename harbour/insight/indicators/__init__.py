"""Harbour's indicators: defined in harbour/insight/indicators.yaml, computed by the pure
functions of this package over the same records and duties as everything else.

    compute(as_of, "year")   every indicator for the 12 months ending on as_of
    trend(as_of)             each one's last 12 months and last 5 collection years
"""

from harbour.insight.indicators.compute import Trend, compute, compute_with_trend, trend
from harbour.insight.indicators.definitions import Definition, definitions
from harbour.insight.indicators.figures import Figure, Split
from harbour.insight.indicators.periods import Period, period_ending

__all__ = [
    "Definition",
    "Figure",
    "Period",
    "Split",
    "Trend",
    "compute",
    "compute_with_trend",
    "definitions",
    "period_ending",
    "trend",
]
