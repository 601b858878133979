"""Second factor at sign-in, opening a record with a reason, who has viewed a record, alerts."""

import base64

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.forms import CodeForm, ReasonForm
from harbour.access.middleware import take_draft
from harbour.access.models import Alert, AuditEvent, ReasonedAccess
from harbour.access.roles import Role
from harbour.people.models import Child


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _check_code(form, device) -> bool:
    allowed, why = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", "Too many wrong codes: wait a minute, then try the newest code")
        return False
    if device.verify_token(form.cleaned_data["code"]):
        return True
    form.add_error("code", "The code is not right: check the app and try the newest code")
    return False


def _demo_code(user, device) -> str | None:
    """For the demo only (synthetic data, development settings): the code to type."""
    if not settings.HARBOUR_DEMO_CODES or user.username not in Role.values:
        return None
    from harbour.authority.models import Authority

    authority = Authority.current()
    if authority is None or "(synthetic)" not in authority.name:
        return None
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@login_required
def two_factor(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("two-factor-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", "The code is not right: check the app and try the newest code")
    return render(
        request,
        "access/two_factor.html",
        {
            "form": form,
            "next": _next(request),
            "demo_code": _demo_code(request.user, device),
        },
    )


@login_required
def two_factor_setup(request):
    """Add an authenticator app: scan the QR code (or type the key), then give a code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("two-factor")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(form, device):
        device.confirmed = True
        device.save()
        otp_login(request, device)
        return redirect(_next(request))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "access/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr": "data:image/svg+xml;base64," + base64.b64encode(qr.encode()).decode(),
            "key": base64.b32encode(device.bin_key).decode(),
        },
    )


def _known_child(request, reference, **kwargs):
    child = get_object_or_404(Child, reference=reference)
    if not scope.knows_of(request.user, child):
        raise Http404  # a restricted record does not exist for those without a grant
    return child


@requires("access.open_with_reason", _known_child)
def open_with_reason(request, reference, obj):
    child = obj
    if scope.may_view(request.user, child):
        return redirect("child", reference)
    draft = take_draft(request)
    form = ReasonForm(request.POST or draft or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        access = scope.open_with_reason(request.user, child, reason)
        audit.record(
            AuditEvent.Action.OPENED_WITH_REASON,
            request=request,
            child=child,
            obj=access,
            reason=reason,
        )
        if access.kind == ReasonedAccess.Kind.BREAK_GLASS:
            _alert_managers(request.user, child, reason)
        return redirect("child", reference)
    return render(
        request,
        "access/open_with_reason.html",
        {
            "child": child,
            "form": form,
            "kind": scope.way_in(request.user, child),
            "restored": draft is not None,
        },
    )


def _alert_managers(user, child, reason: str) -> None:
    """Tell the person's own manager, and the managers of the teams holding the child."""
    from harbour.workforce.models import Allocation, Staff

    today = timezone.localdate()
    teams = set(
        Allocation.objects.filter(child=child, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("team_id", flat=True)
    )
    me = getattr(user, "staff", None)
    if me is not None:
        teams.add(me.team_id)
    managers = Staff.objects.filter(
        team_id__in=teams, role=Role.TEAM_MANAGER, ends_on__isnull=True, user__isnull=False
    )
    if not managers.exists():
        managers = Staff.objects.filter(
            role=Role.SERVICE_MANAGER, ends_on__isnull=True, user__isnull=False
        )
    message = (
        f"{user.get_full_name() or user.get_username()} ({user.role_label}) opened "
        f"{child.reference} outside their own work: {reason}"
    )
    for manager in managers:
        Alert.objects.create(recipient=manager.user, message=message, child=child)


@requires("access.view_record_viewers", _known_child)
def record_viewers(request, reference, obj):
    return render(
        request,
        "access/viewers.html",
        {
            "child": obj,
            "events": audit.viewers(obj),
        },
    )


@requires("access.view_alerts")
def alerts(request):
    mine = Alert.objects.filter(recipient=request.user).select_related("child")[:100]
    unread = [a.pk for a in mine if a.read_at is None]
    Alert.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "access/alerts.html", {"alerts": mine, "unread": set(unread)})


def _oidc(view_class):
    """The single sign-on views, found only where the council has configured a provider."""

    def view(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up here.")
        return view_class.as_view()(request, *args, **kwargs)

    return view


def oidc_start(request):
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    return _oidc(OIDCAuthenticationRequestView)(request)


def oidc_return(request):
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    return _oidc(OIDCAuthenticationCallbackView)(request)
