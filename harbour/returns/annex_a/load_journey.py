"""Loading Lists 1 to 7: contacts, early help, referrals and child in need episodes,
assessments, section 47 enquiries and conferences, child protection plans and their visits."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.utils import timezone

from harbour.journey.models import (
    Assessment,
    ChildProtectionPlan,
    Conference,
    Contact,
    EarlyHelpEpisode,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from harbour.returns.annex_a.data import day_start, local_day
from harbour.returns.annex_a.loader import Loader, given
from harbour.returns.annex_a.parse import ID

UNKNOWN_SOURCE = "10"  # the census's own code for a referral source not known
S47_START = "Strategy discussion initiating Section 47 Enquiry Start Date"
ICPC_DATE = "Date of Initial Child Protection Conference"


def _ids(loader: Loader, name: str) -> list[int]:
    return list(
        {loader.children[r[ID]].pk for r in loader.rows.get(name, []) if r[ID] in loader.children}
    )


def _rows(loader: Loader, name: str):
    return [r for r in loader.rows.get(name, []) if r[ID] in loader.children]


def _days(loader: Loader, name: str, *headings: str) -> list:
    """The days a list gives in these columns: held records dated otherwise are not read."""
    return list({r[h] for r in _rows(loader, name) for h in headings if r[h] is not None})


def _first(queryset, *key) -> dict:
    found = {}
    for record in queryset:
        found.setdefault(tuple(getattr(record, k) for k in key), record)
    return found


def load_contacts(loader: Loader) -> None:
    """A child may be the subject of two contacts from one source on one day: rows and held
    contacts are matched one for one, the rest made."""
    rows = _rows(loader, "List 1")
    wanted = defaultdict(int)
    for row in rows:
        wanted[(loader.child(row).pk, row["Date of Contact"], row["Contact Source"])] += 1
    held = defaultdict(list)
    days = [day for _, day, _ in wanted] or [loader.as_of]
    window = (day_start(min(days)), day_start(max(days) + timedelta(1)))  # local days
    for contact in Contact.objects.filter(
        child_id__in=_ids(loader, "List 1"), received_at__gte=window[0], received_at__lt=window[1]
    ):
        held[(contact.child_id, local_day(contact.received_at), contact.source)].append(contact)
    for (child_id, day, source), count in wanted.items():
        matched = held[(child_id, day, source)][:count]
        loader.outcome.unchanged[Contact._meta.verbose_name] += len(matched)
        # Midday, so the day stays the day wherever the clocks are.
        received = timezone.make_aware(datetime.combine(day, time(12)))
        for _ in range(count - len(matched)):
            loader.new(Contact, {"child_id": child_id, "received_at": received, "source": source})


def load_early_help(loader: Loader) -> None:
    held = _first(
        EarlyHelpEpisode.objects.filter(
            child_id__in=_ids(loader, "List 2"),
            starts_on__in=_days(loader, "List 2", "Assessment start date"),
        ),
        "child_id",
        "starts_on",
    )
    for row in _rows(loader, "List 2"):
        child, starts = loader.child(row), row["Assessment start date"]
        values = {
            "assessment_completed_on": row["Assessment completion date"],
            "lead_professional_agency": row["Organisation completing assessment"],
        }
        loader.save(
            EarlyHelpEpisode,
            {"child": child, "starts_on": starts},
            given(values),
            held.get((child.pk, starts)),
        )


def load_referrals(loader: Loader) -> None:
    """Lists 3 (referrals) and 6 (child in need episodes) describe the same referrals."""
    merged: dict[tuple, dict] = {}
    for row in _rows(loader, "List 3"):
        key = (loader.child(row), row["Date of referral"])
        merged.setdefault(key, {}).update(
            source=row["Referral Source"], no_further_action=row["Referral NFA?"]
        )
    for row in _rows(loader, "List 6"):
        key = (loader.child(row), row["CIN Start Date"])
        merged.setdefault(key, {}).update(
            primary_need=row["Primary Need Code"],
            closed_on=row["CIN Closure Date"],
            closure_reason=row["Reason for Closure"],
        )
    held = {(r.child_id, r.received_on): r for rs in loader.episodes.values() for r in rs}
    for (child, day), values in merged.items():
        existing = held.get((child.pk, day))
        if existing is None:
            values = {"source": UNKNOWN_SOURCE, **given(values)}
        referral = loader.save(
            Referral, {"child": child, "received_on": day}, given(values), existing
        )
        if existing is None:
            loader.episodes[child.pk].append(referral)
            loader.episodes[child.pk].sort(key=lambda r: (r.received_on, r.pk))


def load_assessments(loader: Loader) -> None:
    held = _first(
        Assessment.objects.filter(
            child_id__in=_ids(loader, "List 4"),
            started_on__in=_days(loader, "List 4", "Continuous Assessment Start Date"),
        ),
        "child_id",
        "started_on",
    )
    for row in _rows(loader, "List 4"):
        child, starts = loader.child(row), row["Continuous Assessment Start Date"]
        existing = held.get((child.pk, starts))
        support = row["Was the child assessed as requiring LA children's social care support?"]
        values = {
            "child_seen": row["Child Seen During Continuous Assessment"],
            "authorised_on": row["Continuous Assessment Date of Authorisation"],
            "worker": loader.worker(row),
        }
        if support is not None and (existing is None or not existing.outcome):
            # The workbook says only whether support was needed: the nearest outcomes.
            values["outcome"] = "cin" if support else "nfa"
        if existing is None:
            referral = loader.episode(row, child, starts, "Continuous Assessment Start Date")
            if referral is None:
                continue
            values |= {"referral": referral, "kind": Assessment.Kind.SINGLE}
        loader.save(Assessment, {"child": child, "started_on": starts}, given(values), existing)


def load_enquiries(loader: Loader) -> None:
    ids, starts = _ids(loader, "List 5"), _days(loader, "List 5", S47_START)
    held = _first(
        Section47Enquiry.objects.filter(child_id__in=ids, started_on__in=starts),
        "child_id",
        "started_on",
    )
    discussions = _first(
        StrategyDiscussion.objects.filter(
            child_id__in=ids, held_on__in=starts, section_47_enquiry__isnull=True
        ),
        "child_id",
        "held_on",
    )
    conferences = _first(
        Conference.objects.filter(
            child_id__in=ids, kind="initial", held_on__in=_days(loader, "List 5", ICPC_DATE)
        ),
        "child_id",
        "held_on",
    )
    for row in _rows(loader, "List 5"):
        child, starts = loader.child(row), row[S47_START]
        existing = held.get((child.pk, starts))
        lead = loader.worker(row)
        values = {}
        if existing is None:
            referral = loader.episode(row, child, starts, S47_START)
            if referral is None:
                continue
            discussion = discussions.get((child.pk, starts)) or loader.save(
                StrategyDiscussion,
                {"child": child, "held_on": starts},
                {"referral": referral, "concern_identified_on": starts, "outcome": "s47"},
            )
            values = {"referral": referral, "strategy_discussion": discussion}
        unnecessary = row["Was an Initial Child Protection Conference deemed unnecessary?"]
        held_on = row[ICPC_DATE]
        if unnecessary is not None and not (existing and existing.outcome) and not held_on:
            values["outcome"] = "unsubstantiated" if unnecessary else "icpc"
        values["lead_worker"] = lead
        enquiry = loader.save(
            Section47Enquiry, {"child": child, "started_on": starts}, given(values), existing
        )
        if held_on:
            plan = row[
                "Did the Initial Child Protection Conference Result in a Child Protection Plan"
            ]
            conference = conferences.get((child.pk, held_on))
            link = (
                enquiry if conference is None or conference.section_47_enquiry_id is None else None
            )
            values = {
                "section_47_enquiry": link,
                "outcome": None if plan is None else ("plan" if plan else "no_plan"),
            }
            conferences[(child.pk, held_on)] = loader.save(
                Conference,
                {"child": child, "kind": "initial", "held_on": held_on},
                given(values),
                conference,
            )


def load_plans(loader: Loader) -> None:
    ids = _ids(loader, "List 7")
    rows = _rows(loader, "List 7")
    held = _first(ChildProtectionPlan.objects.filter(child_id__in=ids), "child_id", "starts_on")
    conferences = _first(
        Conference.objects.filter(
            child_id__in=ids,
            kind="initial",
            held_on__in=_days(loader, "List 7", "Child Protection Plan Start Date"),
        ),
        "child_id",
        "held_on",
    )
    reviews = _first(
        Conference.objects.filter(
            child_id__in=ids,
            kind="review",
            held_on__in=_days(loader, "List 7", "Date of latest review conference"),
        ),
        "plan_id",
        "held_on",
    )
    starts = defaultdict(set)  # every plan the child will have, for the count of earlier ones
    for child_id, day in held:
        starts[child_id].add(day)
    for row in rows:
        starts[loader.child(row).pk].add(row["Child Protection Plan Start Date"])
    for row in rows:
        child, day = loader.child(row), row["Child Protection Plan Start Date"]
        existing = held.get((child.pk, day))
        values = {
            "initial_category": row["Initial Category of Abuse"],
            "latest_category": row["Latest Category of Abuse"] or row["Initial Category of Abuse"],
            "ends_on": row["Child Protection Plan End Date"],
        }
        stated = row["Number of Previous Child Protection Plans"]
        earlier = sum(1 for d in starts[child.pk] if d < day)
        recorded = existing.previous_plans_recorded if existing else None
        if stated is not None and (stated != earlier or recorded is not None):
            values["previous_plans_recorded"] = stated  # earlier plans Harbour does not hold
        if existing is None:
            referral = loader.episode(row, child, day, "Child Protection Plan Start Date")
            if referral is None:
                continue
            conference = conferences.get((child.pk, day)) or loader.save(
                Conference,
                {"child": child, "kind": "initial", "held_on": day},
                {"outcome": "plan"},
            )
            values |= {"referral": referral, "initial_conference": conference}
        plan = loader.save(
            ChildProtectionPlan, {"child": child, "starts_on": day}, given(values), existing
        )
        review = row["Date of latest review conference"]
        if review:
            loader.save(
                Conference,
                {"child": child, "kind": "review", "plan": plan, "held_on": review},
                {},
                reviews.get((plan.pk, review)),
            )


def load_visits(loader: Loader) -> None:
    """The last statutory visits of Lists 7 and 8, then the day each child in need was last
    seen (List 6), which may be one of those visits."""
    from harbour.returns.annex_a.load_care import L8_VISIT

    ids = list({c.pk for c in loader.children.values()})
    days = {
        *_days(loader, "List 7", "Date of the Last Statutory Visit"),
        *_days(loader, "List 8", L8_VISIT),
        *_days(loader, "List 6", "Date Child Was Last Seen"),
    }
    held = defaultdict(list)
    for visit in Visit.objects.filter(child_id__in=ids, visited_on__in=days).order_by("id"):
        held[(visit.child_id, visit.visited_on)].append(visit)
    wanted = [
        (row, row["Date of the Last Statutory Visit"], Visit.Kind.CHILD_PROTECTION)
        for row in _rows(loader, "List 7")
    ] + [(row, row[L8_VISIT], Visit.Kind.LOOKED_AFTER) for row in _rows(loader, "List 8")]
    for row, day, kind in wanted:
        if day is None:
            continue
        child = loader.child(row)
        same = [v for v in held[(child.pk, day)] if v.kind == kind]
        alone = row["Was the Child Seen Alone?"] if kind == Visit.Kind.CHILD_PROTECTION else None
        values = {"seen_alone": alone, "child_seen": True if alone else None}
        visit = loader.save(
            Visit,
            {"child": child, "visited_on": day, "kind": kind},
            given(values),
            same[0] if same else None,
        )
        if not same:
            held[(child.pk, day)].append(visit)
    for row in _rows(loader, "List 6"):
        day = row["Date Child Was Last Seen"]
        if day is None:
            continue
        child = loader.child(row)
        visits = sorted(held[(child.pk, day)], key=lambda v: not v.child_seen)
        visit = loader.save(
            Visit,
            {"child": child, "visited_on": day, "kind": Visit.Kind.CHILD_IN_NEED},
            {"child_seen": True},
            visits[0] if visits else None,
        )
        if not visits:
            held[(child.pk, day)].append(visit)
