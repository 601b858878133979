"""Signing in (password, then a second factor; an authenticator app added with an enrolment
code), opening a record with a reason, who has viewed a record, alerts."""

import base64
from urllib.parse import urlencode

import segno
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access import audit, scope, second_factor, services
from harbour.access.decorators import requires
from harbour.access.drafts import take_draft
from harbour.access.forms import CodeForm, EnrolmentCodeForm, ReasonForm
from harbour.access.models import Alert, AuditEvent
from harbour.access.roles import Role
from harbour.people.models import Child
from harbour.web.forms import SignInForm

ENROLMENT_SESSION_KEY = "harbour_enrolment_code"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _check_code(request, form, device) -> bool:
    """Whether the code typed is right; if not, why not, against the field."""
    wait = second_factor.wait_before_next_code(device)
    if wait is not None:
        # Checked first: during the wait django-otp refuses even a right code.
        seconds = "1 second" if wait == 1 else f"{wait} seconds"
        form.add_error("code", f"Too many attempts: wait {seconds}, then enter the newest code")
        return False
    if device.verify_token(form.cleaned_data["code"]):
        return True
    second_factor.second_factor_failed(request=request, step="authenticator code")
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


class SignInView(LoginView):
    """The password step. Says whether a form sent after the session ran out was kept."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        draft = self.request.GET.get("draft")
        return super().get_context_data(
            draft_kept=draft == "1", draft_not_kept=draft == "0", **kwargs
        )


@login_required
def two_factor(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("two-factor-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(request, form, device):
        second_factor.second_factor_given(request=request, device=device)
        return redirect(_next(request))
    return render(
        request,
        "access/two_factor.html",
        {
            "form": form,
            "next": _next(request),
            "demo_code": _demo_code(request.user, device),
        },
    )


QR_SCALE = 5  # pixels a module: about 200 pixels across, easy for a phone camera


@login_required
def two_factor_setup(request):
    """Add an authenticator app: first the enrolment code a manager or administrator gave,
    then (and only then) the QR code and key, then a code from the app."""
    if second_factor.has_authenticator(request.user):
        return redirect("two-factor")
    code = second_factor.usable_code(request.user, request.session.get(ENROLMENT_SESSION_KEY))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if code is None or device is None:
        return _enrolment_code(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(request, form, device):
        try:
            second_factor.add_authenticator(request=request, device=device, code=code)
        except ValidationError as error:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            form.add_error("code", error)
        else:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            return redirect(_next(request))
    qr = segno.make(device.config_url, error="m")
    qr_size, _ = qr.symbol_size(scale=QR_SCALE)
    return render(
        request,
        "access/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            # A data URI of a standalone SVG (with its namespace: without it no browser draws it).
            "qr": qr.svg_data_uri(scale=QR_SCALE),
            "qr_size": qr_size,
            "key": base64.b32encode(device.bin_key).decode(),
        },
    )


def _enrolment_code(request):
    """The first step of adding an authenticator app: the one-time enrolment code."""
    if request.method == "POST" and second_factor.enrolment_locked_out(request):
        return get_lockout_response(request, credentials={"username": request.user.username})
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = second_factor.check_enrolment_code(
            user=request.user, code=form.cleaned_data["enrolment_code"]
        )
        if code is not None:
            second_factor.new_device(request.user)
            request.session[ENROLMENT_SESSION_KEY] = code.pk
            return redirect(f"{request.path}?{urlencode({'next': _next(request)})}")
        second_factor.wrong_enrolment_code(request=request)
        if getattr(request, "axes_locked_out", False):
            return get_lockout_response(request, credentials={"username": request.user.username})
        form.add_error(
            "enrolment_code",
            "The enrolment code is not right, or it has been used or has expired: check it, "
            "or ask your manager for a new one",
        )
    return render(request, "access/enrolment_code.html", {"form": form, "next": _next(request)})


def _known_child(request, reference, **kwargs):
    """The child, if this person may open their record or ask to: to anyone else a child
    Harbour holds answers exactly as one it does not (no existence oracle)."""
    child = get_object_or_404(Child, reference=reference)
    if not scope.reachable(request.user, child):
        raise Http404  # restricted without a grant, or no way in at all
    return child


@requires("access.open_with_reason", _known_child)
def open_with_reason(request, reference, obj):
    child = obj
    if scope.may_view(request.user, child):
        return redirect("child", reference)
    draft = take_draft(request)
    form = ReasonForm(request.POST or draft or None)
    if request.method == "POST" and form.is_valid():
        services.open_record_with_reason(
            user=request.user, child=child, reason=form.cleaned_data["reason"], request=request
        )
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


@requires("access.view_record_viewers", _known_child)
def record_viewers(request, reference, obj):
    # Who looked at a record is itself part of the record's history.
    audit.record(
        AuditEvent.Action.VIEW,
        request=request,
        child=obj,
        obj=obj,
        detail={"page": "who has viewed this record"},
    )
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
    """The person's alerts, newest first; each is marked read only when it is opened or
    dismissed, so one look at the list does not hide what has not been read."""
    mine = Alert.objects.filter(recipient=request.user).select_related("child")[:100]
    return render(request, "access/alerts.html", {"alerts": mine})


def _my_alert(request, alert_id: int, **kwargs):
    return get_object_or_404(Alert, pk=alert_id, recipient=request.user)


@require_POST
@requires("access.view_alerts", _my_alert)
def alert(request, alert_id: int, obj):
    """Open an alert (go to what it is about) or dismiss it: either marks it read."""
    services.read_alert(user=request.user, alert=obj)
    if request.POST.get("action") == "open" and obj.child is not None:
        return redirect("record-viewers", obj.child.reference)
    return redirect("alerts")


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


def _staff_member(request, staff_id, **kwargs):
    from harbour.workforce.models import Staff

    return get_object_or_404(Staff.objects.select_related("team", "user"), pk=staff_id)


@requires("access.issue_enrolment_code", _staff_member)
@require_http_methods(["GET", "POST"])
def issue_enrolment_code(request, staff_id, obj):
    """A manager gives a worker the one-time code that lets them add an authenticator app."""
    staff, code, problem = obj, None, None
    if staff.user is None:
        problem = f"{staff.name} has no account in {settings.HARBOUR_SERVICE_NAME}"
    elif second_factor.has_authenticator(staff.user):
        problem = (
            f"{staff.name} already has an authenticator app. If they have lost it, ask an "
            "administrator to remove it first, then come back here"
        )
    elif request.method == "POST":
        try:
            code = second_factor.issue_enrolment_code(
                user=staff.user, issued_by=request.user, request=request
            )
        except ValidationError as error:
            problem = error.messages[0]
    return render(
        request,
        "access/issue_enrolment_code.html",
        {
            "staff": staff,
            "code": code,
            "problem": problem,
            "days": second_factor.ENROLMENT_CODE_DAYS,
        },
    )


@require_POST
def stay_signed_in(request):
    """The timeout warning's "Stay signed in": the request itself renews the session (it is
    saved on every request). Answers 204, or 401 once the session has already ended."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)
