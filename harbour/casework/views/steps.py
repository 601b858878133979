"""Recording a step of a child's journey: one view for every step (casework/recording.py).

GET shows the form: a kept draft if the person has one, else what Harbour already knows. POST
either keeps a draft ("Save draft", or the script's autosave at `keep_draft`), throws the
draft away, or saves through the step's service: a refusal re-renders what was typed with
GOV.UK's error summary; a stale save says who changed what and keeps the person's text."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from harbour.access import drafts
from harbour.access.decorators import requires
from harbour.casework.recording import due_hints, menu, steps
from harbour.casework.views.record import age_words, known_child, moved, viewed
from harbour.core.saving import EditedMeanwhile
from harbour.timescales.selectors import child_duties
from harbour.web.context import display_name


def _step(key):
    found = steps().get(key)
    if found is None:
        raise Http404
    return found


def _record(step, child, record_id):
    if record_id is None:
        return None
    if step.model is None:
        raise Http404
    found = get_object_or_404(step.model, pk=record_id)
    owner = getattr(found, "child_id", None)
    if owner is None and hasattr(found, "record_child"):
        owner = found.record_child().pk
    if owner != child.pk:
        raise Http404
    return found


def _back(request, child) -> str:
    """Where the person came from (their tray), else the child's record."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    return reverse("child", args=[child.reference])


def record_step(request, reference, step, record_id=None):
    """Each step asks its own permission of the child, through the one primitive."""
    definition = _step(step)

    @requires(definition.perm, lambda request: known_child(request, reference))
    def view(request, obj):
        return _form_page(request, obj, definition, record_id, reference)

    return view(request)


def _form_page(request, child, step, record_id, reference):
    if response := moved(request, child, reference):
        return response
    record = _record(step, child, record_id)
    today = timezone.localdate()
    user = request.user
    path = request.path
    build = {"child": child, "record": record, "user": user, "today": today}
    draft_saved_at = None
    restored = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "discard":
            drafts.discard_draft(user=user, path=path, request=request)
            messages.info(request, "Your draft has been deleted")
            return redirect(path)
        form = step.form(request.POST, **build)
        if action == "draft":
            try:
                kept = drafts.keep_draft(
                    user=user, path=path, fields=drafts.fields_of(request.POST), request=request
                )
                draft_saved_at = kept.saved_at
            except drafts.DraftNotKept as error:
                form.add_error(None, f"Your draft could not be saved: {error}")
            else:
                form.hide_errors()
        elif form.is_valid():
            try:
                step.save(form=form, by=user, child=child, record=record, request=request)
            except EditedMeanwhile as stale:
                data = request.POST.copy()
                data["version"] = str(stale.current.version)
                form = step.form(data, **build)
                form.is_valid()
                form.add_error(None, str(stale))
            except ValidationError as refused:
                form.refused(refused)
            else:
                drafts.discard_draft(user=user, path=path, request=request)
                messages.success(request, step.done)
                return redirect(_back(request, child))
    else:
        kept = drafts.draft_of(user, path)
        if kept is not None:
            form = step.form(drafts.as_data(kept), **build)
            form.hide_errors()
            restored = kept.saved_at
        else:
            initial = step.initial(**build) if step.initial else {}
            form = step.form(initial=initial, **build)
        viewed(request, child, f"record: {step.key}", obj=record)
    hints = due_hints(step, child_duties(child.pk, today), today) if step.duties else []
    return render(
        request,
        step.template,
        {
            "step": step,
            "heading": step.heading(record),
            "child": child,
            "age_words": age_words(child, today),
            "record": record,
            "form": form,
            "hints": hints,
            "restored": restored,
            "draft_saved_at": draft_saved_at,
            "back": _back(request, child),
            "next": request.POST.get("next") or request.GET.get("next") or "",
            "autosave": reverse("keep-draft") if step.long else "",
            "today": today,
        },
    )


@requires("casework.open_record_menu", known_child)
def record_menu(request, reference, obj):
    """Everything this person may record for the child, by group: "Record…"."""
    child = obj
    if response := moved(request, child, reference):
        return response
    today = timezone.localdate()
    groups = menu(child, request.user, today)
    open_rules = {
        d.rule: d for d in child_duties(child.pk, today) if d.status in ("overdue", "due_soon")
    }
    viewed(request, child, "record menu")
    return render(
        request,
        "casework/steps/menu.html",
        {
            "child": child,
            "age_words": age_words(child, today),
            "groups": [
                (name, [(s, [open_rules[r] for r in s.duties if r in open_rules]) for s in items])
                for name, items in groups
            ],
        },
    )


@require_POST
def keep_draft(request):
    """The script's autosave: the form's fields kept as the person's draft of the form at
    `path` (a recording form's own address). Answers JSON with when it was kept."""
    if not request.user.is_authenticated:
        return JsonResponse({"kept": False, "why": "signed out"}, status=401)
    path = request.POST.get("harbour_path", "")
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or match.url_name not in ("record-step", "change-step"):
        return JsonResponse({"kept": False, "why": "not a recording form"}, status=400)
    fields = {k: v for k, v in drafts.fields_of(request.POST).items() if k not in ("harbour_path",)}
    try:
        kept = drafts.keep_draft(user=request.user, path=path, fields=fields, request=request)
    except drafts.DraftNotKept as error:
        return JsonResponse({"kept": False, "why": str(error)}, status=413)
    local = timezone.localtime(kept.saved_at)
    return JsonResponse({"kept": True, "at": f"{local:%H:%M:%S}"})


def _signed_off(record) -> str:
    own = getattr(record, "sign_off_words", None)  # a record agreed otherwise says how
    if own:
        return own
    by = getattr(record, "authorised_by", None)
    on = getattr(record, "authorised_on", None)
    if by is not None:
        return f"Signed off by {by.name}" + (f" on {on:%-d %B %Y}" if on else "")
    return "Not signed off"


def _author(record) -> str:
    for name in ("worker", "author", "lead_worker", "chair", "chaired_by"):
        staff = getattr(record, name, None)
        if staff is not None and hasattr(staff, "name"):
            return staff.name
    user = getattr(record, "created_by", None)
    return display_name(user) if user is not None else "Not recorded"


@requires("people.open_record", known_child)
def print_record(request, reference, step, record_id, obj):
    """A record made through a step, laid out to print: the child's name, the author and the
    sign-off on every page."""
    child = obj
    if response := moved(request, child, reference):
        return response
    definition = _step(step)
    if definition.print_template is None:
        raise Http404
    record = _record(definition, child, record_id)
    viewed(request, child, f"print: {definition.key}", obj=record)
    now = timezone.localtime()
    return render(
        request,
        definition.print_template,
        {
            "step": definition,
            "child": child,
            "record": record,
            "author": _author(record),
            "signed_off": _signed_off(record),
            "printed": f"Printed by {display_name(request.user)} at {now:%H:%M on %-d %B %Y}",
            "age_words": age_words(child, now.date()),
        },
    )
