"""Permissions for the work trays.

`casework.view_team_children` (on a team): the team's children and its unallocated ones, on
the team's page (and a team manager's home): for the team's own members and the service-wide
roles, as the team's duties are.

What else a tray shows follows the role of the person whose tray it is (on a Staff):
`casework.tray_conferences` for a conference chair, `casework.tray_reviews` for an independent
reviewing officer, `casework.tray_screening_queue` for a MASH screener and a front door team's
manager. A manager opening a worker's tray sees what the worker sees."""

import rules

from harbour.access.roles import Role
from harbour.access.rules import is_in_the_team, service_wide


def _holds(*roles):
    @rules.predicate(name=f"the tray's owner is a {', '.join(roles)}")
    def predicate(user, staff):
        return staff is not None and staff.role in roles

    return predicate


@rules.predicate
def manages_a_front_door_team(user, staff):
    from harbour.workforce.models import Team

    return (
        staff is not None
        and staff.role == Role.TEAM_MANAGER
        and staff.team.kind == Team.Kind.FRONT_DOOR
    )


@rules.predicate
def manages_the_team(user, team):
    me = getattr(user, "staff", None)
    return (
        me is not None
        and team is not None
        and me.role == Role.TEAM_MANAGER
        and me.team_id == team.pk
    )


# A team manager's home shows their team's children and its unallocated ones.
rules.add_perm("casework.home_team_lists", manages_the_team)
rules.add_perm("casework.view_team_children", is_in_the_team | service_wide)
rules.add_perm("casework.tray_conferences", _holds(Role.CONFERENCE_CHAIR))
rules.add_perm("casework.tray_reviews", _holds(Role.IRO))
rules.add_perm(
    "casework.tray_screening_queue", _holds(Role.MASH_SCREENER) | manages_a_front_door_team
)
