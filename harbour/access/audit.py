"""Writing and checking the audit log."""

from django.db import connection, transaction

from harbour.access.models import AuditEvent

GENESIS = "0" * 64


def _client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:64] if request is not None else ""


def record(
    action: str,
    *,
    request=None,
    user=None,
    child=None,
    obj=None,
    reason: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one line to the audit log, chained to the line before."""
    user = user if user is not None else getattr(request, "user", None)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    event = AuditEvent(
        user_id=user.pk if signed_in else None,
        username=user.get_username() if signed_in else (detail or {}).get("username", ""),
        role=user.role if signed_in else "",
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        child_id=child.pk if child is not None else None,
        path=(request.get_full_path()[:500] if request is not None else ""),
        ip_address=_client_ip(request),
        reason=reason,
        detail=detail or {},
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One writer at a time extends the chain.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(7700900)")
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.previous_hash = last or GENESIS
        event.hash = event.compute_hash()
        event.save()
    return event


def verify() -> tuple[int, AuditEvent | None]:
    """Lines checked, and the first line whose chain is broken (None if all hold)."""
    previous = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous or event.compute_hash() != event.hash:
            return checked, event
        previous = event.hash
        checked += 1
    return checked, None


def viewers(child, limit: int = 50):
    """Who has opened this child's record, most recent first."""
    return AuditEvent.objects.filter(
        child_id=child.pk, action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.OPENED_WITH_REASON]
    ).order_by("-id")[:limit]
