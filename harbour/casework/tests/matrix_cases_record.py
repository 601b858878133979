"""Who may use each page of the child's record: the access matrix's cases (read by
`harbour/access/tests/test_matrix.py`). Every page reads as the record does: those whose work
holds the child, and service-wide readers; those who may open it with a reason are refused
(the 403 page offers the way in); a partner learns nothing (404). Curating the chronology is
for the practitioners and manager of the team holding the child."""

from harbour.access.tests.test_matrix import NORTH, R, expect

READERS = [*NORTH, R.SERVICE_MANAGER, R.CONFERENCE_CHAIR, R.IRO, R.MASH_SCREENER, R.INSPECTOR]
READ = expect(403, s200=READERS, s404=[R.PARTNER_REFERRER])
CURATE = expect(403, s200=NORTH, s404=[R.PARTNER_REFERRER])


def _contact(world):
    return world.children["ours"].contacts.order_by("pk").first().pk


def _entry(world):
    from datetime import date

    from harbour.journey.models import ChronologyEntry

    entry = ChronologyEntry.objects.create(
        child=world.children["ours"],
        occurred_on=date(2026, 1, 5),
        category="family",
        summary="Moved house.",
        significant=True,
    )
    return f"entry-{entry.pk}"


CASES: dict = {
    "a child's timeline": ("child-timeline", {"reference": "ours"}, READ),
    "a record on a child's timeline": (
        "child-record",
        {"reference": "ours", "kind": lambda world: "contact", "record_id": _contact},
        READ,
    ),
    "a child's family and network": ("child-family", {"reference": "ours"}, READ),
    "a child's identity": ("child-identity", {"reference": "ours"}, READ),
    "a child's duties": ("child-duties", {"reference": "ours"}, READ),
    "a child's chronology": ("child-chronology", {"reference": "ours"}, READ),
    "a child's chronology (PDF)": ("child-chronology-pdf", {"reference": "ours"}, READ),
    "a family file": ("family-file", {"reference": "ours"}, READ),
    "add to a child's chronology": ("chronology-add", {"reference": "ours"}, CURATE),
    "curate a chronology entry": (
        "chronology-entry",
        {"reference": "ours", "key": _entry},
        CURATE,
    ),
    "another team's child's timeline": (
        "child-timeline",
        {"reference": "theirs"},
        expect(403, s200=[R.SERVICE_MANAGER, R.INSPECTOR], s404=[R.PARTNER_REFERRER]),
    ),
    "a restricted child's family file": (
        "family-file",
        {"reference": "restricted"},
        expect(404, s200=[R.TEAM_MANAGER]),
    ),
}
