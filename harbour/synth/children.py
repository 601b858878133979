"""Synthetic children and their families."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from harbour.synth.households import Households

ETHNICITY = {
    "WBRI": 66,
    "WIRI": 0.5,
    "WIRT": 0.4,
    "WOTH": 6,
    "WROM": 0.6,
    "MWBC": 2.2,
    "MWBA": 1,
    "MWAS": 1.6,
    "MOTH": 2.4,
    "AIND": 2.5,
    "APKN": 4,
    "ABAN": 1.6,
    "AOTH": 1.7,
    "BCRB": 1,
    "BAFR": 3.5,
    "BOTH": 0.8,
    "CHNE": 0.4,
    "OOTH": 2.2,
    "REFU": 0.3,
    "NOBT": 0.3,
}
UASC_ETHNICITY = {"AOTH": 35, "BAFR": 30, "OOTH": 25, "BOTH": 10}
RELIGION = {
    "NONE": 45,
    "CHR": 33,
    "MUS": 10,
    "HIN": 1.5,
    "SIK": 1,
    "JEW": 0.3,
    "BUD": 0.4,
    "OTH": 0.8,
    "NST": 8,
}
LANGUAGE = {
    "ENG": 86,
    "POL": 2,
    "URD": 2,
    "PNJ": 1,
    "BNG": 1,
    "ARA": 1.5,
    "ROM": 1.5,
    "SOM": 0.8,
    "POR": 1,
    "LIT": 0.6,
    "OTH": 2.6,
}
UASC_LANGUAGE = {"ARA": 30, "OTH": 50, "SOM": 20}
DISABILITIES = {
    "LD": 25,
    "AUT": 30,
    "COMM": 12,
    "BEH": 12,
    "MOB": 6,
    "HEAR": 3,
    "VIS": 3,
    "PC": 4,
    "DDA": 5,
}
UPN_CHECK = "ABCDEFGHJKLMNPQRTUVWXYZ"


@dataclass
class ChildState:
    """What the generator remembers of a child between events."""

    id: int
    reference: str
    sex: str
    born: date  # birth date, possibly after the county's end (unborn at the end)
    district: str
    has_family: bool = False
    last_referral: date | None = None
    episode_until: date | None = None  # closure of the current or last episode
    last_referral_id: int | None = None
    gone_on: date | None = None  # left the service's reach (adopted, moved away, adult)
    early_help: dict | None = None  # the open early help episode, emitted when it ends
    last_significant: date | None = None
    significant_events: int = 0
    cp_plans: int = 0
    disabled: bool = False
    extra: dict = field(default_factory=dict)
    household: object = None  # the Household the child lives in
    slot: object = None  # the child's place among its brothers and sisters

    def age(self, on: date) -> float:
        return (on - self.born).days / 365.25

    @property
    def eighteen(self) -> date:
        return self.born + relativedelta(years=18)

    def open_on(self, day: date) -> bool:
        return (
            self.last_referral is not None
            and self.last_referral <= day
            and self.episode_until is not None
            and day <= self.episode_until
        )

    def available_on(self, day: date) -> bool:
        return self.gone_on is None or day < self.gone_on


def upn(rng, la_code: str) -> str:
    body = f"{la_code}{rng.randint(1000, 9999)}{rng.randint(0, 99):02d}{rng.randint(0, 999):03d}"
    weights = range(2, 14)
    total = sum(int(ch) * w for ch, w in zip(body, weights, strict=True))
    return UPN_CHECK[total % 23] + body


def nhs_number(rng) -> str:
    """A 999-prefixed number: the NHS's range for test patients, with a valid check digit."""
    while True:
        digits = [9, 9, 9] + [rng.randint(0, 9) for _ in range(6)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


class Children:
    """Creates children (emitting their rows) and keeps their state."""

    def __init__(self, ctx, la_code: str):
        self.ctx = ctx
        self.la_code = la_code
        self.all: list[ChildState] = []
        self.households = Households(ctx)

    def from_slot(self, household, slot, on: date) -> ChildState:
        """A brother or sister of a household's child, coming to the front door on `on`."""
        rng = self.ctx.rng
        child = ChildState(
            0, "", slot.sex, slot.born, household.district, disabled=rng.random() < 0.08
        )
        child.extra.update(expected=None, uasc=False, first_seen=on)
        child.household, child.slot = household, slot
        return child

    def make(
        self,
        on: date,
        *,
        age: float | None = None,
        due_in_days: int | None = None,
        uasc: bool = False,
        disabled: bool = False,
    ) -> ChildState:
        """A child's state, not yet recorded: `emit` records it once its journey is kept."""
        rng = self.ctx.rng
        sex = "F" if rng.random() < 0.49 else "M"
        if uasc:
            sex = "M" if rng.random() < 0.9 else "F"
        expected = None
        if due_in_days is not None:
            expected = on + timedelta(days=due_in_days)
            born = expected + timedelta(days=rng.randint(-14, 10))
        else:
            born = on - timedelta(days=int(age * 365.25) + rng.randint(0, 364))
        child = ChildState(0, "", sex, born, rng.choice(self.ctx.size.districts), disabled=disabled)
        child.extra.update(expected=expected, uasc=uasc, first_seen=on)
        return child

    def emit(self, child: ChildState) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        child.id = ctx.sink.new_id("people.Child")
        child.reference = f"SYN{child.id:07d}"
        on, expected, uasc = (child.extra[k] for k in ("first_seen", "expected", "uasc"))
        born, sex, child_id = child.born, child.sex, child.id
        known_born = born <= ctx.end
        age_now = child.age(on)
        if child.household is None:
            self.households.found(child, alone=uasc)
        household, slot = child.household, child.slot
        self.households.names(household, slot)
        self.households.record(household, slot, child)
        siblings = [s.child for s in household.slots if s.child is not None and s is not slot]
        if siblings:  # brothers and sisters share their ethnicity, religion and language
            ethnicity, religion, language = siblings[0].extra["identity"]
        else:
            ethnicity = ctx.pick(UASC_ETHNICITY if uasc else ETHNICITY)
            religion = "MUS" if uasc and rng.random() < 0.6 else ctx.pick(RELIGION)
            language = ctx.pick(UASC_LANGUAGE if uasc else LANGUAGE)
        child.extra["identity"] = (ethnicity, religion, language)
        ctx.sink.add(
            "people.Child",
            {
                "id": child_id,
                "reference": child.reference,
                "forename": slot.forename,
                "surname": slot.surname,
                "preferred_name": "",
                "date_of_birth": born if known_born else None,
                "expected_date_of_birth": expected,
                "date_of_death": None,
                "sex": sex if known_born else "U",
                "gender_identity": ({"F": "GIRL", "M": "BOY"}[sex] if age_now >= 0 else "NST"),
                "ethnicity": ethnicity,
                "religion": religion,
                "first_language": language,
                # Every child of school age by the county's end has a UPN; younger ones get
                # UN1 ("not of school age") when a return is made.
                "upn": upn(rng, self.la_code) if child.age(ctx.end) >= 4 else "",
                "former_upn": "",
                "nhs_number": nhs_number(rng) if known_born else "",
                "unaccompanied_asylum_seeking": uasc,
                "uasc_ceased_on": child.eighteen if uasc and child.eighteen <= ctx.end else None,
            },
        )
        child.extra["postcode"] = self.households.write_addresses(
            household, child_id, min(on, born) if known_born else on
        )
        child.extra["postcodes"] = {address[2] for address in household.addresses}
        self.all.append(child)
        return child

    def add_family(self, child: ChildState, on: date) -> None:
        """What is recorded when the child is first referred: disabilities (none, or which);
        parents, relatives and siblings are written with the household's family at the end."""
        if child.has_family:
            return
        child.has_family = True
        rng = self.ctx.rng
        codes = ["NONE"]
        if child.disabled:
            codes = rng.sample(list(DISABILITIES), k=rng.choice((1, 1, 2)))
        for code in codes:
            self.ctx.sink.add("people.Disability", {"child_id": child.id, "code": code})
