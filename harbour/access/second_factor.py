"""The second factor: one-time enrolment codes, adding an authenticator app, and the sign-in
that the second factor completes.

A password alone never adds an authenticator app: the person also needs an enrolment code that
an administrator or their manager gave them. Only an HMAC of each code is kept; a code lasts
ENROLMENT_CODE_DAYS, is used once, and a new one replaces any the person had not used.
"""

import math
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access import audit
from harbour.access.models import AuditEvent, EnrolmentCode, User

ENROLMENT_CODE_DAYS = 7
# No 0/O, 1/I/L: codes are read out on the phone or copied from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits


def _hash(code: str) -> str:
    return salted_hmac("harbour.access.enrolment-code", code, algorithm="sha256").hexdigest()


def normalise(code: str) -> str:
    """As the person may type it: any case, with spaces or dashes between the groups."""
    return "".join(c for c in code.upper() if c not in " -\t")


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def issue_enrolment_code(*, user: User, issued_by: User | None, request=None) -> str:
    """A new enrolment code for `user` (shown once: only its HMAC is kept); any code they had
    not used stops working."""
    if not user.is_active:
        raise ValidationError(f"{user.get_username()}'s account is closed")
    if has_authenticator(user):
        raise ValidationError(
            f"{user.get_username()} already has an authenticator app. If they have lost it, "
            "an administrator removes it first (Users, in the administration site)"
        )
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    issued = EnrolmentCode.objects.create(
        user=user,
        code_hash=_hash(code),
        issued_by=issued_by,
        issued_at=now,
        expires_at=now + timedelta(days=ENROLMENT_CODE_DAYS),
    )
    audit.record(
        AuditEvent.Action.ENROLMENT_CODE,
        request=request,
        user=issued_by,
        obj=issued,
        detail={
            "for": user.get_username(),
            "by": issued_by.get_username() if issued_by else "the harbour enrolment_code command",
            "expires": issued.expires_at.isoformat(),
        },
    )
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@transaction.atomic
def remove_authenticator(*, user: User, removed_by: User, request=None) -> int:
    """A lost or replaced phone: the person's authenticator apps go, and they need a new
    enrolment code to add another. How many were removed."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit.record(
            AuditEvent.Action.CHANGE,
            request=request,
            user=removed_by,
            obj=user,
            detail={"authenticator_removed": user.get_username(), "apps": removed},
        )
    return removed


def usable_code(user: User, pk) -> EnrolmentCode | None:
    """The enrolment code `pk` of `user`'s, if it is still unused and in date."""
    if pk is None:
        return None
    return EnrolmentCode.objects.filter(
        pk=pk, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def check_enrolment_code(*, user: User, code: str) -> EnrolmentCode | None:
    """The unused, in-date enrolment code of `user`'s that `code` is, or None."""
    given = _hash(normalise(code))
    found = None
    candidates = EnrolmentCode.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    for candidate in candidates:
        # Every candidate compared, each in constant time.
        if constant_time_compare(candidate.code_hash, given):
            found = candidate
    return found


def new_device(user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for `user`: any key shown before is thrown away."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")


@transaction.atomic
def add_authenticator(*, request, device: TOTPDevice, code: EnrolmentCode) -> None:
    """The person gave their enrolment code and then a right code from the new app: the app is
    theirs, the enrolment code is used up, and they are signed in."""
    code = EnrolmentCode.objects.select_for_update().get(pk=code.pk)
    if code.used_at is not None or code.expires_at <= timezone.now() or code.user != device.user:
        raise ValidationError("This enrolment code has been used or has expired: ask for a new one")
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(
        AuditEvent.Action.AUTHENTICATOR_ADDED,
        request=request,
        user=device.user,
        obj=device,
        detail={"enrolment_code": code.pk},
    )
    second_factor_given(request=request, device=device)


def second_factor_given(*, request, device: TOTPDevice) -> None:
    otp_login(request, device)
    audit.record(AuditEvent.Action.LOGIN, request=request, user=device.user)


def second_factor_failed(*, request, step: str) -> None:
    audit.record(AuditEvent.Action.SECOND_FACTOR_FAILED, request=request, detail={"step": step})


def wait_before_next_code(device: TOTPDevice) -> int | None:
    """Seconds before the device will check another code (django-otp slows down guessing after
    each wrong one), or None if it will check one now."""
    allowed, why = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (why or {}).get("locked_until")
    if locked_until is None:
        return 60
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def _credentials(user: User) -> dict:
    return {"username": user.get_username()}


def enrolment_locked_out(request) -> bool:
    """Too many wrong enrolment codes or passwords lately (django-axes' count)."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.conf import settings

    if not settings.AXES_ENABLED:
        return False
    return AxesProxyHandler.is_locked(request, _credentials(request.user))


def wrong_enrolment_code(*, request) -> None:
    """Logged, and counted with wrong passwords towards the lockout: a code is no easier to
    guess than a password."""
    from axes.handlers.proxy import AxesProxyHandler

    second_factor_failed(request=request, step="enrolment code")
    AxesProxyHandler.user_login_failed(
        sender=wrong_enrolment_code, credentials=_credentials(request.user), request=request
    )
