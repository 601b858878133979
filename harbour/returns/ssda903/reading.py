"""Reading an SSDA903 return: find each table by its set of headings, parse every row and check
every value, collecting every problem. Nothing here touches the database.

Rows are numbered as a spreadsheet shows them: the headings are row 1, the first child row 2.
"""

import csv
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from harbour.codes import choices, code_list
from harbour.returns.importing import Problem, Problems
from harbour.returns.period import CollectionYear
from harbour.returns.ssda903.tables import DATE_FORMAT, TABLES

SEX_FROM = 2025  # from 2024-25 the return sends M, F, U; before, 1 and 2
UPN = re.compile(r"^[A-HJ-NP-RT-Z]\d{11}[0-9A-Z]$")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
URN = re.compile(r"^[A-Z\d]{1,8}$")
SW_ID = re.compile(r"^(SW|XX)[A-Z\d]{2,18}$")
PARTIAL_DATE = re.compile(r"^(\d{2}|ZZ)/(\d{2}|ZZ)/(\d{4}|ZZZZ)$")
LA_OUTSIDE_ENGLAND = {"WAL", "SCO", "NUK", "NIR"}
SW_REASON_REQUIRED_FROM = date(2023, 4, 1)  # rule SW13


class Row(dict):
    """One row's values, parsed (None where blank), and where it came from."""

    def __init__(self, file: str, line: int, values: dict):
        super().__init__(values)
        self.file = file
        self.line = line

    @property
    def where(self) -> str:
        return f"row {self.line}"


@dataclass
class Return903:
    """What reading gives: every problem, each table's rows, the collection year they describe,
    and the periods of care the episodes make (see episodes.py)."""

    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, list[Row]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # table -> file it came from
    year: CollectionYear | None = None
    plans: dict = field(default_factory=dict)  # child reference -> [PeriodPlan]

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    def has(self, table: str) -> bool:
        return table in self.tables


# Value parsers: (problems, where, field, text) -> value, adding a problem where the text is
# not acceptable. Blank is None.


def _codes(name: str) -> set[str]:
    made = getattr(choices, name, None)
    return {code for code, _ in made()} if made else set(code_list(name).codes)


def code(name: str, required: bool = True):
    def parse(p: Problems, where: str, field_: str, text: str):
        allowed = _codes(name)
        return p.code(where, field_, text.upper(), allowed, required=required)

    return parse


def day(required: bool = True):
    def parse(p: Problems, where: str, field_: str, text: str):
        if not text:
            if required:
                p.add(where, field_, "is required but blank")
            return None
        try:
            return datetime.strptime(text, DATE_FORMAT).date()
        except ValueError:
            p.add(where, field_, f"{text!r} is not a date in the form dd/mm/yyyy")
            return None

    return parse


def flag(required: bool = True):
    def parse(p: Problems, where: str, field_: str, text: str):
        if not text:
            if required:
                p.add(where, field_, "is required but blank")
            return None
        if text not in ("0", "1"):
            p.add(where, field_, f"{text!r} is not 0 or 1")
            return None
        return text == "1"

    return parse


def number(low: int, high: int):
    def parse(p: Problems, where: str, field_: str, text: str):
        if not text:
            return None
        if not text.isdigit() or not low <= int(text) <= high:
            p.add(where, field_, f"{text!r} is not a whole number from {low} to {high}")
            return None
        return int(text)

    return parse


def matching(pattern: re.Pattern, what: str, required: bool = False, upper: bool = True):
    def parse(p: Problems, where: str, field_: str, text: str):
        text = text.upper() if upper else text
        if not text:
            if required:
                p.add(where, field_, "is required but blank")
            return None
        if not pattern.match(text):
            p.add(where, field_, f"{text!r} is not {what}")
            return None
        return text

    return parse


def child_reference(p: Problems, where: str, field_: str, text: str):
    if not text:
        p.add(where, field_, "is required but blank")
        return None
    if len(text) > 20:
        p.add(where, field_, f"{text!r} is longer than 20 characters")
        return None
    return text


def raw_sex(p: Problems, where: str, field_: str, text: str):
    """Checked once the year is known (see _sexes)."""
    if not text:
        p.add(where, field_, "is required but blank")
    return text.upper() or None


def upn(p: Problems, where: str, field_: str, text: str):
    text = text.upper()
    if not text:
        p.add(where, field_, "is required but blank (send UN1 to UN5 where there is no UPN)")
        return None
    if text in ("UN1", "UN2", "UN3", "UN4", "UN5") or UPN.match(text):
        return text
    p.add(where, field_, f"{text!r} is not a UPN (a letter and 12 characters) or UN1 to UN5")
    return None


def accommodation(p: Problems, where: str, field_: str, text: str):
    """A letter from the list and 1 (suitable) or 2 (unsuitable), or 0 (not applicable)."""
    text = text.upper()
    if not text or text == "0":
        return text or None
    letters = _codes("care_leaver_accommodation")
    if len(text) != 2 or text[0] not in letters or text[1] not in "12":
        p.add(where, field_, f"{text!r} is not one of the published codes")
        return None
    if text[0] in "SX" and text[1] != "2":
        p.add(where, field_, f"{text!r}: {text[0]} is only valid as {text[0]}2 (unsuitable)")
        return None
    return text


def la_code(p: Problems, where: str, field_: str, text: str):
    text = text.upper()
    if not text:
        return None
    if (len(text) == 3 and text.isdigit()) or text in LA_OUTSIDE_ENGLAND:
        return text
    p.add(where, field_, f"{text!r} is not a three-digit authority code, WAL, SCO, NIR or NUK")
    return None


def partial_date(p: Problems, where: str, field_: str, text: str):
    """dd/mm/yyyy, where any part may be ZZ (ZZZZ for the year) when not known."""
    text = text.upper()
    if not text:
        return None
    found = PARTIAL_DATE.match(text)
    if not found:
        p.add(where, field_, f"{text!r} is not a date in the form dd/mm/yyyy (ZZ where unknown)")
        return None
    if "Z" in text:
        return text
    return day()(p, where, field_, text)


CHILD, DOB = "CHILD", "DOB"
SPEC = {
    "header": {
        CHILD: child_reference,
        "SEX": raw_sex,
        DOB: day(),
        "ETHNIC": code("ethnicity"),
        "UPN": upn,
        "MOTHER": flag(required=False),
        "MC_DOB": day(required=False),
    },
    "episodes": {
        CHILD: child_reference,
        "DECOM": day(),
        "RNE": code("reason_new_episode"),
        "LS": code("legal_status"),
        "CIN": code("category_of_need"),
        "PLACE": code("placement_type"),
        "PLACE_PROVIDER": code("placement_provider", required=False),
        "DEC": day(required=False),
        "REC": code("reason_episode_ceased", required=False),
        "REASON_PLACE_CHANGE": code("reason_placement_change", required=False),
        "HOME_POST": matching(POSTCODE, "a postcode"),
        "PL_POST": matching(POSTCODE, "a postcode"),
        "URN": matching(URN, "an Ofsted URN (or XXXXXXX)"),
    },
    "reviews": {
        CHILD: child_reference,
        DOB: day(),
        "REVIEW": day(),
        "REVIEW_CODE": code("review_participation"),
    },
    "uasc": {CHILD: child_reference, "SEX": raw_sex, DOB: day(), "DUC": day(required=False)},
    "oc2": {
        CHILD: child_reference,
        DOB: day(),
        "SDQ_SCORE": number(0, 40),
        "SDQ_REASON": code("sdq_reason", required=False),
        "CONVICTED": flag(required=False),
        "HEALTH_CHECK": flag(required=False),
        "IMMUNISATIONS": flag(),
        "TEETH_CHECK": flag(),
        "HEALTH_ASSESSMENT": flag(),
        "SUBSTANCE_MISUSE": flag(),
        "INTERVENTION_RECEIVED": flag(required=False),
        "INTERVENTION_OFFERED": flag(required=False),
    },
    "oc3": {
        CHILD: child_reference,
        DOB: day(),
        "IN_TOUCH": code("care_leaver_in_touch"),
        "ACTIV": code("care_leaver_activity", required=False),
        "ACCOM": accommodation,
    },
    "ad1": {
        CHILD: child_reference,
        DOB: day(),
        "DATE_INT": day(),
        "DATE_MATCH": day(required=False),
        "FOSTER_CARE": flag(required=False),
        "NB_ADOPTR": number(1, 2),
        "SEX_ADOPTR": code("adopter_sex", required=False),
        "LS_ADOPTR": code("adopter_legal_status", required=False),
    },
    "placed_for_adoption": {
        CHILD: child_reference,
        DOB: day(),
        "DATE_PLACED": day(),
        "DATE_PLACED_CEASED": day(required=False),
        "REASON_PLACED_CEASED": code("reason_placed_for_adoption_ceased", required=False),
    },
    "previous_permanence": {
        CHILD: child_reference,
        DOB: day(),
        "PREV_PERM": code("previous_permanence"),
        "LA_PERM": la_code,
        "DATE_PERM": partial_date,
    },
    "missing": {
        CHILD: child_reference,
        DOB: day(),
        "MISSING": code("missing_kind"),
        "MIS_START": day(),
        "MIS_END": day(required=False),
    },
    "social_worker_episodes": {
        CHILD: child_reference,
        DOB: day(),
        "SW_ID": matching(
            SW_ID, "a social worker ID (SW or XX and 2 to 18 letters or digits)", True
        ),
        "SW_DECOM": day(),
        "SW_DEC": day(required=False),
        "SW_REASON": code("social_worker_change", required=False),
    },
}
assert {name: set(columns) for name, columns in SPEC.items()} == {
    name: set(columns) for name, columns in TABLES.items()
}
KEYS = {
    "episodes": "DECOM",
    "reviews": "REVIEW",
    "ad1": "DATE_INT",
    "placed_for_adoption": "DATE_PLACED",
    "missing": "MIS_START",
    "social_worker_episodes": "SW_DECOM",
}


def read(path: Path) -> Return903:
    """A folder or a .zip of the return's CSV files."""
    files: list[tuple[str, bytes]] = []
    result = Return903()
    if path.is_dir():
        for member in sorted(path.iterdir()):
            if member.name.startswith(".") or member.is_dir():
                continue
            files.append((str(member), member.read_bytes()))
    else:
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    name = info.filename
                    if info.is_dir() or name.startswith("__MACOSX/") or Path(name).name[:1] == ".":
                        continue
                    files.append((f"{path}/{name}", archive.read(info)))
        except (zipfile.BadZipFile, OSError) as error:
            result.problems.append(Problem(str(path), "file", "zip", f"cannot be read: {error}"))
            return result
    return _read(files, result)


def read_files(paths: list[Path]) -> Return903:
    """CSV files named one by one, read as one return."""
    return _read([(str(p), p.read_bytes()) for p in paths], Return903())


def _read(files: list[tuple[str, bytes]], result: Return903) -> Return903:
    problems: dict[str, Problems] = {}
    for name, content in files:
        p = problems.setdefault(name, Problems(name))
        if not name.lower().endswith(".csv"):
            p.add("file", "name", "is not a CSV file; an SSDA903 return is CSV files only")
            continue
        _table(name, content, p, result)
    if not files:
        result.problems.append(Problem("(return)", "file", "files", "no CSV files were found"))
    for p in problems.values():
        result.problems.extend(p.found)
    if result.tables:
        from harbour.returns.ssda903.checks import check_return

        check_return(result)
    return result


def _table(name: str, content: bytes, p: Problems, result: Return903) -> None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        p.add("file", "encoding", "is not UTF-8 text")
        return
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines or not any(cell.strip() for cell in lines[0]):
        p.add("row 1", "headings", "the file is empty: no headings")
        return
    headings = [h.strip() for h in lines[0]]
    while headings and not headings[-1]:
        headings.pop()  # a spreadsheet's empty columns after the last heading
    table = _recognise(headings, p)
    if table is None:
        return
    if table in result.tables:
        p.add("file", "table", f"a second {table} table (the first is {result.files[table]})")
        return
    result.files[table] = name
    rows = result.tables[table] = []
    spec = SPEC[table]
    for number_, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = f"row {number_}"
        extra = cells[len(headings) :]
        if any(cell.strip() for cell in extra):
            p.add(where, "row", f"has {len(cells)} values for {len(headings)} headings")
            continue
        cells = cells[: len(headings)] + [""] * (len(headings) - len(cells))
        values = {}
        for heading, cell in zip(headings, cells, strict=True):
            values[heading] = spec[heading](p, where, heading, cell.strip())
        rows.append(Row(name, number_, values))


def _recognise(headings: list[str], p: Problems) -> str | None:
    """The table whose headings are exactly these, in any order (as the validators do)."""
    given = set(headings)
    if len(given) != len(headings):
        twice = sorted({h for h in headings if headings.count(h) > 1})
        p.add("row 1", "headings", f"{', '.join(twice)} appear more than once")
        return None
    for table, columns in TABLES.items():
        if given == set(columns):
            return table
    closest = max(TABLES, key=lambda t: len(given & set(TABLES[t])) - len(given ^ set(TABLES[t])))
    missing = [c for c in TABLES[closest] if c not in given]
    extra = [h for h in headings if h not in TABLES[closest]]
    detail = "; ".join(
        part
        for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(extra)}" if extra else "",
        )
        if part
    )
    p.add(
        "row 1",
        "headings",
        f"do not match any SSDA903 table (nearest is {closest}: {detail})",
    )
    return None


def year_of(day: date) -> CollectionYear:
    return CollectionYear(day.year + (1 if (day.month, day.day) > (3, 31) else 0))


def latest_date(result: Return903) -> tuple[date, Row, str] | None:
    """The latest date in the return, with its row and field."""
    latest = None
    for rows in result.tables.values():
        for row in rows:
            for field_, value in row.items():
                if isinstance(value, date) and (latest is None or value > latest[0]):
                    latest = (value, row, field_)
    return latest


def collection_year(result: Return903) -> CollectionYear | None:
    """The year the return describes: every date in it is on or before the 31 March that ends
    the year, and its reviews, episodes and the rest fall in the year."""
    latest = latest_date(result)
    return year_of(latest[0]) if latest else None


def by_child(rows: list[Row]) -> dict[str, list[Row]]:
    grouped = defaultdict(list)
    for row in rows:
        if row[CHILD] is not None:
            grouped[row[CHILD]].append(row)
    return grouped
