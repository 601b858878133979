"""The front door (MASH): the screening queue, a contact's page (what the referrer sent, the
likely matching children and their history, which child it is), the decision, what the
referrer was told, and a contact typed in by a screener. Views stay thin: reads through
`harbour.front_door.selectors`, writes through `harbour.journey.services.front_door`."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.models import AuditEvent
from harbour.casework.forms.front_door import (
    DecisionForm,
    NewContactForm,
    TellReferrerForm,
    consent_answer,
    consent_words,
)
from harbour.front_door import selectors
from harbour.journey.models import Contact
from harbour.journey.services import front_door as services


def _contact(request, contact_id):
    """The contact, for those who screen; a restricted child's contact is answered as one
    Harbour does not hold, unless the person is granted the record."""
    if not request.user.has_perm("front_door.screen_contacts"):
        raise PermissionDenied
    contact = get_object_or_404(
        Contact.objects.select_related("child", "created_by", "decided_by"), pk=contact_id
    )
    if not scope.knows_of(request.user, contact.child):
        raise Http404
    return contact


# A service's field, where the form names it differently.
FIELDS = {"date_of_birth": "born_day", "expected_date_of_birth": "born_day", "born": "born_day"}


def _errors_onto(form, error: ValidationError) -> None:
    """A service's refusal shown on the form, against its field where the form has one."""
    for name, messages in error.message_dict.items():
        name = FIELDS.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


def _described_born(contact):
    given = contact.child_as_referred or {}
    text = given.get("date_of_birth") or given.get("expected_date_of_birth")
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


@requires("front_door.screen_contacts")
def queue(request):
    """Contacts awaiting a decision, oldest first, with how long each has waited."""
    today = timezone.localdate()
    found = selectors.screening_queue(today, viewer=request.user)
    page = found.page(request.GET.get("page"))
    audit.record(
        AuditEvent.Action.VIEW,
        request=request,
        detail={
            "page": "screening queue",
            **audit.listed_children(item.contact.child_id for item in page.object_list),
        },
    )
    return render(
        request,
        "casework/front_door/queue.html",
        {"queue": found, "page": page, "today": today},
    )


@requires("front_door.screen_contact", get_object=_contact)
def contact(request, contact_id, obj):
    """Everything the referrer sent, which child it is about, and the decision."""
    today = timezone.localdate()
    child = obj.child
    provisional = services.is_provisional(child)
    matches = selectors.likely_matches_for(obj, request.user, today) if provisional else []
    held = [] if provisional else selectors.briefs([child], today, request.user, obj)
    audit.record(AuditEvent.Action.VIEW, request=request, child=child, obj=obj)
    for brief in matches:
        # Each child shown with their history is a view of their record.
        audit.record(
            AuditEvent.Action.VIEW,
            request=request,
            child=brief.child,
            obj=obj,
            detail={"shown_as": "likely match", "contact": obj.pk},
        )
    return render(
        request,
        "casework/front_door/contact.html",
        {
            "contact": obj,
            "child": child,
            "provisional": provisional,
            "matches": matches,
            "held": held[0] if held else None,
            "waiting": None if obj.decision else selectors.waiting(obj, today),
            "partner": services.from_a_partner(obj),
            "consent": consent_words(obj),
            "described_born": _described_born(obj),
            "may_open": not provisional and scope.reachable(request.user, child),
        },
    )


@require_POST
@requires("front_door.screen_contact", get_object=_contact)
def choose_child(request, contact_id, obj):
    """ "This is the same child" (a child's reference), or "a new child"."""
    choice = request.POST.get("child", "")
    try:
        if choice == "new":
            services.confirm_new_child(contact=obj, by=request.user, request=request)
        else:
            chosen = (
                scope.findable_children(request.user)
                .filter(reference=choice, merged_into__isnull=True)
                .first()
            )
            if chosen is None:
                raise ValidationError({"child": "Choose one of the children shown, or a new child"})
            services.link_contact_to_child(
                contact=obj, child=chosen, by=request.user, request=request
            )
    except ValidationError as error:
        return render(
            request,
            "casework/front_door/refused.html",
            {"contact": obj, "refusals": sum(error.message_dict.values(), [])},
            status=400,
        )
    return redirect("front-door-contact", obj.pk)


@requires("front_door.screen_contact", get_object=_contact)
def decide(request, contact_id, obj):
    """The screening decision, with the threshold reason, consent and what the referrer is
    told. The contact-decision duty is done the moment it is saved."""
    if obj.decision:
        return redirect("front-door-contact", obj.pk)
    if services.is_provisional(obj.child):
        return redirect("front-door-contact", obj.pk)
    partner = services.from_a_partner(obj)
    initial = {"consent": consent_answer(obj)}
    if obj.consent_overridden:
        initial["consent_override_rationale"] = obj.consent_override_rationale
    form = DecisionForm(request.POST or None, initial=initial, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_contact(
                contact=obj, by=request.user, request=request, **form.service_kwargs()
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            return redirect("front-door-contact", obj.pk)
    return render(
        request,
        "casework/front_door/decide.html",
        {"contact": obj, "form": form, "partner": partner},
    )


@requires("front_door.screen_contact", get_object=_contact)
def tell_referrer(request, contact_id, obj):
    """What the referrer was told of the outcome, after the decision."""
    if not obj.decision:
        return redirect("front-door-contact", obj.pk)
    form = TellReferrerForm(request.POST or None, initial={"outcome": obj.outcome_for_referrer})
    if request.method == "POST" and form.is_valid():
        try:
            services.tell_referrer(
                contact=obj,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                request=request,
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            return redirect("front-door-contact", obj.pk)
    return render(request, "casework/front_door/tell_referrer.html", {"contact": obj, "form": form})


@requires("front_door.screen_contacts")
def new_contact(request):
    """A contact typed in from a phone call, an email, a police notification or a visit. The
    likely matches are shown first; the contact is recorded against the child chosen, or a new
    child."""
    form = NewContactForm(request.POST or None)
    matches = None
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        details = form.child_details()
        choice = form.cleaned_data["match"]
        if not choice:
            matches = selectors.matches_for_details(
                request.user,
                today,
                forename=details["forename"],
                surname=details["surname"],
                date_of_birth=details["date_of_birth"] or details["expected_date_of_birth"],
                postcode=details["postcode"],
            )
            for brief in matches:
                audit.record(
                    AuditEvent.Action.VIEW,
                    request=request,
                    child=brief.child,
                    detail={"shown_as": "likely match for a new contact"},
                )
            if matches:
                return render(
                    request,
                    "casework/front_door/new_contact_matches.html",
                    {"form": form, "matches": matches},
                )
            choice = "new"
        chosen = None
        if choice != "new":
            chosen = (
                scope.findable_children(request.user)
                .filter(reference=choice, merged_into__isnull=True)
                .first()
            )
        if choice != "new" and chosen is None:
            form.add_error(None, "Choose one of the children shown, or a new child")
        else:
            described = {
                k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in details.items()
                if v and k != "sex"
            }
            try:
                recorded = services.record_contact(
                    by=request.user,
                    child=chosen,
                    new_child=details if chosen is None else None,
                    described=described,
                    request=request,
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                _errors_onto(form, error)
            else:
                return redirect("front-door-contact", recorded.pk)
    return render(request, "casework/front_door/new_contact.html", {"form": form})
