"""Households: the families the county's children come from.

A household is a mother, the father or fathers of her children, perhaps a grandparent, and
her children (brothers, sisters and half-siblings), who live together at the same addresses
and move together. Its children are drawn when the first of them is made ("slots", each with
a sex and a date of birth); a slot becomes a child of the county (a Child row) only when it
comes to the front door, with the others or on its own. Parents, relatives and siblings are
written once per household at the end of the run, so that each sibling who is a child of the
county has one FamilyMember row pointing at their record, shared by their brothers and sisters,
and the parents' rows are shared by all the children.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from harbour.synth import sizes, text

YEAR = 365.25


@dataclass
class Slot:
    """One of the household's children, recorded or not."""

    sex: str
    born: date
    father: int  # index into the household's fathers
    child: object = None  # the ChildState, once a Child row is written
    forename: str = ""
    surname: str = ""
    member_id: int | None = None


@dataclass
class Household:
    district: str
    surname: str
    father_surnames: list[str]
    slots: list[Slot] = field(default_factory=list)
    addresses: list[tuple[str, str, str, date, date | None]] | None = None
    starts_on: date | None = None
    registered: bool = False  # in Households.all, once one of its children is recorded

    def recorded(self) -> list[Slot]:
        return [slot for slot in self.slots if slot.child is not None]


class Households:
    """Makes households and writes their addresses and families."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.all: list[Household] = []

    # ----- making --------------------------------------------------------------------------
    def found(self, child, alone: bool = False) -> Household:
        """A new household around `child` (whose date of birth is settled): its brothers and
        sisters are drawn older and younger, none born after the county's end."""
        ctx, rng = self.ctx, self.ctx.rng
        size = 1 if alone else ctx.pick(sizes.CHILDREN_IN_HOUSEHOLD)
        surname = text.surname(rng)
        half = size > 1 and rng.random() < sizes.HALF_SIBLING_SHARE
        household = Household(
            child.district,
            surname,
            [surname if rng.random() < 0.6 else text.surname(rng)]
            + ([text.surname(rng)] if half else []),
        )
        position = rng.randrange(size)
        births = [child.born]
        born = child.born
        for _ in range(position):  # older brothers and sisters
            born = born - timedelta(days=int(rng.uniform(*sizes.BIRTH_SPACING_YEARS) * YEAR))
            births.insert(0, born)
        born = child.born
        for _ in range(size - position - 1):  # younger ones
            born = born + timedelta(days=int(rng.uniform(*sizes.BIRTH_SPACING_YEARS) * YEAR))
            if born > ctx.end:
                break
            births.append(born)
        split = rng.randrange(1, len(births)) if half and len(births) > 1 else len(births)
        for n, born in enumerate(births):
            if n == position:
                slot = Slot(child.sex, born, 0 if n < split else 1)
                child.slot = slot
            else:
                slot = Slot("F" if rng.random() < 0.49 else "M", born, 0 if n < split else 1)
            household.slots.append(slot)
        household.starts_on = min(births[0], child.extra["first_seen"])
        child.household = household
        return household

    def record(self, household: Household, slot: Slot, child) -> None:
        """The slot's child is now a child of the county."""
        slot.child = child
        if not household.registered:
            household.registered = True
            self.all.append(household)

    def names(self, household: Household, slot: Slot) -> None:
        """A child's names, drawn once: a forename none of the brothers and sisters has, and
        the mother's surname or, now and then, their father's."""
        if slot.forename:
            return
        rng = self.ctx.rng
        taken = {other.forename for other in household.slots}
        for _ in range(50):  # brothers and sisters never share a forename
            slot.forename = text.given_name(rng, slot.sex)
            if slot.forename not in taken:
                break
        father = household.father_surnames[slot.father]
        slot.surname = father if rng.random() < sizes.FATHERS_SURNAME_SHARE else household.surname

    # ----- addresses -----------------------------------------------------------------------
    def address_history(self, household: Household):
        """Where the household lived, from its first day to the county's end: it moves every
        few years, within its district."""
        if household.addresses is None:
            ctx, rng = self.ctx, self.ctx.rng
            history = []
            starts = household.starts_on
            while True:
                line_1, town, postcode = text.address(rng, household.district)
                stay = int(rng.uniform(*sizes.YEARS_BETWEEN_MOVES) * YEAR)
                ends = starts + timedelta(days=stay)
                if ends >= ctx.end:
                    history.append((line_1, town, postcode, starts, None))
                    break
                history.append((line_1, town, postcode, starts, ends))
                starts = ends + timedelta(days=1)
            household.addresses = history
        return household.addresses

    def write_addresses(self, household: Household, child_id: int, from_day: date) -> str:
        """The child's Address rows: the household's addresses from `from_day` on, identical
        for brothers and sisters over the same days. Returns the latest postcode."""
        sink = self.ctx.sink
        history = self.address_history(household)
        postcode = history[-1][2]
        for line_1, town, code, starts, ends in history:
            if ends is not None and ends < from_day:
                continue
            sink.add(
                "people.Address",
                {
                    "child_id": child_id,
                    "line_1": line_1,
                    "line_2": "",
                    "town": town,
                    "postcode": code,
                    "starts_on": max(starts, from_day),
                    "ends_on": ends,
                },
            )
        return postcode

    # ----- families ------------------------------------------------------------------------
    def write_families(self) -> None:
        """Parents, relatives and siblings of every household with a child who was referred
        (or with two children of the county), each person written once."""
        for household in self.all:
            recorded = household.recorded()
            if not recorded:
                continue
            if not any(s.child.has_family for s in recorded) and len(recorded) < 2:
                continue
            self._family(household, recorded)

    def _family(self, household: Household, recorded: list[Slot]) -> None:
        ctx, rng, sink = self.ctx, self.ctx.rng, self.ctx.sink
        end = ctx.end
        eldest = household.slots[0].born

        def member(forename, surname, born, sex, phone=True, record=None):
            return sink.add(
                "people.FamilyMember",
                {
                    "forename": forename,
                    "surname": surname,
                    "date_of_birth": born if born <= end else None,
                    "sex": sex,
                    # Ofcom's range of numbers for drama.
                    "phone": f"07700 900{rng.randint(0, 999):03d}" if phone else "",
                    "address": "",
                    "child_record_id": record,
                },
            )

        def adult_born(years):
            return eldest - timedelta(days=int(years * YEAR) + rng.randint(-1500, 1500))

        adults = [
            (
                "mother",
                member(text.adult_name(rng, "F"), household.surname, adult_born(24), "F"),
                None,
                True,
                True,
            )
        ]
        fathers = []
        for n, surname in enumerate(household.father_surnames):
            fathers.append(
                (
                    member(text.adult_name(rng, "M"), surname, adult_born(27 + 2 * n), "M"),
                    rng.random() < 0.7,
                    rng.random() < (0.45 if n == len(household.father_surnames) - 1 else 0.1),
                )
            )
        if rng.random() < 0.25:
            sex = rng.choice("FM")
            grandparent = member(text.adult_name(rng, sex), household.surname, adult_born(50), sex)
            adults.append(("grandparent", grandparent, None, False, rng.random() < 0.2))
        for slot in household.slots:
            if slot.born > end:
                continue
            self.names(household, slot)
            record = slot.child.id if slot.child is not None else None
            slot.member_id = member(
                slot.forename, slot.surname, slot.born, slot.sex, phone=False, record=record
            )
        for slot in recorded:
            child_id = slot.child.id
            father_id, responsibility, lives_with = fathers[slot.father]
            links = [(kind, mid, pr, lives) for kind, mid, _, pr, lives in adults]
            links.append(("father", father_id, responsibility, lives_with))
            for other in household.slots:
                if other is slot or other.member_id is None:
                    continue
                at_home = (end - other.born).days < 18 * YEAR
                links.append(("sibling", other.member_id, False, at_home))
            for kind, member_id, responsibility, lives_with in links:
                sink.add(
                    "people.Relationship",
                    {
                        "child_id": child_id,
                        "family_member_id": member_id,
                        "kind": kind,
                        "parental_responsibility": responsibility,
                        "lives_with_child": lives_with,
                    },
                )
