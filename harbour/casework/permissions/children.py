"""Permissions for the children screens: adding a child Harbour does not hold, and merging
two records of one child."""

import rules

from harbour.access.roles import Role
from harbour.access.rules import _role_in, is_staff_member

# Those who do the work record a new child (after seeing the likely matches); those who only
# look (inspectors, performance officers, senior leaders) and the reviewing roles do not.
ADD_CHILD = (
    Role.SOCIAL_WORKER,
    Role.FAMILY_SUPPORT_WORKER,
    Role.SENIOR_PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.PERSONAL_ADVISER,
    Role.MASH_SCREENER,
    Role.SERVICE_MANAGER,
)

rules.add_perm("people.add_child", is_staff_member & _role_in(*ADD_CHILD))
rules.add_perm("people.merge_children", is_staff_member & _role_in(Role.TEAM_MANAGER))
