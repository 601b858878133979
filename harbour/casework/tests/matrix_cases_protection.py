"""Who may use child protection's recording forms (read by
`harbour/access/tests/test_matrix.py`): the team holding the child (NORTH for "ours"); the
conferences and the plan also a child protection conference chair; no one for another team's
child; a partner is told the child is not held."""

from harbour.access.tests.test_matrix import NORTH, R, expect
from harbour.casework.tests.matrix_cases_record import READ


def _step(key):
    return lambda world: key


def _ours(key):
    return ("record-step", {"reference": "ours", "step": _step(key)})


def _theirs(key):
    return ("record-step", {"reference": "theirs", "step": _step(key)})


def _plan(world):
    from harbour.journey.models import ChildProtectionPlan

    return ChildProtectionPlan.objects.get(child=world.children["ours"]).pk


OURS = expect(403, s200=NORTH, s404=[R.PARTNER_REFERRER])
CHAIRED = expect(403, s200=[*NORTH, R.CONFERENCE_CHAIR], s404=[R.PARTNER_REFERRER])

CASES: dict = {
    "record a strategy discussion": (*_ours("strategy-discussion"), OURS),
    "start a section 47 enquiry": (*_ours("section-47-enquiry"), OURS),
    "record an initial child protection conference": (*_ours("initial-conference"), CHAIRED),
    "record a review child protection conference": (*_ours("review-conference"), CHAIRED),
    "record a child protection plan": (*_ours("child-protection-plan"), CHAIRED),
    "record a core group meeting": (*_ours("core-group"), OURS),
    "change the child protection plan": (
        "change-step",
        {"reference": "ours", "step": _step("child-protection-plan"), "record_id": _plan},
        CHAIRED,
    ),
    "print the child protection plan": (
        "print-step",
        {"reference": "ours", "step": _step("child-protection-plan"), "record_id": _plan},
        READ,
    ),
    "record a strategy discussion for another team's child": (
        *_theirs("strategy-discussion"),
        expect(403, s404=[R.PARTNER_REFERRER]),
    ),
    "record a review conference for another team's child": (
        *_theirs("review-conference"),
        # A chair opens another team's child's record with a reason first: refused here.
        expect(403, s404=[R.PARTNER_REFERRER]),
    ),
}
