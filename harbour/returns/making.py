"""Making a return: export it, check it with the sector's validators, and record the outcome
and progress on its ReturnRun, so a page can show how far a run has got from any process."""

import shutil
import traceback
import zipfile
from dataclasses import asdict
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from harbour.authority.models import Authority
from harbour.returns.models import ReturnRun
from harbour.returns.validation import Failure, ValidatorsMissing, validate_903, validate_cin


def _step(run: ReturnRun | None, progress: int, step: str) -> None:
    if run is not None:
        run.progress, run.step = progress, step
        run.save(update_fields=["progress", "step"])


def ons_code() -> str:
    authority = Authority.current()
    return authority.ons_code if authority else ""


def make_cin(year: int, folder: Path, run=None, validate=True) -> tuple[Path, list[Failure]]:
    from harbour.returns.cin.export import census_xml

    folder.mkdir(parents=True, exist_ok=True)
    _step(run, 10, "Reading the children in need records")
    path = folder / f"cin-census-{year - 1}-{str(year)[2:]}.xml"
    path.write_bytes(census_xml(year))
    _step(run, 50, "Checking the census with the Department's rules")
    return path, validate_cin(path, year) if validate else []


def make_903(year: int, folder: Path, run=None, validate=True) -> tuple[Path, list[Failure]]:
    from harbour.returns.ssda903.export import write_return

    tables = folder / f"ssda903-{year - 1}-{str(year)[2:]}"
    _step(run, 10, "Reading the looked-after children's records")
    files = write_return(year, tables, ons_code())
    _step(run, 50, "Checking the tables with the Department's rules")
    failures = validate_903(tables, year, ons_code()) if validate else []
    archive = tables.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in files:
            bundle.write(path, path.name)
    return archive, failures


def make_annex_a(as_of: date, folder: Path, run=None) -> tuple[Path, list[Failure]]:
    from harbour.returns.annex_a.export import annex_a_workbook

    folder.mkdir(parents=True, exist_ok=True)
    _step(run, 10, "Reading the records for the inspection's lists")
    path = folder / f"annex-a-{as_of.isoformat()}.xlsx"
    annex_a_workbook(as_of, path)
    return path, []  # Ofsted publishes no validation rules for Annex A


def run_folder(run: ReturnRun) -> Path:
    return Path(settings.DATA_DIR) / "returns" / str(run.pk)


def make(run: ReturnRun) -> ReturnRun:
    """Make the run's return; whatever happens, the run says so when this returns."""
    folder = run_folder(run)
    shutil.rmtree(folder, ignore_errors=True)
    run.state = ReturnRun.State.RUNNING
    run.save(update_fields=["state"])
    try:
        if run.kind == ReturnRun.Kind.CIN:
            path, failures = make_cin(run.year, folder, run)
        elif run.kind == ReturnRun.Kind.SSDA903:
            path, failures = make_903(run.year, folder, run)
        else:
            path, failures = make_annex_a(run.as_of, folder, run)
        run.output = str(path)
        run.failures = [asdict(f) for f in failures]
        run.state = ReturnRun.State.DONE
    except ValidatorsMissing as missing:
        run.state, run.error = ReturnRun.State.FAILED, str(missing)
    except Exception:  # the run records any failure for the page; nothing is retried blindly
        run.state = ReturnRun.State.FAILED
        run.error = traceback.format_exc(limit=3)[-2000:]
    run.progress, run.step, run.finished_at = 100, "", timezone.now()
    run.save()
    return run
