"""The audit log's append-only triggers, shared by the migration and the tests."""

SQLITE = [
    "CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE ON access_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER access_auditevent_no_delete BEFORE DELETE ON access_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]
SQLITE_IF_MISSING = [sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS") for sql in SQLITE]
SQLITE_UNDO = [
    "DROP TRIGGER access_auditevent_no_update",
    "DROP TRIGGER access_auditevent_no_delete",
]
POSTGRES = [
    "CREATE FUNCTION access_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER access_auditevent_no_change BEFORE UPDATE OR DELETE ON access_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION access_auditevent_append_only()",
    "CREATE TRIGGER access_auditevent_no_truncate BEFORE TRUNCATE ON access_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_append_only()",
]
POSTGRES_UNDO = [
    "DROP TRIGGER access_auditevent_no_truncate ON access_auditevent",
    "DROP TRIGGER access_auditevent_no_change ON access_auditevent",
    "DROP FUNCTION access_auditevent_append_only()",
]


def create(schema_editor):
    run(schema_editor.connection, POSTGRES, SQLITE)


def drop(schema_editor):
    run(schema_editor.connection, POSTGRES_UNDO, SQLITE_UNDO)


def run(connection, postgres: list[str], sqlite: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in postgres if connection.vendor == "postgresql" else sqlite:
            cursor.execute(sql)
