"""Ofsted's Annex A workbook: its sheets and headings, rows counted independently, a round trip
through an emptied database, imports that change nothing the second time, an import whose
queries do not grow with its rows, held records that differ changed with their history, and a
bad workbook refused with every problem listed.

One county is made for the module and its workbook written once (`exported`); each test's own
changes are rolled back to it."""

from collections import Counter
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from harbour.access.models import AuditEvent
from harbour.core.models import Recorded
from harbour.journey.models import ChildProtectionPlan, Contact, EarlyHelpEpisode
from harbour.people.models import Child
from harbour.returns.annex_a import lists as L
from harbour.returns.annex_a.export import annex_a_workbook
from harbour.returns.annex_a.load import load, read
from harbour.returns.annex_a.parse import ID, Parsed
from harbour.returns.importing import ImportRefused, Outcome
from harbour.returns.imports import import_paths
from harbour.synth.failures import parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES
from harbour.workforce.models import Team

END = date(2026, 11, 20)
SINCE = END - relativedelta(months=6)
DOMAIN_APPS = {"people", "journey", "care", "workforce", "oversight"}

UNSAFE_TEAM = "=HYPERLINK(0)"  # read as a formula by a spreadsheet unless made safe

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small county (one team named like a formula) and its workbook, made once for the
    module in a transaction rolled back when the module is done; each test runs inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_county(SIZES["small"], 1, 3, END, parse_rates([]))
        team = Team.objects.filter(allocations__isnull=False).first()
        team.name = UNSAFE_TEAM
        team.save()
        # Checked now, once: else PostgreSQL checks the county's deferred foreign keys again
        # at the end of every test (rolling a test back un-checks them).
        connection.check_constraints()
        yield annex_a_workbook(END, tmp_path_factory.mktemp("annex-a") / "annex-a.xlsx")
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def exported_sheets(exported) -> dict[str, list[tuple]]:
    return sheets(exported)


@pytest.fixture(scope="module")
def exported_read(exported) -> Parsed:
    """The workbook read and checked once (`import_paths` is `read`, then `load`)."""
    return read(exported)


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


def test_every_list_has_its_sheet_and_headings_and_the_period_rows(exported, exported_sheets):
    path, found = exported, exported_sheets

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


def test_importing_its_own_export_changes_nothing(exported_read):
    """What the census and SSDA903 made before Annex A is matched, never made twice."""
    before = record_counts()

    outcome = Outcome()
    load(exported_read, outcome)

    assert not exported_read.problems and not outcome.changed, outcome.lines()
    assert sum(outcome.unchanged.values()) > 5000
    assert record_counts() == before


def _shows_less(name: str, heading: str, first, again) -> bool:
    """A column the import cannot store may come back blank, smaller or No, never more."""
    if again is None or first == again:
        return True
    if isinstance(first, int) and isinstance(again, int):
        return again <= first
    return first == L.YES and again == L.NO


def test_round_trip_through_an_emptied_database_then_a_second_import_changes_nothing(
    exported, exported_sheets, exported_read, tmp_path
):
    first_path, first = exported, exported_sheets
    unsafe = [c for rows in first.values() for row in rows for c in row if c == UNSAFE_TEAM]
    assert not unsafe and any(
        c == "'" + UNSAFE_TEAM for rows in first.values() for row in rows for c in row
    )

    empty_domain_tables()
    assert record_counts()["people.Child"] == 0
    with CaptureQueriesContext(connection) as queries:
        outcome = import_paths([first_path])
    assert outcome.created["child"] > 1000 and outcome.created["contact"] > 500
    made = sum(outcome.created.values())
    assert len(queries) < made / 20, "new records are written in bulk, not one by one"
    for model in apps.get_models():  # each with its first history entry
        if issubclass(model, Recorded) and model._meta.app_label in DOMAIN_APPS:
            started = model.history.filter(history_type="+").count()
            assert started == model.objects.count(), model.__name__

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
    second = Outcome()
    load(exported_read, second)
    assert not exported_read.problems
    assert sum(second.created.values()) == 0, second.lines()
    assert sum(second.updated.values()) == 0, second.lines()
    assert record_counts() == before


def _first_half(parsed: Parsed) -> Parsed:
    """The first half of each list's rows (a list of a few rows whole), on the same date."""
    half = Parsed(parsed.file, as_of=parsed.as_of)
    for name, rows in parsed.rows.items():
        half.rows[name] = rows if len(rows) < 20 else rows[: len(rows) // 2]
        for row in half.rows[name]:
            half.children.setdefault(row[ID], row)
    return half


def _queries_to_load(parsed: Parsed) -> int:
    outcome = Outcome()
    with CaptureQueriesContext(connection) as queries:
        load(parsed, outcome)
    assert not outcome.changed and not parsed.problems, outcome.lines()
    return len(queries)


def test_an_unchanged_import_asks_the_same_queries_for_twice_the_rows(exported_read):
    """What is held is read in one query a model, however many rows; comparing a row with it
    asks nothing more."""
    full = exported_read
    half = _first_half(full)
    rows = sum(len(r) for r in full.rows.values())
    assert rows > 5000 and sum(len(r) for r in half.rows.values()) < rows * 0.55

    queries = _queries_to_load(half)

    assert _queries_to_load(full) == queries
    assert queries < 40


def test_held_records_that_differ_are_changed_each_with_its_history(exported_read):
    """Changes are written together, a new version and history entry for each record, and one
    line in the audit log for the import."""
    parsed = exported_read
    refs = [ref for ref, row in parsed.children.items() if row["Gender"] in ("M", "F")][:5]
    children = list(Child.objects.filter(reference__in=refs))
    sexes = {c.pk: c.sex for c in children}
    Child.objects.filter(pk__in=sexes).update(sex="U")  # no history: as if held wrongly
    completed = {}
    for row in parsed.rows["List 2"]:
        episode = EarlyHelpEpisode.objects.filter(
            child__reference=row[ID], starts_on=row["Assessment start date"]
        )
        if row["Assessment completion date"] and len(completed) < 4 and episode.count() == 1:
            completed[episode.get().pk] = row["Assessment completion date"]
    EarlyHelpEpisode.objects.filter(pk__in=completed).update(assessment_completed_on=None)
    versions = {c.pk: c.version for c in children}
    audit_lines = AuditEvent.objects.count()

    outcome = Outcome()
    with CaptureQueriesContext(connection) as queries:
        load(parsed, outcome)

    assert not parsed.problems
    assert sum(outcome.created.values()) == 0, outcome.lines()
    assert outcome.updated == {"child": 5, "early help episode": 4}, outcome.lines()
    assert len(queries) < 50
    for child in Child.objects.filter(pk__in=sexes):
        assert child.sex == sexes[child.pk] and child.version == versions[child.pk] + 1
        latest = child.history.order_by("-history_id").first()
        assert latest.history_type == "~" and latest.sex == child.sex
    for episode in EarlyHelpEpisode.objects.filter(pk__in=completed):
        assert episode.assessment_completed_on == completed[episode.pk]
        assert episode.history.order_by("-history_id").first().history_type == "~"
    assert AuditEvent.objects.count() == audit_lines + 1
    line = AuditEvent.objects.order_by("-id").first()
    assert line.detail["updated"] == {"child": 5, "early help episode": 4}


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
