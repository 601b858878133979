"""The data quality report: what is missing or inconsistent in the records of the children the
service works with, one row a problem, each with the child, the team and the worker to fix it.

Pure functions over Polars frames (read by `inputs.read`), one module a family of checks:
`identity` (who the child is), `order` (dates out of order), `unallocated` (open cases with no
worker) and `codes` (codes the returns need). `report.problems` runs them all."""
