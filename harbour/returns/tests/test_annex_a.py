"""Ofsted's Annex A workbook: its sheets and headings, rows counted independently, a round trip
through an emptied database, imports that change nothing the second time, and a bad workbook
refused with every problem listed."""

from collections import Counter
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from openpyxl import Workbook, load_workbook

from harbour.core.models import Recorded
from harbour.journey.models import ChildProtectionPlan, Contact
from harbour.returns.annex_a import lists as L
from harbour.returns.annex_a.export import annex_a_workbook
from harbour.returns.importing import ImportRefused
from harbour.returns.imports import import_paths
from harbour.synth.failures import parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES
from harbour.workforce.models import Team

END = date(2026, 11, 20)
SINCE = END - relativedelta(months=6)
DOMAIN_APPS = {"people", "journey", "care", "workforce", "oversight"}

pytestmark = pytest.mark.django_db


def county():
    return load_county(SIZES["small"], 2, 3, END, parse_rates([]))


def sheets(path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    found = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        width = len(rows[0])  # trailing blank cells are not stored
        found[sheet.title] = [tuple(row) + (None,) * (width - len(row)) for row in rows]
    workbook.close()
    return found


def record_counts() -> Counter:
    return Counter(
        {m._meta.label: m.objects.count() for m in apps.get_models() if issubclass(m, Recorded)}
    )


def empty_domain_tables() -> None:
    """Every row of the records (and their history), referrers before what they refer to; the
    audit log, append-only, stays."""
    chosen = {m for m in apps.get_models() if m._meta.app_label in DOMAIN_APPS}
    grown = True
    while grown:  # and whatever elsewhere points at a record (restrictions, alerts)
        more = {
            m
            for m in apps.get_models()
            for f in m._meta.concrete_fields
            if f.remote_field and f.remote_field.model in chosen and m not in chosen
        }
        grown = bool(more)
        chosen |= more
    edges = {}
    for model in chosen:
        targets = set()
        for f in model._meta.concrete_fields:
            if not f.remote_field or f.remote_field.model not in chosen:
                continue
            if f.null and f.remote_field.model is not model:
                model.objects.exclude(**{f.name: None}).update(**{f.name: None})
            elif f.remote_field.model is not model:
                targets.add(f.remote_field.model)
        edges[model] = targets
    order = []
    while edges:
        free = [m for m in edges if not any(m in t for t in edges.values())]
        assert free, "a cycle of required references"
        for model in sorted(free, key=lambda m: m._meta.label):
            model.objects.all()._raw_delete(model.objects.db)
            order.append(model)
            del edges[model]
    assert all(not m.objects.exists() for m in order)


def test_every_list_has_its_sheet_and_headings_and_the_period_rows(tmp_path):
    county()
    path = annex_a_workbook(END, tmp_path / "annex-a.xlsx")
    found = sheets(path)

    assert list(found) == list(L.LISTS)
    for name, rows in found.items():
        assert rows[0] == L.LISTS[name], name
    assert len(found["List 11"]) == 1, "no adopters in Harbour: headings only"

    contacts = Contact.objects.filter(received_at__date__range=(SINCE, END)).count()
    assert contacts > 500
    assert len(found["List 1"]) - 1 == contacts

    plans = ChildProtectionPlan.objects.filter(starts_on__lte=END).exclude(ends_on__lt=SINCE)
    assert plans.count() > 50
    expected = Counter((p.child.reference, p.starts_on) for p in plans.select_related("child"))
    listed = Counter((row[0], row[6].date()) for row in found["List 7"][1:])
    assert listed == expected
    ended = [row for row in found["List 7"][1:] if row[12] is not None]
    assert ended and all(SINCE <= row[12].date() <= END for row in ended)

    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "B2"
        for row in sheet.iter_rows(min_row=2, max_row=20):
            for cell in row:
                if cell.is_date:
                    assert cell.number_format == L.EXCEL_DATE


def test_importing_its_own_export_changes_nothing(tmp_path):
    """What the census and SSDA903 made before Annex A is matched, never made twice."""
    county()
    path = annex_a_workbook(END, tmp_path / "annex-a.xlsx")
    before = record_counts()

    outcome = import_paths([path])

    assert not outcome.changed, outcome.lines()
    assert sum(outcome.unchanged.values()) > 5000
    assert record_counts() == before


def _shows_less(name: str, heading: str, first, again) -> bool:
    """A column the import cannot store may come back blank, smaller or No, never more."""
    if again is None or first == again:
        return True
    if isinstance(first, int) and isinstance(again, int):
        return again <= first
    return first == L.YES and again == L.NO


def test_round_trip_through_an_emptied_database_then_a_second_import_changes_nothing(tmp_path):
    county()
    team = Team.objects.filter(allocations__isnull=False).first()
    team.name = "=HYPERLINK(0)"  # read as a formula by a spreadsheet unless made safe
    team.save()
    first_path = annex_a_workbook(END, tmp_path / "first.xlsx")
    first = sheets(first_path)
    unsafe = [c for rows in first.values() for row in rows for c in row if c == team.name]
    assert not unsafe and any(
        c == "'" + team.name for rows in first.values() for row in rows for c in row
    )

    empty_domain_tables()
    assert record_counts()["people.Child"] == 0
    outcome = import_paths([first_path])
    assert outcome.created["child"] > 1000 and outcome.created["contact"] > 500

    again = sheets(annex_a_workbook(END, tmp_path / "again.xlsx"))
    for name, rows in first.items():
        assert len(again[name]) == len(rows), name
        headings = rows[0]
        for n, (row, other) in enumerate(zip(rows[1:], again[name][1:], strict=True)):
            for heading, cell, cell_again in zip(headings, row, other, strict=True):
                if (name, heading) in L.NOT_STORED:
                    assert _shows_less(name, heading, cell, cell_again), (name, n, heading)
                else:
                    assert cell == cell_again, (name, n + 2, heading, cell, cell_again)

    before = record_counts()
    second = import_paths([first_path])
    assert sum(second.created.values()) == 0, second.lines()
    assert sum(second.updated.values()) == 0, second.lines()
    assert record_counts() == before


def _bad_workbook(path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    contacts = workbook.create_sheet("List 1")
    contacts.append(list(L.LISTS["List 1"]))
    contacts.append(["C1", "a) Male", "a) WBRI", "01/02/2015", 11, "31/02/2026", "q) 6: Police"])
    contacts.append(["C2", "b) Female", "a) WBRI", "01/02/2016", 10, "03/03/2026", "Z9: Psychic"])
    plans = workbook.create_sheet("List 7")
    plans.append([h for h in L.LISTS["List 7"] if h != "Initial Category of Abuse"])
    referrals = workbook.create_sheet("List 3")
    referrals.append(list(L.LISTS["List 3"]))
    referrals.append(
        ["C3", "x) Robot", "a) WBRI", "01/02/2017", 9, "04/03/2026", "q) 6: Police", "b) No", 0]
    )
    workbook.create_sheet("Summary").append(["Anything"])
    workbook.save(path)


def test_a_bad_workbook_is_refused_with_every_problem_and_nothing_written(tmp_path):
    path = tmp_path / "bad.xlsx"
    _bad_workbook(path)
    before = record_counts()

    with pytest.raises(ImportRefused) as refused:
        import_paths([path])

    found = {(p.where, p.field) for p in refused.value.problems}
    assert ("sheet List 1, row 2", "Date of Contact") in found  # 31 February
    assert ("sheet List 1, row 3", "Contact Source") in found  # not a source
    assert ("sheet List 7, row 1", "Initial Category of Abuse") in found  # heading missing
    assert ("sheet List 3, row 2", "Gender") in found  # not a gender
    assert ("sheet Summary", "sheet") in found  # not one of the lists
    assert len(found) == 5, refused.value.problems
    assert record_counts() == before
