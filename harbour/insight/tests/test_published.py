"""The Department's published figures: the shipped files, the loader and the comparators."""

import csv
import io
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.authority.models import Authority, StatisticalNeighbour
from harbour.insight.comparators import comparators, comparators_from_db, compare
from harbour.insight.models import PublishedFigure
from harbour.insight.published.extract import mapping, read_figures
from harbour.insight.published.loading import (
    DATA_DIR,
    NEIGHBOURS_FILE,
    load_csv,
    neighbours_of,
    shipped_sources,
)

# The Department's children in need CSV layout (explore-education-statistics).
B1_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,category,Anypoint_episodes,Anypoint_child,"
    "Started_episodes,Started_child,Ended_episodes,Ended_child,At31_episodes,awaiting_assessment"
)
POPULATION_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,age_group,population_estimate"
)


def b1_row(year, at31, level="Local authority", code="926", name="Norfolk"):
    if level == "National":
        return (
            f"{year},Reporting year,National,E92000001,England,,,,,,Children in Need,"
            f"1,1,1,1,1,1,{at31},1"
        )
    return (
        f"{year},Reporting year,{level},E92000001,England,E12000006,East of England,{code},"
        f"E10000020,{name},Children in Need,1,1,1,1,1,1,{at31},1"
    )


def shipped(indicator=None):
    return [f for f in _all_shipped() if indicator is None or f.indicator == indicator]


@cache
def _all_shipped():
    figures = []
    for name, info in shipped_sources().items():
        if "indicators" not in info:
            continue
        with (DATA_DIR / name).open(encoding="utf-8") as handle:
            found, problems = read_figures(handle, name)
        assert problems == [], problems
        figures += found
    return tuple(figures)


def authorities_2025() -> set[str]:
    with NEIGHBOURS_FILE.open(encoding="utf-8") as handle:
        return {row["la_code"] for row in csv.DictReader(handle) if row["grouping"] == "2025"}


# ---- the shipped files ----------------------------------------------------------------------
def test_shipped_files_parse_and_name_their_source():
    maps = mapping()
    sources = shipped_sources()
    for name, info in sources.items():
        assert (DATA_DIR / name).exists(), name
        for origin in info.get("groupings", {"": info}).values():
            assert origin["path"].startswith("data-raw/"), name
            assert origin["commit"] and len(origin["commit"]) == 40, name
        if "indicators" in info:
            assert int(info["release"]) >= 2024, name
            assert set(info["indicators"]) <= set(maps.measures), name
    figures = shipped()
    assert len(figures) > 40_000
    assert {f.indicator for f in figures} == set(maps.measures)
    assert not set(maps.not_published_here) & {f.indicator for f in figures}
    total = sum(f.stat().st_size for f in DATA_DIR.iterdir())
    assert total < 15_000_000


def test_latest_year_covers_every_english_authority():
    every = authorities_2025()
    assert len(every) == 153
    for indicator in ("referrals", "cin", "cp_plans", "cla"):
        figures = shipped(indicator)
        latest = max(f.year for f in figures)
        assert latest == 2025, indicator
        local = {f.area_code for f in figures if f.year == latest and f.area_level == "local"}
        regions = {f.area_name for f in figures if f.year == latest and f.area_level == "regional"}
        england = [f for f in figures if f.year == latest and f.area_level == "national"]
        assert len(england) == 1 and england[0].area_code == "E92000001"
        assert {"North East", "East of England", "Inner London", "Outer London"} <= regions
        assert len(regions) == 11  # nine regions, and London's inner and outer parts
        assert local <= every
        # The Department suppresses the City of London's and the Isles of Scilly's small
        # numbers of child protection plans and children looked after; every other authority
        # has every figure.
        allowed_missing = {"201", "420"} if indicator in ("cp_plans", "cla") else set()
        assert every - local == allowed_missing, indicator


def test_figures_are_the_published_ones():
    def one(indicator, year, code):
        (found,) = [f for f in shipped(indicator) if f.year == year and f.area_code == code]
        return found.value

    # The Department's published figures for England, 2024-25.
    assert one("referrals", 2025, "E92000001") == Decimal("632830")
    assert one("re_referrals_within_12m_pct", 2025, "E92000001") == Decimal("22.6")
    assert one("cin", 2025, "E92000001") == Decimal("402400")
    assert one("cla", 2025, "E92000001") == Decimal("81770")
    assert one("sw_turnover_pct", 2025, "E92000001") == Decimal("11.8")
    # The rates Harbour makes from counts and population equal the Department's published
    # rates (its methodology notes give these for 2023 and 2024).
    assert one("cin_rate_per_10k", 2024, "E92000001") == Decimal("331.2")
    assert one("cin_rate_per_10k", 2023, "E92000001") == Decimal("338.7")
    assert one("cp_rate_per_10k", 2024, "E92000001") == Decimal("41.4")
    assert one("cp_rate_per_10k", 2023, "E92000001") == Decimal("42.7")
    # A derived percentage: in touch = 100 - information not known (6% in 2025).
    assert one("care_leavers_in_touch_pct", 2025, "E92000001") == Decimal("94")
    # A shared workforce's rates are given to each of its authorities.
    assert one("sw_turnover_pct", 2025, "314") == one("sw_turnover_pct", 2025, "318")


def test_statistical_neighbours_2021_and_2025():
    with NEIGHBOURS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for grouping in ("2021", "2025"):
        by_la = {}
        for row in rows:
            if row["grouping"] == grouping:
                by_la.setdefault(row["la_code"], []).append(row)
        assert len(by_la) >= 152, grouping
        for code, ranked in by_la.items():
            assert sorted(int(r["rank"]) for r in ranked) == list(range(1, 11)), code
            assert len({r["neighbour_code"] for r in ranked}) == 10, code
            assert code not in {r["neighbour_code"] for r in ranked}, code
            assert all(r["neighbour_name"] for r in ranked), code
    # Norfolk's published neighbours, closest first.
    assert neighbours_of("926", "2025")[:3] == ["935", "908", "878"]
    assert neighbours_of("926", "2021")[:3] == ["925", "935", "908"]
    assert neighbours_of("926") == neighbours_of("926", "2025")


# ---- comparators ----------------------------------------------------------------------------
def test_neighbours_median_equals_an_independent_calculation():
    """Norfolk's ten 2025 neighbours' social worker turnover in 2025, read straight from the
    shipped file with the csv module, and their median worked out by hand."""
    with NEIGHBOURS_FILE.open(encoding="utf-8") as handle:
        ten = [
            r["neighbour_code"]
            for r in csv.DictReader(handle)
            if r["grouping"] == "2025" and r["la_code"] == "926"
        ]
    with (DATA_DIR / "workforce.csv").open(encoding="utf-8") as handle:
        values = {
            r["area_code"]: float(r["value"])
            for r in csv.DictReader(handle)
            if r["indicator"] == "sw_turnover_pct" and r["year"] == "2025"
        }
    theirs = sorted(values[code] for code in ten if code in values)
    assert len(theirs) == 10
    by_hand = (theirs[4] + theirs[5]) / 2

    result = comparators(
        "sw_turnover_pct", 2025, "926", shipped("sw_turnover_pct"), neighbours_of("926", "2025")
    )
    assert float(result["neighbours_median"]) == pytest.approx(by_hand)
    assert result["neighbours_count"] == 10
    assert float(result["neighbours_best"]) == min(theirs)  # lower turnover is better
    assert result["england"] == Decimal("11.8")
    assert result["region_name"] == "East of England"
    assert result["region"] is not None
    assert [year for year, _ in result["trend"]] == [2021, 2022, 2023, 2024, 2025]
    assert result["versus"]["neighbours_best"] in ("worse", "same")

    # A higher-is-better indicator's best neighbour is the highest; a missing neighbour is
    # left out of the median rather than counted as nothing.
    eet = comparators(
        "care_leavers_eet_pct",
        2025,
        "926",
        shipped("care_leavers_eet_pct"),
        ["935", "908", "878", "999"],
    )
    assert eet["neighbours_count"] == 3
    assert eet["neighbours_best"] == max(v for _, _, v in eet["neighbours"] if v is not None)
    assert eet["neighbours"][-1] == ("999", None, None)


def test_compare_respects_polarity():
    assert compare(60, 54, "higher_is_better") == "better"
    assert compare(50, 54, "higher_is_better") == "worse"
    assert compare(20, 22.6, "lower_is_better") == "better"
    assert compare(25, 22.6, "lower_is_better") == "worse"
    assert compare(Decimal("22.6"), Decimal("22.60"), "lower_is_better") == "same"
    assert compare(22.7, 22.6, "lower_is_better", tolerance=0.5) == "same"
    assert compare(400, 330, "neutral") == "higher"
    assert compare(None, 330, "higher_is_better") is None
    with pytest.raises(ValueError):
        compare(1, 2, "sideways")
    # Harbour's own figure is judged against every comparator by the indicator's polarity.
    figures = shipped("re_referrals_within_12m_pct")
    england = [f.value for f in figures if f.year == 2025 and f.area_level == "national"][0]
    low = comparators("re_referrals_within_12m_pct", 2025, "926", figures, value=england - 5)
    high = comparators("re_referrals_within_12m_pct", 2025, "926", figures, value=england + 5)
    assert low["versus"]["england"] == "better" and high["versus"]["england"] == "worse"
    counts = comparators("referrals", 2025, "926", shipped("referrals"), neighbours_of("926"))
    assert counts["versus"]["england"] is None  # a count is not compared with England's total
    assert counts["versus"]["neighbours_median"] in ("higher", "lower", "same")
    assert counts["neighbours_best"] is None


# ---- loading --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_load_published_is_idempotent_and_loads_the_authoritys_neighbours():
    norfolk = Authority.objects.create(name="Norfolk", la_code="926", region="east")
    out = io.StringIO()
    call_command("load_published", stdout=out)
    count = PublishedFigure.objects.count()
    assert count == len(shipped())
    assert "0 changed" in out.getvalue()
    first = dict(PublishedFigure.objects.values_list("pk", "loaded_at"))
    neighbours = list(
        StatisticalNeighbour.objects.filter(authority=norfolk).values_list(
            "grouping", "rank", "la_code", "name", "version"
        )
    )
    assert len(neighbours) == 20
    assert ("2025", 1, "935", "Suffolk", 1) in neighbours
    histories = StatisticalNeighbour.history.count()

    out = io.StringIO()
    call_command("load_published", stdout=out)
    assert "0 new, 0 changed" in out.getvalue()
    assert "Nothing changed" in out.getvalue()
    assert PublishedFigure.objects.count() == count
    assert dict(PublishedFigure.objects.values_list("pk", "loaded_at")) == first
    assert StatisticalNeighbour.history.count() == histories
    assert (
        list(
            StatisticalNeighbour.objects.filter(authority=norfolk).values_list(
                "grouping", "rank", "la_code", "name", "version"
            )
        )
        == neighbours
    )
    figure = PublishedFigure.objects.get(indicator="cla", year=2025, area_code="926")
    assert figure.release == 2025
    assert "b1" not in figure.source and "cla_number_and_rate" in figure.source

    # The same comparators from the database, in one query of figures.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        db = comparators_from_db(["sw_turnover_pct", "cla", "cp_plans_ended_after_2y_pct"])
    figure_queries = [q for q in queries if "insight_publishedfigure" in q["sql"]]
    assert len(figure_queries) == 1
    assert set(db) == {"sw_turnover_pct", "cla"}  # nothing is published for the third
    pure = comparators(
        "sw_turnover_pct", 2025, "926", shipped("sw_turnover_pct"), neighbours_of("926")
    )
    assert db["sw_turnover_pct"]["neighbours_median"] == pure["neighbours_median"]
    assert db["sw_turnover_pct"]["year"] == 2025


@pytest.mark.django_db
def test_a_bad_csv_is_refused_naming_file_row_and_column_and_nothing_is_loaded(tmp_path):
    bad = tmp_path / "b1_children_in_need_2013_to_2026.csv"
    bad.write_text(
        "\n".join(
            [
                B1_HEADER,
                b1_row(2026, "400000", level="National"),
                b1_row(2026, "12a"),  # row 3: not a number
                b1_row(2026, "1500", code="92"),  # row 4: not a code
                b1_row("2026/27", "1500"),  # row 5: not a year
                b1_row(2026, "c", code="935", name="Suffolk"),  # suppressed: left out, no problem
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 problem"):
        call_command("load_published", csv=[bad], stdout=out)
    printed = out.getvalue()
    assert f"{bad.name}: row 3: At31_episodes: '12a' is not a number" in printed
    assert f"{bad.name}: row 4: old_la_code: '92' is not a three-digit" in printed
    assert f"{bad.name}: row 5: time_period: '2026/27' is not a year" in printed
    assert PublishedFigure.objects.count() == 0

    unknown = tmp_path / "something_else.csv"
    unknown.write_text("time_period,geographic_level,thing\n2026,National,1\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_published", csv=[unknown], stdout=out)
    assert "something_else.csv: row 1: (header): no measure" in out.getvalue()
    assert PublishedFigure.objects.count() == 0


@pytest.mark.django_db
def test_a_newer_release_is_loaded_by_the_mapping_and_never_undone_by_an_older_one(tmp_path):
    call_command(
        "load_published",
        indicator=["cin", "cin_rate_per_10k", "population_0_17"],
        stdout=io.StringIO(),
    )
    before = PublishedFigure.objects.count()
    population = tmp_path / "ons_mid-year_population_estimates_2012_to_2025.csv"
    population.write_text(
        POPULATION_HEADER
        + "\n2025,Reporting year,Local authority,E92000001,England,E12000006,East of England,"
        "926,E10000020,Norfolk,Children aged 0 to 17 years,180000\n",
        encoding="utf-8",
    )
    release = tmp_path / "b1_children_in_need_2013_to_2026.csv"
    release.write_text(
        "\n".join([B1_HEADER, b1_row(2026, "4500"), b1_row(2025, "4321")]) + "\n",
        encoding="utf-8",
    )
    outcome = load_csv([release, population])
    assert outcome.created == 3  # cin 2026, its rate, and the 2025 population
    assert outcome.updated == 2  # the revised 2025 figure, and its rate
    cin_2026 = PublishedFigure.objects.get(indicator="cin", year=2026, area_code="926")
    assert cin_2026.value == 4500 and cin_2026.release == 2026
    rate = PublishedFigure.objects.get(indicator="cin_rate_per_10k", year=2026, area_code="926")
    assert rate.value == Decimal("250.0")  # 4500 per 180,000 children
    assert PublishedFigure.objects.count() == before + 3

    again = load_csv([release, population])
    assert (again.created, again.updated) == (0, 0)
    # The shipped (2025) release does not undo the 2026 release's revision of 2025.
    out = io.StringIO()
    call_command("load_published", indicator=["cin"], stdout=out)
    assert "kept from a later release" in out.getvalue()
    revised = PublishedFigure.objects.get(indicator="cin", year=2025, area_code="926")
    assert revised.value == 4321 and revised.release == 2026

    # --indicator picks one measure out of a file.
    only = load_csv([release], only={"cin_rate_per_10k"}, release=2027)
    assert only.indicators == {"cin_rate_per_10k"}
    with pytest.raises(CommandError, match="not a published indicator"):
        call_command("load_published", indicator=["no_such_thing"], stdout=io.StringIO())


def test_the_builder_rebuilds_the_shipped_files_from_the_departments_files(tmp_path):
    """build.py turns the Department's layout into the shipped layout (here from a folder of
    two small files in that layout, as a newer release would be given by hand)."""
    from harbour.insight.published import build

    folder = tmp_path / "dfe"
    (folder / "data-raw").mkdir(parents=True)
    maps = mapping()
    for key, source in maps.sources.items():
        original = DATA_DIR / source.output
        assert original.exists(), key
    # Only the builder's reading and writing are checked here; the full build needs the
    # Department's repository (see SOURCES.md).
    (folder / "data-raw" / "b1_children_in_need_2013_to_2026.csv").write_text(
        "\n".join([B1_HEADER, b1_row(2026, "4500"), b1_row(2026, "400000", level="National")])
        + "\n",
        encoding="utf-8",
    )
    files = build.Files(folder=folder)
    assert files.find("data-raw/b1_children_in_need_2013_to_2025.csv") == (
        "data-raw/b1_children_in_need_2013_to_2026.csv"
    )
    with pytest.raises(SystemExit) as refused:
        build.build(files, tmp_path / "out")
    assert "not in the repository" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_measures_mapping_records_polarity_for_every_harbour_indicator():
    maps = mapping()
    harbour_ids = {
        "referrals",
        "referral_rate_per_10k",
        "re_referrals_within_12m_pct",
        "cp_plans",
        "cp_rate_per_10k",
        "cp_plans_started",
        "cp_second_or_subsequent_pct",
        "cin",
        "cin_rate_per_10k",
        "cla",
        "cla_rate_per_10k",
        "cla_three_or_more_placements_pct",
        "cla_long_term_stability_pct",
        "cla_health_assessments_in_time_pct",
        "care_leavers_eet_pct",
        "care_leavers_suitable_accommodation_pct",
        "care_leavers_in_touch_pct",
        "sw_turnover_pct",
        "sw_agency_pct",
        "caseload_mean",
        "referrals_nfa_pct",
        "cp_open_2y_or_more_pct",
        "cla_started",
        "cla_started_rate_per_10k",
        "cla_ceased",
        "cla_immunisations_pct",
        "cla_dental_checks_pct",
        "cla_three_or_more_social_workers_pct",
        "care_leavers_eet_17_18_pct",
        "care_leavers_suitable_accommodation_17_18_pct",
    }
    assert harbour_ids == {m.id for m in maps.measures.values() if m.harbour}
    # Each one Harbour computes is an indicator of that id; the rest are published context.
    from harbour.insight.indicators import definitions

    defined = {d.id for d in definitions()}
    assert harbour_ids <= defined
    assert not {m.id for m in maps.measures.values() if not m.harbour} & defined
    assert maps.polarity("re_referrals_within_12m_pct") == "lower_is_better"
    assert maps.polarity("cla_long_term_stability_pct") == "higher_is_better"
    assert maps.polarity("referrals") == "neutral"
    assert Path(DATA_DIR / "SOURCES.md").read_text(encoding="utf-8").count("data-raw/") >= 12


@pytest.mark.django_db
def test_an_administrator_loads_a_release_in_the_administration_site(client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from harbour.access.models import AuditEvent

    admin_user = django_user_model.objects.create_superuser("admin", password="pw-for-tests-1")
    client.force_login(admin_user)
    url = "/admin/insight/publishedfigure/load/"
    assert "Load a newer release" in client.get("/admin/insight/publishedfigure/").content.decode()

    bad = b1_row(2026, "12a")
    upload = SimpleUploadedFile(
        "b1_children_in_need_2013_to_2026.csv", f"{B1_HEADER}\n{bad}\n".encode()
    )
    page = client.post(url, {"files": [upload]}).content.decode()
    assert (
        "1 problem found: nothing was loaded" in page and "&#x27;12a&#x27; is not a number" in page
    )
    assert PublishedFigure.objects.count() == 0

    good = "\n".join([B1_HEADER, b1_row(2026, "4500"), b1_row(2026, "400000", level="National")])
    upload = SimpleUploadedFile("b1_children_in_need_2013_to_2026.csv", good.encode())
    response = client.post(url, {"files": [upload], "release": "2026"}, follow=True)
    assert "2 new" in response.content.decode()
    assert PublishedFigure.objects.get(indicator="cin", year=2026, area_code="926").value == 4500
    assert AuditEvent.objects.filter(user_id=admin_user.pk, action="change").exists()

    other = django_user_model.objects.create_user("sw", password="pw-for-tests-1")
    client.force_login(other)
    assert client.get(url).status_code == 302  # to the administration site's sign-in
