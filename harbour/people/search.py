"""Tolerant finding of children: normalised names and their phonetic keys, postcodes as
searched, and the index table (`ChildNameKey`) they are looked up in.

Candidates always come from indexed lookups (a phonetic key, a normalised name or its
prefix, an exact date of birth, an identifier, a postcode or its outward code); only that
bounded set is read and ranked in Python by similarity (Jaro-Winkler, from jellyfish). The
same queries run on SQLite and PostgreSQL: no database extension is needed.

The keys are kept by the people services and by signals on Child and FormerName; a bulk load
(the synthetic county, `harbour import`) calls `rebuild_keys(child_ids)` when it is done.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache

import jellyfish
from django.db import connection, transaction
from django.db.models import Q

# Children whose keys are rebuilt per batch (and ids per query, well below SQLite's limit).
CHUNK = 2000

_NOT_LETTERS = re.compile(r"[^a-z]")
_SPLIT = re.compile(r"[\s\-]+")
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@lru_cache(maxsize=8192)
def normalise(name: str) -> str:
    """Lower case, accents and everything but letters removed: "O'Brien" -> "obrien",
    "Zoë" -> "zoe"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_LETTERS.sub("", plain.lower())


@lru_cache(maxsize=8192)
def name_parts(name: str) -> tuple[str, ...]:
    """The searchable parts of a name: each word of it and, for a name of several words
    ("Smith-Jones", "De Souza"), the whole as one."""
    parts = [normalise(p) for p in _SPLIT.split(name or "")]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        parts.append("".join(parts))
    return tuple(dict.fromkeys(parts))


@lru_cache(maxsize=8192)
def metaphone(part: str) -> str:
    return jellyfish.metaphone(part)[:40] if part else ""


@lru_cache(maxsize=8192)
def nysiis(part: str) -> str:
    return jellyfish.nysiis(part)[:40] if part else ""


@lru_cache(maxsize=8192)
def similarity(a: str, b: str) -> float:
    """How alike two normalised names are, 0 to 1 (Jaro-Winkler)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return jellyfish.jaro_winkler_similarity(a, b)


def sounds_alike(a: str, b: str) -> bool:
    return bool(a and b) and (metaphone(a) == metaphone(b) or nysiis(a) == nysiis(b))


def postcode_key(postcode: str) -> str:
    """ "ne1 4ab" -> "NE14AB"."""
    return re.sub(r"[^A-Z0-9]", "", (postcode or "").upper())[:8]


def outward_code(postcode: str) -> str:
    """The outward code of a full postcode ("NE1 4AB" -> "NE1"), else ""."""
    match = POSTCODE.match(postcode_key(postcode))
    return match.group(1) if match else ""


_HOUSE = re.compile(r"^\s*(?:flat\s+\w+,?\s*)?[0-9]+[a-z]?\b[,\s]*", re.IGNORECASE)


def house_number(line: str) -> str:
    """The house number that begins an address line ("12a Willow Gardens" -> "12A")."""
    match = re.match(r"^\s*([0-9]+[a-z]?)\b", line or "", re.IGNORECASE)
    return match.group(1).upper() if match else ""


def street_key(line: str) -> str:
    """An address line as searched: without its house number, normalised
    ("12 Willow Gardens" -> "willowgardens")."""
    return normalise(_HOUSE.sub("", line or ""))[:200]


def prefix_range(field: str, prefix: str) -> Q:
    """`field` starting with `prefix`, as a range a B-tree index answers on both databases
    (SQLite's LIKE cannot use an ordinary index)."""
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})


def word_matches(word: str, kinds: Iterable[str] | None = None, prefix: bool = True) -> Q:
    """ChildNameKey rows matching one word of a name: the same or sounding the same, or
    (for a word of two letters or more) beginning with it."""
    part = normalise(word)
    if not part:
        return Q(pk__in=[])
    q = Q(normalised=part) | Q(metaphone=metaphone(part)) | Q(nysiis=nysiis(part))
    if prefix and len(part) >= 2:
        q |= prefix_range("normalised", part)
    if kinds is not None:
        q &= Q(kind__in=list(kinds))
    return q


def swapped(day: date) -> date | None:
    """The date with its day and month the other way round, where that is a date."""
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


# Keeping the index


def _key_rows(child_id: int, kind: str, name: str, model) -> Iterator:
    for part in name_parts(name):
        yield model(
            child_id=child_id,
            kind=kind,
            normalised=part[:100],
            metaphone=metaphone(part),
            nysiis=nysiis(part),
        )


def rebuild_keys(child_ids: Iterable[int] | None = None, *, apps=None) -> int:
    """Rebuild the search keys of these children (of every child when None), and the
    postcode keys of their addresses. Merged records get no keys: they are never found.
    Returns how many children were done. Safe to run again at any time."""
    from django.apps import apps as live_apps

    registry = apps or live_apps
    Child = registry.get_model("people", "Child")
    FormerName = registry.get_model("people", "FormerName")
    ChildNameKey = registry.get_model("people", "ChildNameKey")
    Address = registry.get_model("people", "Address")
    done = 0
    for batch in _batches(Child, child_ids):
        with transaction.atomic():
            children = list(
                Child.objects.filter(pk__in=batch).values_list(
                    "pk", "forename", "surname", "preferred_name", "merged_into_id"
                )
            )
            former = list(
                FormerName.objects.filter(child__in=batch).values_list(
                    "child_id", "forename", "surname"
                )
            )
            ChildNameKey.objects.filter(child__in=batch).delete()
            live = {pk for pk, *_, merged in children if merged is None}
            rows = []
            for pk, forename, surname, preferred, merged in children:
                if merged is not None:
                    continue
                rows += _key_rows(pk, "forename", forename, ChildNameKey)
                rows += _key_rows(pk, "surname", surname, ChildNameKey)
                rows += _key_rows(pk, "preferred", preferred, ChildNameKey)
            for pk, forename, surname in former:
                if pk in live:
                    rows += _key_rows(pk, "former_forename", forename, ChildNameKey)
                    rows += _key_rows(pk, "former_surname", surname, ChildNameKey)
            ChildNameKey.objects.bulk_create(rows, batch_size=1000)
            # Addresses whose keys are missing or stale.
            stale = []
            rows = Address.objects.filter(child__in=batch).values_list(
                "pk", "postcode", "line_1", "postcode_key", "outward_code", "street_key"
            )
            for pk, postcode, line, *held in rows:
                wanted = (postcode_key(postcode), outward_code(postcode), street_key(line))
                if tuple(held) != wanted:
                    stale.append((*wanted, pk))
            if stale:
                # One prepared statement for every row (Django's bulk_update writes a CASE per
                # row, slow for the thousands a bulk load leaves).
                table = connection.ops.quote_name(Address._meta.db_table)
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"UPDATE {table} SET postcode_key = %s, outward_code = %s, "
                        "street_key = %s WHERE id = %s",
                        stale,
                    )
            done += len(children)
    return done


def _batches(Child, child_ids) -> Iterator[list[int]]:
    if child_ids is not None:
        ids = list(dict.fromkeys(child_ids))
        for start in range(0, len(ids), CHUNK):
            yield ids[start : start + CHUNK]
        return
    last = 0
    while True:
        ids = list(
            Child.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


NAME_FIELDS = {"forename", "surname", "preferred_name", "merged_into"}


def keep_keys(sender, instance, raw=False, **kwargs) -> None:
    """Signal receiver: a child's or former name's save or delete rebuilds that child's keys."""
    if raw:
        return
    fields = kwargs.get("update_fields")
    if fields is not None and not set(fields) & NAME_FIELDS:
        return  # a save that changed no name (a merge's pointer, a date)
    child_id = instance.pk if sender._meta.model_name == "child" else instance.child_id
    if child_id is not None:
        rebuild_keys([child_id])
