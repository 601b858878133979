"""Writing and checking the audit log.

Each line is chained to the line before by an HMAC under HARBOUR_AUDIT_KEY, a key held outside
the database, so no one who can only rewrite the database can forge a line or recompute the
chain after one. Lines cut from the end leave a chain that still holds, so after each line
commits a signed checkpoint (its place in the chain and its hash) is appended to a file outside
the database and sent to the "harbour.audit.checkpoint" logger; `verify` reads both.
"""

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from harbour.access.models import AuditEvent

GENESIS = "0" * 64
# A page listing more children than this logs the first ones and how many there were.
LISTED_CHILDREN_CAP = 500
CHUNK = 2000
checkpoint_log = logging.getLogger("harbour.audit.checkpoint")
log = logging.getLogger("harbour.audit")


def _client_ip(request) -> str:
    from harbour.access.client import client_address

    return (client_address(request) or "")[:64] if request is not None else ""


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
    """Append one line to the audit log, chained to the line before; once it commits, its
    checkpoint."""
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
        last = AuditEvent.objects.order_by("-id").values_list("hash", "sequence").first()
        if last is None:
            event.previous_hash, event.sequence = GENESIS, 1
        elif last[1] is None:
            # The first keyed line after lines written before the key: once per database.
            event.previous_hash, event.sequence = last[0], AuditEvent.objects.count() + 1
        else:
            event.previous_hash, event.sequence = last[0], last[1] + 1
        event.hash = event.compute_hash()
        event.save()
        # Inside the block: a line rolled back takes its checkpoint with it.
        transaction.on_commit(partial(write_checkpoint, event.sequence, event.hash))
    return event


def listed_children(child_ids: Iterable[int]) -> dict:
    """For a line's detail: which children a page or download listed (ids, in the order shown,
    the first LISTED_CHILDREN_CAP of them) and how many it listed."""
    ids = list(dict.fromkeys(i for i in child_ids if i is not None))
    return {"child_ids": ids[:LISTED_CHILDREN_CAP], "child_count": len(ids)}


def viewers(child, limit: int = 50):
    """Who has opened this child's record, most recent first."""
    return AuditEvent.objects.filter(
        child_id=child.pk, action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.OPENED_WITH_REASON]
    ).order_by("-id")[:limit]


# Checkpoints


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    at: str

    def mac(self, key: bytes | None = None) -> str:
        # Its own prefix, so no checkpoint can pass for a line or a line for a checkpoint.
        message = f"harbour audit checkpoint\n{self.sequence}\n{self.hash}\n{self.at}".encode()
        return hmac.new(key or _key(), message, hashlib.sha256).hexdigest()

    def line(self) -> str:
        fields = {"sequence": self.sequence, "hash": self.hash, "at": self.at, "mac": self.mac()}
        return json.dumps(fields, separators=(",", ":"))

    @property
    def when(self) -> str:
        try:
            return f"{timezone.localtime(datetime.fromisoformat(self.at)):%Y-%m-%d %H:%M:%S}"
        except ValueError:
            return self.at


def _key() -> bytes:
    return settings.HARBOUR_AUDIT_KEY.encode()


def checkpoints_path() -> Path:
    return Path(settings.HARBOUR_AUDIT_CHECKPOINTS)


def write_checkpoint(sequence: int, head: str) -> None:
    """Append one signed checkpoint. A single short write to a file opened O_APPEND lands whole
    at the end even with several processes writing."""
    line = Checkpoint(sequence, head, timezone.now().isoformat()).line()
    checkpoint_log.info(line)
    path = checkpoints_path()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, (line + "\n").encode())
        finally:
            os.close(descriptor)
    except OSError as error:
        # The line is already committed: losing its checkpoint must not lose the page.
        log.error(
            "The audit checkpoint for line %s was not written to %s: %s", sequence, path, error
        )


def _read_checkpoints(path: Path, size: int) -> Iterator[tuple[int, Checkpoint | None]]:
    """(line number, checkpoint) for each line of the file up to `size` bytes; None for a line
    that is not a checkpoint signed with the audit key. A line still being written (no newline
    yet) is left for the next check. Lines from a log store may carry a prefix before the {."""
    key = _key()
    read = 0
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            read += len(raw)
            if read > size or not raw.endswith(b"\n"):
                return
            text = raw.decode("utf-8", "replace").strip()
            if not text:
                continue
            try:
                fields = json.loads(text[text.find("{") :])
                checkpoint = Checkpoint(
                    int(fields["sequence"]), str(fields["hash"]), str(fields["at"])
                )
                signed = hmac.compare_digest(checkpoint.mac(key), str(fields["mac"]))
            except (ValueError, KeyError, TypeError):
                signed = False
            yield number, checkpoint if signed else None


# Verifying


@dataclass
class Verification:
    """What `verify` found: problems (the log does not hold) and notes (it holds, but say so)."""

    lines: int = 0
    legacy: int = 0
    checkpoints: int = 0
    newest: Checkpoint | None = None
    checkpoints_from: Path | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.problems

    @property
    def keyed(self) -> int:
        return self.lines - self.legacy


def _described(event: AuditEvent, position: int) -> str:
    return (
        f"line {position:,} (id {event.pk}, {timezone.localtime(event.at):%Y-%m-%d %H:%M}, "
        f"{event.username or 'no user'}, {event.action})"
    )


def _walk(found: Verification) -> None:
    """Every line in order: its MAC (or, before the key, its hash), the line before it, and
    its place in the chain. Streams; stops checking at the first break but counts on."""
    key = _key()
    previous = GENESIS
    position = 0
    broken = keyed_seen = False
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=CHUNK):
        position += 1
        if broken:
            continue
        where = _described(event, position)
        problem = ""
        if event.sequence is None:
            if keyed_seen:
                problem = (
                    f"{where} has a plain hash, not a MAC, after keyed lines: it was added or "
                    "rewritten outside Harbour"
                )
            else:
                found.legacy += 1
        else:
            keyed_seen = True
            if event.sequence != position:
                problem = (
                    f"{where} says it is line {event.sequence:,}: lines before it were removed "
                    "or added outside Harbour"
                )
        if not problem and (
            event.previous_hash != previous
            or not hmac.compare_digest(event.compute_hash(key), event.hash)
        ):
            problem = (
                f"the audit log's chain breaks at {where}: a line there was changed, removed or "
                "added outside Harbour"
            )
        if problem:
            found.problems.append(f"{problem}; the {position - 1:,} lines before it hold")
            broken = True
        previous = event.hash
    found.lines = position


def _compare(found: Verification, path: Path, size: int) -> None:
    """Each checkpoint against the line it names, in batches; the newest against the log's end."""
    forged: list[int] = []
    missing: list[Checkpoint] = []
    rewritten: list[Checkpoint] = []

    def against_the_log(batch: list[Checkpoint]) -> None:
        named = [c.sequence for c in batch if c.sequence <= found.lines]
        held = dict(AuditEvent.objects.filter(sequence__in=named).values_list("sequence", "hash"))
        for checkpoint in batch:
            if checkpoint.sequence > found.lines:
                continue  # beyond the log's end: the newest says so below
            if checkpoint.sequence not in held:
                missing.append(checkpoint)
            elif not hmac.compare_digest(held[checkpoint.sequence], checkpoint.hash):
                rewritten.append(checkpoint)

    batch: list[Checkpoint] = []
    for number, checkpoint in _read_checkpoints(path, size):
        if checkpoint is None:
            forged.append(number)
            continue
        found.checkpoints += 1
        if found.newest is None or checkpoint.sequence > found.newest.sequence:
            found.newest = checkpoint
        batch.append(checkpoint)
        if len(batch) == CHUNK:
            against_the_log(batch)
            batch = []
    against_the_log(batch)

    if forged:
        found.problems.append(
            f"{_lines(forged)} of {path} {'is' if len(forged) == 1 else 'are'} not a checkpoint "
            "signed with the audit key: forged or damaged"
        )
    if missing:
        first = missing[0]
        found.problems.append(
            f"a checkpoint of {first.when} names line {first.sequence:,}, which is not in the "
            f"log{_and_more(missing)}: lines were removed or rewritten outside Harbour"
        )
    if rewritten:
        first = rewritten[0]
        found.problems.append(
            f"line {first.sequence:,} is not the line checkpointed at {first.when}"
            f"{_and_more(rewritten)}: it was rewritten outside Harbour"
        )
    newest = found.newest
    if newest is not None and newest.sequence > found.lines:
        found.problems.append(
            f"the log ends at line {found.lines:,} but a checkpoint of {newest.when} says "
            f"{newest.sequence:,} lines were written: "
            + (f"the last {newest.sequence - found.lines:,}" if found.lines else "all of them")
            + " were removed outside Harbour"
        )


def _lines(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"line {numbers[0]:,}"
    shown = ", ".join(f"{n:,}" for n in numbers[:5])
    return f"lines {shown}{' and others' if len(numbers) > 5 else ''} ({len(numbers):,} in all)"


def _and_more(checkpoints: list[Checkpoint]) -> str:
    more = len(checkpoints) - 1
    return f" (and {more:,} later checkpoint{'s' if more > 1 else ''} likewise)" if more else ""


def verify(checkpoints: Path | str | None = None) -> Verification:
    """Check the audit log: the chain line by line, then the checkpoints (by default the file
    Harbour writes; or a copy, e.g. from the council's log store) against it."""
    path = Path(checkpoints) if checkpoints is not None else checkpoints_path()
    found = Verification(checkpoints_from=path)
    # Only checkpoints already written when the walk begins: their lines are committed, so
    # the walk sees them; lines and checkpoints written while it runs are left for next time.
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = None
    _walk(found)
    if size is not None:
        _compare(found, path, size)
    if found.legacy:
        found.notes.append(
            f"Lines 1 to {found.legacy:,} were written before the audit key: their plain SHA-256 "
            "hashes chain them, but anyone with the database could recompute those"
            + (
                f"; line {found.legacy + 1:,}'s MAC holds them as they were."
                if found.keyed
                else ". No line since has a MAC."
            )
        )
    if found.keyed and found.newest is None:
        where = "is missing" if size is None else "holds no signed checkpoint"
        found.problems.append(
            f"{path} {where}, but the log has {found.keyed:,} lines with a MAC: the checkpoints "
            "were removed, or are written elsewhere (HARBOUR_AUDIT_CHECKPOINTS), so lines cut "
            "from the log's end cannot be seen"
        )
    newest = found.newest
    if newest is not None and newest.sequence < found.lines and not found.problems:
        after = found.lines - newest.sequence
        found.notes.append(
            f"{after:,} line{'s' if after > 1 else ''} after the newest checkpoint (line "
            f"{newest.sequence:,}, {newest.when}) {'have' if after > 1 else 'has'} none yet: "
            "their MACs hold (a process stopped between writing a line and its checkpoint "
            "leaves such lines)."
        )
    return found
