"""Who may use the front door's screens: the access matrix's cases (read by
`harbour/access/tests/test_matrix.py`). MASH screeners, team managers and service managers
screen; a restricted child's contact is answered as one Harbour does not hold to screeners
without a grant (the world's team manager holds one)."""

from django.utils import timezone

from harbour.access.tests.test_matrix import R, expect

SCREENERS = [R.MASH_SCREENER, R.TEAM_MANAGER, R.SERVICE_MANAGER]


def _awaiting(world):
    from harbour.journey.models import Contact

    return Contact.objects.filter(child=world.children["ours"], decision="").first().pk


def _decided(world):
    from harbour.journey.models import Contact

    now = timezone.now()
    return Contact.objects.create(
        child=world.children["ours"],
        source="6",
        received_at=now,
        decision="advice",
        decision_at=now,
        threshold_reason="Advice given.",
    ).pk


def _restricted(world):
    from harbour.journey.models import Contact

    return Contact.objects.create(
        child=world.children["restricted"], source="6", received_at=timezone.now()
    ).pk


CASES: dict = {
    "the screening queue": ("front-door", {}, expect(403, s200=SCREENERS)),
    "record a new contact": ("front-door-new-contact", {}, expect(403, s200=SCREENERS)),
    "a contact at the front door": (
        "front-door-contact",
        {"contact_id": _awaiting},
        expect(403, s200=SCREENERS),
    ),
    "a restricted child's contact at the front door": (
        "front-door-contact",
        {"contact_id": _restricted},
        expect(403, s404=[R.MASH_SCREENER, R.SERVICE_MANAGER], s200=[R.TEAM_MANAGER]),
    ),
    "say which child a contact is about (a form's action)": (
        "front-door-choose-child",
        {"contact_id": _awaiting},
        expect(405, anonymous=405),
    ),
    "decide a contact": (
        "front-door-decide",
        {"contact_id": _awaiting},
        expect(403, s200=SCREENERS),
    ),
    "record what the referrer was told": (
        "front-door-tell-referrer",
        {"contact_id": _decided},
        expect(403, s200=SCREENERS),
    ),
}
