"""The audit log's keyed chain and its checkpoints outside the database: a line cut from the
end, every line deleted, a line forged and the chain recomputed, a checkpoint removed or forged,
each makes `harbour audit verify` fail (issue 12, item 3). The test database has no append-only
triggers (harbour/conftest.py), as a database whose triggers someone dropped would not."""

import hashlib
import hmac
import json
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from harbour.access import audit
from harbour.access.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(django_capture_on_commit_callbacks):
    """Five lines, each committed and checkpointed as in production (the test's transaction
    otherwise never commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            audit.record(AuditEvent.Action.SEARCH, detail={"query": f"q{n}"})
    return list(AuditEvent.objects.order_by("id"))


def checkpoints() -> list[dict]:
    text = Path(settings.HARBOUR_AUDIT_CHECKPOINTS).read_text()
    return [json.loads(line) for line in text.splitlines()]


def verify_fails(match: str, *args) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("audit", "verify", *args)


def verify_holds(capsys, *args) -> str:
    call_command("audit", "verify", *args)
    return capsys.readouterr().out


def test_a_line_is_a_mac_under_the_key_of_its_place_and_the_line_before(log, settings):
    assert [e.sequence for e in log] == [1, 2, 3, 4, 5]
    second = log[1]
    assert second.previous_hash == log[0].hash
    message = (second.previous_hash + second.content()).encode()
    key = settings.HARBOUR_AUDIT_KEY.encode()
    assert second.hash == hmac.new(key, message, hashlib.sha256).hexdigest()
    assert json.loads(second.content())[0] == 2  # its place is covered too
    settings.HARBOUR_AUDIT_KEY = "another-key-entirely-of-thirty-two-chars"
    assert second.compute_hash() != second.hash


def test_each_committed_line_is_checkpointed_to_the_file_and_the_log_store(
    django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.INFO, logger="harbour.audit.checkpoint"):
        with django_capture_on_commit_callbacks(execute=True):
            first = audit.record(AuditEvent.Action.SEARCH, detail={"query": "a"})
        with django_capture_on_commit_callbacks(execute=True):
            second = audit.record(AuditEvent.Action.SEARCH, detail={"query": "b"})
    written = checkpoints()
    assert [(c["sequence"], c["hash"]) for c in written] == [
        (first.sequence, first.hash),
        (second.sequence, second.hash),
    ]
    shipped = [r.getMessage() for r in caplog.records if r.name == "harbour.audit.checkpoint"]
    assert [json.loads(line) for line in shipped] == written


def test_a_line_rolled_back_is_never_checkpointed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            audit.record(AuditEvent.Action.SEARCH, detail={"query": "rolled back"})
            raise RuntimeError("the page failed")
        kept = audit.record(AuditEvent.Action.SEARCH, detail={"query": "kept"})
    assert [(c["sequence"], c["hash"]) for c in checkpoints()] == [(1, kept.hash)]


def test_an_untouched_log_holds(log, capsys):
    out = verify_holds(capsys)
    assert "The audit log's 5 lines hold" in out and "says 5 lines" in out


def test_the_last_line_deleted_is_seen(log):
    AuditEvent.objects.filter(pk=log[-1].pk).delete()
    verify_fails(r"the log ends at line 4 but a checkpoint of .* says 5 lines were written")


def test_every_line_deleted_is_seen(log):
    AuditEvent.objects.all().delete()
    verify_fails(r"the log ends at line 0 but a checkpoint of .* says 5 lines were written")


def _plain(event: AuditEvent) -> str:
    return hashlib.sha256((event.previous_hash + event.content()).encode()).hexdigest()


def _wrong_key(event: AuditEvent) -> str:
    return event.compute_hash(key=b"a-key-that-is-not-harbours-audit-key")


def _as_if_before_the_key(event: AuditEvent) -> str:
    event.sequence = None
    return event.compute_hash()


def forge(events: list[AuditEvent], rehash) -> None:
    """Rewrite the first line's detail, then recompute its hash and every later one."""
    previous = (
        AuditEvent.objects.filter(pk__lt=events[0].pk)
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
    ) or audit.GENESIS
    events[0].detail = {"query": "innocent"}
    for event in events:
        event.previous_hash = previous
        event.hash = rehash(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            detail=event.detail,
            sequence=event.sequence,
            previous_hash=event.previous_hash,
            hash=event.hash,
        )
        previous = event.hash


@pytest.mark.parametrize(
    "rehash, match",
    [
        (_plain, r"chain breaks at line 2 \(id \d+"),
        (_wrong_key, r"chain breaks at line 2 \(id \d+"),
        (_as_if_before_the_key, r"line 2 \(id \d+.*\) has a plain hash, not a MAC, after keyed"),
    ],
    ids=["plain SHA-256", "HMAC under another key", "as if written before the key"],
)
def test_a_line_forged_and_the_later_hashes_recomputed_is_seen(log, rehash, match):
    forge(log[1:], rehash)
    verify_fails(match)


def test_every_line_rewritten_as_if_written_before_the_key_is_seen(log):
    forge(log, _as_if_before_the_key)
    verify_fails(r"a checkpoint of .* names line 1, which is not in the log \(and 4 later")


def test_a_missing_checkpoint_file_is_seen(log):
    Path(settings.HARBOUR_AUDIT_CHECKPOINTS).unlink()
    verify_fails(r"audit-checkpoints.log is missing, but the log has 5 lines with a MAC")


def test_an_emptied_checkpoint_file_is_seen(log):
    Path(settings.HARBOUR_AUDIT_CHECKPOINTS).write_text("")
    verify_fails(r"audit-checkpoints.log holds no signed checkpoint, but the log has 5 lines")


def test_a_forged_checkpoint_is_seen(log):
    path = Path(settings.HARBOUR_AUDIT_CHECKPOINTS)
    forged = checkpoints()[-1] | {"sequence": 3}
    with path.open("a") as file:
        file.write(json.dumps(forged) + "\n")
    verify_fails(r"line 6 of .* is not a checkpoint signed with the audit key")


def test_a_line_checkpointed_then_rewritten_with_the_key_is_seen(log):
    # Someone holding the key but not the checkpoints rewrites the last line.
    forge(log[-1:], lambda event: event.compute_hash())
    verify_fails(r"line 5 is not the line checkpointed at")


def test_lines_after_the_newest_checkpoint_are_reported_but_hold(log, capsys):
    # A process stopped between committing a line and writing its checkpoint.
    audit.record(AuditEvent.Action.SEARCH, detail={"query": "not yet checkpointed"})
    out = verify_holds(capsys)
    assert "1 line after the newest checkpoint (line 5," in out
    assert "The audit log's 6 lines hold" in out


def test_lines_from_before_the_key_are_accepted_only_as_the_chains_start(
    django_capture_on_commit_callbacks, capsys
):
    previous = audit.GENESIS
    for n in range(2):  # as an older Harbour wrote them: no place in the chain, plain SHA-256
        old = AuditEvent(action=AuditEvent.Action.SEARCH, detail={"query": f"old{n}"})
        old.previous_hash = previous
        old.hash = old.compute_hash()
        old.save()
        previous = old.hash
    with django_capture_on_commit_callbacks(execute=True):
        first_keyed = audit.record(AuditEvent.Action.SEARCH, detail={"query": "new"})
    assert first_keyed.sequence == 3 and first_keyed.previous_hash == previous
    out = verify_holds(capsys)
    assert "Lines 1 to 2 were written before the audit key" in out
    assert "line 3's MAC holds them as they were" in out
    # The first of them rewritten and the plain chain recomputed: line 3's MAC no longer fits.
    forge(list(AuditEvent.objects.filter(sequence__isnull=True).order_by("id")), _plain)
    verify_fails(r"chain breaks at line 3 \(id \d+")


def test_the_log_stores_copy_of_the_checkpoints_can_be_read_instead(log, tmp_path, capsys):
    """Lines as a log store keeps them, with its own prefix before each checkpoint."""
    shipped = tmp_path / "from-the-log-store.txt"
    shipped.write_text(
        "".join(
            f"2026-12-02T00:00:00Z harbour.audit.checkpoint {json.dumps(c)}\n"
            for c in checkpoints()
        )
    )
    Path(settings.HARBOUR_AUDIT_CHECKPOINTS).unlink()  # the local file is gone
    assert "5 checkpoints read" in verify_holds(capsys, "--checkpoints", str(shipped))
    AuditEvent.objects.filter(pk=log[-1].pk).delete()
    verify_fails(r"the log ends at line 4", "--checkpoints", str(shipped))


def test_a_checkpoint_that_cannot_be_written_loses_neither_the_line_nor_the_page(
    django_capture_on_commit_callbacks, settings, tmp_path, caplog
):
    settings.HARBOUR_AUDIT_CHECKPOINTS = str(tmp_path / "no-such-folder" / "checkpoints.log")
    with django_capture_on_commit_callbacks(execute=True):
        line = audit.record(AuditEvent.Action.SEARCH, detail={"query": "q"})
    assert AuditEvent.objects.filter(pk=line.pk).exists()
    assert "The audit checkpoint for line 1 was not written" in caplog.text


@pytest.mark.parametrize("key", ["too-short", "the secret key"], ids=["short", "secret key"])
def test_production_refuses_a_weak_audit_key(tmp_path, key):
    import subprocess
    import sys

    from harbour.access.tests.test_deployment import production_env

    env = production_env(HARBOUR_DATA_DIR=str(tmp_path))
    env["HARBOUR_AUDIT_KEY"] = env["HARBOUR_SECRET_KEY"] if key == "the secret key" else key
    result = subprocess.run(
        [sys.executable, "-m", "harbour", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "HARBOUR_AUDIT_KEY must be set" in result.stderr
