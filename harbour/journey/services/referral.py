"""Referrals recorded directly (a referral received by letter, or one a worker records for a
contact decided as a referral elsewhere), and a referral's details corrected later.

A referral opens the child's child in need episode (the census's CINdetails). Each function is
one action: keyword-only arguments, validation inside (GOV.UK words, naming the field), one
transaction, audited. The small helpers here are shared by the other assessment-side services
(assessment, need, early help, closure)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from harbour.codes import code_list
from harbour.journey.models import Contact, Referral
from harbour.journey.services.common import (  # noqa: F401 (the other services import them here too)
    note,
    on_day,
    past_or_today,
    save_edit,
    staff_of,
    text,
)
from harbour.people.models import Child

# A referral closed on the day it was received with no further action had no assessment: the
# census's reason is "services ceased" (RC7), not "closed after assessment" (RC8).
NFA_AT_REFERRAL_REASON = "RC7"


def open_episode(child: Child, on: date):
    """The child's child in need episode open on `on`, if any."""
    return (
        Referral.objects.filter(child=child, received_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=on))
        .order_by("-received_on")
        .first()
    )


def clashing_episode(child: Child, starts: date, ends: date | None, *, besides=None):
    """Another episode of the child's that would overlap one from `starts` to `ends` (open if
    None): two episodes of one child may not overlap in the census."""
    found = Referral.objects.filter(child=child).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=starts)
    )
    if ends is not None:
        found = found.filter(received_on__lte=ends)
    if besides is not None:
        found = found.exclude(pk=besides.pk)
    return found.order_by("received_on").first()


def _codes(errors: dict, field: str, value: str, listed: str, message: str, required: bool):
    if not value:
        if required:
            errors[field] = message
        return
    if value not in code_list(listed):
        errors[field] = message


def _referral_errors(*, received_on, source, primary_need) -> dict:
    errors: dict = {}
    past_or_today(errors, "received_on", received_on, what="the referral was received")
    _codes(errors, "source", source, "referral_source", "Select who made the referral", True)
    _codes(errors, "primary_need", primary_need, "primary_need", "Select the primary need", False)
    return errors


# ----- recording a referral ------------------------------------------------------------------


@transaction.atomic
def record_referral(
    *,
    by,
    child: Child,
    received_on: date,
    source: str,
    primary_need: str = "",
    concerns: str = "",
    referrer: str = "",
    contact: Contact | None = None,
    no_further_action: bool = False,
    request=None,
) -> Referral:
    """A referral to children's social care, received on `received_on` from `source` (the
    census's referral source), with the primary need where known: it opens the child's child in
    need episode. From a contact (decided as a referral) its concerns stay on the contact;
    without one (a letter, say) `concerns` says what the referral is about. A referral with no
    further action closes the episode the same day (reason RC7: there was no assessment)."""
    staff = staff_of(by, "received_on")
    concerns, referrer = text(concerns), text(referrer)
    errors = _referral_errors(received_on=received_on, source=source, primary_need=primary_need)
    if contact is None and not concerns:
        errors["concerns"] = "Enter what the referral is about"
    if contact is not None:
        if contact.child_id != child.pk:
            errors["contact"] = "The contact is about another child"
        elif contact.decision not in (Contact.Decision.REFERRAL, Contact.Decision.STRATEGY):
            errors["contact"] = "Only a contact decided as a referral can open a referral"
        elif Referral.objects.filter(contact=contact).exists():
            errors["contact"] = "This contact has already opened a referral"
    if child.merged_into_id is not None:
        errors["received_on"] = "This record is a duplicate: record the referral on the child's own"
    if "received_on" not in errors:
        clash = clashing_episode(child, received_on, received_on if no_further_action else None)
        if clash is not None:
            errors["received_on"] = (
                f"{child.name} already has a child in need episode from "
                f"{on_day(clash.received_on)}: close it first, or record this on it"
            )
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        child=child,
        contact=contact,
        received_on=received_on,
        source=source,
        primary_need=primary_need or "",
        concerns=concerns,
        referrer=referrer,
        no_further_action=no_further_action,
        closed_on=received_on if no_further_action else None,
        closure_reason=NFA_AT_REFERRAL_REASON if no_further_action else "",
        closed_by=staff if no_further_action else None,
        created_by=by,
        updated_by=by,
    )
    note(
        by=by,
        child=child,
        obj=referral,
        request=request,
        action="referral recorded",
        no_further_action=no_further_action,
        **({"contact_id": contact.pk} if contact else {}),
    )
    return referral


@transaction.atomic
def update_referral(
    *,
    by,
    referral: Referral,
    version: int,
    received_on: date,
    source: str,
    primary_need: str = "",
    concerns: str = "",
    referrer: str = "",
    request=None,
) -> Referral:
    """A referral's details corrected or completed (the primary need, once known, say). Saved
    only if no one changed the referral since `version` was opened."""
    staff_of(by, "received_on")
    errors = _referral_errors(received_on=received_on, source=source, primary_need=primary_need)
    if "received_on" not in errors:
        if referral.closed_on is not None and received_on > referral.closed_on:
            errors["received_on"] = (
                f"The referral cannot be received after its episode closed "
                f"({on_day(referral.closed_on)})"
            )
        elif clashing_episode(referral.child, received_on, referral.closed_on, besides=referral):
            errors["received_on"] = "This date would overlap another child in need episode"
        first = referral.assessments.order_by("started_on").first()
        if first is not None and received_on > first.started_on:
            errors["received_on"] = (
                f"The referral cannot be received after its assessment started "
                f"({on_day(first.started_on)})"
            )
    if errors:
        raise ValidationError(errors)
    before = {"received_on": str(referral.received_on), "source": referral.source}
    referral.received_on = received_on
    referral.source = source
    referral.primary_need = primary_need or ""
    referral.concerns = text(concerns)
    referral.referrer = text(referrer)
    save_edit(referral, version, by)
    note(
        by=by,
        child=referral.child,
        obj=referral,
        request=request,
        action="referral changed",
        before=before,
    )
    return referral


def what_the_referral_says(referral: Referral) -> dict:
    """What an assessment starts from ("nothing typed twice"): the referral's date, who made it
    (in words), what it is about (the contact's concerns, or the referral's own), the primary
    need, and the child's details as held."""
    contact = referral.contact
    child = referral.child
    sources = code_list("referral_source")
    needs = code_list("primary_need")
    referrer = referral.referrer
    if contact is not None and not referrer:
        referrer = ", ".join(
            part for part in (contact.referrer_name, contact.referrer_organisation) if part
        )
    return {
        "received_on": referral.received_on,
        "source": referral.source,
        "source_words": sources.label(referral.source),
        "referrer": referrer,
        "concerns": (contact.concerns if contact is not None else "") or referral.concerns,
        "primary_need": referral.primary_need,
        "primary_need_words": needs.label(referral.primary_need) if referral.primary_need else "",
        "child": {
            "name": child.name,
            "reference": child.reference,
            "date_of_birth": child.date_of_birth,
            "expected_date_of_birth": child.expected_date_of_birth,
            "unborn": child.date_of_birth is None and child.expected_date_of_birth is not None,
        },
    }
