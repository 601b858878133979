"""The child's chronology: the significant events, made from significant records and curated
by the worker (add an entry, mark one not significant, annotate), and printable as a PDF."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from harbour.access import audit
from harbour.access.decorators import requires
from harbour.access.models import AuditEvent
from harbour.casework.forms.record import ChronologyEntryForm, CurateForm
from harbour.casework.views.record import header, known_child, moved, viewed
from harbour.journey.selectors import chronology
from harbour.journey.services import chronology as services


def _split(items):
    return [i for i in items if i.significant], [i for i in items if not i.significant]


@requires("people.open_record", known_child)
def child_chronology(request, reference, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    viewed(request, record, "chronology")
    significant, not_significant = _split(chronology([record.pk]))
    return render(
        request,
        "casework/chronology/chronology.html",
        {
            **header(request, record, "child-chronology"),
            "items": significant,
            "not_significant": not_significant,
            "may_curate": request.user.has_perm("journey.curate_chronology", record),
            "saved": request.GET.get("saved") == "1",
        },
    )


@requires("journey.curate_chronology", known_child)
def chronology_add(request, reference, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    form = ChronologyEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_entry(
                user=request.user,
                child=record,
                occurred_on=data["occurred_on"],
                category=data["category"],
                summary=data["summary"],
                annotation=data["annotation"],
                request=request,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error("day" if field == "occurred_on" else field, messages)
        else:
            return redirect(f"{request.path.rsplit('add/', 1)[0]}?saved=1")
    return render(
        request,
        "casework/chronology/add.html",
        {**header(request, record, "child-chronology"), "form": form},
    )


def _item(record, key):
    """The chronology item a page's key names ('entry-12', or 'referral:3@2026-02-01')."""
    for item in chronology([record.pk]):
        if item.key == key:
            return item
    raise Http404


@requires("journey.curate_chronology", known_child)
def chronology_entry(request, reference, key, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    item = _item(record, key)
    initial = {"significant": "yes" if item.significant else "no", "annotation": item.annotation}
    form = CurateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        where = (
            {"entry_id": item.entry_id}
            if item.entry_id is not None
            else {"source": item.source, "occurred_on": item.on}
        )
        try:
            if (data["significant"] == "yes") != item.significant:
                mark = (
                    services.mark_significant
                    if data["significant"] == "yes"
                    else services.mark_not_significant
                )
                entry = mark(user=request.user, child=record, request=request, **where)
                where = {"entry_id": entry.pk}
            if data["annotation"].strip() != item.annotation:
                services.annotate(
                    user=request.user,
                    child=record,
                    annotation=data["annotation"],
                    request=request,
                    **where,
                )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect(f"{request.path.rsplit('/', 2)[0]}/?saved=1")
    viewed(request, record, "chronology entry")
    return render(
        request,
        "casework/chronology/entry.html",
        {**header(request, record, "child-chronology"), "item": item, "form": form},
    )


@requires("people.open_record", known_child)
def chronology_pdf(request, reference, obj):
    record = obj
    if response := moved(request, record, reference):
        return response
    today = timezone.localdate()
    significant, _ = _split(chronology([record.pk]))
    audit.record(
        AuditEvent.Action.EXPORT,
        request=request,
        child=record,
        obj=record,
        detail={"page": "chronology (PDF)", "entries": len(significant)},
    )
    body = render_pdf(record, significant, today, request.user)
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"chronology-{record.reference}-{today.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def render_pdf(record, items, today: date, user) -> bytes:
    """The chronology as an A4 PDF, with reportlab and the embedded font the performance
    report uses: title, author, subject and language set; text as real text."""
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from harbour.insight.exports.pdf import _fonts

    font = _fonts()
    ink, quiet, rule = (
        colors.HexColor("#0b0c0c"),
        colors.HexColor("#505a5f"),
        colors.HexColor("#b1b4b6"),
    )
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=12.5, textColor=ink)
    small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=quiet)
    title = ParagraphStyle("title", parent=base, fontName=f"{font}-Bold", fontSize=18, leading=22)
    head = ParagraphStyle("head", parent=base, fontName=f"{font}-Bold")
    buffer = io.BytesIO()
    name = f"Chronology: {record.name} ({record.reference})"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.6 * cm,
        rightMargin=1.6 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=name,
        author="Harbour",
        subject="The significant events in the child's life, oldest first",
        lang="en-GB",
        displayDocTitle=True,
    )
    born = (
        f"born {record.date_of_birth.day} {record.date_of_birth:%B %Y}"
        if record.date_of_birth
        else f"unborn, due {record.expected_date_of_birth:%-d %B %Y}"
    )
    by = user.get_full_name() or user.get_username()
    story = [
        Paragraph(escape(name), title),
        Spacer(1, 4),
        Paragraph(escape(f"{record.name}, {born}."), base),
        Paragraph(
            escape(
                f"Printed {today.day} {today:%B %Y} by {by}. {len(items)} significant events, "
                "oldest first. OFFICIAL-SENSITIVE."
            ),
            small,
        ),
        Spacer(1, 10),
    ]
    rows = [[Paragraph(h, head) for h in ("Date", "Kind", "What happened", "What it meant")]]
    for item in items:
        rows.append(
            [
                Paragraph(escape(f"{item.on.day} {item.on:%b %Y}"), base),
                Paragraph(escape(item.category_label), base),
                Paragraph(escape(item.summary), base),
                Paragraph(escape(item.annotation or ""), base),
            ]
        )
    if len(rows) == 1:
        rows.append([Paragraph("No significant events are recorded.", base), "", "", ""])
    width = A4[0] - 3.2 * cm
    table = Table(
        rows,
        colWidths=[2.6 * cm, 2.9 * cm, (width - 5.5 * cm) * 0.55, (width - 5.5 * cm) * 0.45],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, rule),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, ink),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
