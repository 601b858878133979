"""Likely matches: the children Harbour already holds who may be the child being recorded.

Used before a child is created (by a worker, from a partner's referral or from a contact), so
that a second record is not made for a child the service knows. Candidates come from indexed
lookups only (see `harbour.people.search`); the bounded set is scored in Python:

- the name: the same, sounding the same (metaphone or NYSIIS) or spelt alike (Jaro-Winkler),
  against the child's forename, preferred name, surname and former names;
- the date of birth: the same, day and month the other way round, a year out, or close;
- the postcode: the same (now or before), or the same outward code;
- and a brother or sister (sharing a parent) of a strong match is shown with that reason.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from harbour.people.models import Address, Child, ChildNameKey, FormerName, Relationship
from harbour.people.search import (
    name_parts,
    normalise,
    outward_code,
    postcode_key,
    similarity,
    sounds_alike,
    swapped,
    word_matches,
)

# At most this many candidates are scored for one question (the likeliest first, by a rough
# count of what they share, worked out by the database).
CANDIDATES = 300
MIN_SCORE = 0.4
STRONG = 0.75
# The weights of each kind of evidence, and the least weight a score is divided by, so a
# surname alone can never look like the same child.
WEIGHTS = {"forename": 0.25, "surname": 0.3, "date_of_birth": 0.3, "postcode": 0.15}
FULL_EVIDENCE = 0.7
PARENTS = (
    Relationship.Kind.MOTHER,
    Relationship.Kind.FATHER,
    Relationship.Kind.STEP_PARENT,
)
FORENAME_KINDS = (
    ChildNameKey.Kind.FORENAME,
    ChildNameKey.Kind.PREFERRED,
    ChildNameKey.Kind.FORMER_FORENAME,
)
SURNAME_KINDS = (ChildNameKey.Kind.SURNAME, ChildNameKey.Kind.FORMER_SURNAME)


@dataclass(frozen=True)
class Match:
    child: Child
    score: float  # 0..1, higher = more likely the same child
    reasons: tuple[str, ...]  # plain words: "same date of birth", "name sounds the same"


# Comparing one piece of evidence


def spelling(jaro_winkler: float) -> float:
    """Jaro-Winkler made stricter: names sharing only their first letters (0.75 or less) count
    for nothing, and a near spelling (0.95) for most of a match."""
    return round(max(0.0, (jaro_winkler - 0.75) / 0.25) * 0.85, 3)


def compare_name(query: str, names: Iterable[str], *, former: Iterable[str] = ()) -> tuple:
    """(similarity 0..1, reason or "") of a name given against a child's names."""
    best, why = 0.0, ""
    q = normalise(query)
    if not q:
        return best, why
    for pool, is_former in ((names, False), (former, True)):
        for name in pool:
            for part in name_parts(name):
                if q == part:
                    score, reason = 1.0, "same"
                elif sounds_alike(q, part):
                    score, reason = max(similarity(q, part), 0.9), "sounds the same"
                else:
                    score = spelling(similarity(q, part))
                    reason = "spelt alike" if score >= 0.5 else ""
                if part != normalise(name):
                    score *= 0.95  # one part of a longer name
                if is_former:
                    score *= 0.95
                    reason = f"{reason} as a former name" if reason else ""
                if score > best:
                    best, why = score, reason
    return best, why


def compare_date(given: date, child: Child) -> tuple:
    born = child.date_of_birth
    if born is None:
        expected = child.expected_date_of_birth
        if expected and abs((expected - given).days) <= 31:
            return 0.6, "expected to be born around then"
        return 0.0, ""
    if born == given:
        return 1.0, "same date of birth"
    if swapped(given) == born:
        return 0.7, "date of birth with day and month the other way round"
    if (born.month, born.day) == (given.month, given.day) and abs(born.year - given.year) == 1:
        return 0.6, "date of birth a year out"
    if abs((born - given).days) <= 3:
        return 0.5, "date of birth within a few days"
    return 0.0, ""


def compare_postcode(given: str, postcodes: Iterable[tuple[str, bool]]) -> tuple:
    """`postcodes`: (postcode key, current?) of the child's addresses."""
    key, outward = postcode_key(given), outward_code(given)
    best, why = 0.0, ""
    for theirs, current in postcodes:
        if key and theirs == key:
            score, reason = (1.0, "same postcode") if current else (0.7, "lived at the postcode")
        elif outward and outward_code(theirs) == outward:
            score, reason = 0.4, f"same area ({outward})"
        else:
            continue
        if score > best:
            best, why = score, reason
    return best, why


# Reading the candidates' evidence in a fixed number of queries


def former_names_of(child_ids) -> dict[int, list[FormerName]]:
    names = defaultdict(list)
    for former in FormerName.objects.filter(child__in=list(child_ids)):
        names[former.child_id].append(former)
    return names


def postcodes_of(child_ids, on: date) -> dict[int, list[tuple[str, bool]]]:
    found = defaultdict(list)
    rows = Address.objects.filter(child__in=list(child_ids)).values_list(
        "child_id", "postcode_key", "postcode", "starts_on", "ends_on"
    )
    for child_id, key, postcode, starts, ends in rows:
        current = starts <= on and (ends is None or ends >= on)
        found[child_id].append((key or postcode_key(postcode), current))
    return found


def _names_match(kinds, name: str) -> Q:
    q = Q(pk__in=[])
    for part in name_parts(name):
        q |= word_matches(part, kinds, prefix=False)
    return Q(pk__in=ChildNameKey.objects.filter(q).values("child"))


def _dates(given: date) -> Q:
    q = Q(date_of_birth=given) | Q(expected_date_of_birth=given)
    if (other := swapped(given)) is not None:
        q |= Q(date_of_birth=other)
    return q


def _score(child, given: dict, former, postcodes) -> tuple[float, list[str]]:
    reasons, total, weight = [], 0.0, 0.0
    former_forenames = [f.forename for f in former if f.forename]
    former_surnames = [f.surname for f in former if f.surname]
    if given.get("forename"):
        names = [child.forename, child.preferred_name]
        sim, why = compare_name(given["forename"], names, former=former_forenames)
        total += WEIGHTS["forename"] * sim
        weight += WEIGHTS["forename"]
        if why:
            reasons.append(f"forename {why}" if why != "same" else "same forename")
    if given.get("surname"):
        sim, why = compare_name(given["surname"], [child.surname], former=former_surnames)
        total += WEIGHTS["surname"] * sim
        weight += WEIGHTS["surname"]
        if why:
            reasons.append(f"surname {why}" if why != "same" else "same surname")
    if given.get("date_of_birth"):
        sim, why = compare_date(given["date_of_birth"], child)
        total += WEIGHTS["date_of_birth"] * sim
        weight += WEIGHTS["date_of_birth"]
        if why:
            reasons.append(why)
    if given.get("postcode"):
        sim, why = compare_postcode(given["postcode"], postcodes)
        total += WEIGHTS["postcode"] * sim
        weight += WEIGHTS["postcode"]
        if why:
            reasons.append(why)
    if weight == 0:
        return 0.0, reasons
    return round(total / max(weight, FULL_EVIDENCE), 3), _plain(reasons)


def _plain(reasons: list[str]) -> list[str]:
    """ "same forename" and "same surname" read as "same name"; "sounds the same" likewise."""
    if "same forename" in reasons and "same surname" in reasons:
        reasons = ["same name"] + [r for r in reasons if r not in ("same forename", "same surname")]
    sounds = [r for r in reasons if r.endswith("sounds the same")]
    if len(sounds) == 2:
        reasons = ["name sounds the same"] + [r for r in reasons if r not in sounds]
    return reasons


def likely_matches(
    *,
    forename: str = "",
    surname: str = "",
    date_of_birth: date | None = None,
    postcode: str = "",
    among: QuerySet | None = None,
    exclude: Iterable[int] = (),
    limit: int = 10,
) -> list[Match]:
    """The children who may be the one described, likeliest first (at most `limit`).

    `among` restricts the answer to what the person asking may know of (pass
    `scope.findable_children(user)`); merged records are never offered. The cost follows the
    number of candidates (at most CANDIDATES), never the number of children held."""
    given = {
        "forename": forename.strip(),
        "surname": surname.strip(),
        "date_of_birth": date_of_birth,
        "postcode": postcode.strip() if postcode_key(postcode) else "",
    }
    base = (among if among is not None else Child.objects.all()).filter(merged_into__isnull=True)
    if exclude:
        base = base.exclude(pk__in=list(exclude))
    clues = []
    if given["surname"]:
        clues.append(_names_match(SURNAME_KINDS, given["surname"]))
    if given["forename"]:
        clues.append(_names_match(FORENAME_KINDS, given["forename"]))
    if date_of_birth:
        clues.append(_dates(date_of_birth))
    key = postcode_key(postcode)
    if len(key) >= 5:
        clues.append(Q(pk__in=Address.objects.filter(postcode_key=key).values("child")))
    if not clues:
        return []
    wanted = Q(pk__in=[])
    for clue in clues:
        wanted |= clue
    rough = sum(
        (Case(When(clue, then=Value(1)), default=Value(0)) for clue in clues),
        start=Value(0),
    )
    candidates = list(
        base.filter(wanted).annotate(rough=rough).order_by("-rough", "pk")[:CANDIDATES]
    )
    today = timezone.localdate()
    ids = [c.pk for c in candidates]
    former = former_names_of(ids)
    postcodes = postcodes_of(ids, today) if given["postcode"] else {}
    scored = {}
    for child in candidates:
        score, reasons = _score(child, given, former.get(child.pk, []), postcodes.get(child.pk, []))
        scored[child.pk] = (child, score, reasons)
    _add_siblings(scored, base, given, today)
    matches = [
        Match(child=child, score=min(score, 1.0), reasons=tuple(reasons))
        for child, score, reasons in scored.values()
        if score >= MIN_SCORE
    ]
    matches.sort(key=lambda m: (-m.score, m.child.surname, m.child.forename, m.child.pk))
    return matches[:limit]


def siblings_of(child_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each child, the other children sharing a parent (mother, father or step-parent)
    with them: two queries, whatever the number of children."""
    ids = list(child_ids)
    parents = defaultdict(set)
    for child_id, member_id in Relationship.objects.filter(
        child__in=ids, kind__in=PARENTS
    ).values_list("child_id", "family_member_id"):
        parents[member_id].add(child_id)
    if not parents:
        return {}
    found = defaultdict(set)
    for child_id, member_id in Relationship.objects.filter(
        family_member__in=list(parents), kind__in=PARENTS
    ).values_list("child_id", "family_member_id"):
        for of in parents[member_id]:
            if child_id != of:
                found[of].add(child_id)
    return found


def _add_siblings(scored: dict, base: QuerySet, given: dict, today: date) -> None:
    strong = sorted(
        (pk for pk, (_, score, _) in scored.items() if score >= STRONG),
        key=lambda pk: -scored[pk][1],
    )[:5]
    if not strong:
        return
    siblings = siblings_of(strong)
    wanted = {pk for group in siblings.values() for pk in group}
    missing = wanted - set(scored)
    if missing:
        more = list(base.filter(pk__in=list(missing)))
        former = former_names_of(c.pk for c in more)
        postcodes = postcodes_of([c.pk for c in more], today) if given["postcode"] else {}
        for child in more:
            score, reasons = _score(
                child, given, former.get(child.pk, []), postcodes.get(child.pk, [])
            )
            # Not the child described, but of the same family: shown below the strong matches.
            scored[child.pk] = (child, min(score, STRONG - 0.05), reasons)
    for of in strong:
        match = scored[of][0]
        for pk in siblings.get(of, ()):
            if pk not in scored or pk in strong and pk == of:
                continue
            child, score, reasons = scored[pk]
            reason = f"brother or sister of {match.forename} {match.surname} (shares a parent)"
            if reason not in reasons:
                score = max(score, MIN_SCORE + 0.1)
                scored[pk] = (child, score, [*reasons, reason])
