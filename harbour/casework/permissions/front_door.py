"""Permissions for the front door (MASH) screens.

`front_door.screen_contacts`: the screening queue, typing in a new contact, and deciding one.
For MASH screeners (the front door's work), team managers (who oversee and sign off the
front door's decisions, and pick up its referrals) and service managers. No one else: a social
worker sees a contact on the child's record once it is decided.

`front_door.screen_contact` (on a contact): the same people, for a contact about a child whose
record they may know exists (a restricted child's contact only for those granted the record;
for everyone else it is answered as one Harbour does not hold)."""

import rules

from harbour.access import scope
from harbour.access.roles import Role

SCREENERS = (Role.MASH_SCREENER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


@rules.predicate
def screens_contacts(user):
    return (
        user.is_authenticated
        and user.role in SCREENERS
        and getattr(user, "staff", None) is not None
    )


@rules.predicate
def knows_of_the_contacts_child(user, contact):
    return contact is not None and scope.knows_of(user, contact.child)


rules.add_perm("front_door.screen_contacts", screens_contacts)
rules.add_perm("front_door.screen_contact", screens_contacts & knows_of_the_contacts_child)
