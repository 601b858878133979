"""Retention: destroying a child's records when the authority's retention period has ended.

Records are closed, never deleted, in the normal run of work; this is the one way they go,
an administrator's action with a reason, in one transaction, written to the audit log.
Periods follow the common English practice: 75 years from birth for a child who was looked
after, 100 years where there was an adoption plan, otherwise until the 25th birthday.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import connection, models, transaction

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.people.models import Child, FamilyMember, Relationship


def keep_until(child: Child) -> date | None:
    born = child.date_of_birth or child.expected_date_of_birth
    if born is None:
        return None
    if child.adoption_plans.exists():
        years = 100
    elif child.periods_of_care.exists():
        years = 75
    else:
        years = 25
    return born + relativedelta(years=years)


def due_for_destruction(on: date):
    return [
        c
        for c in Child.objects.filter(date_of_birth__lte=on - relativedelta(years=25))
        if (until := keep_until(c)) is not None and until <= on
    ]


def _records_of(child: Child) -> dict[type, set]:
    """Every row that is the child's, found through the foreign keys that lead to the child."""
    found: dict[type, set] = {Child: {child.pk}}
    frontier = [(Child, {child.pk})]
    while frontier:
        model, ids = frontier.pop()
        for relation in model._meta.related_objects:
            related = relation.related_model
            if related.__name__.startswith("Historical") or not isinstance(
                relation.field, models.ForeignKey
            ):
                continue
            if related is FamilyMember:  # a sibling's family: unlink, do not destroy
                continue
            rows = set(
                related._base_manager.filter(**{f"{relation.field.name}__in": ids}).values_list(
                    "pk", flat=True
                )
            )
            new = rows - found.get(related, set())
            if new:
                found.setdefault(related, set()).update(new)
                frontier.append((related, new))
    return found


@transaction.atomic
def destroy(child: Child, reason: str, user=None) -> dict[str, int]:
    """Destroy the child's records and their histories. Constraints are checked at commit,
    so the order of deletion does not matter inside the transaction."""
    reference, child_id = child.reference, child.pk
    records = _records_of(child)
    family = set(
        FamilyMember.objects.filter(relationships__child=child).values_list("pk", flat=True)
    )
    # A parent who is also another child's parent stays, for that child.
    shared = set(
        Relationship.objects.filter(family_member__in=family)
        .exclude(child=child)
        .values_list("family_member", flat=True)
    )
    records[FamilyMember] = family - shared
    FamilyMember.objects.filter(child_record=child).update(child_record=None)
    counts = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, ids in records.items():
            if not ids:
                continue
            tables = [model._meta.db_table]
            history = getattr(model, "history", None)
            if history is not None and hasattr(history, "model"):
                tables.append(history.model._meta.db_table)
            for table in tables:
                for start in range(0, len(ids), 500):
                    chunk = sorted(ids)[start : start + 500]
                    cursor.execute(
                        f"DELETE FROM {quote(table)} WHERE {quote('id')} IN "
                        f"({', '.join(['%s'] * len(chunk))})",
                        chunk,
                    )
            counts[model._meta.label] = len(ids)
    audit.record(
        AuditEvent.Action.RETENTION,
        user=user,
        reason=reason,
        detail={"child_id": child_id, "reference": reference, "records": counts},
    )
    return counts
