"""Who may add a child and merge two records: the access matrix's cases for
`harbour/casework/urls_children.py` (read by `harbour/access/tests/test_matrix.py`)."""

from harbour.access.tests.test_matrix import R, expect
from harbour.casework.permissions.children import ADD_CHILD


def _a_merged_record(world) -> str:
    from harbour.people.models import Child

    kept = world.children["theirs"]
    merged = Child.objects.create(
        reference="SYN0000099",
        forename="Theirs",
        surname="Fenwick",
        sex="F",
        date_of_birth=kept.date_of_birth,
        merged_into=kept,
    )
    return merged.reference


CASES: dict = {
    "add a child": (
        "add_child",
        {},
        expect(403, s200=list(ADD_CHILD)),
    ),
    "merge two records": (
        "merge_children",
        {},
        expect(403, s200=[R.TEAM_MANAGER]),
    ),
    "a merged record": (
        "merged",
        {"reference": _a_merged_record},
        expect(200, s403=[R.PARTNER_REFERRER]),
    ),
}
