"""Recording services: a visit, a case note and the case summary, each validated in GOV.UK's
words, in one transaction and audited; late or out-of-order steps accepted; a stale edit
refused; the duties they complete done at once."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.core.saving import EditedMeanwhile
from harbour.journey.models import (
    CaseNote,
    CaseSummary,
    ChronologyEntry,
    PlanAction,
    Visit,
)
from harbour.journey.services import recording as services
from harbour.people.models import Child, FamilyMember, Relationship
from harbour.timescales.selectors import child_duties

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


@pytest.fixture
def worker(world):
    return world.users[Role.SOCIAL_WORKER]


@pytest.fixture
def child(world):
    """On a child protection plan for 60 days, never visited: the visit duty is overdue."""
    return world.children["ours"]


def visit(**changes) -> dict:
    fields = {
        "kind": Visit.Kind.CHILD_PROTECTION,
        "visited_on": timezone.localdate(),
        "purpose": "Statutory child protection visit",
        "child_seen": True,
        "seen_alone": True,
        "present": ["Jo Fenwick (mother)", "Ours Fenwick"],
        "child_views": "Said she likes her new school and misses her dad.",
        "observations": "The house was warm; food in the fridge.",
        "analysis": "Home conditions better than at the conference.",
    }
    fields.update(changes)
    return fields


def duties(child, rule):
    return [d for d in child_duties(child.pk, timezone.localdate()) if d.rule == rule]


def audited(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label, object_id=str(obj.pk), detail__action=action
    ).exists()


# ----- visits -------------------------------------------------------------------------------


def test_a_visit_is_saved_with_its_worker_audited_and_the_duty_done_at_once(world, worker, child):
    today = timezone.localdate()
    assert any(d.status == "overdue" for d in duties(child, "child_protection_visit"))
    saved = services.record_visit(by=worker, child=child, **visit())
    saved.refresh_from_db()
    assert saved.worker == world.staff[Role.SOCIAL_WORKER]
    assert saved.who_present == "Jo Fenwick (mother); Ours Fenwick"
    assert saved.analysis == "Home conditions better than at the conference."
    assert saved.created_by == worker and saved.updated_by == worker
    assert audited(saved, "visit recorded")
    after = duties(child, "child_protection_visit")
    assert not any(d.status == "overdue" for d in after)
    assert any(d.completed == today and d.status == "done_late" for d in after)


def test_the_worker_may_be_a_colleague(world, worker, child):
    colleague = world.staff[Role.SENIOR_PRACTITIONER]
    saved = services.record_visit(by=worker, child=child, worker=colleague, **visit())
    assert saved.worker == colleague and saved.created_by == worker


def test_someone_not_on_the_staff_must_choose_the_worker(world, child):
    with pytest.raises(ValidationError) as raised:
        services.record_visit(by=world.users[Role.ADMINISTRATOR], child=child, **visit())
    assert raised.value.message_dict == {"worker": ["Choose the worker who made the visit"]}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"kind": ""}, "kind", "Select the kind of visit"),
        ({"visited_on": None}, "visited_on", "Enter the date of the visit"),
        ({"purpose": "  "}, "purpose", "Enter the purpose of the visit"),
        ({"child_seen": None}, "child_seen", "Select whether the child was seen"),
        ({"seen_alone": None}, "seen_alone", "Select whether the child was seen alone"),
        (
            {"seen_alone": False},
            "not_seen_alone_reason",
            "Enter why the child was not seen alone",
        ),
        (
            {"child_seen": False, "seen_alone": None, "child_views": ""},
            "not_seen_alone_reason",
            "Enter why the child was not seen",
        ),
        (
            {"child_views": ""},
            "child_views",
            "Enter the child's wishes and feelings, or what you saw of them if they are too "
            "young to say",
        ),
    ],
)
def test_each_required_answer_of_a_visit(worker, child, changes, field, message):
    with pytest.raises(ValidationError) as raised:
        services.record_visit(by=worker, child=child, **visit(**changes))
    assert raised.value.message_dict == {field: [message]}
    assert not Visit.objects.exists()


def test_a_visit_in_the_future_or_seeing_an_unborn_child_is_refused(worker, child):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        services.record_visit(by=worker, child=child, **visit(visited_on=tomorrow))
    assert raised.value.message_dict == {
        "visited_on": ["The date of the visit must be today or in the past"]
    }
    with pytest.raises(ValidationError) as raised:
        services.record_visit(by=worker, child=child, **visit(visited_on=date(2014, 1, 2)))
    assert "select no, the child was not seen" in raised.value.message_dict["child_seen"][0]


def test_an_unborn_child_not_seen_needs_no_reason(worker):
    unborn = Child.objects.create(
        reference="SYN0000900",
        forename="Baby",
        surname="Fenwick",
        sex="U",
        expected_date_of_birth=timezone.localdate() + timedelta(days=40),
    )
    saved = services.record_visit(
        by=worker,
        child=unborn,
        **visit(kind=Visit.Kind.ASSESSMENT, child_seen=False, child_views=""),
    )
    assert not saved.child_seen and not saved.seen_alone


def test_a_young_child_seen_with_a_parent_needs_no_reason(worker, child):
    child.date_of_birth = timezone.localdate() - timedelta(days=365 * 2)
    child.save()
    saved = services.record_visit(by=worker, child=child, **visit(seen_alone=False))
    assert saved.child_seen and not saved.seen_alone and saved.not_seen_alone_reason == ""


def test_a_child_not_seen_does_not_complete_the_child_protection_visit(worker, child):
    services.record_visit(
        by=worker,
        child=child,
        **visit(child_seen=False, child_views="", not_seen_alone_reason="Not at home"),
    )
    assert any(d.status == "overdue" for d in duties(child, "child_protection_visit"))


def test_a_late_visit_and_one_no_plan_asks_for_are_accepted(world, worker):
    theirs = world.children["theirs"]
    long_ago = timezone.localdate() - timedelta(days=40)
    saved = services.record_visit(by=worker, child=theirs, **visit(visited_on=long_ago))
    assert saved.visited_on == long_ago and saved.kind == Visit.Kind.CHILD_PROTECTION


def test_hostile_words_are_kept_as_words_and_oversized_ones_refused(worker, child):
    saved = services.record_visit(
        by=worker,
        child=child,
        **visit(
            purpose='=HYPERLINK("http://x")\x00\x07',
            observations="<script>alert(1)</script>\nSecond line\x1b",
        ),
    )
    saved.refresh_from_db()
    assert saved.purpose == '=HYPERLINK("http://x")'
    assert saved.observations == "<script>alert(1)</script>\nSecond line"
    with pytest.raises(ValidationError) as raised:
        services.record_visit(
            by=worker,
            child=child,
            **visit(purpose="x" * 301, observations="y" * 20_001, present=["z" * 301]),
        )
    assert raised.value.message_dict == {
        "purpose": ["The purpose of the visit must be 300 characters or fewer"],
        "observations": ["Your observations must be 20,000 characters or fewer"],
        "who_present": ["Who was present must be 300 characters or fewer"],
    }


def test_a_visit_is_corrected_from_the_version_opened_and_a_stale_edit_refused(worker, child):
    saved = services.record_visit(by=worker, child=child, **visit())
    opened = saved.version
    services.update_visit(
        by=worker, visit=saved, version=opened, **visit(analysis="Better: the school agrees.")
    )
    saved.refresh_from_db()
    assert saved.analysis == "Better: the school agrees." and saved.version == opened + 1
    assert audited(saved, "visit changed")
    stale = Visit.objects.get(pk=saved.pk)
    with pytest.raises(EditedMeanwhile):
        services.update_visit(
            by=worker, visit=stale, version=opened, **visit(analysis="Overwrites the other")
        )
    saved.refresh_from_db()
    assert saved.analysis == "Better: the school agrees."


def test_a_visit_is_one_transaction(worker, child, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("harbour.access.audit.record", broken)
    with pytest.raises(RuntimeError):
        services.record_visit(by=worker, child=child, **visit())
    assert not Visit.objects.exists()


def test_a_visit_starts_from_the_plan_its_people_and_the_last_visit(worker, child):
    start = services.visit_starting_point(child)
    assert start.kind == Visit.Kind.CHILD_PROTECTION and start.last_visit is None
    mother = FamilyMember.objects.create(forename="Jo", surname="Fenwick")
    Relationship.objects.create(
        child=child, family_member=mother, kind="mother", parental_responsibility=True
    )
    plan = child.child_protection_plans.get()
    PlanAction.objects.create(
        plan=plan,
        action="Attend every health appointment",
        owner_name="Dr Patel",
        owner_agency=PlanAction._meta.get_field("owner_agency").choices[0][0],
        due_on=timezone.localdate(),
    )
    services.record_visit(
        by=worker,
        child=child,
        **visit(
            visited_on=timezone.localdate() - timedelta(days=7),
            present="Jo Fenwick (Mother); Mr Lee (mother's partner)",
        ),
    )
    start = services.visit_starting_point(child)
    assert start.present_last_time == ["Jo Fenwick (Mother)", "Mr Lee (mother's partner)"]
    assert start.people[:2] == start.present_last_time
    assert start.people[2].startswith("Dr Patel (")  # the mother once only, as last time
    assert len(start.people) == 3
    assert start.last_visit.who_present.startswith("Jo Fenwick")


def test_a_visit_with_no_open_plan_starts_as_an_assessment_visit(world):
    start = services.visit_starting_point(world.children["restricted"])
    assert start.kind == Visit.Kind.ASSESSMENT and start.kinds_open == []


# ----- case notes ---------------------------------------------------------------------------


def note(**changes) -> dict:
    fields = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "subject": "Phone call from school",
        "text": "The head of year rang: attendance is up to 92% this half term.",
    }
    fields.update(changes)
    return fields


def test_a_case_note_is_saved_with_its_author_and_audited(world, worker, child):
    saved = services.record_case_note(by=worker, child=child, **note())
    assert saved.author == world.staff[Role.SOCIAL_WORKER] and saved.created_by == worker
    assert audited(saved, "case note recorded")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"occurred_at": None}, "occurred_at", "Enter when it happened"),
        (
            {"occurred_at": timezone.now() + timedelta(days=2)},
            "occurred_at",
            "The time it happened must be now or in the past",
        ),
        ({"subject": ""}, "subject", "Enter the subject of the case note"),
        ({"subject": "s" * 201}, "subject", "The subject must be 200 characters or fewer"),
        ({"text": "\x00 "}, "text", "Enter the case note"),
        ({"text": "t" * 20_001}, "text", "The case note must be 20,000 characters or fewer"),
    ],
)
def test_each_required_answer_of_a_case_note(worker, child, changes, field, message):
    with pytest.raises(ValidationError) as raised:
        services.record_case_note(by=worker, child=child, **note(**changes))
    assert raised.value.message_dict == {field: [message]}
    assert not CaseNote.objects.exists()


def test_a_case_note_weeks_late_is_accepted_and_only_staff_write_them(world, worker, child):
    late = timezone.now() - timedelta(days=50)
    assert services.record_case_note(by=worker, child=child, **note(occurred_at=late))
    with pytest.raises(ValidationError) as raised:
        services.record_case_note(by=world.users[Role.ADMINISTRATOR], child=child, **note())
    assert raised.value.message_dict == {"text": ["Only a member of staff can write a case note"]}


def test_a_case_note_edit_on_a_stale_copy_is_refused(worker, child):
    saved = services.record_case_note(by=worker, child=child, **note())
    stale = CaseNote.objects.get(pk=saved.pk)
    services.update_case_note(by=worker, note=saved, version=1, **note(subject="Call from school"))
    with pytest.raises(EditedMeanwhile):
        services.update_case_note(by=worker, note=stale, version=1, **note(subject="Overwrite"))
    saved.refresh_from_db()
    assert saved.subject == "Call from school" and audited(saved, "case note changed")


# ----- the case summary ---------------------------------------------------------------------


def test_the_case_summary_is_written_then_kept_up_to_date_and_its_duty_done(worker, child):
    ChronologyEntry.objects.create(
        child=child,
        occurred_on=timezone.localdate() - timedelta(days=20),
        category=ChronologyEntry.Category.PROTECTION,
        summary="Child protection plan started.",
        significant=True,
    )
    assert any(d.status == "overdue" for d in duties(child, "case_summary"))
    first = services.save_case_summary(by=worker, child=child, summary="On a plan for neglect.")
    assert first.version == 1 and audited(first, "case summary written")
    assert [d.status for d in duties(child, "case_summary")] == ["done_late"]
    services.save_case_summary(
        by=worker, child=child, summary="On a plan for neglect; school improving.", version=1
    )
    updated = CaseSummary.objects.get(child=child)
    assert updated.version == 2 and updated.summary.endswith("school improving.")
    assert audited(updated, "case summary updated")


def test_a_stale_case_summary_is_refused_and_the_newer_one_kept(worker, child):
    services.save_case_summary(by=worker, child=child, summary="First.")
    services.save_case_summary(by=worker, child=child, summary="Second.", version=1)
    with pytest.raises(EditedMeanwhile):
        services.save_case_summary(by=worker, child=child, summary="Stale.", version=1)
    # A first summary written meanwhile by someone else is not overwritten either.
    with pytest.raises(EditedMeanwhile) as raised:
        services.save_case_summary(by=worker, child=child, summary="Also new.", version=None)
    assert raised.value.current.version == 2 and "wrote this child's case summary" in str(
        raised.value
    )
    assert CaseSummary.objects.get(child=child).summary == "Second."


@pytest.mark.parametrize(
    "summary, message",
    [
        (" \x07 ", "Enter the case summary"),
        ("s" * 20_001, "The case summary must be 20,000 characters or fewer"),
    ],
)
def test_the_case_summary_must_say_something_and_fit(worker, child, summary, message):
    with pytest.raises(ValidationError) as raised:
        services.save_case_summary(by=worker, child=child, summary=summary)
    assert raised.value.message_dict == {"summary": [message]}
    assert not CaseSummary.objects.exists()
