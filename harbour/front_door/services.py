"""Recording a partner's referral: one transaction, the child and the contact together."""

import secrets

from django.db import transaction
from django.utils import timezone

from harbour.journey.models import Contact
from harbour.people.models import Child


@transaction.atomic
def receive_referral(user, data: dict) -> Contact:
    """A new child record for the front door to match against the children it knows, and the
    contact, received now. Both are the referrer's own: they see them and nothing else."""
    unborn = bool(data.get("unborn"))
    child = Child.objects.create(
        reference=f"NEW-{secrets.token_hex(4).upper()}",
        forename=data["forename"].strip(),
        surname=data["surname"].strip(),
        date_of_birth=None if unborn else data["born"],
        expected_date_of_birth=data["born"] if unborn else None,
        sex="U",
        created_by=user,
        updated_by=user,
    )
    told = data["consent"] == "yes"
    return Contact.objects.create(
        child=child,
        received_at=timezone.now(),
        source=data["agency"],
        referrer_name=user.get_full_name() or user.get_username(),
        referrer_organisation=user.organisation,
        concerns=data["concerns"],
        consent_sought=told,
        consent_given=True if told else None,
        consent_overridden=not told,
        consent_override_rationale=""
        if told
        else (
            "The referrer judged that telling the family could put the child at risk of "
            "significant harm."
        ),
        created_by=user,
        updated_by=user,
    )
