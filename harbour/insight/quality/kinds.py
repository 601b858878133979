"""The kinds of problem the report finds, in words a team manager uses, and the shape of a row."""

from dataclasses import dataclass

import polars as pl

D, N, S = pl.Date, pl.Int64, pl.String


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    family: str


FAMILIES = {
    "identity": "Identity not recorded",
    "order": "Dates out of order",
    "unallocated": "Open with no allocated worker",
    "codes": "Codes missing",
}

KINDS = {
    k.id: k
    for k in (
        Kind("date_of_birth", "Date of birth not recorded", "identity"),
        Kind("sex", "Sex not recorded", "identity"),
        Kind("gender", "Gender not recorded", "identity"),
        Kind("ethnicity", "Ethnicity not recorded", "identity"),
        Kind("disability", "Disability not recorded", "identity"),
        Kind("religion", "Religion not recorded", "identity"),
        Kind("first_language", "First language not recorded", "identity"),
        Kind("upn", "Unique pupil number (UPN) not recorded, and no reason why", "identity"),
        Kind("nhs_number", "NHS number not recorded", "identity"),
        Kind("before_referral", "Recorded as happening before its referral", "order"),
        Kind(
            "enquiry_before_strategy", "Section 47 enquiry before its strategy discussion", "order"
        ),
        Kind(
            "conference_before_enquiry",
            "Initial child protection conference before its section 47 enquiry",
            "order",
        ),
        Kind(
            "plan_before_conference", "Child protection plan before its initial conference", "order"
        ),
        Kind("placement_before_care", "Placement before the period of care began", "order"),
        Kind("ends_before_start", "Ends before it starts", "order"),
        Kind("after_today", "Dated in the future", "order"),
        Kind("before_birth", "Dated before the child was born", "order"),
        Kind("after_death", "Dated after the child died", "order"),
        Kind("unallocated", "Open case with no allocated worker", "unallocated"),
        Kind("plan_category", "Child protection plan with no category of abuse", "codes"),
        Kind("primary_need", "Child in need episode with no primary need", "codes"),
        Kind("closure_reason", "Child in need episode closed with no reason", "codes"),
        Kind("category_of_need", "Period of care with no category of need", "codes"),
        Kind("reason_ceased", "Period of care ended with no reason", "codes"),
    )
}

# One row a problem: the child; the kind; the field or event concerned and its date; the event
# it is out of order with and that one's date; and the record holding it.
COLUMNS = {
    "child_id": N,
    "kind": S,
    "what": S,
    "on": D,
    "against": S,
    "against_on": D,
    "record": S,
    "record_id": N,
}


def rows(
    frame: pl.DataFrame,
    kind: str,
    what,
    *,
    record,
    on=None,
    against=None,
    against_on=None,
    child_id="child_id",
    record_id="id",
) -> pl.DataFrame:
    """The rows of `frame` as problems of one kind. `what`, `against` and `record` are words
    (or expressions), `on` and `against_on` column names (or expressions)."""
    assert kind in KINDS, kind

    def value(given, dtype):
        """Words (a string column) or a column's name (a date column), or an expression."""
        if given is None:
            return pl.lit(None, dtype=dtype)
        if isinstance(given, pl.Expr):
            return given
        return pl.lit(given) if dtype == S else pl.col(given)

    given = {
        "child_id": child_id,
        "kind": kind,
        "what": what,
        "on": on,
        "against": against,
        "against_on": against_on,
        "record": record,
        "record_id": record_id,
    }
    # The two ids are column names; the kind and the rest as `value` reads them.
    values = {name: value(given[name], dtype) for name, dtype in COLUMNS.items()}
    values["child_id"], values["record_id"] = pl.col(child_id), pl.col(record_id)
    return frame.select(expr.cast(COLUMNS[name]).alias(name) for name, expr in values.items())
