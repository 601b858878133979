"""User accounts, who may see restricted records, reasoned access, alerts and the audit log.

Staff accounts take their role from their staff record (workforce); partner referrers and
inspectors are not staff, so their account holds the role.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from harbour.access.roles import Role
from harbour.core.models import Recorded


class User(AbstractUser):
    external_role = models.CharField(
        max_length=40,
        blank=True,
        choices=[(r.value, r.label) for r in (Role.PARTNER_REFERRER, Role.INSPECTOR)],
        help_text="Only for people who are not council staff.",
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="For partner referrers and inspectors."
    )

    def has_perm(self, perm, obj=None):
        """Harbour's own permissions (need to know) hold for administrators too: a superuser
        runs the system but does not thereby see every child."""
        import rules

        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def role(self) -> str:
        staff = getattr(self, "staff", None)
        if staff is not None:
            return staff.role
        if self.external_role:
            return self.external_role
        return Role.ADMINISTRATOR if self.is_superuser else ""

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "No role"


class Restriction(Recorded):
    """A restricted record (a child of a member of staff, a high-profile case, an adoption):
    only people named in a grant may see that it exists."""

    child = models.OneToOneField(
        "people.Child", on_delete=models.PROTECT, related_name="restriction"
    )
    reason = models.TextField()


class Grant(Recorded):
    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grants_given"
    )
    reason = models.TextField()
    revoked_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["restriction", "user"], name="one_grant_a_person")
        ]


class ReasonedAccess(models.Model):
    """A record opened outside the person's own work, with the reason they gave."""

    class Kind(models.TextChoices):
        BREAK_GLASS = "break_glass", "Outside their own work (a manager is told)"
        RECORDED_REASON = "recorded_reason", "With a recorded reason"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reasoned_access"
    )
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="reasoned_access"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.user} opened {self.child_id} ({self.get_kind_display()})"


class Alert(models.Model):
    """Something a manager should know: a record of theirs opened outside someone's work."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alerts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    message = models.TextField()
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message[:80]


class AuditEvent(models.Model):
    """One line of the append-only audit log.

    The database refuses updates and deletes (triggers in the migration), and each line
    carries a MAC of itself and the line before under a key held outside the database
    (HARBOUR_AUDIT_KEY), so a line changed, removed or forged outside Harbour breaks the chain
    and checkpoints written outside the database show lines cut from its end (`harbour audit
    verify`). Children and users are kept by id and name, not foreign key: the log outlives
    what it describes.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        SEARCH = "search", "Searched"
        EXPORT = "export", "Exported"
        CHANGE = "change", "Changed"
        SIGN_OFF = "sign_off", "Signed off"
        PASSWORD_ACCEPTED = "password_accepted", "Password accepted (second factor next)"
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed to sign in"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Gave a wrong authenticator code"
        ENROLMENT_CODE = "enrolment_code", "Issued an enrolment code"
        AUTHENTICATOR_ADDED = "authenticator_added", "Added an authenticator app"
        DRAFT_KEPT = "draft_kept", "Kept a draft"
        LOGOUT = "logout", "Signed out"
        OPENED_WITH_REASON = "opened_with_reason", "Opened with a reason"
        GRANT = "grant", "Granted access"
        RETENTION = "retention", "Destroyed at the end of retention"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The line's place in the chain (1, 2, ...): a checkpoint names a count and its head.
    sequence = models.BigIntegerField(null=True, blank=True, unique=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_id}"

    def content(self) -> str:
        """What the hash covers: every field but the hashes, in a fixed form. A keyed line's
        place in the chain comes first; lines from before the key had none."""
        fields = [
            self.at.isoformat(),
            self.user_id,
            self.username,
            self.role,
            self.action,
            self.object_type,
            self.object_id,
            self.child_id,
            self.path,
            self.ip_address,
            self.reason,
            self.detail,
        ]
        if self.sequence is not None:
            fields.insert(0, self.sequence)
        return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)

    def compute_hash(self, key: bytes | None = None) -> str:
        """HMAC-SHA256 under the audit key for a keyed line (one with a sequence); plain SHA-256
        for a line written before the key, which anyone could recompute."""
        message = (self.previous_hash + self.content()).encode()
        if self.sequence is None:
            return hashlib.sha256(message).hexdigest()
        if key is None:
            key = settings.HARBOUR_AUDIT_KEY.encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()


class EnrolmentCode(models.Model):
    """A one-time code, given to a person by an administrator or their manager, without which
    an authenticator app cannot be added to their account: a password alone never does it.
    Only a hash of the code is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolment_codes"
    )
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolment_codes_issued",
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} issued {self.issued_at:%Y-%m-%d %H:%M}"


class Draft(models.Model):
    """Work a signed-in person had typed into a form, kept on the server so that a session
    that runs out, a closed tab or a crashed browser loses nothing. Only its author sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    fields = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="one_draft_a_form_a_person")
        ]

    def __str__(self) -> str:
        return f"Draft of {self.path} by {self.user_id}"
