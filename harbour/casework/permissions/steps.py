"""Who may record a step for a child.

`casework.record_for_child`, the default for a step: a practitioner or the manager in a team
the child is allocated to today, who may view the child (a record opened with a reason, or
seen service-wide, may be read but not written to). A step others record too (a conference
its chair) declares its own permission in its area's module."""

import rules

from harbour.access.roles import Role
from harbour.access.rules import may_view_child, role_in
from harbour.casework.permissions.record import works_on_the_child

rules.add_perm("casework.record_for_child", may_view_child & works_on_the_child)
# "Record…" on the child's record: for those who record something for this child (the team
# holding the child; a conference chair, an IRO or a screener records their own steps).
rules.add_perm(
    "casework.open_record_menu",
    may_view_child
    & (works_on_the_child | role_in(Role.CONFERENCE_CHAIR, Role.IRO, Role.MASH_SCREENER)),
)
