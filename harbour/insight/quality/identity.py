"""Who the child is: the identity characteristics the returns and the child's plan need."""

from datetime import date, timedelta

import polars as pl

from harbour.insight.quality.kinds import rows

# A baby may come two weeks after the expected date; after that, the birth is not recorded.
BIRTH_GRACE = timedelta(days=14)
# The census asks why a child aged 6 or over has no unique pupil number (UN6 and the rest).
UPN_AGES = (6, 17)

# kind: (words for the field, test of a born child's row that finds it missing)
MISSING = {
    "sex": ("Sex", pl.col("sex").is_in(["", "U"])),
    "gender": ("Gender", pl.col("gender_identity") == ""),
    "ethnicity": ("Ethnicity", pl.col("ethnicity").is_in(["", "NOBT"])),
    "disability": ("Disability (or that the child has none)", ~pl.col("disability_recorded")),
    "religion": ("Religion", pl.col("religion") == ""),
    "first_language": ("First language", pl.col("first_language").is_in(["", "NOT"])),
    "nhs_number": ("NHS number", pl.col("nhs_number") == ""),
}


def _age(today: date) -> pl.Expr:
    born = pl.col("date_of_birth")
    birthday_to_come = (born.dt.month() > today.month) | (
        (born.dt.month() == today.month) & (born.dt.day() > today.day)
    )
    return today.year - born.dt.year() - birthday_to_come.cast(pl.Int32)


def identity(children: pl.DataFrame, today: date) -> pl.DataFrame:
    """Children (of those given) with an identity characteristic not recorded. An unborn child
    is asked only for a date of birth once the expected day has passed."""
    found = [
        rows(
            children.filter(
                pl.col("date_of_birth").is_null()
                & (pl.col("expected_date_of_birth") < today - BIRTH_GRACE)
            ),
            "date_of_birth",
            "Date of birth (expected date passed)",
            on="expected_date_of_birth",
            record="people.Child",
            child_id="id",
        )
    ]
    born = children.filter(pl.col("date_of_birth") <= today)
    for kind, (words, missing) in MISSING.items():
        found.append(rows(born.filter(missing), kind, words, record="people.Child", child_id="id"))
    no_upn = born.filter(
        (pl.col("upn") == "") & (pl.col("upn_unknown") == "") & _age(today).is_between(*UPN_AGES)
    )
    found.append(rows(no_upn, "upn", "Unique pupil number", record="people.Child", child_id="id"))
    return pl.concat(found)
