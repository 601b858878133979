import rules

from harbour.access.roles import Role


@rules.predicate
def is_partner_referrer(user):
    return user.is_authenticated and user.role == Role.PARTNER_REFERRER


rules.add_perm("front_door.refer", is_partner_referrer)
