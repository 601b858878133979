"""The front door's writes: a contact received (a partner's online referral, or one a screener
types from a phone call, an email, a police notification or a visit), the contact linked to
the child Harbour already holds (or confirmed as a new child), the screening decision, and the
referrer told of the outcome.

Each is one function: keyword-only arguments, validation inside (a ValidationError names the
field and says what to fix, in GOV.UK's words), one transaction, audited."""

import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.journey.models import Contact, EarlyHelpEpisode, Referral
from harbour.people.models import Child

# A child record made from a partner's referral, before the front door has said whether it is
# a child Harbour already holds: its reference starts with this until it is confirmed.
PROVISIONAL = "NEW-"

# The decisions a screener makes (OPEN_CASE only for a child whose case is already open).
DECISIONS = (
    Contact.Decision.NO_FURTHER_ACTION,
    Contact.Decision.ADVICE,
    Contact.Decision.EARLY_HELP,
    Contact.Decision.REFERRAL,
    Contact.Decision.STRATEGY,
    Contact.Decision.OPEN_CASE,
)
# Decisions that open a child in need episode (a Referral) in the same transaction.
OPENS_EPISODE = (Contact.Decision.REFERRAL, Contact.Decision.STRATEGY)
CHANNELS_TYPED = (
    Contact.Channel.PHONE,
    Contact.Channel.EMAIL,
    Contact.Channel.POLICE,
    Contact.Channel.IN_PERSON,
)


def is_provisional(child: Child) -> bool:
    return child.reference.startswith(PROVISIONAL)


def from_a_partner(contact: Contact) -> bool:
    """A referral a partner sent through Harbour: they read the outcome on their own page."""
    return contact.channel == Contact.Channel.ONLINE or (
        contact.created_by_id is not None
        and getattr(contact.created_by, "role", "") == Role.PARTNER_REFERRER
    )


def _audit(action, *, by, contact, request, detail):
    audit.record(action, request=request, user=by, child=contact.child, obj=contact, detail=detail)


def _staff(by, field="decision"):
    staff = getattr(by, "staff", None)
    if staff is None:
        raise ValidationError({field: "Only a member of staff can screen contacts"})
    return staff


def _permanent_reference() -> str:
    """A reference for a child new to Harbour (the returns' LAchildID: 10 characters), like
    those `people.services.create_child` gives."""
    while True:
        reference = f"HB{secrets.token_hex(4).upper()}"
        if not Child.objects.filter(reference=reference).exists():
            return reference


# ----- receiving ------------------------------------------------------------------------------


@transaction.atomic
def receive_referral(
    *,
    by,
    agency: str,
    forename: str,
    surname: str,
    born: date,
    unborn: bool = False,
    concerns: str,
    consent: str,
    request=None,
) -> Contact:
    """A partner's online referral: a provisional record of the child for the front door to
    match against the children Harbour holds, and the contact, received now. Both are the
    referrer's own: they see them and nothing else."""
    errors = {}
    if not (forename or "").strip():
        errors["forename"] = "Enter the child's first name"
    if not (surname or "").strip():
        errors["surname"] = "Enter the child's last name"
    if not (concerns or "").strip():
        errors["concerns"] = "Say what you are worried about"
    if consent not in ("yes", "no_risk"):
        errors["consent"] = "Say whether the family knows about this referral"
    if errors:
        raise ValidationError(errors)
    child = Child.objects.create(
        reference=f"{PROVISIONAL}{secrets.token_hex(4).upper()}",
        forename=forename.strip(),
        surname=surname.strip(),
        date_of_birth=None if unborn else born,
        expected_date_of_birth=born if unborn else None,
        sex="U",
        created_by=by,
        updated_by=by,
    )
    told = consent == "yes"
    contact = Contact.objects.create(
        child=child,
        received_at=timezone.now(),
        channel=Contact.Channel.ONLINE,
        source=agency,
        referrer_name=by.get_full_name() or by.get_username(),
        referrer_organisation=getattr(by, "organisation", "") or "",
        referrer_contact=by.email or "",
        concerns=concerns,
        child_as_referred=_as_referred(child),
        consent_sought=told,
        consent_given=True if told else None,
        consent_overridden=not told,
        consent_override_rationale=""
        if told
        else (
            "The referrer judged that telling the family could put the child at risk of "
            "significant harm."
        ),
        created_by=by,
        updated_by=by,
    )
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        contact=contact,
        request=request,
        detail={"action": "contact received", "channel": contact.channel},
    )
    return contact


@transaction.atomic
def record_contact(
    *,
    by,
    channel: str,
    source: str,
    concerns: str,
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_contact: str = "",
    received_at: datetime | None = None,
    child: Child | None = None,
    new_child: dict | None = None,
    consent_sought: bool = False,
    consent_given: bool | None = None,
    described: dict | None = None,
    request=None,
) -> Contact:
    """A contact a screener types in from a phone call, an email, a police notification or a
    visit: about a child Harbour holds (`child`, chosen from the likely matches), or a new
    child (`new_child`: forename, surname, date_of_birth or expected_date_of_birth, sex,
    postcode). `described` keeps the child as the referrer described them (by default, as
    recorded)."""
    errors = {}
    if channel not in CHANNELS_TYPED:
        errors["channel"] = "Select how the contact came"
    if not (concerns or "").strip():
        errors["concerns"] = "Enter what the referrer is worried about"
    if not (referrer_name or "").strip() and source != "9":
        errors["referrer_name"] = "Enter the referrer's name (or choose Anonymous as the source)"
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        errors["received_at"] = "The time the contact came must not be in the future"
    if (child is None) == (new_child is None):
        errors["child"] = "Choose the child Harbour holds, or say it is a new child"
    if errors:
        raise ValidationError(errors)
    if child is None:
        child = _create_child(by=by, **new_child)
    contact = Contact(
        child=child,
        received_at=received_at,
        channel=channel,
        source=source,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referrer_contact=referrer_contact.strip(),
        concerns=concerns,
        child_as_referred=described or _as_referred(child),
        consent_sought=consent_sought,
        consent_given=consent_given if consent_sought else None,
        created_by=by,
        updated_by=by,
    )
    try:
        contact.full_clean(exclude=["child", "created_by", "updated_by", "decided_by"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    contact.save()
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        contact=contact,
        request=request,
        detail={"action": "contact received", "channel": channel},
    )
    return contact


def _create_child(
    *,
    by,
    forename="",
    surname="",
    sex="U",
    date_of_birth=None,
    expected_date_of_birth=None,
    postcode="",
):
    from harbour.people.services import create_child

    return create_child(
        by=by,
        forename=forename or "",
        surname=surname or "",
        sex=sex,
        date_of_birth=date_of_birth,
        expected_date_of_birth=expected_date_of_birth,
        postcode=postcode or "",
    )


def _as_referred(child: Child) -> dict:
    """The child as the contact described them, kept on the contact."""
    details = {"forename": child.forename, "surname": child.surname}
    if child.date_of_birth:
        details["date_of_birth"] = child.date_of_birth.isoformat()
    if child.expected_date_of_birth:
        details["expected_date_of_birth"] = child.expected_date_of_birth.isoformat()
    return details


# ----- which child ---------------------------------------------------------------------------


@transaction.atomic
def link_contact_to_child(
    *, contact: Contact, child: Child, by, reason: str = "", request=None
) -> Contact:
    """ "This is the same child": the contact is about `child`, a record Harbour holds. A
    provisional record made from a partner's referral is folded into it (everything moves, the
    provisional record points to the one kept, both histories stay); otherwise the contact
    alone moves."""
    _staff(by, "child")
    contact = Contact.objects.select_for_update().select_related("child").get(pk=contact.pk)
    if contact.decision:
        raise ValidationError(
            {"child": "This contact has been decided: it can no longer move to another child"}
        )
    if child.pk == contact.child_id:
        raise ValidationError({"child": "The contact is already about this child"})
    if child.merged_into_id is not None or is_provisional(child):
        raise ValidationError(
            {"child": "Choose a child's own record, not a duplicate or a provisional one"}
        )
    before = contact.child
    reason = (reason or "").strip() or (
        f"The front door matched contact {contact.pk} to the child's record {child.reference}."
    )
    if is_provisional(before):
        from harbour.people.services import merge_children

        merge_children(keep=child, duplicate=before, by=by, reason=reason)
        contact.refresh_from_db()
    else:
        contact.child = child
        contact.updated_by = by
        contact.save()
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        contact=contact,
        request=request,
        detail={
            "action": "contact linked to a child",
            "from_child": before.pk,
            "from_reference": before.reference,
            "merged": is_provisional(before),
        },
    )
    return contact


@transaction.atomic
def confirm_new_child(*, contact: Contact, by, request=None) -> Child:
    """ "A new child": the provisional record from a partner's referral becomes the child's own
    record, with a permanent reference."""
    _staff(by, "child")
    contact = Contact.objects.select_for_update().select_related("child").get(pk=contact.pk)
    child = contact.child
    if not is_provisional(child):
        raise ValidationError({"child": "This child's record is already confirmed"})
    before = child.reference
    child.reference = _permanent_reference()
    child.updated_by = by
    child.save()
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        contact=contact,
        request=request,
        detail={"action": "new child confirmed", "from_reference": before},
    )
    return child


# ----- the decision --------------------------------------------------------------------------


@transaction.atomic
def decide_contact(
    *,
    contact: Contact,
    by,
    decision: str,
    threshold_reason: str,
    consent_sought: bool,
    consent_given: bool | None = None,
    consent_overridden: bool = False,
    consent_override_rationale: str = "",
    outcome_for_referrer: str = "",
    decided_at: datetime | None = None,
    request=None,
) -> Contact:
    """The screening decision, recorded now: no further action, information and advice, early
    help (an early help episode starts), a referral to children's social care (a Referral opens
    the child in need episode) or a strategy discussion (a Referral, and the decision that a
    strategy discussion is needed; the discussion itself is recorded when it is held). What the
    referrer is told (required for a partner's referral) is recorded with the time."""
    staff = _staff(by)
    contact = Contact.objects.select_for_update().select_related("child").get(pk=contact.pk)
    decided_at = decided_at or timezone.now()
    on = timezone.localdate(decided_at)
    threshold_reason = (threshold_reason or "").strip()
    rationale = (consent_override_rationale or "").strip()
    told = (outcome_for_referrer or "").strip()
    errors = {}
    if contact.decision:
        raise ValidationError(
            {
                "decision": f"This contact was decided on {contact.decision_at:%-d %B %Y}: "
                f"{contact.get_decision_display().lower()}"
            }
        )
    if is_provisional(contact.child):
        errors["decision"] = (
            "First say whether this is a child Harbour already holds, or a new child"
        )
    elif decision not in DECISIONS:
        errors["decision"] = "Select the decision"
    if not threshold_reason:
        errors["threshold_reason"] = "Enter why the decision meets (or does not meet) the threshold"
    if consent_overridden and not rationale:
        errors["consent_override_rationale"] = "Enter why consent is overridden"
    if not consent_sought:
        consent_given = None
    if from_a_partner(contact) and not told:
        errors["outcome_for_referrer"] = "Enter what the referrer is told"
    if decided_at < contact.received_at:
        errors["decision"] = "The decision cannot come before the contact was received"
    if "decision" not in errors:
        errors.update(_episode_errors(contact.child, decision, on, consent_given))
    if errors:
        raise ValidationError(errors)

    contact.decision = decision
    contact.decision_at = decided_at
    contact.decided_by = staff
    contact.threshold_reason = threshold_reason
    contact.consent_sought = consent_sought
    contact.consent_given = consent_given
    contact.consent_overridden = consent_overridden
    contact.consent_override_rationale = rationale if consent_overridden else ""
    if told:
        contact.outcome_for_referrer = told
        contact.referrer_informed_at = decided_at
    contact.updated_by = by
    contact.save()

    opened = None
    if decision in OPENS_EPISODE:
        opened = Referral.objects.create(
            child=contact.child,
            contact=contact,
            received_on=on,
            source=contact.source,
            created_by=by,
            updated_by=by,
        )
    elif decision == Contact.Decision.EARLY_HELP:
        opened = EarlyHelpEpisode.objects.create(
            child=contact.child, contact=contact, starts_on=on, created_by=by, updated_by=by
        )
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        contact=contact,
        request=request,
        detail={
            "action": "contact decided",
            "decision": decision,
            "consent_overridden": consent_overridden,
            "referrer_told": bool(told),
            **({"opened": opened._meta.label, "opened_id": opened.pk} if opened else {}),
        },
    )
    return contact


def _episode_errors(child: Child, decision: str, on: date, consent_given) -> dict:
    open_referral = Referral.objects.filter(child=child, received_on__lte=on).filter(
        closed_on__isnull=True
    )
    if decision in OPENS_EPISODE and open_referral.exists():
        return {
            "decision": f"{child.name} already has an open child in need episode: choose "
            "“Passed to the allocated worker”"
        }
    if decision == Contact.Decision.OPEN_CASE and not open_referral.exists():
        return {
            "decision": f"{child.name} has no open case to pass this to: choose another decision"
        }
    if decision == Contact.Decision.EARLY_HELP:
        if consent_given is False:
            return {
                "decision": "Early help needs the family's agreement, and they refused: "
                "choose another decision"
            }
        open_help = EarlyHelpEpisode.objects.filter(
            child=child, starts_on__lte=on, ends_on__isnull=True
        )
        if open_help.exists():
            return {"decision": f"{child.name} is already receiving early help"}
    return {}


@transaction.atomic
def tell_referrer(
    *, contact: Contact, by, outcome: str, told_at: datetime | None = None, request=None
) -> Contact:
    """What the referrer was told of the outcome (after the decision), and when."""
    _staff(by, "outcome")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    outcome = (outcome or "").strip()
    told_at = told_at or timezone.now()
    if not contact.decision:
        raise ValidationError({"outcome": "Record the decision before telling the referrer"})
    if not outcome:
        raise ValidationError({"outcome": "Enter what the referrer was told"})
    if told_at < contact.decision_at:
        raise ValidationError({"outcome": "The referrer cannot be told before the decision"})
    contact.outcome_for_referrer = outcome
    contact.referrer_informed_at = told_at
    contact.updated_by = by
    contact.save()
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        contact=contact,
        request=request,
        detail={"action": "referrer told"},
    )
    return contact
