"""Nothing lost or half written: stale edits refused, a killed import leaves no trace, and
records go only through a logged retention action."""

import os
import signal
import subprocess
import sys
import uuid
from datetime import date

import pytest
from django.db import connection

from harbour.access.models import AuditEvent
from harbour.access.retention import destroy, keep_until
from harbour.access.tests.world import build
from harbour.core.saving import EditedMeanwhile, save_if_unchanged
from harbour.journey.models import Contact, Referral
from harbour.people.models import Child, FamilyMember, Relationship

pytestmark = pytest.mark.django_db


def test_an_edit_made_on_a_stale_copy_is_refused():
    world = build()
    mine = Child.objects.get(pk=world.children["ours"].pk)
    theirs = Child.objects.get(pk=world.children["ours"].pk)
    opened = mine.version
    theirs.ethnicity = "WBRI"
    save_if_unchanged(theirs, opened)
    mine.religion = "CHR"
    with pytest.raises(EditedMeanwhile, match="changed this child after you opened it") as refused:
        save_if_unchanged(mine, opened)
    assert refused.value.changed == ["ethnicity"]
    fresh = Child.objects.get(pk=mine.pk)
    assert (fresh.ethnicity, fresh.religion, fresh.version) == ("WBRI", "", opened + 1)


@pytest.fixture
def scratch_database(tmp_path):
    """A database for a separate process: a SQLite file, or a new PostgreSQL database."""
    env = {k: v for k, v in os.environ.items() if k != "HARBOUR_DATABASE_URL"}
    env["HARBOUR_DATA_DIR"] = str(tmp_path)
    if connection.vendor == "postgresql":
        import psycopg

        name = f"harbour_crash_{uuid.uuid4().hex[:8]}"
        settings = connection.settings_dict
        base = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["HARBOUR_DATABASE_URL"] = f"{base.replace('postgresql', 'postgres')}/{name}"
        yield env
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["HARBOUR_DATABASE_URL"] = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        yield env


def test_a_load_killed_half_way_leaves_the_database_as_it_was(scratch_database):
    harbour = [sys.executable, "-m", "harbour"]
    subprocess.run([*harbour, "migrate", "-v0"], env=scratch_database, check=True)
    process = subprocess.Popen(
        [*harbour, "synth", "--size", "small", "--years", "2", "--progress"],
        env=scratch_database,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stderr:
        if line.startswith("100,000 rows written"):
            process.send_signal(signal.SIGKILL)  # no chance to tidy up
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL
    counted = subprocess.run(
        [
            *harbour,
            "shell",
            "-c",
            "from harbour.people.models import Child; from harbour.workforce.models import Staff;"
            "print(Child.objects.count(), Staff.objects.count())",
        ],
        env=scratch_database,
        capture_output=True,
        text=True,
        check=True,
    )
    assert counted.stdout.strip().splitlines()[-1].split() == ["0", "0"]


def test_retention_destroys_a_childs_records_in_one_logged_action():
    world = build()
    child = world.children["theirs"]
    Contact.objects.create(child=child, source="6", received_at="2010-01-04T10:00:00Z")
    Referral.objects.create(child=child, received_on=date(2010, 1, 4), source="6")
    mother = FamilyMember.objects.create(forename="Ann", surname="Fenwick")
    Relationship.objects.create(child=child, family_member=mother, kind="mother")
    shared = FamilyMember.objects.create(forename="Bob", surname="Fenwick")
    Relationship.objects.create(child=child, family_member=shared, kind="father")
    Relationship.objects.create(child=world.children["ours"], family_member=shared, kind="father")
    assert keep_until(child) == date(2039, 5, 1)

    counts = destroy(child, "Retention period ended (test)")
    assert not Child.objects.filter(pk=child.pk).exists()
    assert not Child.history.filter(id=child.pk).exists()
    assert not Referral.objects.filter(child_id=child.pk).exists()
    assert not FamilyMember.objects.filter(pk=mother.pk).exists()
    assert FamilyMember.objects.filter(pk=shared.pk).exists()  # still the other child's father
    assert counts["journey.Referral"] == 1
    logged = AuditEvent.objects.get(action="retention")
    assert logged.detail["reference"] == "SYN0000002"
