"""Writing a generated county into the database fast, in one transaction.

Rows arrive with their ids, so they go in by batched INSERTs without the ORM's per-object
work; each record's first history entry is then copied across in one statement per table,
and PostgreSQL's id sequences are moved past the ids used.
"""

from collections import defaultdict
from datetime import date, datetime, time

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models
from django.utils import timezone

from harbour.core.models import Recorded
from harbour.synth.context import LONDON
from harbour.synth.sink import Sink

CHUNK = 5_000
RECORDED_FIELDS = ("created_at", "updated_at", "created_by_id", "updated_by_id", "version")


class _Table:
    def __init__(self, model, connection):
        self.model = model
        self.recorded = issubclass(model, Recorded)
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(c) for c in self.columns),
            ", ".join(["%s"] * len(self.columns)),
        )
        self.copy_sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(c) for c in self.columns),
        )
        self.defaults = {
            f.attname: f.get_default() for f in self.fields if f.attname not in RECORDED_FIELDS
        }
        # Date and time fields need the backend's adaptation; other values pass as they are.
        self.adapt = [isinstance(f, (models.DateField, models.JSONField)) for f in self.fields]
        self.when = next(
            (
                f.attname
                for f in self.fields
                if isinstance(f, models.DateField) and f.attname not in RECORDED_FIELDS
            ),
            None,
        )


class DatabaseSink(Sink):
    def __init__(self, using: str = "default", progress=None):
        super().__init__()
        self.connection = connections[using]
        self.buffers: dict[str, list[dict]] = defaultdict(list)
        self.tables: dict[str, _Table] = {}
        self.system_user_id = None
        self.now = timezone.now()
        self.progress = progress
        self.written = 0

    def write(self, label: str, row: dict) -> None:
        buffer = self.buffers[label]
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self._flush(label)

    def _table(self, label: str) -> _Table:
        if label not in self.tables:
            self.tables[label] = _Table(apps.get_model(label), self.connection)
        return self.tables[label]

    def _flush(self, label: str) -> None:
        rows = self.buffers.pop(label, [])
        if not rows:
            return
        table = self._table(label)
        connection = self.connection
        values = []
        for row in rows:
            if table.recorded:
                self._stamp(table, row)
            full = {**table.defaults, **row}
            values.append(
                tuple(
                    field.get_db_prep_save(full[field.attname], connection)
                    if adapt
                    else full[field.attname]
                    for field, adapt in zip(table.fields, table.adapt, strict=True)
                )
            )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is several times faster than INSERT for bulk rows on PostgreSQL.
                with cursor.cursor.copy(table.copy_sql) as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                cursor.executemany(table.sql, values)
        self.written += len(values)
        if self.progress:
            self.progress(self.written)

    def _stamp(self, table: _Table, row: dict) -> None:
        """Who recorded it and when: the synthetic county's own account, at the event's time."""
        if "created_at" not in row:
            when = row.get(table.when) if table.when else None
            if isinstance(when, datetime):
                stamp = when
            elif isinstance(when, date):
                stamp = datetime.combine(when, time(17, 0), tzinfo=LONDON)
            else:
                stamp = self.now
            row["created_at"] = min(stamp, self.now)
        row.setdefault("updated_at", row["created_at"])
        row.setdefault("created_by_id", self.system_user_id)
        row.setdefault("updated_by_id", self.system_user_id)
        row.setdefault("version", 1)

    def close(self) -> None:
        for label in list(self.buffers):
            self._flush(label)
        self._seed_history()
        self._reset_sequences()

    def _seed_history(self) -> None:
        """Each record's first entry in its history, copied in the database."""
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for label in self.tables:
                table = self.tables[label]
                if not table.recorded:
                    continue
                historical = table.model.history.model
                columns = ", ".join(quote(c) for c in table.columns)
                cursor.execute(
                    f"INSERT INTO {quote(historical._meta.db_table)} ({columns}, history_date, "
                    "history_change_reason, history_type, history_user_id) "
                    f"SELECT {columns}, {quote('updated_at')}, %s, %s, {quote('created_by_id')} "
                    f"FROM {quote(table.model._meta.db_table)}",
                    ["Synthetic county", "+"],
                )

    def _reset_sequences(self) -> None:
        touched = [t.model for t in self.tables.values()]
        touched += [t.model.history.model for t in self.tables.values() if t.recorded]
        statements = self.connection.ops.sequence_reset_sql(no_style(), touched)
        if statements:
            with self.connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
