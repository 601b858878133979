"""Time Harbour's duties and findings for the database in HARBOUR_DATABASE_URL, in-process:
from reading the database to the findings in the truth file's shape. Prints seconds per run."""

import os
import sys
import time
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
django.setup()

from harbour.timescales.findings import with_references  # noqa: E402
from harbour.timescales.reading import duties_and_findings  # noqa: E402
from harbour.timescales.sources import references  # noqa: E402

as_of = date.fromisoformat(sys.argv[1])
for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 3):
    started = time.perf_counter()
    tables, duties, found = duties_and_findings(as_of)
    with_references(found, references(found["child_id"]))
    print(f"{time.perf_counter() - started:.3f} {duties.height} {found.height}", flush=True)
