"""Reads SQLite tables with connectorx in a process of its own, writing Arrow files.

connectorx carries its own copy of SQLite. Two copies of SQLite in one process break each
other's file locks (POSIX locks belong to the process, so one copy closing the file drops the
other's locks) and corrupt a live database; in a separate process each copy keeps its own.
Usage: python -m harbour.timescales.sqlite_reader DATABASE OUTPUT_DIR < {"name": "SQL", ...}
"""

import json
import sys
from concurrent.futures import ThreadPoolExecutor


def main() -> None:
    import connectorx
    import pyarrow.ipc

    database, output = sys.argv[1], sys.argv[2]
    queries = json.loads(sys.stdin.read())

    def read(item):
        name, sql = item
        table = connectorx.read_sql(f"sqlite://{database}", sql, return_type="arrow")
        with pyarrow.ipc.new_file(f"{output}/{name}.arrow", table.schema) as writer:
            writer.write_table(table)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(read, queries.items()))


if __name__ == "__main__":
    main()
