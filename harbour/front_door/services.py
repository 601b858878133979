"""Recording a partner's referral: the write is the journey's
(`harbour.journey.services.front_door.receive_referral`); this keeps the older call."""

from harbour.journey.models import Contact
from harbour.journey.services import front_door


def receive_referral(user, data: dict, request=None) -> Contact:
    """A partner's referral from the referral form's cleaned data."""
    return front_door.receive_referral(
        by=user,
        agency=data["agency"],
        forename=data["forename"],
        surname=data["surname"],
        born=data["born"],
        unborn=bool(data.get("unborn")),
        concerns=data["concerns"],
        consent=data["consent"],
        request=request,
    )
