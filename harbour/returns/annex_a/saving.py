"""How an Annex A load writes: only what differs from what is held, in bulk.

A new record is queued with its id already taken and inserted with every other new record of
its model at the end of the step, its first history entry copied in SQL (harbour.returns.bulk).
A held record that differs is changed in memory and written at the end of the step with the
others of its model in one statement, a history entry each, copied the same way. The import is
one line in the audit log. Saving records one by one, each with its history entry and audit line,
took minutes for a county's workbook.

Related records are compared by id (`child_id`, not `child`), so comparing a held record with
a row fetches nothing: an import that changes nothing asks only the queries that read what is
held, however many rows it has.
"""

from collections import Counter, defaultdict

from django.db import connection

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.returns.bulk import Bulk
from harbour.returns.importing import Outcome, same_value

CHUNK = 900  # ids per IN (...)


def by_id(model, values: dict) -> dict:
    """`values` with each related record as its id: `{"child": c}` as `{"child_id": c.pk}`."""
    found = {}
    for key, value in values.items():
        field = model._meta.get_field(key)
        if field.is_relation and field.concrete:
            found[field.attname] = value if value is None or isinstance(value, int) else value.pk
        else:
            found[key] = value
    return found


class Saver:
    def __init__(self, outcome: Outcome, reason: str):
        self.outcome = outcome
        self.bulk = Bulk(reason)
        self.queued: dict[tuple, tuple] = {}  # (model, id): a new record and its row
        self.changed: dict = defaultdict(dict)  # model: {id: (held record, attributes changed)}
        self.created: Counter = Counter()  # model name: records written, for the audit line
        self.updated: Counter = Counter()
        self.defaults: dict = {}  # model: each attribute and its default, in the table's order

    def save(self, model, lookup: dict, values: dict, existing=None):
        """Change `existing` (prefetched) where `values` differ; where none is held, queue a
        new record of `lookup` and `values`. Either way the record, its id known."""
        values = by_id(model, values)
        if existing is None:
            return self.new(model, {**by_id(model, lookup), **values})
        name = model._meta.verbose_name
        changed = [k for k, v in values.items() if not same_value(getattr(existing, k), v)]
        if not changed:
            self.outcome.unchanged[name] += 1
            return existing
        for key in changed:
            setattr(existing, key, values[key])
        self.outcome.updated[name] += 1
        queued = self.queued.get((model, existing.pk))
        if queued is not None:  # made in this step, not yet written
            queued[1].update({key: values[key] for key in changed})
            return existing
        _, fields = self.changed[model].setdefault(existing.pk, (existing, set()))
        fields.update(changed)
        return existing

    def new(self, model, values: dict):
        """A new record of `values` (by attribute: `child_id`), written by the next `write`."""
        row = self.bulk.add(model, values)
        defaults = self.defaults.get(model) or self.defaults.setdefault(
            model, [(f.attname, self._default(f)) for f in model._meta.concrete_fields]
        )
        # Every value in order, as from the database: twice as quick as by name.
        record = model(*[row.get(name, value) for name, value in defaults])
        self.queued[(model, record.pk)] = (record, row)
        return record

    def _default(self, field):
        if field.attname in ("created_at", "updated_at"):
            return self.bulk.now  # as bulk.Bulk writes them
        return field.get_default()

    def write(self) -> None:
        """Write what was queued and changed since the last write."""
        for model, count in self.bulk.write().items():
            self.outcome.created[model._meta.verbose_name] += count
            self.created[model._meta.verbose_name] += count
        for record, _ in self.queued.values():  # as if fetched: a later step may change it
            record._state.adding = False
            record._state.db = connection.alias
        self.queued.clear()
        for model, changes in self.changed.items():
            _update(model, changes, self.bulk.now, self.bulk.reason)
            self.updated[model._meta.verbose_name] += len(changes)
        self.changed.clear()

    def log(self, file: str, label: str) -> None:
        if self.created or self.updated:
            audit.record(
                AuditEvent.Action.CHANGE,
                detail={
                    "type": "import",
                    "file": file,
                    "return": label,
                    "created": dict(self.created),
                    "updated": dict(self.updated),
                },
            )


def _update(model, changes: dict, now, reason: str) -> None:
    """What `Recorded.save` does to each changed record (a new version, stamped now, and its
    history entry), for them all at once."""
    meta, ops = model._meta, connection.ops
    names = sorted({name for _, changed in changes.values() for name in changed})
    fields = [meta.get_field(name) for name in names]
    fields += [meta.get_field("version"), meta.get_field("updated_at")]
    rows = []
    for record, _ in changes.values():
        record.version += 1
        record.updated_at = now
        values = [f.get_db_prep_save(getattr(record, f.attname), connection) for f in fields]
        rows.append((*values, record.pk))
    table = ops.quote_name(meta.db_table)
    assignments = ", ".join(f"{ops.quote_name(f.column)} = %s" for f in fields)
    columns = ", ".join(ops.quote_name(f.column) for f in meta.concrete_fields)
    historical = ops.quote_name(model.history.model._meta.db_table)
    stamp = model.history.model._meta.get_field("history_date").get_db_prep_save(now, connection)
    ids = list(changes)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            cursor.execute(
                f"INSERT INTO {historical} ({columns}, history_date, history_change_reason, "
                f"history_type, history_user_id) SELECT {columns}, %s, %s, '~', NULL "
                f"FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [stamp, reason, *chunk],
            )
