"""The performance report's exports: the PDF says every indicator's figure, counts in words,
and every comparator's verdict (a missing one says why), with the summary's worse ones first;
the workbook holds numbers as numbers and text made safe; the downloads check who asks, refuse
bad dates with a message, and are audited; the command writes both.

Rows are built from figures made here (performance.rows, as the picture builds them), and the
views and command read a few records (the access tests' small world): no synthetic county.
"""

import io
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.insight.comparators import comparators, compare
from harbour.insight.exports import pdf as pdf_module
from harbour.insight.exports import reading
from harbour.insight.exports.pdf import _rows_of_comparisons, performance_pdf
from harbour.insight.exports.workbook import performance_workbook
from harbour.insight.indicators.compute import Trend
from harbour.insight.indicators.definitions import definitions
from harbour.insight.indicators.figures import Figure
from harbour.insight.indicators.periods import (
    collection_years_to,
    months_to,
    period_ending,
)
from harbour.insight.performance import AUTHORITY, forget_readings, picture, point, rows

AS_OF = date(2025, 11, 20)
LA, NEIGHBOURS = "926", ["935", "908", "878"]
# Indicators given published comparators here; the rest have none ("not published").
PUBLISHED = ("re_referrals_within_12m_pct", "referrals", "cla", "care_leavers_eet_pct")
KWARGS = {
    "title": "Performance report: Harbourshire (synthetic)",
    "scope_name": "Harbourshire (synthetic)",
    "as_of": AS_OF,
    "period_label": "the month 21 October 2025 to 20 November 2025",
    "read_at": timezone.datetime(2025, 11, 20, 9, 30, tzinfo=timezone.get_fixed_timezone(0)),
}


def _figure(definition, period, n: int, shift: float = 0) -> Figure:
    """A made-up figure in the indicator's unit; `n` and `shift` make each one different."""
    if definition.unit == "percent":
        numerator, denominator = 40 + n, 80
        value = round(100 * numerator / denominator + shift, 1)
    elif definition.unit == "rate_per_10k":
        numerator, denominator = 50 + n, 20_000
        value = round(10_000 * numerator / denominator + shift, 1)
    elif definition.unit == "mean":
        numerator, denominator = 300 + n, 20
        value = round(numerator / denominator + shift, 1)
    else:
        numerator, denominator = 100 + n + int(shift), None
        value = numerator
    if definition.snapshot:
        period = period.snapshot()
    return Figure(definition.id, period, value, numerator, denominator)


def _published(figures: list[Figure]) -> dict:
    """The Department's comparators for a few indicators, by the pure comparators()."""
    found = {}
    for f in figures:
        if f.id not in PUBLISHED:
            continue
        rows_ = [
            SimpleNamespace(
                indicator=f.id,
                year=2025,
                area_level=level,
                area_code=code,
                area_name=name,
                region="East of England",
                value=value,
            )
            for level, code, name, value in [
                ("national", "E92000001", "England", 22.6),
                ("regional", "E12000006", "East of England", 19.4),
                ("local", LA, "Harbourshire", 21.0),
                ("local", "935", "Suffolk", 20.1),
                ("local", "908", "Cornwall", 27.9),
                ("local", "878", "Devon", 19.7),
            ]
        ]
        found[f.id] = comparators(f.id, 2025, LA, rows_, NEIGHBOURS, value=f.value)
    return found


def made_rows(team: bool = False) -> list[dict]:
    """Every indicator as the picture gives it, with a year earlier; for a team, compared with
    the authority's figures."""
    period = period_ending(AS_OF, "month")
    figures = [_figure(d, period, n) for n, d in enumerate(definitions())]
    trends = {
        d.id: Trend(
            monthly=tuple(_figure(d, p, n, shift=k) for k, p in enumerate(months_to(AS_OF))),
            yearly=tuple(
                _figure(d, p, n, shift=2 * k) for k, p in enumerate(collection_years_to(AS_OF))
            ),
        )
        for n, d in enumerate(definitions())
    }
    if team:
        pairs = zip(figures, definitions(), strict=True)
        authority = {f.id: _figure(d, period, 5) for f, d in pairs}
        found = rows(figures, trends, published={}, authority=authority)
    else:
        found = rows(figures, trends, published=_published(figures))
    earlier = period_ending(AS_OF - timedelta(days=365), "month")
    for row, d, n in zip(found, definitions(), range(len(found)), strict=True):
        before = _figure(d, earlier, n, shift=(-1) ** n * 3)
        row["comparators"]["year_earlier"] = point(before) | {
            "versus": compare(row["value"], before.value, d.polarity)
        }
    return found


@pytest.fixture
def quick_charts(monkeypatch):
    """A blank picture for each chart, where the test is not of the charts (drawing 37 takes
    seconds); the authority's report in these tests draws them all."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (56, 26), "white").save(buffer, format="PNG")
    monkeypatch.setattr(pdf_module.charts, "chart", lambda row, format="svg": buffer.getvalue())


@pytest.fixture(scope="module")
def authority_rows():
    return made_rows()


@pytest.fixture(scope="module")
def authority_pdf(authority_rows):
    return performance_pdf(authority_rows, **KWARGS)


def _pages(pdf: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ----- the PDF ---------------------------------------------------------------------------------


def test_the_pdf_shows_every_indicator_with_its_counts_and_every_comparator(
    authority_rows, authority_pdf
):
    pages = _pages(authority_pdf)
    for row in authority_rows:
        counted = _flat(reading.counted(row))
        page = next((p for p in pages if counted in p), None)
        assert page is not None, f"{row['id']}: its counts in words are on no page"
        block = page[max(0, page.index(counted) - 400) :]
        assert _flat(row["title"]) in block
        assert reading.figure(row["value"], row["unit"]) in block
        assert reading.period_words(row["period"]).lower() in block.lower()
        table = block[block.index(counted) : block.index(_flat(reading.analysis(row)[0]))]
        for comparison in _rows_of_comparisons(row):
            assert _flat(comparison.name) in table, (row["id"], comparison.name)
            assert _flat(comparison.word) in table, (row["id"], comparison.key, comparison.word)
            if comparison.value is not None:
                shown = reading.figure(comparison.value, row["unit"]).removesuffix(" per 10,000")
                assert shown in table, (row["id"], comparison.key, shown)


def test_a_missing_comparator_says_why_rather_than_being_left_out(authority_rows):
    by_id = {row["id"]: row for row in authority_rows}
    unpublished = reading.comparisons(by_id["contacts"])
    assert {c.key for c in unpublished} >= {"england", "region", "neighbours_median"}
    assert all(c.word.startswith("not published") for c in unpublished if c.key == "england")
    no_target = next(c for c in reading.comparisons(by_id["contacts"]) if c.key == "local_target")
    assert no_target.word == "no local target set"
    # A month's referrals are not compared with a whole year's published figure, nor a count
    # with England's total.
    referrals = {c.key: c for c in reading.comparisons(by_id["referrals"])}
    assert referrals["england"].verdict is None and "total" in referrals["england"].word
    assert referrals["neighbours_median"].verdict is None
    assert "whole year" in referrals["neighbours_median"].word
    # A percentage is judged by its direction.
    re_referrals = {c.key: c for c in reading.comparisons(by_id["re_referrals_within_12m_pct"])}
    value = by_id["re_referrals_within_12m_pct"]["value"]
    assert re_referrals["england"].verdict == ("worse" if value > 22.6 else "better")


def test_the_summary_on_page_one_counts_and_lists_the_worse_first(authority_rows, authority_pdf):
    pages = _pages(authority_pdf)
    first = pages[0]
    assert "Harbour" in first and "Performance report" in first
    assert "Figures as read at 09:30 on 20 November 2025" in first
    assert "GOV.UK" not in " ".join(pages)
    axes = reading.summary(authority_rows)
    assert [a.key for a in axes] == ["year_earlier", "england", "neighbours_median", "local_target"]
    summary = " ".join(pages[:3])
    for axis in axes:
        assert len(axis.worse + axis.better + axis.same + axis.not_judged) == len(authority_rows)
        sentence = _flat(reading.axis_sentence(axis))
        assert sentence in summary
        said = summary[summary.index(sentence) :]
        said = said[: said.find("Against", len(sentence))]  # up to the next comparator's
        if axis.worse:
            assert "Worse:" in said and (
                not axis.better or said.index("Worse:") < said.index("Better:")
            )
            for row in axis.worse:
                assert _flat(row["title"]) in said
        for row in axis.better:
            assert _flat(row["title"]) in said
    worse_than_a_year = reading.summary(authority_rows)[0].worse
    assert worse_than_a_year, "the made-up rows have some worse than a year earlier"


def test_the_pdf_is_a4_titled_in_english_numbered_and_the_same_every_time(
    authority_rows, authority_pdf
):
    reader = PdfReader(io.BytesIO(authority_pdf))
    assert reader.metadata.title == KWARGS["title"]
    assert reader.metadata.author == "Harbour"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert len(reader.outline) >= 4  # the sections, each holding its indicators
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)
    pages = _pages(authority_pdf)
    assert pages[-1].endswith(f"Page {len(pages)} of {len(pages)}")
    assert performance_pdf(authority_rows, **KWARGS) == authority_pdf


def test_a_teams_pdf_compares_with_the_authority(quick_charts):
    team_rows = made_rows(team=True)
    text = " ".join(_pages(performance_pdf(team_rows, **KWARGS | {"scope_name": "North team"})))
    assert "The authority as a whole" in text
    assert "the Department publishes no figures for teams" in text
    axes = reading.summary(team_rows)
    assert [a.key for a in axes] == ["year_earlier", "authority", "local_target"]
    contacts = {c.key: c for c in reading.comparisons(team_rows[0])}
    assert "england" not in contacts
    assert "part of the authority's" in contacts["authority"].word or contacts["authority"].verdict


# ----- the workbook ----------------------------------------------------------------------------


def _workbook(rows_, **kwargs):
    return load_workbook(io.BytesIO(performance_workbook(rows_, **(KWARGS | kwargs))))


def test_the_workbook_holds_numbers_as_numbers_and_the_trend_as_the_rows_have_it(authority_rows):
    book = _workbook(authority_rows)
    assert book.sheetnames == [
        "Indicators",
        "Monthly trend",
        "Yearly trend",
        "Charts",
        "Definitions",
        "About",
    ]
    sheet = book["Indicators"]
    assert sheet.freeze_panes == "C2"
    head = [c.value for c in sheet[1]]
    column = {name: n for n, name in enumerate(head)}
    lines = list(sheet.iter_rows(min_row=2))
    assert [line[0].value for line in lines] == [row["id"] for row in authority_rows]
    for line, row in zip(lines, authority_rows, strict=True):
        figure = line[column["Figure"]]
        assert figure.data_type == "n" and figure.value == row["value"]
        assert line[column["Counted (numerator)"]].value == row["numerator"]
        assert line[column["Period start"]].value.date() == date.fromisoformat(
            row["period"]["start"]
        )
        if row["unit"] == "percent":
            assert figure.number_format == '0.0"%"'
        england = line[column["England"]]
        published = row["comparators"]["published"]
        if published:
            assert england.data_type == "n" and england.value == float(published["england"])
        else:
            assert england.value is None
            assert line[column["Versus England"]].value.startswith("not published")
    monthly = book["Monthly trend"]
    by_line = {(r[0].value, r[3].value): r for r in monthly.iter_rows(min_row=2)}
    for row in authority_rows:
        points = row["comparators"]["trend"]["monthly"]
        for name, key in (("figure", "value"), ("counted", "numerator"), ("out of", "denominator")):
            assert [c.value for c in by_line[(row["id"], name)][4:]] == [p[key] for p in points]
    yearly = book["Yearly trend"]
    assert [c.value for c in yearly[1]][4:] == [
        "2020-21",
        "2021-22",
        "2022-23",
        "2023-24",
        "2024-25",
    ]
    assert len(book["Charts"]._charts) == len(authority_rows)
    definitions_ = {r[0].value: r for r in book["Definitions"].iter_rows(min_row=2)}
    assert definitions_["contacts"][7].value.startswith("Contacts received")


def test_text_that_looks_like_a_formula_is_stored_as_text():
    book = _workbook(made_rows(team=True), scope_name='=HYPERLINK("http://x","y")')
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["Scope"] == '\'=HYPERLINK("http://x","y")'
    assert about["Figures to"].date() == AS_OF
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


# ----- the downloads and the command ------------------------------------------------------------


@pytest.fixture
def world(db):
    forget_readings()  # each test's records are its own
    return build()


def _get(client, user, name, **query):
    client.force_login(user)
    return client.get(reverse(name), query)


@pytest.mark.django_db
def test_downloads_are_the_right_files_and_each_is_audited(client, world, quick_charts):
    today = timezone.localdate()
    officer = world.users[Role.PERFORMANCE_OFFICER]
    before = AuditEvent.objects.filter(action="export").count()
    pdf = _get(client, officer, "performance-report-pdf", period="month")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="performance-report-authority-{today}-month.pdf"'
    )
    text = " ".join(_pages(pdf.content))
    assert "Children looked after" in text and "Page 1 of" in text
    north = world.teams["north"]
    xlsx = _get(client, officer, "performance-report-xlsx", team=north.pk, as_of=str(today))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        f'filename="performance-report-team-{north.pk}-{today}-year.xlsx"'
        in (xlsx["Content-Disposition"])
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    assert {r[0].value: r[1].value for r in book["About"].iter_rows()}["Scope"] == north.name
    again = _get(client, officer, "performance-report-pdf", period="month")
    assert again.content == pdf.content
    lines = list(AuditEvent.objects.filter(action="export").order_by("id")[before:])
    assert len(lines) == 3
    assert lines[0].detail == {
        "what": "performance report (pdf)",
        "scope": "The authority",
        "as_of": str(today),
        "period": "month",
    }
    assert (lines[1].object_type, lines[1].object_id) == ("workforce.Team", str(north.pk))
    assert lines[1].username == officer.username


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ({"as_of": "2025-02-30"}, "The day figures are counted to must be a real date"),
        ({"as_of": "next week"}, "The day figures are counted to must be a real date"),
        ({"as_of": "2999-01-01"}, "Figures to must be today or in the past"),
        ({"as_of": "0001-01-01"}, "Figures to must be the same as or after 14 October 1991"),
        ({"period": "week"}, "Choose 12 months, 3 months or a month"),
        ({"team": "north"}, "Choose a team that exists"),
        ({"team": "²"}, "Choose a team that exists"),
        ({"team": "99999999999999999999"}, "Choose a team that exists"),
    ],
)
def test_a_bad_request_is_refused_with_a_message_and_not_audited(client, world, query, message):
    answer = _get(client, world.users[Role.SENIOR_LEADER], "performance-report-pdf", **query)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.django_db
def test_an_unknown_team_is_named_and_another_teams_report_refused(client, world):
    worker = world.users[Role.SOCIAL_WORKER]
    unknown = _get(client, worker, "performance-report-xlsx", team=999_999)
    assert unknown.status_code == 400
    assert "Choose a team that exists" in unknown.content.decode()
    south = world.teams["south"]
    assert _get(client, worker, "performance-report-xlsx", team=south.pk).status_code == 403


@pytest.mark.django_db
def test_the_picture_gives_each_indicator_the_same_period_a_year_earlier(world):
    today = timezone.localdate()
    found = picture(today, "quarter", AUTHORITY, year_earlier=True)
    assert len(found) == len(definitions())
    shape = made_rows()[0]
    assert set(found[0]) >= set(shape) - {"per_period", "comparable"}
    assert set(found[0]["comparators"]) == set(shape["comparators"])
    for row in found:
        earlier = row["comparators"]["year_earlier"]
        end = date.fromisoformat(earlier["period"]["end"])
        assert end == today.replace(year=today.year - 1) or (today.month, today.day) == (2, 29)
        assert set(earlier) == {"period", "value", "numerator", "denominator", "versus"}


@pytest.mark.django_db
def test_the_command_writes_the_pdf_and_the_workbook(world, tmp_path, quick_charts):
    pdf, xlsx = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    north = world.teams["north"]
    call_command(
        "performance_report", "--period", "month", "--team", str(north.pk),
        "--pdf", str(pdf), "--xlsx", str(xlsx), stdout=io.StringIO(),
    )  # fmt: skip
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.read_bytes().startswith(b"PK")
    assert "North team" in " ".join(_pages(pdf.read_bytes()))
    with pytest.raises(CommandError, match="give --pdf FILE, --xlsx FILE or both"):
        call_command("performance_report")
    with pytest.raises(CommandError, match="no team with the id 999999"):
        call_command("performance_report", "--team", "999999", "--pdf", str(pdf))
