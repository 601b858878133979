"""The assessment side's steps recorded through the one view: a referral, an assessment from
it, the child in need plan and its review, closure, and early help with its end, step-up and
step-down. Valid saves, each required answer missing (GOV.UK's error summary naming the field,
what was typed kept, nothing saved), hostile input, a stale version refused, printing, and the
duties done at once on the record and the tray."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.journey.models import (
    Assessment,
    ChildInNeedPlan,
    ChildInNeedPlanReview,
    EarlyHelpEpisode,
    Referral,
)
from harbour.journey.services import need
from harbour.people.models import Child
from harbour.timescales.selectors import child_duties
from harbour.workforce.models import Allocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


@pytest.fixture
def maya(world):
    """A child the north team holds, with no episode open yet."""
    child = Child.objects.create(
        reference="SYN0000301",
        forename="Maya",
        surname="Tennant",
        sex="F",
        date_of_birth=timezone.localdate() - timedelta(days=9 * 365),
    )
    sw = world.staff[Role.SOCIAL_WORKER]
    Allocation.objects.create(
        child=child, worker=sw, team=sw.team, starts_on=timezone.localdate() - timedelta(days=90)
    )
    return child


@pytest.fixture
def worker(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    return client


def url(child, key, *more, name="record-step"):
    return reverse(name, args=[child.reference, key, *more])


def day(prefix: str, on) -> dict:
    return {f"{prefix}_day": str(on.day), f"{prefix}_month": str(on.month),
            f"{prefix}_year": str(on.year)}  # fmt: skip


def ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def open_referral(child, received_on=None) -> Referral:
    return Referral.objects.create(
        child=child,
        received_on=received_on or ago(10),
        source="2A",
        concerns="Maya told her teacher there is no food at home.",
    )


def summary_links(html: str, *pairs) -> None:
    assert "There is a problem" in html
    for message, target in pairs:
        assert f'<a href="#{target}">{message}</a>' in html, message
    assert "This field is required" not in html


# ----- referral ------------------------------------------------------------------------------

REFERRAL = {
    **day("received_on", ago(2)),
    "source": "3A",
    "referrer": "Dr Ash, Fernside Surgery",
    "concerns": "Bruising seen at an appointment.",
    "no_further_action": "no",
}


def test_a_referral_by_letter_is_recorded(worker, maya):
    page = worker.get(url(maya, "referral"))
    html = page.content.decode()
    assert page.status_code == 200 and "Record a referral" in html
    assert "Health services - GP" in html and "3A:" not in html  # codes in words
    saved = worker.post(url(maya, "referral"), REFERRAL, follow=True)
    assert saved.redirect_chain[-1][0] == reverse("child", args=[maya.reference])
    assert "Referral recorded" in saved.content.decode()
    referral = Referral.objects.get(child=maya)
    assert referral.source == "3A" and referral.concerns == "Bruising seen at an appointment."
    assert AuditEvent.objects.filter(object_id=str(referral.pk), child_id=maya.pk).exists()
    assert [d.status for d in child_duties(maya.pk, timezone.localdate())
            if d.rule == "single_assessment"] == ["not_yet_due"]  # fmt: skip


def test_a_referral_missing_its_answers_names_them_and_keeps_what_was_typed(worker, maya):
    page = worker.post(url(maya, "referral"), {"referrer": "Kept words", "action": "save"})
    summary_links(
        page.content.decode(),
        ("Enter the date the referral was received", "id_received_on_day"),
        ("Select who made the referral", "id_source"),
        ("Enter what the referral is about", "id_concerns"),
    )
    assert "Kept words" in page.content.decode()
    assert not Referral.objects.filter(child=maya).exists()


def test_a_referral_beside_an_open_episode_is_refused_on_the_form(worker, maya):
    open_referral(maya)
    html = worker.post(url(maya, "referral"), REFERRAL).content.decode()
    assert "already has a child in need episode" in html
    assert Referral.objects.filter(child=maya).count() == 1


# ----- assessment ----------------------------------------------------------------------------


def assessment_data(referral, **changes) -> dict:
    data = {
        "referral": str(referral.pk),
        "kind": "single",
        **day("started_on", ago(5)),
        "child_seen": "yes",
        **day("child_seen_on", ago(4)),
        "seen_alone": "yes",
        "child_views": "She likes breakfast club.",
        "family_history": "Mother unwell since the winter.",
        "factors": ["4B"],
        "analysis": "Neglect through illness, not intent.",
        "outcome": "cin",
        "submit": "no",
    }
    data.update(changes)
    return data


def test_the_assessment_starts_from_the_referral(worker, maya):
    referral = open_referral(maya)
    html = worker.get(url(maya, "assessment")).content.decode()
    assert "What the referral said" in html
    assert "Maya told her teacher there is no food at home." in html
    assert "Schools" in html and f'value="{referral.pk}" checked' in html
    assert "Complete the assessment:" in html  # its timescale, as information
    assert f'name="started_on_year" type="text" inputmode="numeric" value="{ago(0).year}"' in html
    assert 'data-harbour-autosave="' in html  # a long form keeps a draft as it is typed


def test_a_new_assessment_points_to_the_one_in_progress(worker, maya):
    referral = open_referral(maya)
    worker.post(url(maya, "assessment"), assessment_data(referral))
    made = Assessment.objects.get()
    html = worker.get(url(maya, "assessment")).content.decode()
    assert "not yet submitted for sign-off" in html
    assert url(maya, "assessment", made.pk, name="change-step") in html
    # The kinds in use today come first; the pre-2013 ones after, for history.
    assert html.index("Single assessment") < html.index("Initial assessment")


def test_an_assessment_is_saved_submitted_and_prints(worker, world, maya):
    referral = open_referral(maya)
    page = worker.post(url(maya, "assessment"), assessment_data(referral, submit="yes"))
    assert page.status_code == 302
    made = Assessment.objects.get(child=maya)
    assert made.referral == referral and made.factors == ["4B"] and made.seen_alone
    assert made.submitted_by == world.staff[Role.SOCIAL_WORKER]
    printed = worker.get(url(maya, "assessment", made.pk, name="print-step")).content.decode()
    assert "Single assessment" in printed and "Not signed off" in printed
    assert "Mental health - concerns about the parent or carer" in printed
    assert "Maya Tennant" in printed and "Written by" in printed


def test_each_required_assessment_answer_missing_is_named(worker, maya):
    open_referral(maya)
    page = worker.post(url(maya, "assessment"), {"analysis": "Kept analysis", "action": "save"})
    html = page.content.decode()
    summary_links(
        html,
        ("Select the referral this assessment is of", "id_referral_0"),
        ("Select the kind of assessment", "id_kind_0"),
        ("Enter the date the assessment started", "id_started_on_day"),
        ("Select whether the child was seen", "id_child_seen_0"),
        ("Enter the child&#x27;s views, or why they are not recorded", "id_child_views"),
    )
    assert "Kept analysis" in html
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "changes, message, target",
    [
        (
            {"child_seen_on_day": "", "child_seen_on_month": "", "child_seen_on_year": ""},
            "Enter the date the child was seen",
            "id_child_seen_on_day",
        ),
        ({"seen_alone": ""}, "Select whether the child was seen alone", "id_seen_alone_0"),
        (
            {"seen_alone": "no"},
            "Enter why the child was not seen alone",
            "id_not_seen_alone_reason",
        ),
        ({"child_seen": "no"}, "Enter why the child was not seen", "id_child_not_seen_reason"),
        (
            {"child_views": ""},
            "Enter the child&#x27;s views, or why they are not recorded",
            "id_child_views",
        ),
        (
            {"submit": "yes", "outcome": ""},
            "Select the outcome of the assessment",
            "id_outcome_0",
        ),
    ],
)
def test_the_child_seen_alone_and_their_views_are_required_answers(
    worker, maya, changes, message, target
):
    referral = open_referral(maya)
    html = worker.post(url(maya, "assessment"), assessment_data(referral, **changes))
    summary_links(html.content.decode(), (message, target))
    assert not Assessment.objects.exists()


def test_not_seen_needs_only_the_reason(worker, maya):
    referral = open_referral(maya)
    data = assessment_data(
        referral, child_seen="no", seen_alone="no", child_not_seen_reason="Two visits cancelled."
    )
    assert worker.post(url(maya, "assessment"), data).status_code == 302
    made = Assessment.objects.get()
    assert not made.child_seen and made.child_seen_on is None and made.not_seen_alone_reason == ""


def test_hostile_input_is_refused_or_made_harmless(worker, maya):
    referral = open_referral(maya)
    long = worker.post(url(maya, "assessment"), assessment_data(referral, analysis="x" * 20_001))
    assert "The analysis must be 20,000 characters or fewer" in long.content.decode()
    typed = '<script>alert(1)</script>\x00\x07 =HYPERLINK("http://evil.example","x")'
    worker.post(url(maya, "assessment"), assessment_data(referral, analysis=typed))
    made = Assessment.objects.get()
    assert made.analysis == '<script>alert(1)</script> =HYPERLINK("http://evil.example","x")'
    shown = worker.get(url(maya, "assessment", made.pk, name="change-step")).content.decode()
    assert "<script>alert(1)</script>" not in shown and "&lt;script&gt;" in shown
    printed = worker.get(url(maya, "assessment", made.pk, name="print-step")).content.decode()
    assert "<script>alert(1)</script>" not in printed


def test_a_stale_assessment_save_is_refused_keeping_the_text(worker, world, maya):
    referral = open_referral(maya)
    worker.post(url(maya, "assessment"), assessment_data(referral))
    made = Assessment.objects.get()
    change = url(maya, "assessment", made.pk, name="change-step")
    assert f'name="version" value="{made.version}"' in worker.get(change).content.decode()
    theirs = Assessment.objects.get(pk=made.pk)
    theirs.analysis = "The manager's words."
    theirs._history_user = world.users[Role.TEAM_MANAGER]
    theirs.save()
    mine = worker.post(
        change, {**assessment_data(referral, analysis="My own words"), "version": made.version}
    )
    html = mine.content.decode()
    assert "changed this assessment after you opened it" in html and "My own words" in html
    assert Assessment.objects.get(pk=made.pk).analysis == "The manager's words."


# ----- child in need plan and review ---------------------------------------------------------


def test_a_child_in_need_plan_is_recorded_and_prints(worker, maya):
    referral = open_referral(maya)
    data = {"referral": str(referral.pk), **day("starts_on", ago(1)), "outcomes": "Meals daily."}
    assert worker.post(url(maya, "child-in-need-plan"), data).status_code == 302
    plan = ChildInNeedPlan.objects.get(child=maya)
    printed = worker.get(url(maya, "child-in-need-plan", plan.pk, name="print-step"))
    assert "Child in need plan" in printed.content.decode()
    assert "Meals daily." in printed.content.decode()
    missing = worker.post(url(maya, "child-in-need-plan"), {"referral": str(referral.pk)})
    summary_links(
        missing.content.decode(),
        ("Enter the date the plan started", "id_starts_on_day"),
        ("Enter the outcomes the plan is to achieve", "id_outcomes"),
    )


def test_a_late_review_is_accepted_and_the_duty_is_done_on_the_record_and_the_tray(
    worker, world, maya
):
    starts = timezone.localdate() - relativedelta(months=4)
    referral = open_referral(maya, received_on=starts - timedelta(days=3))
    plan = need.record_child_in_need_plan(
        by=world.users[Role.SOCIAL_WORKER], referral=referral, starts_on=starts, outcomes="x"
    )
    tray = worker.get(reverse("my-work")).content.decode()
    assert "Review the child in need plan" in tray
    form = worker.get(url(maya, "child-in-need-review")).content.decode()
    assert "You can still record it: it will show as done late" in form
    data = {
        "plan": str(plan.pk),
        **day("held_on", ago(0)),
        "notes": "Meals regular.",
        "decision": "continue",
    }
    assert worker.post(url(maya, "child-in-need-review"), data).status_code == 302
    assert ChildInNeedPlanReview.objects.filter(plan=plan).exists()
    statuses = [
        d.status
        for d in child_duties(maya.pk, timezone.localdate())
        if d.rule == "child_in_need_plan_review"
    ]
    assert "overdue" not in statuses and "done_late" in statuses
    assert "Review the child in need plan" not in worker.get(reverse("my-work")).content.decode()


def test_a_review_missing_its_answers_names_them(worker, world, maya):
    referral = open_referral(maya)
    need.record_child_in_need_plan(
        by=world.users[Role.SOCIAL_WORKER], referral=referral, starts_on=ago(5), outcomes="x"
    )
    page = worker.post(url(maya, "child-in-need-review"), {"notes": "Kept"})
    summary_links(
        page.content.decode(),
        ("Enter the date the review was held", "id_held_on_day"),
        ("Select whether the plan continues or ends", "id_decision_0"),
    )


# ----- closure -------------------------------------------------------------------------------


def test_closure_in_words_ends_the_plan_with_it(worker, world, maya):
    referral = open_referral(maya, received_on=ago(40))
    plan = need.record_child_in_need_plan(
        by=world.users[Role.SOCIAL_WORKER], referral=referral, starts_on=ago(30), outcomes="x"
    )
    html = worker.get(url(maya, "closure")).content.decode()
    assert "Case closed after assessment, no further action" in html and "RC8:" not in html
    assert "use “Step down to early help” instead" in html
    assert f"The child in need plan from {ago(30).day} {ago(30):%B %Y} ends on the same day" in html
    missing = worker.post(url(maya, "closure"), {})
    summary_links(missing.content.decode(), ("Select the reason the case is closing",
                                             "id_closure_reason_0"))  # fmt: skip
    data = {**day("closed_on", ago(1)), "closure_reason": "RC7"}
    assert worker.post(url(maya, "closure"), data).status_code == 302
    referral.refresh_from_db()
    plan.refresh_from_db()
    assert referral.closure_reason == "RC7" and plan.ends_on == ago(1)


def test_closure_with_no_episode_open_says_so(worker, maya):
    data = {**day("closed_on", ago(1)), "closure_reason": "RC7"}
    html = worker.post(url(maya, "closure"), data).content.decode()
    assert "has no open child in need episode to close" in html


# ----- early help ----------------------------------------------------------------------------


def test_early_help_is_recorded_ended_or_stepped_up(worker, world, maya):
    data = {
        **day("starts_on", ago(30)),
        "lead_professional": "",
        "lead_professional_name": "Jo Hart",
        "lead_professional_agency": "Fernside Primary",
    }
    missing = worker.post(url(maya, "early-help"), {**data, "lead_professional_name": ""})
    summary_links(
        missing.content.decode(),
        ("Enter the lead professional&#x27;s name, or choose them", "id_lead_professional_name"),
    )
    assert worker.post(url(maya, "early-help"), data).status_code == 302
    episode = EarlyHelpEpisode.objects.get(child=maya)
    assert episode.lead_professional_name == "Jo Hart"
    up = worker.post(
        url(maya, "step-up"), {**day("on", ago(1)), "concerns": "Worse despite the plan."}
    )
    assert up.status_code == 302
    episode.refresh_from_db()
    assert episode.end_reason == "stepped_up" and episode.stepped_up_to.source == "5D"


def test_early_help_ends_with_a_reason(worker, world, maya):
    sw = world.staff[Role.SOCIAL_WORKER]
    data = {**day("starts_on", ago(30)), "lead_professional": str(sw.pk)}
    assert worker.post(url(maya, "early-help"), data).status_code == 302
    episode = EarlyHelpEpisode.objects.get(child=maya)
    assert episode.lead_professional == sw and episode.lead_professional_name == sw.name
    other = worker.post(
        url(maya, "end-early-help"), {**day("ends_on", ago(1)), "end_reason": "other"}
    )
    summary_links(other.content.decode(), ("Enter why early help ended", "id_end_notes"))
    done = worker.post(
        url(maya, "end-early-help"), {**day("ends_on", ago(1)), "end_reason": "needs_met"}
    )
    assert done.status_code == 302
    episode.refresh_from_db()
    assert episode.ends_on == ago(1) and episode.end_reason == "needs_met"


def test_step_down_closes_the_episode_and_starts_early_help(worker, world, maya):
    referral = open_referral(maya, received_on=ago(20))
    Assessment.objects.create(
        child=maya, referral=referral, kind="single", started_on=ago(19), outcome="early_help"
    )
    data = {
        **day("on", ago(1)),
        "lead_professional_name": "Jo Hart",
        "lead_professional_agency": "Family hub",
    }
    form = worker.get(url(maya, "step-down")).content.decode()
    assert "for the reason “Case closed after assessment, referred to early help”" in form
    assert worker.post(url(maya, "step-down"), data).status_code == 302
    referral.refresh_from_db()
    assert referral.closure_reason == "RC9" and referral.closed_on == ago(1)
    assert EarlyHelpEpisode.objects.get(child=maya).stepped_down_from == referral


def test_the_menu_offers_what_fits_the_child(worker, maya):
    menu = worker.get(reverse("record-menu", args=[maya.reference])).content.decode()
    assert "Record a referral" in menu and "Record early help" in menu
    assert "Close the child in need episode" not in menu
    open_referral(maya)
    menu = worker.get(reverse("record-menu", args=[maya.reference])).content.decode()
    assert "Record an assessment" in menu and "Close the child in need episode" in menu
    assert "Record a referral" not in menu


def test_a_journey_from_referral_to_step_down_through_the_views(worker, world, maya):
    """Each step recorded through its form, the duties following at once."""

    def statuses(rule):
        return [d.status for d in child_duties(maya.pk, timezone.localdate()) if d.rule == rule]

    assert worker.post(url(maya, "referral"), REFERRAL).status_code == 302
    referral = Referral.objects.get(child=maya)
    assert statuses("single_assessment") == ["not_yet_due"]

    data = assessment_data(referral, submit="yes", **day("started_on", ago(1)))
    assert worker.post(url(maya, "assessment"), data).status_code == 302
    made = Assessment.objects.get(child=maya)
    assert made.submitted_at is not None and statuses("single_assessment") == ["not_yet_due"]
    # The manager's sign-off (issue 15) completes the assessment duty.
    Assessment.objects.filter(pk=made.pk).update(
        authorised_on=timezone.localdate(), authorised_by=world.staff[Role.TEAM_MANAGER]
    )
    assert statuses("single_assessment") == ["done_on_time"]

    plan = {"referral": str(referral.pk), **day("starts_on", ago(0)), "outcomes": "Meals."}
    assert worker.post(url(maya, "child-in-need-plan"), plan).status_code == 302
    assert statuses("child_in_need_plan_review") == ["not_yet_due"]

    down = {**day("on", ago(0)), "lead_professional_name": "Jo Hart",
            "lead_professional_agency": "Family hub"}  # fmt: skip
    assert worker.post(url(maya, "step-down"), down).status_code == 302
    referral.refresh_from_db()
    assert referral.closed_on == ago(0) and referral.closure_reason == "RC7"  # after a plan
    assert ChildInNeedPlan.objects.get(child=maya).ends_on == ago(0)
    assert statuses("child_in_need_plan_review") == ["no_longer_needed"]
    episode = EarlyHelpEpisode.objects.get(child=maya)
    assert episode.stepped_down_from == referral and episode.ends_on is None
    menu = worker.get(reverse("record-menu", args=[maya.reference])).content.decode()
    assert "End early help" in menu and "Step up to children" in menu


@pytest.mark.parametrize(
    "key, field, noun",
    [
        ("referral", "concerns", "What the referral is about"),
        ("child-in-need-plan", "outcomes", "The outcomes"),
        ("child-in-need-review", "notes", "What the review found"),
        ("step-up", "concerns", "Why early help is stepping up"),
        ("end-early-help", "end_notes", "Why early help ended"),
        ("early-help", "lead_professional_name", "The lead professional&#x27;s name"),
    ],
)
def test_every_form_refuses_oversized_text_and_escapes_script(worker, maya, key, field, noun):
    limit = 200 if field == "lead_professional_name" else 20_000
    data = {field: "x" * (limit + 1), "end_reason": "other"}
    html = worker.post(url(maya, key), data).content.decode()
    assert f"{noun} must be {limit:,} characters or fewer" in html
    shown = worker.post(url(maya, key), {field: "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in shown and "&lt;script&gt;alert(1)" in shown
