"""Who may use the assessment side's recording forms (read by
`harbour/access/tests/test_matrix.py`): the team holding the child (NORTH for "ours"); a
referral also the front door's screeners; no one for another team's child; a partner is told
the child is not held."""

from harbour.access.tests.test_matrix import NORTH, R, expect


def _step(key):
    return lambda world: key


def _ours(key):
    return ("record-step", {"reference": "ours", "step": _step(key)})


OURS = expect(403, s200=NORTH, s404=[R.PARTNER_REFERRER])
THEIRS = expect(403, s404=[R.PARTNER_REFERRER])

CASES: dict = {
    "record a referral": (
        *_ours("referral"),
        expect(403, s200=[*NORTH, R.MASH_SCREENER], s404=[R.PARTNER_REFERRER]),
    ),
    "record an assessment": (*_ours("assessment"), OURS),
    "record a child in need plan": (*_ours("child-in-need-plan"), OURS),
    "record a child in need plan review": (*_ours("child-in-need-review"), OURS),
    "close the child in need episode": (*_ours("closure"), OURS),
    "record early help": (*_ours("early-help"), OURS),
    "end early help": (*_ours("end-early-help"), OURS),
    "step up to children's social care": (*_ours("step-up"), OURS),
    "step down to early help": (*_ours("step-down"), OURS),
    "record an assessment for another team's child": (
        "record-step",
        {"reference": "theirs", "step": _step("assessment")},
        THEIRS,
    ),
    "record a referral for another team's child": (
        "record-step",
        {"reference": "theirs", "step": _step("referral")},
        expect(403, s404=[R.PARTNER_REFERRER]),
    ),
}
