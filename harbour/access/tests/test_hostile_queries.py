"""Hostile query strings on every URL, asked by every role that may open it: never a server
error, never a script shown back as markup.

The URLs and who may open them come from the access matrix (test_matrix.CASES, which a new URL
must join), so a new view is covered here too. Each query sets one parameter to a value the page
must refuse or ignore: days out of range or not real, numbers that are not numbers or do not fit
a database's integer, choices not offered, bytes that are not UTF-8, NUL, very long values and
repeated keys. Every hostile value goes to each parameter a page reads (found by watching what
it reads of its query string as each role), and parameters it does not read are tried too.
"""

from contextlib import contextmanager
from urllib.parse import parse_qsl, quote

import pytest
from django.http import QueryDict
from django.urls import reverse

from harbour.access.tests.test_matrix import ANON, CASES, _kwargs, _names, _query
from harbour.access.tests.world import build, sign_in

SCRIPT = "<script>alert(1)</script>"
LONG = "9" * 5_000
HUGE = "99999999999999999999"  # more than a 64-bit integer holds

# (parameter, value as it goes on the wire: already %-encoded where it must be)
HOSTILE = [
    ("as_of", "0001-01-01"),
    ("as_of", "9999-12-31"),
    ("as_of", "2026-02-30"),
    ("as_of", "%ff%fe"),  # not UTF-8
    ("as_of", quote(SCRIPT)),
    ("start", "0001-01-01"),
    ("end", "9999-12-31"),
    ("start", "2026-02-30"),
    ("team", "%C2%B2"),  # '²': a digit to str.isdigit(), not to int()
    ("team", "-1"),
    ("team", HUGE),
    ("team", "%00"),
    ("period", "xyz"),
    ("period", LONG),
    ("part", quote(SCRIPT)),
    ("page", "0"),
    ("page", "-1"),
    ("page", HUGE),
    ("page", "abc"),
    ("page", "1e309"),
    ("worker", "%C2%B2"),
    ("worker", HUGE),
    ("kind", quote(SCRIPT)),
    ("q", quote(SCRIPT)),
    ("q", "%00"),
    ("q", LONG),
    ("next", quote("//evil.example/")),
    ("year", HUGE),
    ("unknown", quote(SCRIPT)),
    ("%ff%fe", "1"),
]
REPEATED = [
    "as_of=2026-01-01&as_of=0001-01-01",
    "as_of=0001-01-01&as_of=2026-01-01",
    "team=1&team=%C2%B2",
    "period=year&period=xyz",
    "page=1&page=-1",
]


UNREAD = [("unknown", quote(SCRIPT)), ("%ff%fe", "1"), ("unknown", "%00")]
EVERYTHING = "*"


@contextmanager
def _watching(monkeypatch):
    """The names a request reads of its query string (EVERYTHING if it goes through them all)."""
    read: set[str] = set()

    def by_name(method):
        def watched(self, key, *args, **kwargs):
            read.add(key)
            return method(self, key, *args, **kwargs)

        return watched

    def all_of(method):
        def watched(self, *args, **kwargs):
            read.add(EVERYTHING)
            return method(self, *args, **kwargs)

        return watched

    with monkeypatch.context() as patched:
        for name in ("get", "getlist", "__getitem__", "__contains__"):
            patched.setattr(QueryDict, name, by_name(getattr(QueryDict, name)))
        for name in ("__iter__", "items", "lists", "keys", "values", "dict", "urlencode"):
            patched.setattr(QueryDict, name, all_of(getattr(QueryDict, name)))
        yield read


def _queries(base: str, read: set[str]) -> list[str]:
    """Each hostile value of a parameter read in place of the page's own (the rest of its query
    kept), and parameters it does not read."""
    own = parse_qsl(base.lstrip("?"))

    def reads(name: str) -> bool:
        return EVERYTHING in read or name in read

    chosen = [(name, value) for name, value in HOSTILE if reads(name)] + UNREAD
    found = []
    for name, value in chosen:
        kept = "&".join(f"{k}={quote(str(v))}" for k, v in own if k != name)
        found.append("&".join(part for part in (kept, f"{name}={value}") if part))
    kept = "&".join(f"{k}={quote(str(v))}" for k, v in own)
    for repeated in REPEATED:
        if reads(repeated.split("=", 1)[0]):
            found.append("&".join(part for part in (kept, repeated) if part))
    return found


def _check(response, url: str) -> None:
    assert response.status_code < 500, f"{url}: {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SCRIPT.encode() not in body, f"{url}: the script is shown back as markup"
    assert "<script" not in response.get("Location", ""), url


def _may_open(expected: dict) -> list:
    """The roles a case lets in (an answer other than sign in, refused or not found)."""
    return [role for role, status in expected.items() if role != ANON and status in (200, 400)]


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_query_string_gives_a_server_error(client, settings, monkeypatch, case):
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    settings.HARBOUR_INSIGHT_NEW_FIGURES = "100000/m"  # every page computes, however often
    world = build()
    name, kwargs, expected = CASES[case]
    path = reverse(name, kwargs=_kwargs(world, kwargs))
    base = _query(world, kwargs)
    for role in [ANON, *_may_open(expected)]:
        client.logout()
        if role != ANON:
            sign_in(client, world.users[role])
        with _watching(monkeypatch) as read:
            _check(client.get(path + base), f"{case}, {role}: {path}{base}")
        for query in _queries(base, read):
            url = f"{path}?{query}"
            _check(client.get(url), f"{case}, {role}: {url[:200]}")


@pytest.mark.django_db
def test_nor_on_the_administration_site(admin_client):
    build()
    lists = [reverse(n) for n in _names() if n.startswith("admin:") and n.endswith("changelist")]
    assert len(lists) > 5
    for path in lists:
        for query in (f"q={quote(SCRIPT)}", "o=xyz", "p=-1", f"p={HUGE}", "q=%00", "%ff%fe=1"):
            _check(admin_client.get(f"{path}?{query}"), f"{path}?{query}")
