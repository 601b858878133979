"""Checks across a row's values, across rows and across tables, once every row is parsed."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from harbour.returns.importing import Problem, Problems
from harbour.returns.ssda903.episodes import earliest_evidence, plan_periods
from harbour.returns.ssda903.reading import (
    CHILD,
    DOB,
    KEYS,
    SEX_FROM,
    SW_REASON_REQUIRED_FROM,
    Return903,
    Row,
    _codes,
    by_child,
    collection_year,
    latest_date,
    year_of,
)

# Tables only for children looked after in the year (they need episodes in the return).
LOOKED_AFTER_ONLY = (
    "reviews",
    "uasc",
    "oc2",
    "ad1",
    "placed_for_adoption",
    "previous_permanence",
    "missing",
    "social_worker_episodes",
)
CARE_LEAVER_AGES = (17, 18, 19, 20, 21)


def check_return(result: Return903) -> None:
    problems = {name: Problems(name) for name in result.files.values()}
    _future(result, problems)
    result.year = collection_year(result)
    if result.year is None:
        result.problems.append(
            Problem("(return)", "file", "dates", "holds no dates, so its year is not known")
        )
        return
    _sexes(result, problems)
    for table, rows in result.tables.items():
        check = ROW_CHECKS.get(table)
        for row in rows:
            if check:
                check(row, problems[row.file])
        _once(table, rows, problems)
    _across_tables(result, problems)
    _plans(result, problems)
    for p in problems.values():
        result.problems.extend(p.found)


def _future(result: Return903, problems) -> None:
    """A date after the current collection year ends is a mistake (the year of the return is
    worked out from its latest date): reported, and left out of that reckoning."""
    ends = year_of(timezone.localdate()).end
    while (latest := latest_date(result)) and latest[0] > ends:
        day, row, field_ = latest
        problems[row.file].add(
            row.where, field_, f"{day:%d/%m/%Y} is after the current collection year ends"
        )
        row[field_] = None


def _sexes(result: Return903, problems) -> None:
    modern = result.year.year >= SEX_FROM
    allowed = _codes("sex") if modern else {"1": "M", "2": "F"}
    for table in ("header", "uasc"):
        for row in result.rows(table):
            sex = row["SEX"]
            if sex is None:
                continue
            if sex not in allowed:
                expected = "M, F or U" if modern else "1 or 2 (before 2024-25)"
                problems[row.file].add(row.where, "SEX", f"{sex!r} is not {expected}")
                row["SEX"] = None
            elif not modern:
                row["SEX"] = allowed[sex]


def _header_row(row: Row, p: Problems) -> None:
    if row["MOTHER"] is True and row["MC_DOB"] is None:
        p.add(row.where, "MC_DOB", "is required when MOTHER is 1")
    if row["MOTHER"] is not True and row["MC_DOB"] is not None:
        p.add(row.where, "MC_DOB", "is only for a mother (MOTHER 1)")
    if row["MOTHER"] is not None and row["SEX"] in ("M", "1"):
        p.add(row.where, "MOTHER", "is only for girls")
    if row["MC_DOB"] and row[DOB] and row["MC_DOB"] <= row[DOB]:
        p.add(row.where, "MC_DOB", "is not after the child's own date of birth")


def _episode_row(row: Row, p: Problems) -> None:
    if (row["DEC"] is None) != (row["REC"] is None):
        p.add(row.where, "DEC" if row["DEC"] is None else "REC", "DEC and REC go together")
    if row["DEC"] and row["DECOM"] and row["DEC"] <= row["DECOM"]:
        p.add(row.where, "DEC", f"{row['DEC']:%d/%m/%Y} is not after DECOM")


def _oc2_row(row: Row, p: Problems) -> None:
    if row["SDQ_SCORE"] is not None and row["SDQ_REASON"] is not None:
        p.add(row.where, "SDQ_REASON", "is only for a child without an SDQ score")
    misuse, received = row["SUBSTANCE_MISUSE"], row["INTERVENTION_RECEIVED"]
    offered = row["INTERVENTION_OFFERED"]
    if misuse is True and received is None:
        p.add(row.where, "INTERVENTION_RECEIVED", "is required when SUBSTANCE_MISUSE is 1")
    if misuse is False and (received is not None or offered is not None):
        field_ = "INTERVENTION_RECEIVED" if received is not None else "INTERVENTION_OFFERED"
        p.add(row.where, field_, "must be blank when SUBSTANCE_MISUSE is 0")
    if received is False and offered is None:
        p.add(row.where, "INTERVENTION_OFFERED", "is required when INTERVENTION_RECEIVED is 0")
    if received is True and offered is not None:
        p.add(row.where, "INTERVENTION_OFFERED", "must be blank when INTERVENTION_RECEIVED is 1")


def _oc3_row(row: Row, p: Problems) -> None:
    if row["IN_TOUCH"] in ("DIED", "RHOM"):
        for field_ in ("ACTIV", "ACCOM"):
            if row[field_] is not None:
                p.add(row.where, field_, f"must be blank when IN_TOUCH is {row['IN_TOUCH']}")
    elif row["IN_TOUCH"] is not None:
        for field_ in ("ACTIV", "ACCOM"):
            if row[field_] is None:
                p.add(row.where, field_, f"is required when IN_TOUCH is {row['IN_TOUCH']}")


def _ad1_row(row: Row, p: Problems) -> None:
    if row["DATE_MATCH"] and row["DATE_INT"] and row["DATE_MATCH"] < row["DATE_INT"]:
        p.add(row.where, "DATE_MATCH", "is before DATE_INT")


def _placed_row(row: Row, p: Problems) -> None:
    ceased, reason = row["DATE_PLACED_CEASED"], row["REASON_PLACED_CEASED"]
    if (ceased is None) != (reason is None):
        field_ = "DATE_PLACED_CEASED" if ceased is None else "REASON_PLACED_CEASED"
        p.add(row.where, field_, "DATE_PLACED_CEASED and REASON_PLACED_CEASED go together")
    if ceased and row["DATE_PLACED"] and ceased < row["DATE_PLACED"]:
        p.add(row.where, "DATE_PLACED_CEASED", "is before DATE_PLACED")


def _permanence_row(row: Row, p: Problems) -> None:
    if row["PREV_PERM"] == "Z1":
        for field_ in ("LA_PERM", "DATE_PERM"):
            if row[field_] is not None:
                p.add(row.where, field_, "must be blank when PREV_PERM is Z1")


def _missing_row(row: Row, p: Problems) -> None:
    if row["MIS_END"] and row["MIS_START"] and row["MIS_END"] < row["MIS_START"]:
        p.add(row.where, "MIS_END", "is before MIS_START")


def _social_worker_row(row: Row, p: Problems) -> None:
    if row["SW_DEC"] and row["SW_DECOM"] and row["SW_DEC"] <= row["SW_DECOM"]:
        p.add(row.where, "SW_DEC", "is not after SW_DECOM")
    starts = row["SW_DECOM"]
    if row["SW_REASON"] is None and starts and starts >= SW_REASON_REQUIRED_FROM:
        p.add(row.where, "SW_REASON", "is required for episodes from 01/04/2023")


ROW_CHECKS = {
    "header": _header_row,
    "episodes": _episode_row,
    "oc2": _oc2_row,
    "oc3": _oc3_row,
    "ad1": _ad1_row,
    "placed_for_adoption": _placed_row,
    "previous_permanence": _permanence_row,
    "missing": _missing_row,
    "social_worker_episodes": _social_worker_row,
}


def _once(table: str, rows: list[Row], problems) -> None:
    seen: dict = {}
    key = KEYS.get(table)
    for row in rows:
        if row[CHILD] is None or (key and row[key] is None):
            continue
        found = (row[CHILD], row[key]) if key else row[CHILD]
        if found in seen:
            what = f"a second row for child {row[CHILD]}" + (
                f" on {row[key]:%d/%m/%Y}" if key else ""
            )
            problems[row.file].add(row.where, key or CHILD, f"{what} (first at {seen[found]})")
        else:
            seen[found] = row.where


def _across_tables(result: Return903, problems) -> None:
    header = {r[CHILD]: r for r in result.rows("header") if r[CHILD]}
    looked_after = set(by_child(result.rows("episodes")))
    for table, rows in result.tables.items():
        if table == "header":
            continue
        for row in rows:
            p, ref = problems[row.file], row[CHILD]
            if ref is None:
                continue
            if result.has("header") and ref not in header:
                p.add(row.where, CHILD, f"{ref} is not in the Header table")
            elif ref in header:
                _same_as_header(row, header[ref], p)
            if table in LOOKED_AFTER_ONLY and result.has("episodes") and ref not in looked_after:
                p.add(
                    row.where,
                    CHILD,
                    f"{ref} has no episodes, but {table} is only for "
                    "children looked after in the year",
                )
    if result.has("episodes") and result.has("oc3"):
        leavers = set(by_child(result.rows("oc3")))
        for ref, row in header.items():
            if ref not in looked_after and ref not in leavers:
                problems[row.file].add(
                    row.where,
                    CHILD,
                    f"{ref} has neither episodes nor an OC3 row, so does not belong in the return",
                )
    for row in result.rows("oc3"):
        if row[DOB] and not any(
            result.year.within(row[DOB] + relativedelta(years=age)) for age in CARE_LEAVER_AGES
        ):
            problems[row.file].add(
                row.where,
                DOB,
                "no 17th to 21st birthday falls in the "
                f"year {result.year.label}, so OC3 is not for this child",
            )


def _same_as_header(row: Row, header: Row, p: Problems) -> None:
    for field_ in (DOB, "SEX"):
        if field_ in row and row[field_] and header[field_] and row[field_] != header[field_]:
            shown = header[field_]
            shown = f"{shown:%d/%m/%Y}" if field_ == DOB else shown
            p.add(row.where, field_, f"differs from the Header table's {shown}")


def _plans(result: Return903, problems) -> None:
    if not result.has("episodes"):
        return
    workers = by_child(result.rows("social_worker_episodes"))
    missing = by_child(result.rows("missing"))
    for ref, rows in by_child(result.rows("episodes")).items():
        plans = plan_periods(rows, result.year, problems)
        if plans and plans[0].continuing:
            days = [r["SW_DECOM"] for r in workers.get(ref, []) if r["SW_DECOM"]]
            days += [r["MIS_START"] for r in missing.get(ref, []) if r["MIS_START"]]
            earliest_evidence(plans[0], [d for d in days if d < plans[0].first_day])
        result.plans[ref] = plans
