"""The front door: contacts, referrals (each opening a child in need episode) and early help."""

from django.db import models

from harbour.codes import choices
from harbour.core.models import Recorded
from harbour.people.models import Child
from harbour.workforce.models import Staff


class Contact(Recorded):
    class Decision(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        ADVICE = "advice", "Information and advice"
        EARLY_HELP = "early_help", "Early help"
        REFERRAL = "referral", "Referral to children's social care"
        STRATEGY = "strategy", "Strategy discussion (significant harm suspected)"
        OPEN_CASE = "open_case", "Passed to the allocated worker (case already open)"

    class Channel(models.TextChoices):
        ONLINE = "online", "Online referral from a partner agency"
        PHONE = "phone", "Phone call"
        EMAIL = "email", "Email"
        POLICE = "police", "Police notification"
        IN_PERSON = "in_person", "In person"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="contacts")
    received_at = models.DateTimeField(db_index=True)
    channel = models.CharField(
        "how the contact came", max_length=10, blank=True, choices=Channel.choices
    )
    referrer_contact = models.CharField("the referrer's phone or email", max_length=200, blank=True)
    source = models.CharField(max_length=3, choices=choices.referral_source)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    concerns = models.TextField(blank=True)
    consent_sought = models.BooleanField(default=False)
    consent_given = models.BooleanField(null=True, blank=True)
    consent_overridden = models.BooleanField(default=False)
    consent_override_rationale = models.TextField(blank=True)
    decision = models.CharField(max_length=20, blank=True, choices=Decision.choices)
    decision_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="contact_decisions"
    )
    threshold_reason = models.TextField(
        blank=True, help_text="Why the decision meets (or does not meet) the threshold."
    )
    referrer_informed_at = models.DateTimeField(null=True, blank=True)
    outcome_for_referrer = models.TextField(
        "what the referrer was told",
        blank=True,
        help_text="Shown to the referrer on their referrals sent page.",
    )
    child_as_referred = models.JSONField(
        "the child as the referrer described them",
        default=dict,
        blank=True,
        help_text="Name and date of birth as given (forename, surname, date_of_birth or "
        "expected_date_of_birth): kept when the contact is matched to a record Harbour holds.",
    )

    class Meta:
        ordering = ["received_at"]
        indexes = [
            # The screening queue: contacts awaiting a decision, oldest first.
            models.Index(
                fields=["received_at"],
                condition=models.Q(decision=""),
                name="contact_awaiting_decision",
            )
        ]


class Referral(Recorded):
    """A contact accepted for social care assessment. It opens a child in need episode,
    which its closure fields end (the census's CINdetails)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="referral"
    )
    received_on = models.DateField("referral date", db_index=True)
    source = models.CharField(max_length=3, choices=choices.referral_source)
    primary_need = models.CharField(max_length=2, blank=True, choices=choices.primary_need)
    referrer = models.CharField(
        "who referred",
        max_length=200,
        blank=True,
        help_text="Where no contact came (a letter, say): name and agency.",
    )
    concerns = models.TextField(
        "what the referral is about",
        blank=True,
        help_text="Where no contact came; otherwise the contact's concerns.",
    )
    no_further_action = models.BooleanField(
        "no further action at referral", default=False, help_text="The census's ReferralNFA."
    )
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    closure_reason = models.CharField(max_length=3, blank=True, choices=choices.closure_reason)
    closed_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="closures"
    )
    known_from = models.DateField(
        "known from",
        null=True,
        blank=True,
        help_text="For a referral loaded from a census: the first day of the earliest census year "
        "that showed it. What happened before (an assessment finished earlier) is not known.",
    )

    class Meta:
        ordering = ["received_on"]

    def is_open_on(self, day) -> bool:
        return self.received_on <= day and (self.closed_on is None or day <= self.closed_on)


class EarlyHelpEpisode(Recorded):
    class EndReason(models.TextChoices):
        NEEDS_MET = "needs_met", "Needs met"
        STEPPED_UP = "stepped_up", "Stepped up to children's social care"
        DISENGAGED = "disengaged", "Family stopped engaging"
        MOVED = "moved", "Family moved away"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="early_help_episodes")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="early_help"
    )
    starts_on = models.DateField(db_index=True)
    lead_professional_name = models.CharField(max_length=200, blank=True)
    lead_professional_agency = models.CharField(max_length=200, blank=True)
    lead_professional = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="early_help_led"
    )
    assessment_completed_on = models.DateField(
        "early help assessment completed on", null=True, blank=True
    )
    plan_started_on = models.DateField("early help plan started on", null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, blank=True, choices=EndReason.choices)
    end_notes = models.TextField("about the ending", blank=True)
    stepped_down_from = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="step_downs"
    )
    stepped_up_to = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="step_ups"
    )
