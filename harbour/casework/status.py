"""A child's statuses on a day, for the badges of the record's header, search results and trays.

`statuses_for(child_ids, on)` answers for any number of children in a fixed number of
queries (one a table, however many children), so a page of 25 results or a team's 300
children costs the same handful of queries.

The kinds, in the order they are shown:

- ``looked_after``: a period of care open on the day, with its legal status and placement;
- ``child_protection``: a child protection plan open on the day, with its latest category;
- ``child_in_need``: a child in need episode (an open referral) on the day, shown only when the
  child is neither looked after nor on a child protection plan (both are children in need, and
  the stronger status says more);
- ``care_leaver``: a care leaver (eligible, relevant, former relevant or qualifying) under 26
  who is not looked after on the day (an eligible child still in care shows as looked after);
- ``early_help``: an early help episode open on the day;
- ``restricted``: the record is restricted (its reason is never shown here).

Callers must pass only children the viewer may know exist (see `harbour.access.scope`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from harbour.codes import code_list

LOOKED_AFTER = "looked_after"
CHILD_PROTECTION = "child_protection"
CHILD_IN_NEED = "child_in_need"
CARE_LEAVER = "care_leaver"
EARLY_HELP = "early_help"
RESTRICTED = "restricted"

KINDS = (LOOKED_AFTER, CHILD_PROTECTION, CHILD_IN_NEED, CARE_LEAVER, EARLY_HELP, RESTRICTED)

# GOV.UK tag colours for each kind (govuk-tag--<colour>).
_COLOURS = {
    LOOKED_AFTER: "purple",
    CHILD_PROTECTION: "red",
    CHILD_IN_NEED: "blue",
    CARE_LEAVER: "turquoise",
    EARLY_HELP: "green",
    RESTRICTED: "grey",
}

# Ids per query: well below SQLite's limit on a statement's parameters.
_CHUNK = 5000


@dataclass(frozen=True)
class Status:
    kind: str  # one of KINDS
    label: str  # "Child protection plan"
    detail: str  # "Neglect", "Full care order; foster placement with ...", "" for none
    since: date | None  # when the status began, where known

    @property
    def colour(self) -> str:
        return _COLOURS[self.kind]

    @property
    def tag_class(self) -> str:
        return f"govuk-tag govuk-tag--{self.colour}"

    @property
    def text(self) -> str:
        """The badge in words: "Child protection plan since 3 February 2026: Neglect"."""
        since = f" since {self.since.day} {self.since:%B %Y}" if self.since else ""
        return f"{self.label}{since}: {self.detail}" if self.detail else f"{self.label}{since}"

    def __str__(self) -> str:
        return self.text


def _open_on(on: date, start: str = "starts_on", end: str = "ends_on", inclusive_end=False) -> Q:
    ended_after = Q(**{f"{end}__gte" if inclusive_end else f"{end}__gt": on})
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | ended_after)


def _age_on(born: date | None, on: date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def statuses_for(child_ids: Iterable[int], on: date) -> dict[int, list[Status]]:
    """Every status of each child on the day, in the order of KINDS. Every id passed is a key
    (with an empty list where the child has none)."""
    ids = list(dict.fromkeys(int(i) for i in child_ids))
    result: dict[int, list[Status]] = {i: [] for i in ids}
    for start in range(0, len(ids), _CHUNK):
        _fill(result, ids[start : start + _CHUNK], on)
    return result


def status_for(child_id: int, on: date) -> list[Status]:
    return statuses_for([child_id], on)[child_id]


def _fill(result: dict[int, list[Status]], ids: list[int], on: date) -> None:
    # Imported here so that models can import nothing from casework, and casework imports
    # this module cheaply.
    from harbour.access.models import Restriction
    from harbour.care.models import CareLeaver, LegalStatus, PeriodOfCare, Placement
    from harbour.journey.models import (
        ChildInNeedPlan,
        ChildProtectionPlan,
        EarlyHelpEpisode,
        Referral,
    )

    found: dict[int, dict[str, Status]] = defaultdict(dict)

    # Looked after: the period open on the day, its latest legal status and placement.
    periods = {
        p["child_id"]: p
        for p in PeriodOfCare.objects.filter(_open_on(on), child_id__in=ids)
        .order_by("child_id", "starts_on")
        .values("id", "child_id", "starts_on")
    }
    if periods:
        period_ids = [p["id"] for p in periods.values()]
        legal: dict[int, str] = {}
        for row in (
            LegalStatus.objects.filter(period_id__in=period_ids, starts_on__lte=on)
            .order_by("period_id", "starts_on", "id")
            .values("period_id", "code")
        ):
            legal[row["period_id"]] = row["code"]  # the latest wins
        placed: dict[int, dict] = {}
        for row in (
            Placement.objects.filter(_open_on(on, inclusive_end=False), period_id__in=period_ids)
            .order_by("period_id", "starts_on", "id")
            .values("period_id", "placement_type", "provider_name")
        ):
            placed[row["period_id"]] = row
        legal_list = code_list("legal_status")
        placement_list = code_list("placement_type")
        for child_id, period in periods.items():
            parts = []
            if code := legal.get(period["id"]):
                parts.append(legal_list.label(code))
            if placement := placed.get(period["id"]):
                where = placement_list.label(placement["placement_type"])
                if placement["provider_name"]:
                    where = f"{where} ({placement['provider_name']})"
                parts.append(where)
            found[child_id][LOOKED_AFTER] = Status(
                LOOKED_AFTER, "Looked after", "; ".join(parts), period["starts_on"]
            )

    # Child protection: the plan open on the day (the earliest, should two overlap).
    abuse = code_list("category_of_abuse")
    for row in (
        ChildProtectionPlan.objects.filter(_open_on(on), child_id__in=ids)
        .order_by("child_id", "-starts_on")
        .values("child_id", "starts_on", "latest_category")
    ):
        found[row["child_id"]][CHILD_PROTECTION] = Status(
            CHILD_PROTECTION,
            "Child protection plan",
            abuse.label(row["latest_category"]),
            row["starts_on"],
        )

    # Child in need: an open referral (a child in need episode), with a plan if there is one.
    episodes = {}
    for row in (
        Referral.objects.filter(
            _open_on(on, start="received_on", end="closed_on", inclusive_end=True),
            child_id__in=ids,
        )
        .order_by("child_id", "-received_on")
        .values("child_id", "received_on")
    ):
        episodes[row["child_id"]] = row["received_on"]  # the earliest open one wins
    plans = {}
    for row in (
        ChildInNeedPlan.objects.filter(_open_on(on), child_id__in=list(episodes))
        .order_by("child_id", "-starts_on")
        .values("child_id", "starts_on")
        if episodes
        else []
    ):
        plans[row["child_id"]] = row["starts_on"]
    for child_id, received_on in episodes.items():
        if LOOKED_AFTER in found[child_id] or CHILD_PROTECTION in found[child_id]:
            continue
        if child_id in plans:
            started = plans[child_id]
            detail = f"plan since {started.day} {started:%B %Y}"
        else:
            detail = "no plan yet"
        found[child_id][CHILD_IN_NEED] = Status(CHILD_IN_NEED, "Child in need", detail, received_on)

    # Care leaver: under 26 and not looked after on the day.
    categories = dict(CareLeaver.Category.choices)
    for row in CareLeaver.objects.filter(child_id__in=ids).values(
        "child_id", "category", "child__date_of_birth", "pathway_plan_started_on"
    ):
        age = _age_on(row["child__date_of_birth"], on)
        if LOOKED_AFTER in found[row["child_id"]] or age is None or age >= 26:
            continue
        found[row["child_id"]][CARE_LEAVER] = Status(
            CARE_LEAVER,
            "Care leaver",
            categories.get(row["category"], row["category"]),
            row["pathway_plan_started_on"],
        )

    # Early help: an episode open on the day.
    for row in (
        EarlyHelpEpisode.objects.filter(_open_on(on, inclusive_end=True), child_id__in=ids)
        .order_by("child_id", "-starts_on")
        .values("child_id", "starts_on", "lead_professional_agency")
    ):
        agency = row["lead_professional_agency"]
        found[row["child_id"]][EARLY_HELP] = Status(
            EARLY_HELP,
            "Early help",
            f"Lead professional: {agency}" if agency else "",
            row["starts_on"],
        )

    # Restricted: said, never why.
    for row in Restriction.objects.filter(child_id__in=ids).values("child_id", "created_at"):
        found[row["child_id"]][RESTRICTED] = Status(
            RESTRICTED, "Restricted record", "", row["created_at"].date()
        )

    for child_id, by_kind in found.items():
        result[child_id] = [by_kind[k] for k in KINDS if k in by_kind]
