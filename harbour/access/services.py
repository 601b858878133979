"""The writes of access: opening a record with a reason (and telling managers when it is outside
the person's own work), and reading or dismissing an alert. Each is one transaction, audited: a
failure part-way leaves no access that no manager was told of."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.access import audit, scope
from harbour.access.models import Alert, AuditEvent, ReasonedAccess
from harbour.access.roles import Role


@transaction.atomic
def open_record_with_reason(*, user, child, reason: str, request=None) -> ReasonedAccess:
    """The person opens a child's record outside their own work for the reason given, for
    REASON_HOURS; outside their work (break-glass) the managers concerned are alerted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you need to open this record"})
    kind = scope.way_in(user, child) if scope.knows_of(user, child) else None
    if kind is None:
        raise PermissionDenied
    now = timezone.now()
    access = ReasonedAccess.objects.create(
        user=user,
        child=child,
        kind=kind,
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(hours=scope.REASON_HOURS),
    )
    audit.record(
        AuditEvent.Action.OPENED_WITH_REASON,
        request=request,
        user=user,
        child=child,
        obj=access,
        reason=reason,
    )
    if kind == ReasonedAccess.Kind.BREAK_GLASS:
        _alert_managers(user, child, reason)
    return access


def _alert_managers(user, child, reason: str) -> None:
    """Tell the person's own manager, and the managers of the teams holding the child."""
    from harbour.workforce.models import Allocation, Staff

    today = timezone.localdate()
    teams = set(
        Allocation.objects.current_on(today).filter(child=child).values_list("team_id", flat=True)
    )
    me = getattr(user, "staff", None)
    if me is not None:
        teams.add(me.team_id)
    managers = Staff.objects.filter(
        team_id__in=teams, role=Role.TEAM_MANAGER, ends_on__isnull=True, user__isnull=False
    )
    if not managers.exists():
        managers = Staff.objects.filter(
            role=Role.SERVICE_MANAGER, ends_on__isnull=True, user__isnull=False
        )
    message = (
        f"{user.get_full_name() or user.get_username()} ({user.role_label}) opened "
        f"{child.reference} outside their own work: {reason}"
    )
    Alert.objects.bulk_create(
        Alert(recipient=manager.user, message=message, child=child) for manager in managers
    )


@transaction.atomic
def read_alert(*, user, alert: Alert) -> Alert:
    """One alert marked read, when its recipient opens or dismisses it."""
    if alert.recipient_id != user.pk:
        raise PermissionDenied
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
    return alert
