"""Who may record the assessment side of a child's journey.

Every step of it (an assessment, the child in need plan and its review, closure, early help,
its end, the step-up and the step-down) asks `casework.record_for_child`: the team holding
the child. A referral received other than through the front door (a letter, say) is recorded
by the team holding the child or by the front door's screeners, who receive such referrals
for children not yet allocated: `casework.record_referral`."""

import rules

from harbour.access.roles import Role
from harbour.access.rules import may_view_child, role_in
from harbour.casework.permissions.record import works_on_the_child

rules.add_perm(
    "casework.record_referral",
    may_view_child & (works_on_the_child | role_in(Role.MASH_SCREENER)),
)
