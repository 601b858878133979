"""Who may record a visit, a case note, a missing episode, a return home interview and the case
summary (read by `harbour/access/tests/test_matrix.py`): the practitioners and manager of the
team holding the child (casework.record_for_child); a partner learns nothing (404); everyone
else is refused. A visit prints for those who may read the child's record."""

from harbour.access.tests.test_matrix import NORTH, R, expect
from harbour.casework.tests.matrix_cases_record import READ

RECORD = expect(403, s200=NORTH, s404=[R.PARTNER_REFERRER])
THEIRS = expect(403, s404=[R.PARTNER_REFERRER])


def _step(key):
    return lambda world: key


def _a_visit(world):
    from django.utils import timezone

    from harbour.journey.models import Visit

    visit = Visit.objects.create(
        child=world.children["ours"],
        kind="child_protection",
        visited_on=timezone.localdate(),
        purpose="Statutory visit",
        child_seen=True,
        seen_alone=True,
        worker=world.staff[R.SOCIAL_WORKER],
    )
    return visit.pk


CASES: dict = {
    **{
        f"record a {words} for our child": (
            "record-step",
            {"reference": "ours", "step": _step(key)},
            RECORD,
        )
        for key, words in (
            ("visit", "visit"),
            ("case-note", "case note"),
            ("missing-episode", "missing episode"),
            ("return-home-interview", "return home interview"),
            ("case-summary", "case summary"),
        )
    },
    "record a visit for another team's child": (
        "record-step",
        {"reference": "theirs", "step": _step("visit")},
        THEIRS,
    ),
    "record a case note for another team's child": (
        "record-step",
        {"reference": "theirs", "step": _step("case-note")},
        THEIRS,
    ),
    "change a visit to our child": (
        "change-step",
        {"reference": "ours", "step": _step("visit"), "record_id": _a_visit},
        RECORD,
    ),
    "print a visit to our child": (
        "print-step",
        {"reference": "ours", "step": _step("visit"), "record_id": _a_visit},
        READ,
    ),
}
