"""Work trays that show work, through the views, for each role: a worker's new allocations
and drafts, a chair's conferences, an IRO's reviews, a screener's queue, and a team manager's
team (its children and its unallocated ones, with how long each has waited)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent, Draft, Grant, Restriction
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.care.models import LookedAfterReview, PeriodOfCare
from harbour.journey.models import (
    ChildProtectionPlan,
    Conference,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.timescales.calendar import working_days
from harbour.web.tests.records import make_child
from harbour.workforce.models import Allocation, Staff, TrayLook

pytestmark = pytest.mark.django_db
R = Role


@pytest.fixture
def world():
    return build()


def _today():
    return timezone.localdate()


def _worker(world, name, team="north", role=R.SOCIAL_WORKER):
    return Staff.objects.create(
        forename=name,
        surname="Example",
        role=role,
        team=world.teams[team],
        qualified=True,
        starts_on=_today() - timedelta(days=2000),
    )


def _plan(child, starts_on, chair=None, reviews=()):
    referral = Referral.objects.create(child=child, received_on=starts_on, source="6")
    icpc = Conference.objects.create(child=child, kind="initial", held_on=starts_on, chair=chair)
    plan = ChildProtectionPlan.objects.create(
        child=child,
        referral=referral,
        initial_conference=icpc,
        starts_on=starts_on,
        initial_category="NEG",
        latest_category="NEG",
        contingency="Legal advice.",
    )
    for held_on, by in reviews:
        Conference.objects.create(child=child, kind="review", plan=plan, held_on=held_on, chair=by)
    return plan


def _tray(client, world, role, url="/work/"):
    client.logout()
    sign_in(client, world.users[role])
    response = client.get(url)
    assert response.status_code == 200
    return response


# ----- a worker: new allocations and drafts ----------------------------------------------------


def test_a_workers_tray_lists_new_allocations_with_who_they_came_from(client, world):
    today = _today()
    sw = world.staff[R.SOCIAL_WORKER]
    before = _worker(world, "Former")
    child = make_child("SYN0000101", "Nadia", "Brook")
    started = working_days().subtract(today, 3)
    Allocation.objects.create(
        child=child,
        worker=before,
        team=before.team,
        starts_on=today - timedelta(days=90),
        ends_on=started - timedelta(days=1),
    )
    Allocation.objects.create(
        child=child,
        worker=sw,
        team=sw.team,
        starts_on=started,
        reason="LEFTRL",
        created_by=world.users[R.TEAM_MANAGER],
    )
    old = make_child("SYN0000102", "Old", "Case")
    Allocation.objects.create(
        child=old, worker=sw, team=sw.team, starts_on=working_days().subtract(today, 11)
    )

    response = _tray(client, world, R.SOCIAL_WORKER)
    (item,) = response.context["new_allocations"]
    assert item.child == child and item.previous.worker == before and item.new
    page = response.content.decode()
    assert "Nadia Brook" in page and "Former Example" in page
    assert "why: the social worker left the role" in page.lower()
    assert "by Team manager Test" in page
    assert "Old Case" not in page.split('id="new-allocations"')[1]
    assert ">New<" in page

    # Looked at once, it is no longer new; a later allocation is.
    (again,) = _tray(client, world, R.SOCIAL_WORKER).context["new_allocations"]
    assert not again.new
    assert ">New<" not in _tray(client, world, R.SOCIAL_WORKER).content.decode()


def test_a_manager_opening_a_workers_tray_sees_the_allocations_and_never_their_drafts(
    client, world
):
    sw = world.staff[R.SOCIAL_WORKER]
    Draft.objects.create(user=world.users[R.SOCIAL_WORKER], path="/refer/", fields={"a": ["b"]})
    Allocation.objects.create(
        child=make_child("SYN0000103", "Fresh", "Case"),
        worker=sw,
        team=sw.team,
        starts_on=_today(),
    )
    response = _tray(client, world, R.TEAM_MANAGER, f"/work/{sw.pk}/")
    assert response.context["drafts"] == []
    # "New" is the worker's own: their manager looking neither sees it nor uses it up.
    assert [a.new for a in response.context["new_allocations"]] == [False]
    assert not TrayLook.objects.filter(staff=sw).exists()
    assert "Your drafts" not in response.content.decode()


def test_a_workers_own_drafts_are_listed_each_linked_to_resume(client, world):
    me = world.users[R.SOCIAL_WORKER]
    child = world.children["ours"]
    Draft.objects.create(user=me, path="/refer/", fields={"a": ["b"]})
    Draft.objects.create(
        user=me, path=f"/children/{child.reference}/open/", fields={"reason": ["x"]}
    )
    Draft.objects.create(user=me, path="//elsewhere.example/", fields={})
    Draft.objects.create(user=me, path="/no/such/page/", fields={})
    Draft.objects.create(user=world.users[R.TEAM_MANAGER], path="/refer/", fields={})

    response = _tray(client, world, R.SOCIAL_WORKER)
    drafts = response.context["drafts"]
    assert [d.url for d in drafts] == [f"/children/{child.reference}/open/", "/refer/"] or [
        d.url for d in drafts
    ] == ["/refer/", f"/children/{child.reference}/open/"]
    page = response.content.decode()
    assert 'href="/refer/"' in page and "Refer a child" in page
    assert "elsewhere.example" not in page and "/no/such/page/" not in page


def test_returned_work_is_not_shown_until_harbour_records_it(client, world):
    page = _tray(client, world, R.SOCIAL_WORKER).content.decode()
    assert "Returned to you" not in page


# ----- a conference chair and an IRO -----------------------------------------------------------


def test_a_chairs_tray_lists_the_conferences_they_chair_and_the_unassigned_ones(client, world):
    today = _today()
    chair = world.staff[R.CONFERENCE_CHAIR]
    other = _worker(world, "Other", team="reviewing", role=R.CONFERENCE_CHAIR)
    # Plans started about 11 weeks ago: the first review (3 months) falls in the next 6 weeks.
    soon = today - timedelta(weeks=11)
    mine = make_child("SYN0000201", "Mine", "Coming")
    _plan(mine, soon, chair=chair)
    late = make_child("SYN0000202", "Mine", "Late")
    _plan(late, today - timedelta(days=300), chair=other)
    # Continuity: the latest conference's chair holds the plan, not the first one's.
    Conference.objects.create(
        child=late,
        kind="review",
        plan=late.child_protection_plans.get(),
        held_on=today - timedelta(days=210),  # the next, 6 months on, is overdue
        chair=chair,
    )
    theirs = make_child("SYN0000203", "Theirs", "Plan")
    _plan(theirs, soon, chair=other)
    nobody = make_child("SYN0000204", "No", "Chair")
    _plan(nobody, soon, chair=None)
    far = make_child("SYN0000205", "Far", "Off")
    _plan(far, today - timedelta(days=7), chair=chair)  # due in about 3 months: not yet
    enquiry = make_child("SYN0000206", "Awaiting", "Conference")
    referral = Referral.objects.create(
        child=enquiry, received_on=today - timedelta(days=10), source="6"
    )
    strategy = StrategyDiscussion.objects.create(
        child=enquiry,
        referral=referral,
        concern_identified_on=today - timedelta(days=10),
        held_on=today - timedelta(days=9),
        outcome="s47",
    )
    Section47Enquiry.objects.create(
        child=enquiry,
        referral=referral,
        strategy_discussion=strategy,
        started_on=today - timedelta(days=9),
    )
    for child in (mine, late, theirs, nobody, far, enquiry):
        Allocation.objects.create(
            child=child,
            worker=world.staff[R.SOCIAL_WORKER],
            team=world.teams["north"],
            starts_on=today - timedelta(days=200),
        )

    response = _tray(client, world, R.CONFERENCE_CHAIR)
    tray = response.context["conferences"]
    assert [c.child for c in tray.mine_coming] == [mine]
    assert [c.child for c in tray.mine_overdue] == [late]
    # The world's own child is on a plan whose conference named no chair.
    assert {c.child for c in tray.unassigned} == {nobody, enquiry, world.children["ours"]}
    titles = {c.child: c.duty.title for c in tray.unassigned}
    assert titles[enquiry] == "Hold the initial child protection conference"
    # The cause of the old 0 / 0: a chair holds no allocations and reviews fall due beyond
    # 5 working days. The headline now counts what they chair.
    assert response.context["overdue_count"] == 1
    page = response.content.decode()
    assert "Conferences you chair" in page and "Conferences with no chair yet" in page
    assert "Theirs Plan" not in page and "Far Off" not in page
    # Each conference due links to the form that records it, bringing the chair back here.
    record = reverse("record-step", args=[enquiry.reference, "initial-conference"])
    assert f'href="{record}?next=/work/"' in page
    review = reverse("record-step", args=[late.reference, "review-conference"])
    assert f'href="{review}?next=/work/"' in page
    assert response.context["reviews"] is None
    # The tray's audit line names the children it showed.
    line = AuditEvent.objects.filter(detail__what="work tray").latest("id")
    assert set(line.detail["child_ids"]) >= {mine.pk, late.pk, nobody.pk, enquiry.pk}


def test_an_iros_tray_lists_the_reviews_they_chair_and_the_unassigned_ones(client, world):
    today = _today()
    iro = world.staff[R.IRO]
    other = _worker(world, "Other", team="reviewing", role=R.IRO)

    def in_care(reference, starts_on, reviews=()):
        child = make_child(reference, "Care", reference[-3:])
        period = PeriodOfCare.objects.create(
            child=child, starts_on=starts_on, category_of_need="N1"
        )
        for held_on, by in reviews:
            LookedAfterReview.objects.create(
                child=child, period=period, held_on=held_on, participation="PN1", iro=by
            )
        return child

    # First review 20 working days in, the second 3 months after it: due within 6 weeks.
    first = working_days().add(today - timedelta(days=120), 20)
    mine = in_care("SYN0000301", today - timedelta(days=120), [(first, iro)])
    theirs = in_care("SYN0000302", today - timedelta(days=120), [(first, other)])
    new = in_care("SYN0000303", today - timedelta(days=40))  # first review overdue, no IRO yet
    response = _tray(client, world, R.IRO)
    tray = response.context["reviews"]
    assert [c.child for c in tray.mine] == [mine]
    assert [c.child for c in tray.unassigned_overdue] == [new]
    page = response.content.decode()
    assert "Looked-after reviews you chair" in page
    assert "Reviews with no independent reviewing officer yet" in page
    assert theirs.name not in page
    assert response.context["conferences"] is None


def test_the_chairs_tray_leaves_out_a_restricted_child_without_a_grant(client, world):
    today = _today()
    secret = world.children["restricted"]
    _plan(secret, today - timedelta(weeks=11), chair=world.staff[R.CONFERENCE_CHAIR])
    tray = _tray(client, world, R.CONFERENCE_CHAIR).context["conferences"]
    assert secret not in {c.child for c in tray.mine + tray.unassigned}


# ----- a MASH screener ------------------------------------------------------------------------


def test_a_screeners_tray_is_the_screening_queue(client, world):
    response = _tray(client, world, R.MASH_SCREENER)
    screening = response.context["screening"]
    assert screening is not None and screening["queue"].count >= 1
    page = response.content.decode()
    assert 'href="/front-door/"' in page
    assert world.children["ours"].name in page
    # A social worker's tray has no queue.
    assert _tray(client, world, R.SOCIAL_WORKER).context["screening"] is None


# ----- a team manager: the team's children and the unallocated ones ----------------------------


def _unallocated(world, reference, ended_working_days_ago, team="north"):
    today = _today()
    child = make_child(reference, "Waiting", reference[-3:])
    Referral.objects.create(child=child, received_on=today - timedelta(days=100), source="6")
    worker = world.staff[R.SOCIAL_WORKER] if team == "north" else _worker(world, "S", team)
    Allocation.objects.create(
        child=child,
        worker=worker,
        team=world.teams[team],
        starts_on=today - timedelta(days=100),
        ends_on=working_days().subtract(today, ended_working_days_ago),
    )
    return child


def test_a_team_managers_home_shows_the_team_and_the_unallocated_longest_waiting_first(
    client, world
):
    recent = _unallocated(world, "SYN0000401", 2)
    longest = _unallocated(world, "SYN0000402", 12)
    elsewhere = _unallocated(world, "SYN0000403", 5, team="south")
    response = _tray(client, world, R.TEAM_MANAGER, "/")
    waiting = response.context["unallocated"]
    assert [u.child for u in waiting] == [longest, recent]
    assert [u.working_days for u in waiting] == [11, 1]
    page = response.content.decode()
    assert "Unallocated children" in page and "11 working days" in page
    assert elsewhere.name not in page
    children = response.context["team_children"]
    assert world.children["ours"] in [row["child"] for row in children.object_list]
    # The restricted child is the manager's by grant; the team's list shows it to them alone.
    assert world.children["restricted"] in [row["child"] for row in children.object_list]
    row = next(r for r in children.object_list if r["child"] == world.children["ours"])
    assert [s.kind for s in row["statuses"]] == ["child_protection"]
    assert "Child protection plan" in page
    line = AuditEvent.objects.filter(detail__what="team's children").latest("id")
    assert longest.pk in line.detail["child_ids"]

    # The manager's own tray points to the team's lists.
    north = world.teams["north"].pk
    assert (
        f'href="/teams/{north}/#unallocated"'
        in _tray(client, world, R.TEAM_MANAGER).content.decode()
    )
    # A social worker's home has their own children, not the team's lists.
    assert "team_lists" not in _tray(client, world, R.SOCIAL_WORKER, "/").context


def test_the_team_page_shows_its_children_paged_and_never_a_restricted_one_without_a_grant(
    client, world
):
    team = world.teams["north"]
    for n in range(30):
        child = make_child(f"SYN00005{n:02}", "Paged", f"Child{n:02}")
        Allocation.objects.create(
            child=child,
            worker=world.staff[R.SOCIAL_WORKER],
            team=team,
            starts_on=_today() - timedelta(days=10),
        )
    response = _tray(client, world, R.SOCIAL_WORKER, f"/teams/{team.pk}/")
    children = response.context["team_children"]
    assert children.paginator.count == 31  # 30, and "ours"; not the restricted child
    assert world.children["restricted"] not in [r["child"] for r in children.object_list]
    assert 'rel="next"' in response.content.decode()
    second = _tray(client, world, R.SOCIAL_WORKER, f"/teams/{team.pk}/?page=2")
    assert len(second.context["team_children"].object_list) == 6


def test_a_team_manager_of_the_front_door_sees_children_never_allocated(client, world):
    today = _today()
    child = make_child("SYN0000601", "Never", "Allocated")
    Referral.objects.create(child=child, received_on=working_days().subtract(today, 4), source="6")
    front = world.teams["front"]
    manager = _worker(world, "Front", team="front", role=R.TEAM_MANAGER)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from harbour.access.models import User

    user = User.objects.create_user(username="front_manager", password="x-Long-password-1")
    TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    manager.user = user
    manager.save()
    client.logout()
    sign_in(client, user)
    response = client.get(f"/teams/{front.pk}/")
    (item,) = response.context["unallocated"]
    assert item.child == child and item.last_worker is None and item.working_days == 4
    assert "Never allocated" in response.content.decode()
    # A safeguarding team's list has only its own.
    north = _tray(client, world, R.TEAM_MANAGER, f"/teams/{world.teams['north'].pk}/")
    assert child not in [u.child for u in north.context["unallocated"]]


def test_the_team_lists_cost_the_same_queries_for_5_children_as_for_40(client, world):
    team = world.teams["north"]

    def add(n, start):
        for i in range(n):
            child = make_child(f"SYN0007{start + i:03}", "Count", f"C{start + i:03}")
            Allocation.objects.create(
                child=child,
                worker=world.staff[R.SOCIAL_WORKER],
                team=team,
                starts_on=_today() - timedelta(days=10),
            )
            _plan(child, _today() - timedelta(days=20))

    def queries():
        client.logout()
        sign_in(client, world.users[R.TEAM_MANAGER])
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured.captured_queries)

    add(5, 0)
    few = queries()
    add(35, 100)
    assert queries() == few


def test_unallocated_waiting_counts_from_the_case_opening_when_never_held(world):
    from harbour.casework.trays import unallocated

    today = _today()
    child = make_child("SYN0000801", "Open", "Plan")
    restriction_free = child
    referral = Referral.objects.create(
        child=child, received_on=working_days().subtract(today, 6), source="6"
    )
    Allocation.objects.create(
        child=child,
        worker=world.staff[R.SOCIAL_WORKER],
        team=world.teams["north"],
        starts_on=referral.received_on,
        ends_on=working_days().subtract(today, 8),
    )
    (item,) = [u for u in unallocated(world.teams["north"], today) if u.child == restriction_free]
    assert item.waiting_since == referral.received_on and item.working_days == 6
    # A restricted child is left out for a viewer with no grant.
    secret = world.children["restricted"]
    Allocation.objects.filter(child=secret).update(ends_on=today - timedelta(days=1))
    Referral.objects.create(child=secret, received_on=today - timedelta(days=30), source="6")
    north = world.teams["north"]
    assert secret not in [u.child for u in unallocated(north, today, world.users[R.SOCIAL_WORKER])]
    # Its manager holds a grant; with no viewer, no one is left out.
    assert secret in [u.child for u in unallocated(north, today, world.users[R.TEAM_MANAGER])]
    assert secret in [u.child for u in unallocated(north, today)]
    assert Restriction.objects.filter(child=secret).exists() and Grant.objects.exists()


def test_unallocated_is_the_last_team_holding_an_open_case_whichever_way_it_is_found(world):
    """The list starts from the team's ended allocations (a team that takes no new cases) or
    from the open cases held by no one (one that does): either way a child is on the list of
    the team that held their last allocation, only while a case is open and no allocation is
    current, and from the day after that allocation ended."""
    from harbour.casework.trays import unallocated

    today = _today()
    north, south, front = (world.teams[t] for t in ("north", "south", "front"))
    worker = world.staff[R.SOCIAL_WORKER]

    def child(reference, *held, case="referral", closed=False):
        made = make_child(reference, "Moved", reference[-3:])
        opened = today - timedelta(days=200)
        if case == "referral":
            Referral.objects.create(
                child=made,
                received_on=opened,
                source="6",
                closed_on=today - timedelta(days=1) if closed else None,
            )
        else:  # a period of care ending later: open today
            PeriodOfCare.objects.create(
                child=made,
                starts_on=opened,
                ends_on=today + timedelta(days=30),
                category_of_need="N1",
            )
        for team, starts, ends in held:
            Allocation.objects.create(
                child=made,
                worker=worker,
                team=team,
                starts_on=today - timedelta(days=starts),
                ends_on=None if ends is None else today - timedelta(days=ends),
            )
        return made

    moved_on = child("SYN0000901", (north, 150, 100), (south, 90, 20))
    back_with_north = child("SYN0000902", (south, 150, 100), (north, 90, 20))
    closed = child("SYN0000903", (north, 150, 20), closed=True)
    # Held by south since before north's allocation began and ended: north's was the last to start.
    still_held = child("SYN0000904", (south, 190, None), (north, 150, 20))
    in_care = child("SYN0000905", (north, 150, 30), case="care")
    from_front = child("SYN0000906", (front, 150, 10))
    starts_later = child("SYN0000907", (north, -5, None))

    def listed(team):
        return {u.child: u for u in unallocated(team, today)}

    assert set(listed(north)) >= {back_with_north, in_care}
    assert not {moved_on, closed, still_held, from_front, starts_later} & set(listed(north))
    assert moved_on in listed(south) and back_with_north not in listed(south)
    assert listed(north)[in_care].waiting_since == today - timedelta(days=29)
    assert listed(north)[in_care].opened_on == today - timedelta(days=200)
    # The front door's list: its own ended allocation, and never a child allocated to come.
    front_list = listed(front)
    assert from_front in front_list and front_list[from_front].last_worker == worker
    assert front_list[from_front].waiting_since == today - timedelta(days=9)
    assert not {moved_on, back_with_north, in_care, starts_later} & set(front_list)
