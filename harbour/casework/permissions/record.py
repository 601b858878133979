"""Permissions for the record screens.

Reading any part of the child's record (its sections, the record pages behind the timeline,
the chronology and its PDF, the family file) asks `people.open_record`, as the record itself
does. Curating the chronology asks more: that the person may view the child and is a
practitioner or the manager in a team holding the child now (a record opened with a reason,
or seen service-wide, may be read but not curated)."""

import rules
from django.db.models import Q
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.rules import may_view_child

PRACTITIONERS = (
    Role.SOCIAL_WORKER,
    Role.SENIOR_PRACTITIONER,
    Role.FAMILY_SUPPORT_WORKER,
    Role.PERSONAL_ADVISER,
    Role.TEAM_MANAGER,
)


@rules.predicate
def works_on_the_child(user, child):
    """A practitioner or manager in a team the child is allocated to today."""
    from harbour.workforce.models import Allocation

    me = getattr(user, "staff", None)
    if me is None or child is None or me.role not in PRACTITIONERS:
        return False
    today = timezone.localdate()
    return (
        Allocation.objects.filter(child=child, team_id=me.team_id, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exists()
    )


rules.add_perm("journey.curate_chronology", may_view_child & works_on_the_child)
