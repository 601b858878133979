"""Who may do what, as django-rules predicates: every view asks one of these permissions."""

import rules

from harbour.access import scope
from harbour.access.roles import Role


@rules.predicate
def is_staff_member(user):
    return getattr(user, "staff", None) is not None


def _role_in(*roles):
    @rules.predicate(name=f"role in {', '.join(roles)}")
    def predicate(user):
        return user.is_authenticated and user.role in roles

    return predicate


@rules.predicate
def may_view_child(user, child):
    return scope.may_view(user, child)


@rules.predicate
def may_open_with_reason(user, child):
    return scope.knows_of(user, child) and scope.way_in(user, child) is not None


@rules.predicate
def is_the_worker_or_their_manager(user, staff):
    me = getattr(user, "staff", None)
    if me is None or staff is None:
        return False
    return me.pk == staff.pk or (me.role == Role.TEAM_MANAGER and me.team_id == staff.team_id)


@rules.predicate
def manages_the_worker(user, staff):
    """Their team's manager, or a service manager; never the person themselves (a password
    alone must not be enough to add an authenticator app)."""
    me = getattr(user, "staff", None)
    if me is None or staff is None or me.pk == staff.pk or staff.user_id == user.pk:
        return False
    if me.role == Role.SERVICE_MANAGER:
        return True
    return me.role == Role.TEAM_MANAGER and me.team_id == staff.team_id


@rules.predicate
def is_in_the_team(user, team):
    me = getattr(user, "staff", None)
    return me is not None and team is not None and me.team_id == team.pk


@rules.predicate
def manages_a_team_holding(user, child):
    me = getattr(user, "staff", None)
    if me is None or me.role != Role.TEAM_MANAGER:
        return False
    from harbour.workforce.models import Allocation

    return Allocation.objects.filter(child=child, team=me.team).exists()


role_in = _role_in  # for the areas' own permissions

service_wide = _role_in(
    Role.SERVICE_MANAGER, Role.SENIOR_LEADER, Role.PERFORMANCE_OFFICER, Role.INSPECTOR
)

rules.add_perm("people.open_record", may_view_child)
rules.add_perm("people.search_children", _role_in(*scope.STAFF_SEARCH))
rules.add_perm("access.open_with_reason", may_open_with_reason)
rules.add_perm(
    "access.view_record_viewers", manages_a_team_holding | _role_in(Role.SERVICE_MANAGER)
)
rules.add_perm("access.view_alerts", is_staff_member)
rules.add_perm("access.issue_enrolment_code", manages_the_worker)
# The administration site lets in active staff accounts (Django's own test, asked here too).
rules.add_perm("access.use_admin_site", rules.is_active & rules.is_staff)
rules.add_perm("timescales.view_own_work", is_staff_member)
rules.add_perm(
    "timescales.view_worker_work", is_the_worker_or_their_manager | _role_in(Role.SERVICE_MANAGER)
)
rules.add_perm("timescales.view_team", is_in_the_team | service_wide)
# Returns hold every child in the census: for the performance team only.
rules.add_perm("returns.make_returns", _role_in(Role.PERFORMANCE_OFFICER))
rules.add_perm("timescales.view_service", service_wide | _role_in(Role.TEAM_MANAGER))
# Insight: a team's dashboard for its members and everyone service-wide; the authority's for
# team managers up; the partnership's figures (no child is named) for every partner too.
rules.add_perm("insight.view_team_dashboard", is_in_the_team | service_wide)
rules.add_perm("insight.view_service_dashboard", service_wide | _role_in(Role.TEAM_MANAGER))
rules.add_perm("insight.view_director_dashboard", service_wide)
rules.add_perm(
    "insight.view_partnership_dashboard",
    is_staff_member | _role_in(Role.PARTNER_REFERRER, Role.INSPECTOR),
)
# Data quality: a team manager sees their own team's; the service-wide roles every team's.
rules.add_perm("insight.view_data_quality", service_wide | _role_in(Role.TEAM_MANAGER))
rules.add_perm("insight.view_data_quality_of_every_team", service_wide)
