"""The children looked after return (SSDA903) for a collection year, as CSV files.

Episodes are not stored: one starts whenever the legal status or the placement changes, so they
are cut here from periods of care, legal statuses and placements. What goes in each table, and
the rules that shape it, are in docs/returns/specification.md, section 2.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

from harbour.care.models import (
    AdoptionPlan,
    CareLeaverContact,
    Conviction,
    HealthAssessment,
    LegalStatus,
    LookedAfterReview,
    PeriodOfCare,
    Placement,
    PreviousPermanence,
)
from harbour.journey.models import MissingEpisode
from harbour.people.models import Address, Child, Relationship
from harbour.returns.period import CollectionYear
from harbour.returns.ssda903.tables import DATE_FORMAT, TABLES
from harbour.workforce.models import Allocation

SEX_FROM = 2025  # from 2024-25 the return sends M, F, U; before, 1 and 2
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
SCHOOL_AGE_UPN = 4  # 903 rule 209: no UN1 for a child aged 4 by 31 August before the year


def _d(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


@dataclass
class Episode:
    child_id: int
    decom: date
    rne: str
    ls: str
    cin: str
    placement: Placement
    dec: date | None
    rec: str
    reason_place_change: str


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def cut_episodes(period, legal: list, placements: list) -> list[Episode]:
    """The period's episodes: a new one each day the legal status or placement changes."""
    days = sorted(
        {period.starts_on} | {s.starts_on for s in legal} | {p.starts_on for p in placements}
    )
    days = [
        d for d in days if d >= period.starts_on and (period.ends_on is None or d < period.ends_on)
    ]
    episodes: list[Episode] = []
    for n, day in enumerate(days):
        status = [s for s in legal if s.starts_on <= day][-1]
        placement = [p for p in placements if p.starts_on <= day][-1]
        following = days[n + 1] if n + 1 < len(days) else None
        if episodes:
            before = episodes[-1]
            changed_status = before.ls != status.code
            moved = before.placement.pk != placement.pk
            rne = "T" if changed_status and moved else ("L" if changed_status else "P")
            if (
                moved
                and placement.placement_type not in TEMPORARY
                and before.placement.placement_type not in TEMPORARY
            ):
                before.reason_place_change = before.placement.reason_for_change
        else:
            rne = "S"
        episodes.append(
            Episode(
                child_id=period.child_id,
                decom=day,
                rne=rne,
                ls=status.code,
                cin=period.category_of_need,
                placement=placement,
                dec=following or period.ends_on,
                rec="X1" if following else period.reason_ceased,
                reason_place_change="",
            )
        )
    return episodes


class ReturnData:
    def __init__(self, year: CollectionYear):
        self.year = year
        start, end = year.start, year.end
        periods = PeriodOfCare.objects.filter(starts_on__lte=end).exclude(ends_on__lt=start)
        self.periods = list(periods.order_by("child_id", "starts_on"))
        ids = {p.child_id for p in self.periods}
        self.legal = self._by(
            LegalStatus.objects.filter(child_id__in=ids).order_by("starts_on", "id"), "period_id"
        )
        self.placements = self._by(
            Placement.objects.filter(child_id__in=ids).order_by("starts_on", "id"), "period_id"
        )
        self.all_periods = self._by(
            PeriodOfCare.objects.filter(child_id__in=ids).order_by("starts_on"), "child_id"
        )
        self.leavers = self._care_leavers(ids)
        self.children = Child.objects.in_bulk(ids | set(self.leavers))
        self.addresses = self._by(
            Address.objects.filter(child_id__in=ids).order_by("starts_on"), "child_id"
        )
        self.own_children = defaultdict(list)
        for child_id, born in Relationship.objects.filter(
            child_id__in=ids, kind="son_daughter"
        ).values_list("child_id", "family_member__date_of_birth"):
            if born:
                self.own_children[child_id].append(born)

    @staticmethod
    def _by(queryset, key: str) -> dict:
        grouped = defaultdict(list)
        for row in queryset:
            grouped[getattr(row, key)].append(row)
        return grouped

    def _care_leavers(self, looked_after: set) -> dict:
        """Care leavers whose 17th to 21st birthday falls in the year, not in care that day."""
        found = {}
        contacts = CareLeaverContact.objects.select_related("care_leaver__child").order_by(
            "contact_on"
        )
        by_child = defaultdict(list)
        for contact in contacts:
            by_child[contact.care_leaver.child_id].append(contact)
        for child_id, rows in by_child.items():
            child = rows[0].care_leaver.child
            if child.date_of_birth is None:
                continue
            for age in (17, 18, 19, 20, 21):
                birthday = child.date_of_birth + relativedelta(years=age)
                if self.year.within(birthday) and self._left_care_before(child_id, birthday):
                    near = min(rows, key=lambda r: abs((r.contact_on - birthday).days))
                    found[child_id] = near
        return found

    def _left_care_before(self, child_id: int, birthday: date) -> bool:
        """A care leaver on the birthday: left care on or before it, and not in care again
        since (rules 1007 and 1016)."""
        periods = PeriodOfCare.objects.filter(child_id=child_id)
        left = any(p.ends_on is not None and p.ends_on < birthday for p in periods)
        since = any(p.ends_on is None or p.ends_on > birthday for p in periods)
        return left and not since


def return_tables(year: int, ons_code: str = "") -> dict[str, list[list[str]]]:
    period_year = CollectionYear(year)
    data = ReturnData(period_year)
    start, end = period_year.start, period_year.end
    tables: dict[str, list[list[str]]] = {name: [] for name in TABLES}
    starters: set[int] = set()
    for period in data.periods:
        episodes = cut_episodes(period, data.legal[period.pk], data.placements[period.pk])
        for episode in episodes:
            if episode.decom > end or (episode.dec is not None and episode.dec < start):
                continue
            if episode.rne == "S" and period_year.within(episode.decom):
                starters.add(period.child_id)
            tables["episodes"].append(_episode_row(episode, data, end))
    in_return = {p.child_id for p in data.periods} | set(data.leavers)
    for child_id in sorted(in_return, key=lambda i: data.children[i].reference):
        child = data.children[child_id]
        tables["header"].append(_header_row(child, data, period_year))
    _reviews(tables, data, period_year)
    _uasc(tables, data, period_year)
    _oc2(tables, data, period_year)
    _oc3(tables, data)
    _adoption(tables, data, period_year)
    _previous_permanence(tables, data, starters)
    _missing(tables, data, period_year)
    _social_workers(tables, data, period_year)
    for rows in tables.values():
        rows.sort()
    return tables


def _ref(data, child_id) -> str:
    return data.children[child_id].reference


def _episode_row(episode: Episode, data: ReturnData, end: date) -> list[str]:
    child = data.children[episode.child_id]
    placement = episode.placement
    closed = episode.dec is not None and episode.dec <= end
    home = [a for a in data.addresses[child.pk] if a.starts_on <= episode.decom] or data.addresses[
        child.pk
    ][:1]
    home_postcode = "" if child.unaccompanied_asylum_seeking or not home else home[-1].postcode
    return [
        child.reference,
        _d(episode.decom),
        episode.rne,
        episode.ls,
        episode.cin,
        placement.placement_type,
        placement.provider,
        _d(episode.dec) if closed else "",
        episode.rec if closed else "",
        episode.reason_place_change if closed else "",
        home_postcode,
        placement.postcode,
        placement.urn,
    ]


def _sex(child: Child, year: int) -> str:
    if year >= SEX_FROM:
        return child.sex
    return {"M": "1", "F": "2"}.get(child.sex, "")


def _upn(child: Child, year: CollectionYear) -> str:
    if child.upn:
        return child.upn
    if child.upn_unknown in ("UN1", "UN2", "UN3", "UN4", "UN5"):
        return child.upn_unknown
    cutoff = date(year.start.year - 1, 8, 31)
    return (
        "UN1"
        if child.date_of_birth and _age(child.date_of_birth, cutoff) < SCHOOL_AGE_UPN
        else "UN4"
    )


def _header_row(child: Child, data: ReturnData, year: CollectionYear) -> list[str]:
    mother, first_born = "", ""
    looked_after = any(p.child_id == child.pk for p in data.periods)
    if child.sex == "F" and looked_after:  # not for care leavers only in OC3 (rule 628)
        births = sorted(b for b in data.own_children.get(child.pk, []) if b <= year.end)
        mother = "1" if births else "0"
        first_born = _d(births[0]) if births else ""
    return [
        child.reference,
        _sex(child, year.year),
        _d(child.date_of_birth),
        child.ethnicity or "NOBT",
        _upn(child, year),
        mother,
        first_born,
    ]


def _reviews(tables, data, year) -> None:
    ids = {p.child_id for p in data.periods}
    for review in LookedAfterReview.objects.filter(
        child_id__in=ids, held_on__gte=year.start, held_on__lte=year.end
    ):
        child = data.children[review.child_id]
        tables["reviews"].append(
            [child.reference, _d(child.date_of_birth), _d(review.held_on), review.participation]
        )


def _uasc(tables, data, year) -> None:
    for child_id in {p.child_id for p in data.periods}:
        child = data.children[child_id]
        if child.unaccompanied_asylum_seeking:
            ceased = (
                child.uasc_ceased_on
                if child.uasc_ceased_on and child.uasc_ceased_on <= year.end
                else None
            )
            tables["uasc"].append(
                [child.reference, _sex(child, year.year), _d(child.date_of_birth), _d(ceased)]
            )


def _oc2(tables, data, year) -> None:
    """Children looked after continuously for twelve months at 31 March."""
    cohort, broken = set(), set()
    for period in data.periods:
        # Twelve months by 31 March: in care by 1 April and not left before 31 March.
        if period.starts_on <= year.start and (
            period.ends_on is None or period.ends_on >= year.end
        ):
            cohort.add(period.child_id)
        # Not continuously, as the validators judge it: a period of care starting after 1
        # April, or an agreed series of short breaks (V3, V4) at any time in the year.
        if period.starts_on > year.start:
            broken.add(period.child_id)
        statuses = data.legal[period.pk]
        for n, status in enumerate(statuses):
            ends = statuses[n + 1].starts_on if n + 1 < len(statuses) else period.ends_on
            if (
                status.code in ("V3", "V4")
                and status.starts_on <= year.end
                and (ends is None or ends >= year.start)
            ):
                broken.add(period.child_id)
    cohort -= broken
    assessments = defaultdict(list)
    for a in HealthAssessment.objects.filter(child_id__in=cohort, done_on__lte=year.end).order_by(
        "done_on", "id"
    ):
        assessments[a.child_id].append(a)
    convicted = set(
        Conviction.objects.filter(
            child_id__in=cohort, convicted_on__gte=year.start, convicted_on__lte=year.end
        ).values_list("child_id", flat=True)
    )
    for child_id in cohort:
        child = data.children[child_id]
        age_end = _age(child.date_of_birth, year.end)
        age_start = _age(child.date_of_birth, year.start)
        latest = assessments[child_id][-1] if assessments[child_id] else None
        in_year = [
            a for a in assessments[child_id] if a.done_on >= year.start and a.kind != "summary"
        ]
        scored = [a for a in in_year if a.sdq_score is not None]
        wants_sdq = age_start >= 4 and age_end < 17 or age_end == 4 or age_end == 17
        misuse = [a for a in in_year if a.substance_misuse]
        sdq_score = str(scored[-1].sdq_score) if wants_sdq and scored else ""
        sdq_reason = (
            ""
            if sdq_score or not wants_sdq
            else (latest.sdq_reason if latest and latest.sdq_reason else "SDQ4")
        )
        received = misuse[-1].intervention_received if misuse else None
        tables["oc2"].append(
            [
                child.reference,
                _d(child.date_of_birth),
                sdq_score,
                sdq_reason,
                ("1" if child_id in convicted else "0") if age_end >= 10 else "",
                ("1" if in_year else "0") if age_end < 5 else "",
                "1" if latest and latest.immunisations_up_to_date else "0",
                "1" if latest and latest.teeth_checked else "0",
                "1" if in_year else "0",
                "1" if misuse else "0",
                ("1" if received else "0") if misuse else "",
                ("1" if misuse[-1].intervention_offered else "0")
                if misuse and not received
                else "",
            ]
        )


def _oc3(tables, data) -> None:
    for child_id, contact in data.leavers.items():
        child = data.children[child_id]
        in_touch = contact.in_touch
        suitable = (
            "2"
            if contact.accommodation in ("S", "X") or contact.accommodation_suitable is False
            else "1"
        )
        if in_touch in ("DIED", "RHOM"):
            activity, accommodation = "", ""  # rule 344
        elif contact.accommodation:
            activity, accommodation = contact.activity or "0", contact.accommodation + suitable
        else:
            activity, accommodation = "0", "0"  # not known: coded, not blank (rule 153)
        tables["oc3"].append(
            [child.reference, _d(child.date_of_birth), in_touch, activity, accommodation]
        )


def _adoption(tables, data, year) -> None:
    ids = {p.child_id for p in data.periods}
    adopted_in_year = {
        p.child_id
        for p in data.periods
        if p.reason_ceased in ("E11", "E12") and year.within(p.ends_on)
    }
    for plan in AdoptionPlan.objects.filter(child_id__in=ids, decided_on__lte=year.end):
        child = data.children[plan.child_id]
        adopted = plan.child_id in adopted_in_year
        ceased = (
            plan.placement_ceased_on
            if not adopted and plan.placement_ceased_on and plan.placement_ceased_on <= year.end
            else None
        )
        if ceased is not None and ceased < year.start:
            continue
        tables["placed_for_adoption"].append(
            [
                child.reference,
                _d(child.date_of_birth),
                _d(plan.decided_on),
                _d(ceased),
                plan.reason_ceased if ceased else "",
            ]
        )
        if adopted:
            tables["ad1"].append(
                [
                    child.reference,
                    _d(child.date_of_birth),
                    _d(plan.decided_on),
                    _d(plan.matched_on),
                    "1" if plan.foster_carers_adopting else "0",
                    str(plan.number_of_adopters or ""),
                    plan.adopters_sex,
                    plan.adopters_legal_status,
                ]
            )


def _previous_permanence(tables, data, starters: set[int]) -> None:
    recorded = {p.child_id: p for p in PreviousPermanence.objects.filter(child_id__in=starters)}
    for child_id in starters:
        child = data.children[child_id]
        found = recorded.get(child_id)
        if found is None or found.option == "Z1":
            row = ["Z1", "", ""]  # not known, or none
        else:
            row = [found.option, found.la_code, found.made_on_text or _d(found.made_on)]
        tables["previous_permanence"].append([child.reference, _d(child.date_of_birth), *row])


def _missing(tables, data, year) -> None:
    ids = {p.child_id for p in data.periods}
    from django.utils import timezone

    for episode in MissingEpisode.objects.filter(child_id__in=ids).order_by("started_at"):
        started = timezone.localtime(episode.started_at).date()
        ended = timezone.localtime(episode.ended_at).date() if episode.ended_at else None
        if started > year.end or (ended is not None and ended < year.start):
            continue
        in_care = any(
            p.starts_on <= started and (p.ends_on is None or p.ends_on > started)
            for p in data.all_periods[episode.child_id]
        )
        if not in_care:
            continue
        child = data.children[episode.child_id]
        tables["missing"].append(
            [
                child.reference,
                _d(child.date_of_birth),
                episode.kind,
                _d(started),
                _d(ended if ended and ended <= year.end else None),
            ]
        )


def _social_workers(tables, data, year) -> None:
    """Social worker episodes of children looked after on 31 March, within their periods of
    care in the year (the validators check them against the episodes that start and end
    care: rules SW12 and SW17)."""
    periods = data.periods
    ids = {p.child_id for p in periods}
    allocations = defaultdict(list)
    for allocation in (
        Allocation.objects.filter(child_id__in=ids, kind="social_worker", starts_on__lte=year.end)
        .select_related("worker")
        .order_by("starts_on", "id")
    ):
        allocations[allocation.child_id].append(allocation)
    for period in periods:
        child = data.children[period.child_id]
        # The worker who holds the child when care ends stays open (rule SW17): an end date
        # only where the worker changed while the child was looked after.
        care_ends = period.ends_on if period.ends_on and period.ends_on <= year.end else None
        for allocation in allocations[period.child_id]:
            starts = max(allocation.starts_on, period.starts_on)
            ends = allocation.ends_on
            if ends is not None and (ends <= starts or ends < year.start):
                continue
            if care_ends is not None and starts >= care_ends:
                continue
            changed_in_care = (
                ends is not None and ends <= year.end and (care_ends is None or ends < care_ends)
            )
            tables["social_worker_episodes"].append(
                [
                    child.reference,
                    _d(child.date_of_birth),
                    allocation.worker.registration_number or f"XX{allocation.worker_id:04d}",
                    _d(starts),
                    _d(ends if changed_in_care else None),
                    allocation.reason or "OTHERS",
                ]
            )


def write_return(year: int, folder: Path, ons_code: str = "") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in return_tables(year, ons_code).items():
        path = folder / f"{name}.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(TABLES[name])
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        written.append(path)
    return written
