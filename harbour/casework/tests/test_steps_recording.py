"""Visits, case notes, missing episodes, return home interviews and the case summary recorded
through their forms: what each starts from, GOV.UK's messages naming each answer missing with
what was typed kept, hostile input, a stale save refused, and the duties done at once on the
child's record and the worker's tray."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.journey.models import (
    CaseNote,
    CaseSummary,
    ChronologyEntry,
    MissingEpisode,
    Visit,
)
from harbour.journey.services import missing as missing_services
from harbour.journey.services import recording as services
from harbour.timescales.selectors import child_duties

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


@pytest.fixture
def worker(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    return client


@pytest.fixture
def ours(world):
    return world.children["ours"]


def url(child, step, *more, name="record-step"):
    return reverse(name, args=[child.reference, step, *more])


def date_parts(name, day) -> dict:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def duties(child, rule):
    return [d for d in child_duties(child.pk, timezone.localdate()) if d.rule == rule]


def linked(html, target, message):
    return f'<a href="#{target}">{message}</a>' in html


# ----- visits -------------------------------------------------------------------------------


def visit_answers(world, **changes) -> dict:
    data = {
        "kind": "child_protection",
        **date_parts("visited_on", timezone.localdate()),
        "purpose": "Statutory child protection visit",
        "worker": str(world.staff[Role.SOCIAL_WORKER].pk),
        "present_others": "Jo Fenwick (mother); Sam Reed (uncle)",
        "seen": "alone",
        "child_views": "Likes her new school.",
        "observations": "Warm house, food in.",
        "analysis": "Better than at conference.",
        "action": "save",
    }
    data.update(changes)
    return data


def test_a_visit_starts_from_the_plan_and_the_last_visit(worker, world, ours):
    services.record_visit(
        by=world.users[Role.SOCIAL_WORKER],
        child=ours,
        kind="child_protection",
        visited_on=timezone.localdate() - timedelta(days=30),
        purpose="Statutory child protection visit",
        child_seen=True,
        seen_alone=True,
        present=["Jo Fenwick (mother)"],
        child_views="Fine.",
    )
    html = worker.get(url(ours, "visit")).content.decode()
    assert 'value="child_protection" checked' in html
    assert "The child&#x27;s plan or care asks for this visit" in html
    assert 'value="Jo Fenwick (mother)" checked' in html  # present last time, ticked again
    assert 'value="Statutory child protection visit"' in html  # the same purpose as last time
    assert "Visit the child on a child protection plan:" in html  # the duty, as information
    assert "data-harbour-autosave" in html


def test_a_visit_saved_through_the_form_does_the_duty_at_once_on_the_record_and_tray(
    worker, world, ours
):
    tray = worker.get(reverse("my-work")).content.decode()
    assert "Visit the child on a child protection plan" in tray
    assert any(d.status == "overdue" for d in duties(ours, "child_protection_visit"))
    page = worker.post(url(ours, "visit"), visit_answers(world), follow=True)
    assert page.redirect_chain[-1][0] == reverse("child", args=[ours.reference])
    assert "Visit recorded" in page.content.decode()
    saved = Visit.objects.get(child=ours)
    assert saved.who_present == "Jo Fenwick (mother); Sam Reed (uncle)"
    assert saved.child_seen and saved.seen_alone and saved.analysis == "Better than at conference."
    assert saved.worker == world.staff[Role.SOCIAL_WORKER]
    assert AuditEvent.objects.filter(object_id=str(saved.pk), detail__action="visit recorded")
    assert not any(d.status == "overdue" for d in duties(ours, "child_protection_visit"))
    tray = worker.get(reverse("my-work")).content.decode()
    assert "Visit the child on a child protection plan" not in tray


def test_a_late_visit_by_a_colleague_is_accepted(worker, world, ours):
    colleague = world.staff[Role.SENIOR_PRACTITIONER]
    weeks_ago = timezone.localdate() - timedelta(days=45)
    answers = visit_answers(world, worker=str(colleague.pk), **date_parts("visited_on", weeks_ago))
    assert worker.post(url(ours, "visit"), answers).status_code == 302
    saved = Visit.objects.get(child=ours)
    assert saved.worker == colleague and saved.visited_on == weeks_ago


def test_every_missing_answer_of_a_visit_is_named_and_what_was_typed_kept(worker, world, ours):
    page = worker.post(url(ours, "visit"), {"observations": "Typed before the error", "worker": ""})
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    for target, message in (
        ("id_kind_0", "Select the kind of visit"),
        ("id_visited_on_day", "Enter the date of the visit"),
        ("id_purpose", "Enter the purpose of the visit"),
        ("id_worker", "Select the worker who made the visit"),
        ("id_seen_0", "Select whether the child was seen"),
    ):
        assert linked(html, target, message), message
    assert "This field is required" not in html
    assert "Typed before the error" in html
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "changes, target, message",
    [
        ({"seen": "no"}, "id_not_seen_reason", "Enter why the child was not seen"),
        ({"seen": "not_alone"}, "id_not_alone_reason", "Enter why the child was not seen alone"),
        (
            {"child_views": ""},
            "id_child_views",
            "Enter the child&#x27;s wishes and feelings, or what you saw of them if they are too "
            "young to say",
        ),
    ],
)
def test_the_child_seen_alone_or_why_not(worker, world, ours, changes, target, message):
    html = worker.post(url(ours, "visit"), visit_answers(world, **changes)).content.decode()
    assert linked(html, target, message), html[html.find("error-summary") :][:800]
    assert not Visit.objects.exists()


def test_a_reason_given_for_a_child_not_seen_alone_is_saved(worker, world, ours):
    answers = visit_answers(world, seen="not_alone", not_alone_reason="Asked for her mum to stay")
    assert worker.post(url(ours, "visit"), answers).status_code == 302
    saved = Visit.objects.get(child=ours)
    assert saved.child_seen and not saved.seen_alone
    assert saved.not_seen_alone_reason == "Asked for her mum to stay"


def test_hostile_input_on_a_visit(worker, world, ours):
    long = worker.post(url(ours, "visit"), visit_answers(world, observations="x" * 20_001))
    assert "Your observations must be 20,000 characters or fewer" in long.content.decode()
    worker.post(
        url(ours, "visit"),
        visit_answers(
            world,
            purpose='=HYPERLINK("http://example.com","click")',
            observations="<script>alert(1)</script>\x00\x1b and more",
        ),
    )
    saved = Visit.objects.get(child=ours)
    assert saved.purpose == '=HYPERLINK("http://example.com","click")'
    assert saved.observations == "<script>alert(1)</script> and more"
    shown = worker.post(
        url(ours, "visit"), visit_answers(world, kind="", analysis="<script>x</script>")
    )
    assert "<script>x</script>" not in shown.content.decode()


def test_a_stale_visit_is_refused_keeping_the_second_persons_words(worker, world, ours):
    worker.post(url(ours, "visit"), visit_answers(world))
    saved = Visit.objects.get(child=ours)
    change = url(ours, "visit", saved.pk, name="change-step")
    opened = worker.get(change).content.decode()
    assert 'value="Better than at conference."' in opened or "Better than at conference." in opened
    services.update_visit(
        by=world.users[Role.TEAM_MANAGER],
        visit=Visit.objects.get(pk=saved.pk),
        version=saved.version,
        kind="child_protection",
        visited_on=saved.visited_on,
        purpose=saved.purpose,
        child_seen=True,
        seen_alone=True,
        present=saved.who_present,
        child_views=saved.child_views,
        analysis="The manager's words",
    )
    mine = worker.post(
        change, visit_answers(world, analysis="My own analysis", version=str(saved.version))
    )
    html = mine.content.decode()
    assert mine.status_code == 200 and "changed this visit after you opened it" in html
    assert "My own analysis" in html
    assert Visit.objects.get(pk=saved.pk).analysis == "The manager's words"


def test_a_visit_prints_with_the_child_and_the_worker(worker, world, ours):
    worker.post(url(ours, "visit"), visit_answers(world))
    saved = Visit.objects.get(child=ours)
    page = worker.get(url(ours, "visit", saved.pk, name="print-step"))
    html = page.content.decode()
    assert page.status_code == 200 and "harbour-print-frame" in html
    assert "Child protection visit on" in html and world.staff[Role.SOCIAL_WORKER].name in html
    assert "Likes her new school." in html


# ----- case notes ---------------------------------------------------------------------------


def note_answers(**changes) -> dict:
    data = {
        **date_parts("occurred_on", timezone.localdate() - timedelta(days=1)),
        "at": "14:30",
        "subject": "Phone call from school",
        "text": "Attendance is up.",
        "action": "save",
    }
    data.update(changes)
    return data


def test_a_case_note_is_saved_with_its_time(worker, world, ours):
    assert worker.post(url(ours, "case-note"), note_answers()).status_code == 302
    note = CaseNote.objects.get(child=ours)
    local = timezone.localtime(note.occurred_at)
    assert (local.hour, local.minute) == (14, 30)
    assert note.author == world.staff[Role.SOCIAL_WORKER]


def test_a_case_note_for_today_without_a_time_is_never_in_the_future(worker, ours):
    answers = note_answers(at="", **date_parts("occurred_on", timezone.localdate()))
    assert worker.post(url(ours, "case-note"), answers).status_code == 302
    assert CaseNote.objects.get(child=ours).occurred_at <= timezone.now()


def test_every_missing_answer_of_a_case_note(worker, ours):
    html = worker.post(url(ours, "case-note"), {"text": "Kept"}).content.decode()
    assert linked(html, "id_occurred_on_day", "Enter the date of the case note")
    assert linked(html, "id_subject", "Enter the subject of the case note")
    assert "Kept" in html and not CaseNote.objects.exists()
    html = worker.post(url(ours, "case-note"), note_answers(text="\x00\x07")).content.decode()
    assert linked(html, "id_text", "Enter the case note")
    html = worker.post(url(ours, "case-note"), note_answers(at="25:00")).content.decode()
    assert linked(html, "id_at", "The time must be a real time")


def test_a_stale_case_note_is_refused(worker, world, ours):
    worker.post(url(ours, "case-note"), note_answers())
    note = CaseNote.objects.get(child=ours)
    change = url(ours, "case-note", note.pk, name="change-step")
    services.update_case_note(
        by=world.users[Role.TEAM_MANAGER],
        note=CaseNote.objects.get(pk=note.pk),
        version=1,
        occurred_at=note.occurred_at,
        subject="Their subject",
        text=note.text,
    )
    html = worker.post(change, note_answers(subject="Mine", version="1")).content.decode()
    assert "changed this case note after you opened it" in html and 'value="Mine"' in html
    assert CaseNote.objects.get(pk=note.pk).subject == "Their subject"


# ----- missing episodes and return home interviews ------------------------------------------


def episode_answers(**changes) -> dict:
    back_on = timezone.localdate() - timedelta(days=5)
    data = {
        "kind": "M",
        **date_parts("started_on", back_on - timedelta(days=1)),
        "started_time": "21:00",
        "back": "yes",
        **date_parts("ended_on", back_on),
        "ended_time": "9am",
        "reported_to_police": "yes",
        "action": "save",
    }
    data.update(changes)
    return data


def test_a_missing_episode_is_saved_and_its_interview_owed_at_once(worker, ours):
    assert worker.post(url(ours, "missing-episode"), episode_answers()).status_code == 302
    episode = MissingEpisode.objects.get(child=ours)
    assert timezone.localtime(episode.ended_at).hour == 9 and episode.reported_to_police
    assert [d.status for d in duties(ours, "return_home_interview")] == ["overdue"]
    tray = worker.get(reverse("my-work")).content.decode()
    assert "Offer a return home interview" in tray and "Record a return home interview" in tray


def test_every_missing_answer_of_an_episode(worker, ours):
    html = worker.post(url(ours, "missing-episode"), {"back": "yes"}).content.decode()
    for target, message in (
        ("id_kind_0", "Select whether the child was missing or away without authorisation"),
        ("id_started_on_day", "Enter the date the child went missing"),
        ("id_started_time", "Enter the time the child went missing"),
        ("id_ended_on_day", "Enter the date the child came back"),
        ("id_ended_time", "Enter the time the child came back"),
        ("id_reported_to_police_0", "Select whether the child was reported missing to the police"),
    ):
        assert linked(html, target, message), message
    before = episode_answers(
        ended_time="20:00", **date_parts("ended_on", timezone.localdate() - timedelta(days=6))
    )
    html = worker.post(url(ours, "missing-episode"), before).content.decode()
    assert linked(
        html, "id_ended_on_day", "The time the child came back must be after they went missing"
    )
    assert not MissingEpisode.objects.exists()


def test_a_child_still_missing_then_back(worker, ours):
    worker.post(url(ours, "missing-episode"), episode_answers(back="no", ended_time=""))
    episode = MissingEpisode.objects.get(child=ours)
    assert episode.ended_at is None
    change = url(ours, "missing-episode", episode.pk, name="change-step")
    assert worker.post(change, episode_answers(version="1")).status_code == 302
    episode.refresh_from_db()
    assert episode.ended_at is not None and episode.version == 2


def interview_answers(**changes) -> dict:
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {
        **date_parts("offered_on", yesterday),
        "offered_time": "10:00",
        "outcome": "held",
        **date_parts("held_on", yesterday),
        "held_time": "15:00",
        "interview_by": "Harbourshire return home service",
        "notes": "Went to a friend's after an argument.",
        "action": "save",
    }
    data.update(changes)
    return data


def test_a_return_home_interview_from_the_tray_completes_the_duty(worker, world, ours):
    worker.post(url(ours, "missing-episode"), episode_answers())
    episode = MissingEpisode.objects.get(child=ours)
    form = worker.get(url(ours, "return-home-interview")).content.decode()
    assert f'value="{episode.pk}" checked' in form  # the episode owed an interview, chosen
    assert f'value="{episode.pk}:1"' in form  # the version opened, for a stale save
    answers = interview_answers(episode=str(episode.pk), opened=f"{episode.pk}:1")
    assert worker.post(url(ours, "return-home-interview"), answers).status_code == 302
    episode.refresh_from_db()
    assert episode.interview_by == "Harbourshire return home service"
    assert [d.status for d in duties(ours, "return_home_interview")] == ["done_late"]
    assert "Offer a return home interview" not in worker.get(reverse("my-work")).content.decode()


def test_a_return_home_interview_declined_and_its_missing_answers(worker, ours):
    worker.post(url(ours, "missing-episode"), episode_answers())
    episode = MissingEpisode.objects.get(child=ours)
    new = url(ours, "return-home-interview")
    html = worker.post(new, {"outcome": "held"}).content.decode()
    for target, message in (
        ("id_episode_0", "Select the episode the interview was about"),
        ("id_offered_on_day", "Enter the date the interview was offered"),
        ("id_held_on_day", "Enter the date the interview was held"),
        ("id_interview_by", "Enter who held the interview"),
    ):
        assert linked(html, target, message), message
    early = interview_answers(
        episode=str(episode.pk),
        **date_parts("offered_on", timezone.localdate() - timedelta(days=6)),
    )
    html = worker.post(new, early).content.decode()
    assert linked(
        html, "id_offered_on_day", "The interview must be offered after the child came back"
    )
    declined = interview_answers(episode=str(episode.pk), outcome="declined", interview_by="")
    assert worker.post(new, declined).status_code == 302
    episode.refresh_from_db()
    assert episode.interview_declined and episode.interview_held_at is None


def test_a_stale_return_home_interview_is_refused(worker, world, ours):
    worker.post(url(ours, "missing-episode"), episode_answers())
    episode = MissingEpisode.objects.get(child=ours)
    missing_services.record_return_home_interview(
        by=world.users[Role.TEAM_MANAGER],
        episode=MissingEpisode.objects.get(pk=episode.pk),
        version=1,
        offered_at=timezone.now() - timedelta(hours=20),
        declined=True,
    )
    answers = interview_answers(episode=str(episode.pk), opened=f"{episode.pk}:1")
    html = worker.post(url(ours, "return-home-interview"), answers).content.decode()
    assert "changed this missing episode after you opened it" in html
    assert "Went to a friend&#x27;s after an argument." in html
    assert MissingEpisode.objects.get(pk=episode.pk).interview_declined


# ----- the case summary ---------------------------------------------------------------------


def test_the_case_summary_is_written_reopened_and_kept_up_to_date(worker, world, ours):
    ChronologyEntry.objects.create(
        child=ours,
        occurred_on=timezone.localdate() - timedelta(days=20),
        category="protection",
        summary="Plan started.",
        significant=True,
    )
    assert any(d.status == "overdue" for d in duties(ours, "case_summary"))
    page = worker.post(url(ours, "case-summary"), {"summary": "On a plan.", "action": "save"})
    assert page.status_code == 302
    assert [d.status for d in duties(ours, "case_summary")] == ["done_late"]
    again = worker.get(url(ours, "case-summary")).content.decode()
    assert "On a plan." in again and 'name="version" value="1"' in again
    worker.post(url(ours, "case-summary"), {"summary": "On a plan; better.", "version": "1"})
    assert CaseSummary.objects.get(child=ours).summary == "On a plan; better."


def test_a_stale_case_summary_is_refused(worker, world, ours):
    opened = worker.get(url(ours, "case-summary")).content.decode()
    assert 'name="version" value=""' in opened or 'name="version"' in opened
    services.save_case_summary(by=world.users[Role.TEAM_MANAGER], child=ours, summary="Theirs.")
    html = worker.post(
        url(ours, "case-summary"), {"summary": "Mine.", "version": ""}
    ).content.decode()
    assert "wrote this child&#x27;s case summary after you opened it" in html and "Mine." in html
    html = worker.post(url(ours, "case-summary"), {"summary": ""}).content.decode()
    assert linked(html, "id_summary", "Enter the case summary")
    assert CaseSummary.objects.get(child=ours).summary == "Theirs."


def test_the_steps_are_in_the_record_menu(worker, ours):
    html = worker.get(reverse("record-menu", args=[ours.reference])).content.decode()
    for title in ("Record a visit", "Record a case note", "Update the case summary",
                  "Record a missing episode"):  # fmt: skip
        assert title in html
    assert "Record a return home interview" not in html  # no episode owes one


def test_hostile_input_on_a_case_note_and_the_case_summary(worker, ours):
    long = worker.post(url(ours, "case-note"), note_answers(text="t" * 20_001)).content.decode()
    assert linked(long, "id_text", "The case note must be 20,000 characters or fewer")
    worker.post(
        url(ours, "case-note"),
        note_answers(subject='=HYPERLINK("http://x")\x07', text="<script>alert(1)</script>\x00"),
    )
    note = CaseNote.objects.get(child=ours)
    assert note.subject == '=HYPERLINK("http://x")' and note.text == "<script>alert(1)</script>"
    long = worker.post(url(ours, "case-summary"), {"summary": "s" * 20_001}).content.decode()
    assert linked(long, "id_summary", "The case summary must be 20,000 characters or fewer")
    worker.post(url(ours, "case-summary"), {"summary": "<script>alert(2)</script>\x1b"})
    assert CaseSummary.objects.get(child=ours).summary == "<script>alert(2)</script>"
    shown = worker.get(url(ours, "case-summary")).content.decode()
    assert "<script>alert(2)</script>" not in shown and "&lt;script&gt;alert(2)" in shown


def test_a_visit_half_written_is_kept_as_a_draft_and_comes_back(worker, world, ours):
    typed = visit_answers(world, present="Sam Reed (uncle)", analysis="Half a thought", kind="")
    page = worker.post(url(ours, "visit"), {**typed, "action": "draft"})
    assert "Draft saved at" in page.content.decode() and not Visit.objects.exists()
    again = worker.get(url(ours, "visit")).content.decode()
    assert "Your draft" in again and "Half a thought" in again
    assert 'value="Sam Reed (uncle)" checked' in again
