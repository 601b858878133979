"""The plain-Python path a page's duties take (plain.py) gives exactly the duties the columnar
engine gives: for a whole synthetic county at once, for each child's record on its own, and for
a team's children with its staff's supervision."""

import random
from collections import Counter
from datetime import date, timedelta

import polars as pl
import pytest

from harbour.synth.failures import parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES
from harbour.timescales import plain, selectors
from harbour.timescales.engine import compute_duties
from harbour.timescales.rulebook import rulebook
from harbour.timescales.sources import frames_from_rows, read_rows, read_tables
from harbour.workforce.models import Allocation, Staff, Team

END = date(2026, 11, 20)
FIELDS = ("rule", "child_id", "staff_id", "trigger", "due", "completed", "status")
HOLDERS = ("worker_id", "team_id")

pytestmark = pytest.mark.django_db


def _columnar(tables, as_of):
    frame = compute_duties(tables, as_of).with_columns(pl.col("rule", "status").cast(pl.String))
    return Counter(tuple(r[f] for f in FIELDS + HOLDERS) for r in frame.iter_rows(named=True))


def _plainly(rows, as_of, rules=None):
    duties = plain.compute_duties(plain.tables_from_rows(rows), as_of, rules or rulebook().names)
    return Counter(tuple(d[f] for f in FIELDS + HOLDERS) for d in duties)


def _page(duties):
    return Counter(tuple(getattr(d, f) for f in FIELDS + HOLDERS) for d in duties)


@pytest.fixture
def county():
    """A small county with many injected failures (late, missed and out-of-order steps)."""
    load_county(SIZES["small"], 2, 21, END, parse_rates(["all=0.2"]))


def test_the_whole_county_gives_the_same_duties_both_ways(county):
    for as_of in (END, END - timedelta(days=200)):
        columnar = _columnar(read_tables(), as_of)
        plainly = _plainly(read_rows(), as_of)
        assert sum(columnar.values()) > 1_000
        assert {r[0] for r in columnar} >= {"looked_after_visit", "child_protection_visit"}
        assert plainly == columnar, as_of
        # What trays ask for: only the duties not done, the same ones.
        undone = plain.compute_duties(
            plain.tables_from_rows(read_rows()), as_of, rulebook().names, undone=True
        )
        not_done = Counter(
            {d: n for d, n in columnar.items() if d[FIELDS.index("completed")] is None}
        )
        assert Counter(tuple(d[f] for f in FIELDS + HOLDERS) for d in undone) == not_done
        assert 0 < sum(not_done.values()) < sum(columnar.values())
    # A team's children with its staff (and their supervision), as the team page reads them.
    team = max(
        Team.objects.all(),
        key=lambda t: Allocation.objects.filter(team=t, ends_on=None).count(),
    )
    children = sorted(
        set(Allocation.objects.filter(team=team, ends_on=None).values_list("child_id", flat=True))
    )
    staff = sorted(Staff.objects.filter(team=team).values_list("pk", flat=True))
    rows = read_rows(children=children, staff=staff)
    columnar = _page(selectors._worked_out(frames_from_rows(rows), END, staff))
    assert any(d[0] == "supervision" for d in columnar)
    assert _page(selectors._worked_out_plainly(rows, END, staff)) == columnar
    undone = _page(selectors._worked_out_plainly(rows, END, staff, undone=True))
    assert undone == Counter({d: n for d, n in columnar.items() if d[5] is None})


def test_each_childs_record_gives_the_same_duties_both_ways(county):
    from harbour.people.models import Child

    ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(3).sample(ids, 150)
    compared = 0
    for child in chosen:
        rows = read_rows(children=[child], staff=[])
        columnar = _page(selectors._worked_out(frames_from_rows(rows), END, []))
        assert _page(selectors._worked_out_plainly(rows, END, [])) == columnar, child
        compared += sum(columnar.values())
    assert compared > 100
    _never_held_by_another_childs_worker()


def _never_held_by_another_childs_worker():
    """The holder is the child's own allocation on the day: a duty due before the child's
    first allocation is no one's, whichever child's allocation comes before it in the table."""
    rows = read_rows()
    duties = plain.compute_duties(plain.tables_from_rows(rows), END, rulebook().names)
    allocations = {}
    for a in Allocation.objects.values("child_id", "worker_id"):
        allocations.setdefault(a["child_id"], set()).add(a["worker_id"])
    held = [d for d in duties if d["child_id"] is not None and d["worker_id"] is not None]
    assert held and all(d["worker_id"] in allocations[d["child_id"]] for d in held)
    columnar = compute_duties(read_tables(), END)
    for row in columnar.filter(pl.col("worker_id").is_not_null()).iter_rows(named=True):
        if row["child_id"] is not None:
            assert row["worker_id"] in allocations[row["child_id"]]


def test_a_strategy_decision_starts_the_strategy_discussion_duty_both_ways():
    """The front door decides a strategy discussion is needed: the duty to hold it runs from
    that day, on both paths, until a discussion is held for the child, whose own concern then
    carries it (done late here: held after the policy's working day)."""
    from django.utils import timezone

    from harbour.journey.models import Contact, Referral, StrategyDiscussion
    from harbour.people.models import Child

    today = END
    child = Child.objects.create(
        reference="SYN0000991", forename="Sam", surname="Decided", sex="M",
        date_of_birth=date(2018, 1, 1),
    )  # fmt: skip
    came = timezone.make_aware(timezone.datetime(2026, 11, 2, 9, 0))
    contact = Contact.objects.create(
        child=child, received_at=came, source="1B", decision="strategy",
        decision_at=came + timedelta(hours=3),
    )  # fmt: skip

    def strategy_duties():
        columnar = {
            k: n
            for k, n in _columnar(read_tables(), today).items()
            if k[0] == "strategy_discussion"
        }
        plainly = {
            k: n for k, n in _plainly(read_rows(), today).items() if k[0] == "strategy_discussion"
        }
        assert plainly == columnar
        return list(columnar)

    (waiting,) = strategy_duties()
    assert waiting[1:3] == (child.pk, None)
    assert waiting[3] == date(2026, 11, 2) and waiting[5] is None and waiting[6] == "overdue"

    referral = Referral.objects.create(
        child=child, contact=contact, received_on=date(2026, 11, 2), source="1B"
    )
    StrategyDiscussion.objects.create(
        child=child, referral=referral, concern_identified_on=date(2026, 11, 2),
        held_on=date(2026, 11, 9), outcome="s47",
    )  # fmt: skip
    (held,) = strategy_duties()
    assert held[3] == date(2026, 11, 2) and held[5] == date(2026, 11, 9)
    assert held[6] == "done_late"
