"""`harbour import PATH...`: a CIN census XML, a folder or zip of SSDA903 CSVs and an Annex A
workbook, in any combination, loaded in one transaction.

Every file is read and checked before anything is written, and every problem in every file is
reported at once. Children are matched across the files by the authority's child reference
(LAchildID in the census, CHILD in the SSDA903 tables, the child's ID in Annex A).
"""

import zipfile
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harbour.people.models import Child
from harbour.people.search import rebuild_keys
from harbour.returns.importing import ImportRefused, Outcome, Problem, Progress, no_progress

CIN, SSDA903, ANNEX_A = "cin", "903", "annex-a"
ORDER = (CIN, SSDA903, ANNEX_A)  # the census makes referrals; the 903 adds care; Annex A last


def kind_of(path: Path) -> str | None:
    if path.is_dir():
        return SSDA903 if any(path.glob("*.csv")) else None
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return CIN
    if suffix in (".xlsx", ".xlsm"):
        return ANNEX_A
    if suffix == ".zip" and zipfile.is_zipfile(path):
        return SSDA903
    if suffix == ".csv":
        return SSDA903
    return None


def _format(kind: str):
    if kind == CIN:
        from harbour.returns.cin import load
    elif kind == SSDA903:
        from harbour.returns.ssda903 import load
    else:
        from harbour.returns.annex_a import load
    return load


def import_paths(paths: list[Path], progress: Progress = no_progress) -> Outcome:
    """Read and check every path, then load them all in one transaction; raise ImportRefused
    with every problem found, in which case nothing is written."""
    problems: list[Problem] = []
    read = []
    csv_files = [p for p in paths if p.is_file() and p.suffix.lower() == ".csv"]
    others = [p for p in paths if p not in csv_files]
    for path in others:
        if not path.exists():
            problems.append(Problem(str(path), "file", "path", "does not exist"))
            continue
        kind = kind_of(path)
        if kind is None:
            problems.append(
                Problem(
                    str(path),
                    "file",
                    "format",
                    "is not a CIN census XML, a folder or zip of SSDA903 CSV files, "
                    "or an Annex A workbook (.xlsx)",
                )
            )
            continue
        progress(f"reading {path.name}", 0, 1)
        read.append((kind, _format(kind).read(path)))
    if csv_files:  # SSDA903 tables named one by one form one return
        read.append((SSDA903, _format(SSDA903).read_files(csv_files)))
    for _, parsed in read:
        problems.extend(parsed.problems)
    if problems:
        raise ImportRefused(problems)

    outcome = Outcome()
    started = timezone.now()
    with transaction.atomic():
        for kind in ORDER:
            for read_kind, parsed in read:
                if read_kind == kind:
                    _format(kind).load(parsed, outcome, progress)
        # Children first met in these returns: Harbour holds their casework from today.
        Child.objects.filter(
            casework_from__isnull=True, created_at__gte=started, created_by__isnull=True
        ).update(casework_from=timezone.localdate())
        # Rows loaded in bulk pass the signals that keep Find a child's keys: rebuild them for
        # every child a return names, so the children can be found by name and postcode.
        touched = Child.objects.filter(
            Q(created_at__gte=started)
            | Q(updated_at__gte=started)
            | Q(addresses__created_at__gte=started)
        ).values_list("pk", flat=True)
        rebuild_keys(set(touched))
        found = [p for _, parsed in read for p in parsed.problems]
        if found:  # problems only the database could show; raising undoes the transaction
            raise ImportRefused(found)
    return outcome
