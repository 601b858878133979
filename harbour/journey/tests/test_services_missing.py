"""Missing episodes and return home interviews: validated in GOV.UK's words, one transaction,
audited; a late interview accepted and the duty it completes done at once; a stale edit
refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.core.saving import EditedMeanwhile
from harbour.journey.models import MissingEpisode
from harbour.journey.services import missing as services
from harbour.timescales.selectors import child_duties

pytestmark = pytest.mark.django_db

NOW = timezone.now


@pytest.fixture
def world():
    return build()


@pytest.fixture
def worker(world):
    return world.users[Role.SOCIAL_WORKER]


@pytest.fixture
def child(world):
    return world.children["ours"]


def episode(**changes) -> dict:
    fields = {
        "kind": "M",
        "started_at": NOW() - timedelta(days=6),
        "ended_at": NOW() - timedelta(days=5),
        "reported_to_police": True,
    }
    fields.update(changes)
    return fields


def interview_duties(child):
    return [
        d for d in child_duties(child.pk, timezone.localdate()) if d.rule == "return_home_interview"
    ]


def audited(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label, object_id=str(obj.pk), detail__action=action
    ).exists()


def test_an_episode_is_saved_audited_and_owes_a_return_home_interview(worker, child):
    saved = services.record_missing_episode(by=worker, child=child, **episode())
    assert saved.kind == "M" and saved.reported_to_police and saved.created_by == worker
    assert audited(saved, "missing episode recorded")
    assert [d.status for d in interview_duties(child)] == ["overdue"]


def test_a_child_still_missing_owes_no_interview_yet(worker, child):
    services.record_missing_episode(by=worker, child=child, **episode(ended_at=None))
    assert interview_duties(child) == []


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"kind": "X"},
            "kind",
            "Select whether the child was missing or away without authorisation",
        ),
        ({"started_at": None}, "started_at", "Enter when the child went missing"),
        (
            {"started_at": NOW() + timedelta(hours=3), "ended_at": None},
            "started_at",
            "The time the child went missing must be in the past",
        ),
        (
            {"ended_at": NOW() + timedelta(hours=3)},
            "ended_at",
            "The time the child came back must be in the past",
        ),
        (
            {"ended_at": NOW() - timedelta(days=7)},
            "ended_at",
            "The time the child came back must be after they went missing",
        ),
        (
            {"reported_to_police": None},
            "reported_to_police",
            "Select whether the child was reported missing to the police",
        ),
    ],
)
def test_each_required_answer_of_an_episode(worker, child, changes, field, message):
    with pytest.raises(ValidationError) as raised:
        services.record_missing_episode(by=worker, child=child, **episode(**changes))
    assert raised.value.message_dict == {field: [message]}
    assert not MissingEpisode.objects.exists()


def test_the_same_episode_twice_is_refused_and_a_later_one_accepted(worker, child):
    services.record_missing_episode(by=worker, child=child, **episode())
    with pytest.raises(ValidationError) as raised:
        services.record_missing_episode(
            by=worker, child=child, **episode(started_at=NOW() - timedelta(days=5, hours=12))
        )
    assert raised.value.message_dict["started_at"][0].startswith(
        "The child is already recorded as missing from "
    )
    services.record_missing_episode(
        by=worker,
        child=child,
        **episode(started_at=NOW() - timedelta(days=2), ended_at=NOW() - timedelta(days=1)),
    )
    assert MissingEpisode.objects.count() == 2


def test_only_staff_record_episodes(world, child):
    with pytest.raises(ValidationError) as raised:
        services.record_missing_episode(
            by=world.users[Role.ADMINISTRATOR], child=child, **episode()
        )
    assert raised.value.message_dict == {
        "started_at": ["Only a member of staff can record a missing episode"]
    }


def test_the_childs_return_is_recorded_later_and_a_stale_edit_refused(worker, child):
    saved = services.record_missing_episode(by=worker, child=child, **episode(ended_at=None))
    stale = MissingEpisode.objects.get(pk=saved.pk)
    back = NOW() - timedelta(hours=30)
    services.update_missing_episode(by=worker, episode=saved, version=1, **episode(ended_at=back))
    saved.refresh_from_db()
    assert saved.ended_at == back and audited(saved, "missing episode changed")
    with pytest.raises(EditedMeanwhile):
        services.update_missing_episode(
            by=worker, episode=stale, version=1, **episode(reported_to_police=False)
        )
    saved.refresh_from_db()
    assert saved.reported_to_police
    assert [d.status for d in interview_duties(child)] == ["due_soon"]


def test_an_interview_held_late_is_accepted_and_completes_the_duty(worker, child):
    saved = services.record_missing_episode(by=worker, child=child, **episode())
    offered = NOW() - timedelta(days=1)
    services.record_return_home_interview(
        by=worker,
        episode=saved,
        version=saved.version,
        offered_at=offered,
        held_at=offered + timedelta(hours=2),
        interview_by="Harbourshire return home service",
        notes="Stayed with a friend; did not feel listened to at home.\x00",
    )
    saved.refresh_from_db()
    assert saved.interview_by == "Harbourshire return home service"
    assert saved.notes.endswith("at home.")
    assert audited(saved, "return home interview recorded")
    assert [d.status for d in interview_duties(child)] == ["done_late"]


def test_an_interview_declined_completes_the_duty_when_it_was_offered(worker, child):
    back = NOW() - timedelta(hours=20)
    saved = services.record_missing_episode(
        by=worker, child=child, **episode(started_at=back - timedelta(hours=5), ended_at=back)
    )
    services.record_return_home_interview(
        by=worker, episode=saved, version=1, offered_at=back + timedelta(hours=2), declined=True
    )
    assert [d.status for d in interview_duties(child)] == ["done_on_time"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"offered_at": None}, "offered_at", "Enter when the return home interview was offered"),
        (
            {"offered_at": NOW() + timedelta(hours=1), "held_at": None},
            "offered_at",
            "The time the interview was offered must be in the past",
        ),
        (
            {"offered_at": NOW() - timedelta(days=5, hours=1), "held_at": None},
            "offered_at",
            "The interview must be offered after the child came back",
        ),
        (
            {"declined": True},
            "declined",
            "Select either that the interview was held or that it was declined",
        ),
        (
            {"held_at": NOW() - timedelta(days=4, hours=1)},
            "held_at",
            "The interview must be held on or after the time it was offered",
        ),
        (
            {"held_at": NOW() + timedelta(hours=1)},
            "held_at",
            "The time the interview was held must be in the past",
        ),
        ({"interview_by": " "}, "interview_by", "Enter who held the interview"),
        (
            {"interview_by": "i" * 201},
            "interview_by",
            "Who held the interview must be 200 characters or fewer",
        ),
        ({"notes": "n" * 20_001}, "notes", "The notes must be 20,000 characters or fewer"),
    ],
)
def test_each_answer_of_a_return_home_interview(worker, child, changes, field, message):
    saved = services.record_missing_episode(by=worker, child=child, **episode())
    fields = {
        "offered_at": NOW() - timedelta(days=4),
        "held_at": NOW() - timedelta(days=3),
        "interview_by": "A. Worker",
    }
    fields.update(changes)
    with pytest.raises(ValidationError) as raised:
        services.record_return_home_interview(by=worker, episode=saved, version=1, **fields)
    assert raised.value.message_dict == {field: [message]}
    saved.refresh_from_db()
    assert saved.interview_offered_at is None and saved.version == 1


def test_no_interview_before_the_child_came_back(worker, child):
    saved = services.record_missing_episode(by=worker, child=child, **episode(ended_at=None))
    with pytest.raises(ValidationError) as raised:
        services.record_return_home_interview(
            by=worker, episode=saved, version=1, offered_at=NOW() - timedelta(hours=1)
        )
    assert raised.value.message_dict == {
        "offered_at": ["Record when the child came back before recording the return home interview"]
    }


def test_a_stale_interview_is_refused(worker, child):
    saved = services.record_missing_episode(by=worker, child=child, **episode())
    stale = MissingEpisode.objects.get(pk=saved.pk)
    offered = NOW() - timedelta(days=4)
    services.record_return_home_interview(
        by=worker, episode=saved, version=1, offered_at=offered, declined=True
    )
    with pytest.raises(EditedMeanwhile):
        services.record_return_home_interview(
            by=worker,
            episode=stale,
            version=1,
            offered_at=offered,
            held_at=offered,
            interview_by="Someone",
        )
    saved.refresh_from_db()
    assert saved.interview_declined and saved.interview_held_at is None


def test_an_episode_is_one_transaction(worker, child, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("harbour.access.audit.record", broken)
    with pytest.raises(RuntimeError):
        services.record_missing_episode(by=worker, child=child, **episode())
    assert not MissingEpisode.objects.exists()
