"""Insight's pages: the dashboards, the children behind each figure, the performance report's
exports, and the data quality report."""
