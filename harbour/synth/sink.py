"""Where generated rows go. The generator assigns every id itself (the database starts empty),
so rows can stream out in any order inside one transaction and the truth file can name ids."""

from collections import defaultdict


class Sink:
    def __init__(self):
        self._last_id: dict[str, int] = defaultdict(int)

    def new_id(self, label: str) -> int:
        self._last_id[label] += 1
        return self._last_id[label]

    def add(self, label: str, row: dict) -> int:
        """Store a row (field attnames to values); returns its id, assigning one if absent."""
        if "id" not in row:
            row["id"] = self.new_id(label)
        self.write(label, row)
        return row["id"]

    def write(self, label: str, row: dict) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Called once after the last row."""


class MemorySink(Sink):
    """Keeps the rows (of every table, or of the tables named): for tests, and for measuring
    a county's volumes without a database."""

    def __init__(self, keep: set[str] | None = None):
        super().__init__()
        self.keep = keep
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, label: str, row: dict) -> None:
        self.counts[label] += 1
        if self.keep is None or label in self.keep:
            self.rows[label].append(row)
