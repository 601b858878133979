"""New records written in bulk: ids taken up front, rows inserted without the ORM's per-object
work (COPY on PostgreSQL), and each record's first history entry copied across in SQL.

Saving records one by one, each with its history entry and audit line, costs milliseconds a
record; a large county's census holds seventy thousand.
"""

from collections import defaultdict

from django.db import connection, models
from django.utils import timezone

IDS = 1_000  # ids taken from a PostgreSQL sequence at a time
CHUNK = 900  # ids per IN (...)


class Row(dict):
    """A record still to be written: its values by attribute name, its id already taken."""

    @property
    def pk(self) -> int:
        return self["id"]


class _Table:
    def __init__(self, model, now):
        self.model = model
        ops = connection.ops
        self.fields = list(model._meta.concrete_fields)
        self.name = ops.quote_name(model._meta.db_table)
        self.columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.defaults.update(created_at=now, updated_at=now)
        self.adapt = [_adapter(f, now) for f in self.fields]
        self.free: list[int] = []
        self.next_id = None

    def take_id(self) -> int:
        if connection.vendor == "postgresql":
            if not self.free:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        [self.name, IDS],
                    )
                    self.free = [row[0] for row in cursor.fetchall()][::-1]
            return self.free.pop()
        if self.next_id is None:  # past any id ever used (AUTOINCREMENT keeps the highest)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.name}")
                highest = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [self.model._meta.db_table]
                )
                row = cursor.fetchone()
            self.next_id = max(highest, row[0] if row else 0) + 1
        self.next_id += 1
        return self.next_id - 1


def _adapter(field, now):
    """How a value goes to the database, where the driver cannot take it as it is."""
    if isinstance(field, models.DateTimeField):
        stamp = field.get_db_prep_save(now, connection)
        return lambda value: stamp if value is now else field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


class Bulk:
    def __init__(self, reason: str):
        self.reason = reason
        self.now = timezone.now()
        self.tables: dict = {}
        self.rows: dict = defaultdict(list)

    def add(self, model, values: dict) -> Row:
        table = self.tables.get(model) or self.tables.setdefault(model, _Table(model, self.now))
        row = Row(values)
        row["id"] = table.take_id()
        self.rows[model].append(row)
        return row

    def write(self) -> dict:
        """Insert every row added since the last write; the number written, by model."""
        written = {}
        for model, rows in self.rows.items():
            table = self.tables[model]
            values = []
            for row in rows:
                full = {**table.defaults, **row}
                values.append(
                    tuple(
                        full[f.attname] if adapt is None else adapt(full[f.attname])
                        for f, adapt in zip(table.fields, table.adapt, strict=True)
                    )
                )
            _insert(table, values)
            _history(table, [row["id"] for row in rows], self.now, self.reason)
            written[model] = len(rows)
        self.rows.clear()
        return written


def _insert(table: _Table, values: list[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table.name} ({table.columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(table.fields))
            cursor.executemany(
                f"INSERT INTO {table.name} ({table.columns}) VALUES ({marks})", values
            )


def _history(table: _Table, ids: list[int], now, reason: str) -> None:
    historical = table.model.history.model
    name = connection.ops.quote_name(historical._meta.db_table)
    stamp = historical._meta.get_field("history_date").get_db_prep_save(now, connection)
    with connection.cursor() as cursor:
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            cursor.execute(
                f"INSERT INTO {name} ({table.columns}, history_date, history_change_reason, "
                f"history_type, history_user_id) SELECT {table.columns}, %s, %s, '+', NULL "
                f"FROM {table.name} WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [stamp, reason, *chunk],
            )
