"""Ofsted's Annex A workbook on an inspection date: one sheet per list, the published headings,
one row per event in the list's look-back window (six months before the date; twelve for
adoption), dates shown dd/mm/yyyy.

Lists Harbour holds no records for (List 11, adopters) still get their sheet and headings.
"""

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from harbour.access.export import safe_cell
from harbour.returns.annex_a import lists as L
from harbour.returns.annex_a.data import AnnexData
from harbour.returns.annex_a.rows import list_1, list_2, list_3, list_4, list_5, list_6, list_7
from harbour.returns.annex_a.rows_care import list_8, list_9, list_10

BUILDERS = {
    "List 1": list_1,
    "List 2": list_2,
    "List 3": list_3,
    "List 4": list_4,
    "List 5": list_5,
    "List 6": list_6,
    "List 7": list_7,
    "List 8": list_8,
    "List 9": list_9,
    "List 10": list_10,
}
AS_OF_PROPERTY = "Annex A date"  # read back by the import, which has no other way to know it
MAX_WIDTH = 40


def annex_a_rows(as_of: date) -> dict[str, list[list]]:
    data = AnnexData(as_of)
    tables = {}
    for name in L.LISTS:
        build = BUILDERS.get(name)
        rows = build(data) if build else []
        rows.sort(key=lambda row: tuple((c is None, str(c)) for c in row))
        tables[name] = rows
    return tables


def _value(value):
    if value is None or value == "":
        return None
    if isinstance(value, (date, int)):
        return value
    return safe_cell(value)


def _widths(headings, rows) -> list[int]:
    widths = [min(max(len(h) // 2, 12), MAX_WIDTH) for h in headings]
    for row in rows:
        for n, value in enumerate(row):
            if value is not None:
                size = 11 if isinstance(value, date) else len(str(value)) + 2
                widths[n] = min(max(widths[n], size), MAX_WIDTH)
    return widths


def _write_sheet(workbook, name: str, rows: list[list]) -> None:
    sheet = workbook.create_sheet(name)
    headings = L.LISTS[name]
    rows = [[_value(v) for v in row] for row in rows]
    for n, width in enumerate(_widths(headings, rows)):
        sheet.column_dimensions[get_column_letter(n + 1)].width = width
    sheet.freeze_panes = "B2"  # headings and the child's ID stay in view
    size = f"A1:{get_column_letter(len(headings))}{len(rows) + 1}"
    sheet.auto_filter.ref = size
    # Written ahead of the rows (openpyxl asks the sheet for it), so a reader knows the size
    # without reading every row twice, as openpyxl's read-only mode does where it is missing.
    sheet.calculate_dimension = lambda: size
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for text in headings:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, date):
                value = WriteOnlyCell(sheet, value=value)
                value.number_format = L.EXCEL_DATE
            cells.append(value)
        sheet.append(cells)


def annex_a_workbook(as_of: date, path: Path) -> Path:
    """Write the workbook for an inspection on `as_of` to `path`."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"Annex A at {as_of.strftime(L.DATE_FORMAT)}"
    workbook.properties.creator = "Harbour"
    workbook.custom_doc_props.append(StringProperty(name=AS_OF_PROPERTY, value=as_of.isoformat()))
    for name, rows in annex_a_rows(as_of).items():
        _write_sheet(workbook, name, rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
