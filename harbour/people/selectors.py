"""Reading children: Find a child's ranked answer, a page of results' details, and where a
merged record now lives."""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from harbour.people.matching import (
    compare_date,
    compare_name,
    compare_postcode,
    former_names_of,
    postcodes_of,
)
from harbour.people.models import Address, Child, ChildNameKey
from harbour.people.search import (
    OUTWARD,
    POSTCODE,
    house_number,
    normalise,
    outward_code,
    postcode_key,
    prefix_range,
    street_key,
    swapped,
    word_matches,
)

# At most this many candidates are ranked for one search; past it the page says so and asks
# for more to narrow it (never cut silently).
RANKED = 1000
NAME_WORDS = 4


def resolve_merged(child: Child) -> Child:
    """The record a child's record now lives in: itself, or (for a record merged into
    another, perhaps more than once) the one it was merged into at the end of the chain."""
    seen = {child.pk}
    while child.merged_into_id is not None:
        child = Child.objects.get(pk=child.merged_into_id)
        if child.pk in seen:  # never expected: a loop would be refused by merge_children
            break
        seen.add(child.pk)
    return child


@dataclass
class Question:
    """What a search asks, after the one box is read: name words, a date, an identifier and
    a postcode (each may come from its own field or be recognised in the box by its shape)."""

    words: list[str] = field(default_factory=list)
    date_of_birth: date | None = None
    identifier: str = ""
    postcode: str = ""
    street: str = ""  # an address line: "12 Willow Gardens", or a street alone

    def __bool__(self) -> bool:
        return bool(
            self.words or self.date_of_birth or self.identifier or self.postcode or self.street
        )


_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_NHS = re.compile(r"^\d{10}$")
_UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def _date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_box(text: str) -> Question:
    """Read the one box: a date (12/3/2015), an NHS number (10 digits, spaces allowed), a
    reference or UPN (letters and digits), a postcode or outward code, and the rest as name."""
    question = Question()
    text = (text or "").strip()
    squashed = re.sub(r"\s+", "", text)
    if _NHS.match(squashed):
        question.identifier = squashed
        return question
    if POSTCODE.match(squashed.upper()):
        question.postcode = squashed.upper()
        return question
    for token in text.split():
        upper = token.upper()
        if (when := _date(token)) is not None and question.date_of_birth is None:
            question.date_of_birth = when
        elif any(c.isdigit() for c in token) and OUTWARD.match(upper) and not question.postcode:
            question.postcode = upper
        elif any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
            question.identifier = question.identifier or upper
        elif normalise(token):
            question.words.append(token)
    question.words = question.words[:NAME_WORDS]
    return question


def _identifier(text: str) -> Q:
    ident = re.sub(r"\s+", "", text).upper()
    q = Q(reference=ident) | Q(upn=ident) | Q(former_upn=ident)
    if ident.isdigit():
        q |= Q(nhs_number=ident)
    # The reference of a record merged into another finds the record it was merged into.
    merged = Child.objects.filter(reference=ident, merged_into__isnull=False)
    return q | Q(pk__in=merged.values("merged_into"))


def _postcode(text: str) -> Q:
    key = postcode_key(text)
    if POSTCODE.match(key):
        addresses = Address.objects.filter(postcode_key=key)
    elif OUTWARD.match(key):
        addresses = Address.objects.filter(outward_code=key)
    elif len(key) >= 2:
        addresses = Address.objects.filter(prefix_range("postcode_key", key))
    else:
        return Q(pk__in=[])
    return Q(pk__in=addresses.values("child"))


def _street(text: str) -> Q:
    key, number = street_key(text), house_number(text)
    if len(key) < 3:
        return Q(pk__in=[])
    addresses = Address.objects.filter(prefix_range("street_key", key))
    if number:
        addresses = addresses.filter(line_1__istartswith=f"{number} ")
    return Q(pk__in=addresses.values("child"))


def _dates(given: date) -> Q:
    q = Q(date_of_birth=given) | Q(expected_date_of_birth=given)
    if (other := swapped(given)) is not None:
        q |= Q(date_of_birth=other)
    return q


@dataclass(frozen=True)
class Found:
    child: Child
    score: float
    reasons: tuple[str, ...]


@dataclass
class Answer:
    found: Sequence[Found]  # ranked, likeliest first (a list, or Uniform)
    total: int  # how many children match, all told
    ranked_all: bool  # False when more matched than RANKED (the page says so)


class Uniform(Sequence):
    """Matches all as likely as each other, read from the database a page at a time."""

    def __init__(self, ordered: QuerySet, total: int, question: Question):
        self.ordered, self.total, self.question = ordered, total, question

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [_rank(c, self.question, [], []) for c in self.ordered[index]]
        return _rank(self.ordered[index], self.question, [], [])


def find_children(question: Question, *, among: QuerySet) -> Answer:
    """The children matching every part of the question, tolerant of spelling, ranked by
    likelihood. `among` is what the person may find (`scope.findable_children(user)`);
    merged records never appear. Cost: a few indexed queries and at most RANKED candidates,
    whatever the number of children held."""
    if not question:
        return Answer([], 0, True)
    found = among.filter(merged_into__isnull=True)
    rough = []
    for word in question.words:
        found = found.filter(pk__in=ChildNameKey.objects.filter(word_matches(word)).values("child"))
        exact = ChildNameKey.objects.filter(normalised=normalise(word)).values("child")
        rough.append(Case(When(pk__in=exact, then=Value(1)), default=Value(0)))
    if question.date_of_birth:
        found = found.filter(_dates(question.date_of_birth))
        rough.append(
            Case(When(date_of_birth=question.date_of_birth, then=Value(1)), default=Value(0))
        )
    if question.identifier:
        found = found.filter(_identifier(question.identifier))
    if question.postcode:
        found = found.filter(_postcode(question.postcode))
    if question.street:
        found = found.filter(_street(question.street))
    total = found.count()
    if not total:
        return Answer([], 0, True)
    full_postcode = bool(question.postcode and POSTCODE.match(postcode_key(question.postcode)))
    if not (question.words or question.date_of_birth or full_postcode):
        # Every match is as likely as the next (an identifier, an area's postcodes): paged by
        # the database, however many there are.
        ordered = found.order_by("surname", "forename", "pk")
        return Answer(Uniform(ordered, total, question), total, True)
    if rough:
        order = sum(rough, start=Value(0, output_field=IntegerField()))
        found = found.annotate(rough=order).order_by("-rough", "surname", "forename", "pk")
    else:
        found = found.order_by("surname", "forename", "pk")
    candidates = list(found[:RANKED])
    ids = [c.pk for c in candidates]
    former = former_names_of(ids) if question.words else {}
    postcodes = postcodes_of(ids, timezone.localdate()) if question.postcode else {}
    ranked = [
        _rank(child, question, former.get(child.pk, []), postcodes.get(child.pk, []))
        for child in candidates
    ]
    ranked.sort(key=lambda f: (-f.score, f.child.surname, f.child.forename, f.child.pk))
    return Answer(ranked, total, total <= RANKED)


def _rank(child: Child, question: Question, former, postcodes) -> Found:
    parts, reasons = [], []
    if question.words:
        names = [child.forename, child.preferred_name, child.surname]
        former_names = [n for f in former for n in (f.forename, f.surname) if n]
        hows = []
        for word in question.words:
            sim, how = compare_name(word, names, former=former_names)
            if how == "" and any(
                normalise(n).startswith(normalise(word)) for n in names if normalise(word)
            ):
                sim, how = max(sim, 0.8), "begins the same"
            parts.append(sim)
            hows.append(how)
        if all(h == "same" for h in hows):
            reasons.append("same name")
        elif any("former" in h for h in hows):
            reasons.append("a former name")
        elif any("sounds" in h for h in hows):
            reasons.append("name sounds the same")
        elif any(hows):
            reasons.append("name spelt alike")
    if question.date_of_birth:
        sim, why = compare_date(question.date_of_birth, child)
        parts.append(sim)
        if why:
            reasons.append(why)
    if question.identifier:
        parts.append(1.0)
        reasons.append("same identifier")
    if question.postcode:
        key = postcode_key(question.postcode)
        if POSTCODE.match(key):
            sim, why = compare_postcode(question.postcode, postcodes)
        else:
            sim, why = 1.0, f"postcode begins {key}"
            if outward_code(key) or OUTWARD.match(key):
                why = f"in {key}"
        parts.append(max(sim, 0.5))
        if why:
            reasons.append(why)
    if question.street:
        parts.append(1.0)
        reasons.append("lives or lived at the address")
    score = round(sum(parts) / len(parts), 3) if parts else 0.0
    return Found(child, score, tuple(reasons))


# A page of results


@dataclass
class Details:
    address: Address | None = None
    worker: object = None  # the allocated worker (Staff), if any
    team: object = None


def details_for(children: list[Child], on: date) -> dict[int, Details]:
    """Each child's current address and allocated worker and team: a fixed number of queries
    for a page of any size. (Statuses come from `harbour.casework.status`, above this.)"""
    from harbour.workforce.models import Allocation

    ids = [c.pk for c in children]
    found = defaultdict(Details)
    addresses = (
        Address.objects.filter(child__in=ids, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("child_id", "-starts_on", "-pk")
    )
    for address in addresses:
        if found[address.child_id].address is None:
            found[address.child_id].address = address
    allocations = (
        Allocation.objects.current_on(on)
        .filter(child__in=ids)
        .select_related("worker", "team")
        .order_by("child_id", "-starts_on", "-pk")
    )
    for allocation in allocations:
        if found[allocation.child_id].worker is None:
            found[allocation.child_id].worker = allocation.worker
            found[allocation.child_id].team = allocation.team
    return {pk: found[pk] for pk in ids}
