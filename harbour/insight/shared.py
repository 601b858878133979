"""Figures that take seconds to work out, kept where every process serving Harbour finds them
(Django's cache `insight`: a table in the database) for as long as the pages say their figures
may be old, and worked out once however many people ask for them at the same moment.

A process keeps nothing between requests: a gunicorn worker, a second server and a management
command all see the same figures, and a worker that dies loses nothing but its own request.
"""

import logging
import time
import uuid
from collections.abc import Callable
from hashlib import sha256

from django.core.cache import caches

FRESH_FOR = 60  # seconds: a page's figures may be this old (each page says when they were read)
LOCK_FOR = 300  # seconds: a computation not finished by then is taken to have died
POLL = 0.1  # seconds between looks while another process works the figures out

log = logging.getLogger("harbour.insight.figures")

# Raised by forget(): what was kept before is never looked up again (so forgetting needs no
# database, and tests that reach none may call it).
_generation = 0


def _cache():
    return caches["insight"]


def key_of(what: tuple) -> str:
    """The cache key of what the figures depend on (day, period, scope, ...): hashed, as
    some cache backends refuse long keys or spaces."""
    return f"figures:{_generation}:" + sha256(repr(what).encode()).hexdigest()


def generation() -> int:
    return _generation


def figures(what: tuple, make: Callable, *, starting: Callable[[], None] | None = None):
    """The figures `what` names, from the shared cache, else worked out by `make()` and kept
    for FRESH_FOR seconds. Of concurrent callers asking for the same missing figures one works
    them out and the others wait for its result; `starting()` is called just before this
    process starts the work (it may refuse, by raising)."""
    cache = _cache()
    key = key_of(what)
    found = cache.get(key)
    if found is not None:
        return found
    lock, mine = key + ":working", uuid.uuid4().hex
    while True:
        if cache.add(lock, mine, LOCK_FOR):
            try:
                found = cache.get(key)  # finished by another between our two looks
                if found is None:
                    if starting is not None:
                        starting()
                    began = time.monotonic()
                    found = make()
                    cache.set(key, found, FRESH_FOR)
                    log.info("worked out %s in %.2f s", what, time.monotonic() - began)
                return found
            finally:
                if cache.get(lock) == mine:  # not a later worker's, taken after ours expired
                    cache.delete(lock)
        time.sleep(POLL)
        found = cache.get(key)
        if found is not None:
            return found


def forget() -> None:
    """Forget every figure kept, and who asked for new ones (the allowances' counts: see
    views/limits.py): tests, each with its own records. What is left expires in the table."""
    global _generation
    _generation += 1
