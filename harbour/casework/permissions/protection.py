"""Who may record child protection's steps.

The strategy discussion, the section 47 enquiry and core groups ask
`casework.record_for_child` (the team holding the child). The conferences and the plan they
make are recorded by the team or by a child protection conference chair, who chairs
conferences for children of every team: `casework.record_conference`."""

import rules

from harbour.access.roles import Role
from harbour.access.rules import may_view_child, role_in
from harbour.casework.permissions.record import works_on_the_child

rules.add_perm(
    "casework.record_conference",
    may_view_child & (works_on_the_child | role_in(Role.CONFERENCE_CHAIR)),
)
