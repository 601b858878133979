"""Who may use the recording screens' shared pages (read by
`harbour/access/tests/test_matrix.py`); each step's own form has its cases in its area's
file. "Record…" is for the team holding the child and those who record their own steps there
(a conference chair, an IRO, a screener); the draft autosave and "Stay signed in" take only a
POST."""

from harbour.access.tests.test_matrix import NORTH, R, expect

CASES: dict = {
    "the record menu": (
        "record-menu",
        {"reference": "ours"},
        expect(
            403,
            s200=[*NORTH, R.CONFERENCE_CHAIR, R.IRO, R.MASH_SCREENER],
            s404=[R.PARTNER_REFERRER],
        ),
    ),
    "another team's child's record menu": (
        "record-menu",
        {"reference": "theirs"},
        expect(403, s404=[R.PARTNER_REFERRER]),
    ),
    "keep a draft": ("keep-draft", {}, expect(405, anonymous=405)),
    "stay signed in": ("stay-signed-in", {}, expect(405, anonymous=405)),
}
