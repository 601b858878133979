"""Sign-ins, failed sign-ins and sign-outs go to the audit log; so does every change saved to a
record (simple-history's own signal, so imports that bypass it are logged as one import)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from harbour.access import audit
from harbour.access.models import AuditEvent


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    """The password step: signed in at once only where no second factor is still to come."""
    provider_asked = request is not None and request.session.get("mfa_by_provider")
    if getattr(settings, "HARBOUR_TWO_FACTOR_REQUIRED", True) and not provider_asked:
        audit.record(AuditEvent.Action.PASSWORD_ACCEPTED, request=request, user=user)
    else:
        audit.record(AuditEvent.Action.LOGIN, request=request, user=user)


@receiver(user_login_failed)
def failed(sender, credentials, request=None, **kwargs):
    audit.record(
        AuditEvent.Action.LOGIN_FAILED,
        request=request,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    audit.record(AuditEvent.Action.LOGOUT, request=request, user=user)
    if request is not None:
        request.harbour_signed_out = True  # the draft cookie goes too (KeepWorkAsDraftMiddleware)


@receiver(post_create_historical_record)
def changed(sender, instance, history_instance, history_user=None, **kwargs):
    child = getattr(instance, "child", None) if hasattr(instance, "child_id") else None
    if instance._meta.label == "people.Child":
        child = instance
    action = (
        AuditEvent.Action.SIGN_OFF
        if _signed_off(instance, history_instance)
        else (AuditEvent.Action.CHANGE)
    )
    audit.record(
        action,
        user=history_user,
        obj=instance,
        child=child,
        detail={"type": history_instance.history_type},
    )


def _signed_off(instance, history_instance) -> bool:
    """An assessment authorised by this save: management sign-off, logged as such."""
    if getattr(instance, "authorised_on", None) is None:
        return False
    before = history_instance.prev_record
    return before is None or before.authorised_on is None
