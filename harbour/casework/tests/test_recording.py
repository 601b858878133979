"""The one view every step is recorded through (casework/recording.py, views/steps.py), driven
by a step made for these tests: GOV.UK fields and messages, what was typed kept, answers
revealed under an option, drafts kept and restored (with and without the script), a stale save
refused naming who changed what, the timescale shown as information, and printing."""

from datetime import date, timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent, Draft
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.casework import recording
from harbour.casework.forms.base import RecordingForm
from harbour.core.saving import save_if_unchanged
from harbour.journey.models import ChronologyEntry
from harbour.journey.services.chronology import add_entry
from harbour.web.fields import (
    ChecksField,
    ChoiceField,
    DateField,
    TextAreaField,
    TextField,
    TimeField,
    YesNoField,
)

pytestmark = pytest.mark.django_db


class EntryForm(RecordingForm):
    occurred_on = DateField(
        "When did it happen?", noun="the date it happened", required="Enter the date it "
        "happened", past=True
    )  # fmt: skip
    at = TimeField("At what time?", noun="the time")
    category = ChoiceField(
        "What kind of event?",
        choices=ChronologyEntry.Category.choices,
        noun="the kind of event",
        required="Select the kind of event",
    )
    seen = YesNoField(
        "Was the child seen?",
        noun="whether the child was seen",
        required="Select whether the child was seen",
        reveals={"no": "why_not"},
    )
    why_not = TextField("Why not?", noun="why the child was not seen", required="Enter why not")
    agencies = ChecksField(
        "Who was told?", choices=[("police", "Police"), ("health", "Health")], noun="who was told"
    )
    summary = TextAreaField("What happened?", noun="what happened", required="Enter what happened")


def _save(*, form, by, child, record, request):
    data = form.cleaned_data
    if record is None:
        return add_entry(
            user=by,
            child=child,
            occurred_on=data["occurred_on"],
            category=data["category"],
            summary=data["summary"],
            request=request,
        )
    record.summary = data["summary"]
    save_if_unchanged(record, data["version"], user=by)
    return record


@pytest.fixture
def step():
    made = recording.Step(
        key="test-entry",
        title="Record a test entry",
        done="Test entry recorded",
        form=EntryForm,
        save=_save,
        duties=("child_protection_visit",),
        model=ChronologyEntry,
        long=True,
        print_template="casework/print/base.html",
    )
    recording.steps()
    recording.STEPS[made.key] = made
    yield made
    del recording.STEPS[made.key]


@pytest.fixture
def world():
    return build()


@pytest.fixture
def worker(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    return client


def _url(world, *more, name="record-step"):
    return reverse(name, args=[world.children["ours"].reference, "test-entry", *more])


VALID = {
    "occurred_on_day": "3",
    "occurred_on_month": "11",
    "occurred_on_year": "2026",
    "category": "family",
    "seen": "yes",
    "summary": "Moved to a new flat.",
}


def test_the_form_shows_gov_uk_fields_the_child_and_the_duty_due(worker, world, step):
    page = worker.get(_url(world))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="govuk-date-input"' in html and 'name="occurred_on_month"' in html
    assert "Fenwick" in html and "Record a test entry" in html
    assert 'data-module="govuk-radios"' in html and 'data-aria-controls="id_seen_1-reveal"' in html
    assert 'data-module="govuk-character-count"' in html
    assert f'data-harbour-autosave="{reverse("keep-draft")}"' in html
    # "ours" is on a child protection plan: its visit duty shows as information, not a gate.
    assert "Visit the child on a child protection plan:" in html and "due" in html


def test_every_missing_answer_is_named_in_gov_uk_words_and_what_was_typed_kept(worker, world, step):
    page = worker.post(_url(world), {"summary": "Kept text", "action": "save"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html
    for message, target in (
        ("Enter the date it happened", "#id_occurred_on_day"),
        ("Select the kind of event", "#id_category_0"),
        ("Select whether the child was seen", "#id_seen_0"),
    ):
        assert f'<a href="{target}">{message}</a>' in html
    assert "This field is required" not in html
    assert "Kept text" in html
    assert ChronologyEntry.objects.filter(summary="Kept text").count() == 0


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("3", "", "2026", "The date it happened must include a month"),
        ("31", "2", "2026", "The date it happened must be a real date"),
        ("3", "11", "26", "Year must include 4 numbers"),
        ("a", "11", "2026", "The date it happened must be a real date"),
    ],
)
def test_a_date_is_checked_as_gov_uk_says(worker, world, step, day, month, year, message):
    data = {**VALID, "occurred_on_day": day, "occurred_on_month": month, "occurred_on_year": year}
    html = worker.post(_url(world), data).content.decode()
    assert message in html


def test_a_date_that_must_be_past_refuses_tomorrow(worker, world, step):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        **VALID,
        "occurred_on_day": str(tomorrow.day),
        "occurred_on_month": str(tomorrow.month),
        "occurred_on_year": str(tomorrow.year),
    }
    assert "must be today or in the past" in worker.post(_url(world), data).content.decode()


def test_a_reason_is_required_only_under_the_answer_that_reveals_it(worker, world, step):
    html = worker.post(_url(world), {**VALID, "seen": "no"}).content.decode()
    assert '<a href="#id_why_not">Enter why not</a>' in html
    # Answered yes, a reason typed earlier is not kept.
    saved = worker.post(_url(world), {**VALID, "why_not": "stale words"})
    assert saved.status_code == 302


def test_hostile_input_is_refused_or_made_harmless(worker, world, step):
    long = worker.post(_url(world), {**VALID, "summary": "x" * 20_001}).content.decode()
    assert "What happened must be 20,000 characters or fewer" in long
    worker.post(_url(world), {**VALID, "summary": "<script>alert(1)</script>\x00\x07 =SUM(A1)"})
    entry = ChronologyEntry.objects.get(summary__contains="alert")
    assert entry.summary == "<script>alert(1)</script> =SUM(A1)"
    shown = worker.post(_url(world), {**VALID, "category": "", "summary": "<script>x</script>"})
    assert "<script>x</script>" not in shown.content.decode()


def test_a_valid_save_goes_to_the_record_says_so_and_is_audited(worker, world, step):
    page = worker.post(_url(world), VALID, follow=True)
    assert page.redirect_chain[-1][0] == reverse("child", args=[world.children["ours"].reference])
    assert "Test entry recorded" in page.content.decode()
    entry = ChronologyEntry.objects.get(summary="Moved to a new flat.")
    assert entry.occurred_on == date(2026, 11, 3)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CHANGE, child_id=world.children["ours"].pk, object_id=str(entry.pk)
    ).exists()


def test_after_saving_the_person_goes_back_where_they_came_from(worker, world, step):
    page = worker.post(_url(world), {**VALID, "next": reverse("my-work")})
    assert page["Location"] == reverse("my-work")
    elsewhere = worker.post(_url(world), {**VALID, "next": "https://elsewhere.example/"})
    assert elsewhere["Location"] == reverse("child", args=[world.children["ours"].reference])


def test_save_draft_without_the_script_keeps_it_and_it_comes_back(worker, world, step):
    typed = {"summary": "Half a thought", "category": "", "action": "draft"}
    page = worker.post(_url(world), typed)
    html = page.content.decode()
    assert "Draft saved at" in html and "There is a problem" not in html
    again = worker.get(_url(world)).content.decode()
    assert "Half a thought" in again and "Your draft" in again
    # Saving the record throws the draft away.
    worker.post(_url(world), VALID)
    assert not Draft.objects.filter(path=_url(world)).exists()


def test_a_draft_can_be_deleted(worker, world, step):
    worker.post(_url(world), {"summary": "Not wanted", "action": "draft"})
    worker.post(_url(world), {"action": "discard"})
    assert "Not wanted" not in worker.get(_url(world)).content.decode()


def test_the_script_keeps_a_draft_of_a_recording_form_only(worker, world, step):
    kept = worker.post(
        reverse("keep-draft"), {"harbour_path": _url(world), "summary": "Typed so far"}
    )
    assert kept.status_code == 200 and kept.json()["kept"] is True
    draft = Draft.objects.get(user=world.users[Role.SOCIAL_WORKER], path=_url(world))
    assert draft.fields == {"summary": ["Typed so far"]}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DRAFT_KEPT).exists()
    elsewhere = worker.post(reverse("keep-draft"), {"harbour_path": "/work/", "x": "y"})
    assert elsewhere.status_code == 400


def test_a_draft_is_seen_by_its_author_alone(client, worker, world, step):
    worker.post(reverse("keep-draft"), {"harbour_path": _url(world), "summary": "Mine alone"})
    client.logout()
    sign_in(client, world.users[Role.TEAM_MANAGER])
    assert "Mine alone" not in client.get(_url(world)).content.decode()


def test_an_autosave_after_the_session_ended_is_still_kept_for_its_author(worker, world, step):
    worker.get(reverse("my-work"))  # the draft cookie names the person
    session_key = worker.cookies["sessionid"].value
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session_key).delete()
    late = worker.post(
        reverse("keep-draft"), {"harbour_path": _url(world), "summary": "Written as it ended"}
    )
    assert late.status_code == 200 and late.json() == {
        "kept": True,
        "signed_out": True,
        "why": "you have been signed out",
    }
    assert Draft.objects.get(path=_url(world)).fields["summary"] == ["Written as it ended"]


def test_a_stale_save_is_refused_saying_who_changed_what_and_keeping_the_text(worker, world, step):
    worker.post(_url(world), VALID)
    entry = ChronologyEntry.objects.get(summary="Moved to a new flat.")
    change = _url(world, entry.pk, name="change-step")
    opened = worker.get(change).content.decode()
    assert f'name="version" value="{entry.version}"' in opened
    theirs = ChronologyEntry.objects.get(pk=entry.pk)
    theirs.summary = "Moved to a flat with her aunt."
    manager = world.users[Role.TEAM_MANAGER]
    theirs.updated_by = manager
    theirs._history_user = manager
    theirs.save()
    mine = worker.post(change, {**VALID, "summary": "My own words", "version": entry.version})
    html = mine.content.decode()
    assert mine.status_code == 200
    assert "changed this chronology entry after you opened it" in html
    assert world.staff[Role.TEAM_MANAGER].name in html and "They changed: summary" in html
    assert "My own words" in html
    assert f'name="version" value="{entry.version + 1}"' in html
    assert ChronologyEntry.objects.get(pk=entry.pk).summary == "Moved to a flat with her aunt."


def test_the_menu_lists_what_the_person_may_record(worker, world, step):
    page = worker.get(reverse("record-menu", args=[world.children["ours"].reference]))
    assert "Record a test entry" in page.content.decode()


def test_a_record_prints_with_the_child_author_and_sign_off(worker, world, step):
    worker.post(_url(world), VALID)
    entry = ChronologyEntry.objects.get(summary="Moved to a new flat.")
    page = worker.get(_url(world, entry.pk, name="print-step"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Fenwick" in html and "Not signed off" in html and "Printed by" in html
    assert "harbour-print-frame" in html


def test_every_field_kind_renders(world, step):
    form = EntryForm(child=world.children["ours"])
    kinds = {getattr(f, "kind", "") for f in form.fields.values()}
    assert kinds >= {"date", "radios", "checkboxes", "textarea", "input"}
    assert isinstance(form.fields["version"].widget, forms.HiddenInput)


def test_a_record_on_the_timeline_offers_its_change_and_print(worker, world):
    from harbour.journey.services.recording import record_visit

    visit = record_visit(
        by=world.users[Role.SOCIAL_WORKER],
        child=world.children["ours"],
        kind="child_protection",
        visited_on=timezone.localdate(),
        purpose="Statutory visit",
        child_seen=True,
        seen_alone=True,
        child_views="Happy at school.",
    )
    reference = world.children["ours"].reference
    page = worker.get(reverse("child-record", args=[reference, "visit", visit.pk]))
    html = page.content.decode()
    assert reverse("change-step", args=[reference, "visit", visit.pk]) in html
    assert reverse("print-step", args=[reference, "visit", visit.pk]) in html


def test_a_draft_is_offered_as_soon_as_its_author_signs_in(worker, world, step):
    worker.post(_url(world), {"summary": "Left half done", "action": "draft"})
    home = worker.get(reverse("home")).content.decode()
    assert "You have 1 draft not yet saved" in home
    tray = worker.get(reverse("my-work")).content.decode()
    assert "Record a test entry" in tray and _url(world) in tray


def test_every_steps_required_answers_have_gov_uk_messages(world):
    """Every step's form names each missing answer in its own words ("Enter ...", "Select
    ..."), never Django's "This field is required."."""
    django_default = str(forms.Field.default_error_messages["required"])
    child, user = world.children["ours"], world.users[Role.SOCIAL_WORKER]
    checked = 0
    for key, found in recording.steps().items():
        form = found.form(child=child, user=user, today=timezone.localdate())
        for name, field in form.fields.items():
            # Required, or required once the option revealing it is chosen.
            needed = field.required or form._revealed.get(name, (None, None, False))[2]
            if not needed or isinstance(field.widget, forms.HiddenInput):
                continue
            message = str(field.error_messages["required"])
            assert message != django_default, f"{key}: {name} has Django's message"
            assert message.split()[0] in ("Enter", "Select", "Say", "Choose", "Give"), (
                f"{key}: {name}: {message!r}"
            )
            checked += 1
    assert len(recording.steps()) >= 20 and checked > 60


def test_options_named_theme_and_detail_are_shown_under_their_theme():
    from harbour.casework.templatetags.govuk import _grouped

    options = [
        {"label": "Alcohol misuse - concerns about the child", "value": "1A"},
        {"label": "Alcohol misuse - concerns about the parent or carer", "value": "1B"},
        {"label": "Young carer", "value": "7A"},
        {"label": "Gangs", "value": "13A"},
    ]
    groups = _grouped(options)
    assert [(g["theme"], [o["label"] for o in g["options"]]) for g in groups] == [
        ("Alcohol misuse", ["concerns about the child", "concerns about the parent or carer"]),
        ("", ["Young carer"]),
        ("", ["Gangs"]),
    ]
