"""Runs Data to Insight's validators for the Department's rules on Harbour's own exports.

This file runs under the validators' own Python (`.venv-validators`: they pin pandas and numpy
below Harbour's), never imported by Harbour. It prints one JSON list of failed rules:
{"return", "rule", "message", "child", "table", "fields", "kind"}.
Usage: python dfe_validators.py cin FILE.xml YEAR | 903 DIR YEAR LA_CODE
"""

import json
import sys
from pathlib import Path


def cin(path: str, year: int) -> list[dict]:
    import importlib
    import xml.etree.ElementTree as ET

    from cin_validator import cin_validator

    rules = importlib.import_module(f"cin_validator.rules.cin{year - 1}_{str(year)[2:]}")
    data = cin_validator.process_data(cin_validator.convert_data(ET.parse(path).getroot()))
    validator = cin_validator.CinValidator(data, rules.registry)
    found = []
    issues = validator.full_issue_df
    for row in issues.to_dict("records"):
        found.append(
            {
                "return": "cin",
                "rule": str(row.get("rule_code")),
                "message": str(row.get("rule_description", "")),
                "child": str(row.get("child_id")),
                "table": str(row.get("tables_affected", "")),
                "fields": str(row.get("columns_affected", "")),
                "kind": str(row.get("rule_type", "")),
            }
        )
    for row in validator.multichild_issues.to_dict("records"):
        found.append(
            {
                "return": "cin",
                "rule": str(row.get("rule_code")),
                "message": str(row.get("rule_description", "")),
                "child": None,
                "table": "",
                "fields": "",
                "kind": "return",
            }
        )
    return found


def ssda903(folder: str, year: int, la_code: str) -> list[dict]:
    import importlib

    from lac_validator.lac_validator import LacValidator
    from lac_validator.report import Report
    from lac_validator.utils import process_uploaded_files

    rules = importlib.import_module(f"lac_validator.rules.lac{year - 1}_{str(year)[2:]}")
    paths = sorted(str(p) for p in Path(folder).glob("*.csv"))
    header = Path(folder) / "header.csv"
    if header.exists() and len(header.read_text().splitlines()) < 2:
        return []  # no child looked after in the year: nothing to check (the package fails)
    files = process_uploaded_files({"This year": paths})
    validator = LacValidator(
        metadata={"collectionYear": str(year), "localAuthority": la_code},
        files=files,
        registry=rules.registry,
        selected_rules=None,
    )
    report = Report(validator.ds_results, rules.registry)
    found = []
    for row in report.child_report.to_dict("records"):
        fields = row.get("Fields")
        found.append(
            {
                "return": "903",
                "rule": str(row.get("Code")),
                "message": str(row.get("Description", "")),
                "child": str(row.get("CHILD")),
                "table": str(row.get("Table", "")),
                "fields": ", ".join(fields) if isinstance(fields, list) else str(fields or ""),
                "kind": "query" if str(row.get("Code", "")).endswith("Q") else "error",
            }
        )
    return found


def main() -> None:
    which = sys.argv[1]
    if which == "cin":
        found = cin(sys.argv[2], int(sys.argv[3]))
    else:
        found = ssda903(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    json.dump(found, sys.stdout)


if __name__ == "__main__":
    main()
