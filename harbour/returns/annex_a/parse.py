"""Reading an Annex A workbook: every sheet and row parsed and checked, every problem collected,
nothing written. Values come back as Harbour's codes, dates, numbers and booleans."""

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from harbour.access.export import FORMULA_STARTS
from harbour.returns.annex_a import lists as L
from harbour.returns.importing import Problem, Problems

ID = "Child Unique ID"
AS_OF_PROPERTY = "Annex A date"

OPTIONS = {
    "Gender": L.GENDER | {"U ": "d) Neither"},
    "Ethnicity": L.ETHNICITY | {"NOBT ": "t) NOBT"},
    "Contact Source": L.SOURCE,
    "Referral Source": L.SOURCE,
    "Initial Category of Abuse": L.ABUSE,
    "Latest Category of Abuse": L.ABUSE,
    "Primary Need Code": L.PRIMARY_NEED,
    "Reason for Closure": L.CLOSURE,
    "Case Status": L.CASE_STATUS,
    "Child's Category of Need": L.CATEGORY_OF_NEED,
    "Child's Legal Status": L.LEGAL_STATUS,
    "Placement Type": L.PLACEMENT_TYPE,
    "Placement Provider": L.PROVIDER,
    "Reason Ceased to be Looked After": L.REASON_CEASED,
    "Placement Location": L.LOCATION,
    "Eligibility Category": L.ELIGIBILITY,
    "LA in Touch": L.IN_TOUCH,
    "Type of Accommodation": L.ACCOMMODATION,
    "Suitability of Accommodation": L.SUITABLE,
    "Activity Status": L.ACTIVITY,
    "Reason Why Child No Longer Placed for Adoption": L.ADOPTION_CEASED,
}
YES_NO = {
    "Referral NFA?",
    L.DISABLED,
    "Child Seen During Continuous Assessment",
    "Was the child assessed as requiring LA children's social care support?",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Was the Child Seen Alone?",
    L.heading("List 7", "Subject to Emergency"),
    L.heading("List 8", "Unaccompanied"),
    L.heading("List 8", "Is this a second"),
    L.heading("List 8", "Was the child offered"),
    L.heading("List 8", "Did the child accept"),
    "Is the (prospective) adopter fostering for adoption?",
}
REQUIRED = {
    "List 1": ("Date of Contact", "Contact Source"),
    "List 2": ("Assessment start date",),
    "List 3": ("Date of referral", "Referral Source"),
    "List 4": ("Continuous Assessment Start Date",),
    "List 5": ("Strategy discussion initiating Section 47 Enquiry Start Date",),
    "List 6": ("CIN Start Date",),
    "List 7": ("Child Protection Plan Start Date", "Initial Category of Abuse"),
    "List 8": ("Date Started to be Looked After", "Child's Category of Need"),
    "List 9": ("Eligibility Category",),
    "List 10": ("Date of Decision that Child Should be Placed for Adoption",),
}
# One row per record: the columns that name it (contacts may repeat: a child can be the
# subject of two contacts from one source on one day).
KEYS = {name: (ID, keys[0]) for name, keys in REQUIRED.items() if name not in ("List 1", "List 9")}
KEYS["List 9"] = (ID,)
CHILD_FACTS = ("Gender", "Ethnicity", "Date of Birth")


def normal(heading: str) -> str:
    """Headings as copies of the workbook differ: case, spaces, curly quotes, stray brackets."""
    text = str(heading or "").replace("\u2018", "'").replace("\u2019", "'").lower()
    return re.sub(r"\s+", " ", text).strip().replace("))", ")")


ALIASES = {"age": "Age of Child (Years)"}


def kind_of(heading: str) -> str:
    if heading in OPTIONS:
        return "option"
    if heading in YES_NO:
        return "yes_no"
    if heading.startswith(("Number", "No. of", "Age of Child")):
        return "number"
    if "date" in heading.lower():
        return "date"
    return "text"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        text = text[1:]  # the quote Harbour adds so a spreadsheet shows text, not a formula
    return text


def option(text: str, mapping: dict):
    """A workbook option (`a) Male`, `C2: Full care order`, `N1 - Abuse`) as Harbour's code."""
    wanted = text.lower()
    for code, label in mapping.items():
        if wanted in (label.lower(), str(code).strip().lower()):
            return code.strip() if isinstance(code, str) else code
    bare = re.sub(r"^[a-z]\d?\)\s*", "", wanted)
    for code, label in mapping.items():
        shown = re.sub(r"^[a-z]\d?\)\s*", "", label.lower())
        if bare == shown or (
            isinstance(code, str) and re.split(r"[:]| - ", bare)[0] == code.lower()
        ):
            return code.strip() if isinstance(code, str) else code
    raise ValueError(text)


@dataclass
class Row:
    sheet: str
    number: int
    values: dict

    @property
    def where(self) -> str:
        return f"sheet {self.sheet}, row {self.number}"

    def __getitem__(self, heading: str):
        return self.values.get(heading)


@dataclass
class Parsed:
    file: str
    problems: list[Problem] = field(default_factory=list)
    as_of: date | None = None
    rows: dict[str, list[Row]] = field(default_factory=dict)
    children: dict[str, Row] = field(default_factory=dict)  # each child's first row

    def add(self, where: str, heading: str, problem: str) -> None:
        self.problems.append(Problem(self.file, where, heading, problem))


def _cell(found: Problems, where: str, heading: str, value, kind: str | None = None):
    kind = kind or kind_of(heading)
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return found.date(where, heading, _text(value))
    text = _text(value)
    if not text:
        return None
    if kind == "number":
        if not re.fullmatch(r"\d+", text):
            found.add(where, heading, f"{text!r} is not a whole number")
            return None
        return int(text)
    if kind == "yes_no":
        answer = {"a) yes": True, "yes": True, "y": True, "b) no": False, "no": False, "n": False}
        if text.lower() in answer:
            return answer[text.lower()]
        if text.lower() in ("c) unknown", "unknown"):
            return None
        found.add(where, heading, f"{text!r} is not a) Yes, b) No or c) Unknown")
        return None
    if kind == "option":
        try:
            return _option(heading, text)
        except ValueError:
            found.add(where, heading, f"{text!r} is not one of the workbook's options")
            return None
    return text


@functools.lru_cache(maxsize=4096)
def _option(heading: str, text: str):
    """`option` for a column: a workbook repeats the same few options on every row."""
    return option(text, OPTIONS[heading])


def _headings(parsed: Parsed, name: str, header) -> dict[int, str] | None:
    known = {normal(h): h for h in L.LISTS[name]} | {normal(a): h for a, h in ALIASES.items()}
    columns = {}
    for n, value in enumerate(header):
        heading = known.get(normal(value))
        if heading is not None and heading in L.LISTS[name]:
            columns[n] = heading
    missing = [
        h for h in L.LISTS[name] if h not in columns.values() and (name, h) not in L.OPTIONAL
    ]
    for heading in missing:
        parsed.add(f"sheet {name}, row 1", heading, "heading is missing")
    return None if missing else columns


def _check_child(parsed: Parsed, row: Row) -> None:
    first = parsed.children.setdefault(row[ID], row)
    for fact in CHILD_FACTS:
        if first is not row and row[fact] != first[fact] and row[fact] is not None:
            parsed.add(row.where, fact, f"differs from {first.where} for child {row[ID]}")


def _sheet(parsed: Parsed, name: str, sheet) -> None:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, ())
    columns = _headings(parsed, name, header)
    parsed.rows[name] = []
    if columns is None:
        return
    found = Problems(parsed.file)
    keys: dict[tuple, Row] = {}
    kinds = [(n, h, kind_of(h)) for n, h in columns.items()]
    for number, cells in enumerate(rows, start=2):
        if all(c is None or _text(c) == "" for c in cells):
            continue
        where = f"sheet {name}, row {number}"
        width = len(cells)
        values = {
            h: _cell(found, where, h, cells[n] if n < width else None, kind) for n, h, kind in kinds
        }
        row = Row(name, number, values)
        for heading in (ID, *REQUIRED.get(name, ())) if name != "List 11" else ():
            if values.get(heading) is None and not any(
                p.where == where and p.field == heading for p in found.found
            ):
                found.add(where, heading, "is required but blank")
        if name in KEYS and all(row[k] is not None for k in KEYS[name]):
            key = tuple(row[k] for k in KEYS[name])
            if key in keys:
                found.add(where, KEYS[name][1], f"repeats {keys[key].where}")
            keys.setdefault(key, row)
        if row[ID]:
            _check_child(parsed, row)
        parsed.rows[name].append(row)
    parsed.problems.extend(found.found)


def _as_of(workbook, parsed: Parsed) -> date:
    """The inspection date Harbour wrote into the workbook; else the latest event in it."""
    for prop in getattr(workbook, "custom_doc_props", []) or []:
        if prop.name == AS_OF_PROPERTY:
            try:
                return date.fromisoformat(str(prop.value))
            except ValueError:
                parsed.add("workbook", AS_OF_PROPERTY, f"{prop.value!r} is not a date")
    days = [
        v
        for rows in parsed.rows.values()
        for row in rows
        for h, v in row.values.items()
        if isinstance(v, date) and h != "Date of Birth"
    ]
    return max(days) if days else date.today()


def read(path: Path) -> Parsed:
    path = Path(path)
    parsed = Parsed(str(path))
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a damaged or foreign file: say so, as a problem
        parsed.add("file", "workbook", f"cannot be read as an .xlsx workbook ({error})")
        return parsed
    try:
        for sheet in workbook.worksheets:
            if sheet.title not in L.LISTS:
                parsed.add(f"sheet {sheet.title}", "sheet", "is not one of Annex A's lists")
                continue
            _sheet(parsed, sheet.title, sheet)
        parsed.as_of = _as_of(workbook, parsed)
    finally:
        workbook.close()
    return parsed
