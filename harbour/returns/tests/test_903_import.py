"""Importing the SSDA903 return: Harbour's own return read back gives the same files, a second
import changes nothing, and bad files are refused with every problem named."""

import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps

from harbour.access.models import AuditEvent
from harbour.care.models import CareLeaverContact, LegalStatus, PeriodOfCare, Placement
from harbour.core.models import Recorded
from harbour.people.models import Child
from harbour.returns.importing import ImportRefused
from harbour.returns.imports import import_paths
from harbour.returns.ssda903.export import write_return
from harbour.returns.ssda903.tables import TABLES
from harbour.synth.failures import parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES
from harbour.workforce.models import Allocation, Staff

END = date(2026, 11, 20)
YEARS = (2025, 2026)

pytestmark = pytest.mark.django_db

# Children and every record about them; staff, teams and the audit log stay.
CHILDRENS = ("people", "care", "journey", "oversight")
ALSO = (
    "workforce.Allocation",
    "workforce.CaseDiscussion",
    "access.Restriction",
    "access.ReasonedAccess",
)


def empty_children_and_their_records() -> None:
    """Raw deletes, no history or audit lines; foreign keys are checked at commit (Django makes
    them deferrable), so the order does not matter inside the test's transaction."""
    for model in apps.get_models():
        label = model._meta.label
        if model.__name__.startswith("Historical"):
            continue
        if model._meta.app_label in CHILDRENS or label in ALSO:
            model._base_manager.all()._raw_delete(model._base_manager.db)
    assert not Child.objects.exists() and not PeriodOfCare.objects.exists()


def history_counts() -> dict[str, int]:
    return {
        m.__name__: m.history.count()
        for m in apps.get_models()
        if issubclass(m, Recorded) and not m.__name__.startswith("Historical")
    }


def record_counts() -> dict[str, int]:
    counts = {
        m.__name__: m._base_manager.count()
        for m in apps.get_models()
        if issubclass(m, Recorded) and not m.__name__.startswith("Historical")
    }
    counts["AuditEvent"] = AuditEvent.objects.count()
    return counts | {f"history {k}": v for k, v in history_counts().items()}


def county() -> None:
    load_county(SIZES["small"], 2, 3, END, parse_rates([]))


def test_harbours_own_return_read_back_gives_the_same_files(tmp_path):
    county()
    for year in YEARS:
        write_return(year, tmp_path / "made" / str(year))
    staff = Staff.objects.count()
    empty_children_and_their_records()

    outcome = import_paths([tmp_path / "made" / str(year) for year in YEARS])

    assert outcome.created["child"] > 200
    assert Staff.objects.count() == staff, "social workers found by registration number"
    for year in YEARS:
        write_return(year, tmp_path / "again" / str(year))
        for table in TABLES:
            made = (tmp_path / "made" / str(year) / f"{table}.csv").read_bytes()
            again = (tmp_path / "again" / str(year) / f"{table}.csv").read_bytes()
            assert made.count(b"\n") > 1, f"{year} {table}: nothing to compare"
            assert again == made, f"{year} {table}.csv differs"
    # Care began before the return for some: their periods say the start is not known.
    assert PeriodOfCare.objects.filter(dates_known=False).exists()


def test_importing_twice_changes_nothing(tmp_path):
    county()
    write_return(2026, tmp_path / "made")
    before = record_counts()

    same = import_paths([tmp_path / "made"])  # back into the records it was made from

    assert not same.changed, same.lines()
    assert record_counts() == before

    empty_children_and_their_records()
    first = import_paths([tmp_path / "made"])
    assert first.changed
    after_first = record_counts()

    second = import_paths([tmp_path / "made"])

    assert sum(second.created.values()) == 0, second.lines()
    assert sum(second.updated.values()) == 0, second.lines()
    assert second.unchanged["child"] == first.created["child"]
    assert record_counts() == after_first, "no new records, history rows or audit lines"


# A small return in the Department's format, written by hand.
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
    "PL_POST,URN\n"
)
SOCIAL_WORKERS = "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n"
OC3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
GOOD = {
    "header.csv": HEADER
    + "A1,F,14/02/2012,WBRI,UN4,0,\n"  # in care since before the year
    + "A2,M,03/09/2015,WOTH,UN4,,\n"  # comes into care in the year
    + "A3,M,20/06/2007,WBRI,UN4,,\n",  # a care leaver, 18 in the year
    "episodes.csv": EPISODES
    + "A1,10/01/2025,P,C2,N1,U4,PR1,01/09/2025,X1,CARPL,NR1 1AA,NR2 2BB,XXXXXXX\n"
    + "A1,01/09/2025,P,C2,N1,K2,PR4,,,,NR1 1AA,NR3 3CC,SC123456\n"
    + "A2,05/05/2025,S,V2,N4,U6,PR1,20/07/2025,X1,,NR4 4DD,NR5 5EE,XXXXXXX\n"
    + "A2,20/07/2025,L,C1,N4,U6,PR1,12/12/2025,E4A,,NR4 4DD,NR5 5EE,XXXXXXX\n",
    "social_worker_episodes.csv": SOCIAL_WORKERS
    + "A1,14/02/2012,SW777001,02/03/2021,,MANAGE\n"
    + "A2,03/09/2015,XX0042,05/05/2025,,FCONTA\n",
    "oc3.csv": OC3 + "A3,20/06/2007,YES,F4,U1\n",
}


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_return_from_elsewhere_becomes_care_records(tmp_path):
    outcome = import_paths([write(tmp_path / "r", GOOD)])

    assert outcome.created["child"] == 3
    a1 = Child.objects.get(reference="A1")
    assert (a1.forename, a1.surname) == ("Child", "A1")  # the return carries no names
    period = a1.periods_of_care.get()
    # Looked after before the year: by the social worker episode, since 02/03/2021 at latest.
    assert (period.starts_on, period.dates_known) == (date(2021, 3, 2), False)
    statuses = list(LegalStatus.objects.filter(child=a1).values_list("starts_on", "code"))
    assert statuses == [(date(2021, 3, 2), "C2")]
    placements = list(
        Placement.objects.filter(child=a1)
        .order_by("starts_on")
        .values_list("starts_on", "placement_type", "reason_for_change")
    )
    # RNE P on 10/01/2025: a placement not known before it.
    assert placements == [
        (date(2021, 3, 2), "", ""),
        (date(2025, 1, 10), "U4", "CARPL"),
        (date(2025, 9, 1), "K2", ""),
    ]
    a2 = Child.objects.get(reference="A2")
    period = a2.periods_of_care.get()
    assert (period.starts_on, period.ends_on, period.reason_ceased) == (
        date(2025, 5, 5),
        date(2025, 12, 12),
        "E4A",
    )
    assert list(a2.legal_statuses.order_by("starts_on").values_list("code", flat=True)) == [
        "V2",
        "C1",
    ]
    assert a2.placements.count() == 1  # L: the same placement went on
    worker = Allocation.objects.get(child=a1).worker
    assert (worker.registration_number, worker.qualified) == ("SW777001", True)
    assert Staff.objects.get(registration_number="XX0042").qualified is False
    # The care leaver: a contact on the 18th birthday, and a period of care ended before.
    contact = CareLeaverContact.objects.get(care_leaver__child__reference="A3")
    assert (contact.contact_on, contact.accommodation, contact.accommodation_suitable) == (
        date(2025, 6, 20),
        "U",
        True,
    )
    assert Child.objects.get(reference="A3").periods_of_care.get().ends_on < date(2025, 4, 1)

    write_return(2026, tmp_path / "out")
    for name, text in GOOD.items():
        assert (tmp_path / "out" / name).read_text().splitlines()[1:] == sorted(
            text.splitlines()[1:]
        ), name


BAD = {
    "header.csv": HEADER
    + "A1,F,14/02/2012,WBRI,UN4,0,\n"
    + "A2,M,31/02/2015,WOTH,UN4,,\n"  # no 31 February
    + ",F,01/01/2012,WBRX,UN4,0,\n",  # no CHILD; no such ethnicity
    "episodes.csv": EPISODES
    + "A1,10/01/2025,P,C2,N1,U4,PR1,01/09/2025,X1,CARPL,NR1 1AA,NR2 2BB,XXXXXXX\n"
    + "A1,01/09/2025,P,C2,N1,Q9,PR4,,,,NR1 1AA,NR3 3CC,SC123456\n"  # no placement type Q9
    + "A2,2025-05-05,S,V2,N4,U6,PR1,,,,NR4 4DD,NR5 5EE,XXXXXXX\n",  # not dd/mm/yyyy
    "reviews_old.csv": "CHILD,DOB,REVIEW,PARTICIPATION\nA1,14/02/2012,01/06/2025,PN1\n",
    "notes.txt": "not part of a return\n",
}
EXPECTED = {
    ("header.csv", "row 3", "DOB"),
    ("header.csv", "row 4", "CHILD"),
    ("header.csv", "row 4", "ETHNIC"),
    ("episodes.csv", "row 3", "PLACE"),
    ("episodes.csv", "row 4", "DECOM"),
    ("reviews_old.csv", "row 1", "headings"),
    ("notes.txt", "file", "name"),
}


def _found(error: ImportRefused) -> set[tuple[str, str, str]]:
    return {(p.file.rsplit("/", 1)[-1], p.where, p.field) for p in error.problems}


def test_bad_files_are_refused_with_every_problem(tmp_path):
    before = record_counts()

    with pytest.raises(ImportRefused) as refused:
        import_paths([write(tmp_path / "bad", BAD)])

    assert _found(refused.value) == EXPECTED
    texts = {p.field: p.problem for p in refused.value.problems}
    assert "'2025-05-05' is not a date" in texts["DECOM"]
    assert "'Q9' is not one of the published codes" in texts["PLACE"]
    assert "PARTICIPATION" in texts["headings"] and "REVIEW_CODE" in texts["headings"]
    assert record_counts() == before


def test_a_zip_is_read_like_a_folder(tmp_path):
    archive = tmp_path / "return.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, text in BAD.items():
            z.writestr(f"903/{name}", text)
    before = record_counts()

    with pytest.raises(ImportRefused) as refused:
        import_paths([archive])

    assert _found(refused.value) == EXPECTED
    assert all(p.file.startswith(f"{archive}/903/") for p in refused.value.problems)
    assert record_counts() == before

    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as z:
        for name, text in GOOD.items():
            z.writestr(name, text)
    assert import_paths([good]).created["child"] == 3


def test_csv_files_named_one_by_one_are_one_return(tmp_path):
    folder = write(tmp_path / "r", GOOD)
    outcome = import_paths(sorted(folder.glob("*.csv")))
    assert outcome.created["child"] == 3

    again = import_paths(sorted(folder.glob("*.csv")))
    assert not again.changed


def test_problems_across_rows_and_tables(tmp_path):
    files = dict(GOOD)
    files["episodes.csv"] = (
        EPISODES
        + "A1,10/01/2025,P,C2,N1,U4,PR1,01/09/2025,X1,,NR1 1AA,NR2 2BB,XXXXXXX\n"
        + "A1,02/09/2025,L,C2,N1,U4,PR1,,,,NR1 1AA,NR2 2BB,XXXXXXX\n"
        + "A2,05/05/2025,P,V2,N4,U6,PR1,20/07/2025,E4A,,NR4 4DD,NR5 5EE,XXXXXXX\n"
        + "A9,05/05/2025,S,V2,N4,U6,PR1,,,,NR4 4DD,NR5 5EE,XXXXXXX\n"
    )
    files["social_worker_episodes.csv"] = SOCIAL_WORKERS + "A1,01/01/2011,SW1,02/03/2021,,\n"

    with pytest.raises(ImportRefused) as refused:
        import_paths([write(tmp_path / "r", files)])

    assert _found(refused.value) == {
        ("episodes.csv", "row 3", "DECOM"),  # not the day the episode before ended (X1)
        ("episodes.csv", "row 3", "RNE"),  # L, but the legal status is C2 before and after
        ("episodes.csv", "row 4", "RNE"),  # a child's first episode in the year starts care
        ("episodes.csv", "row 5", "CHILD"),  # not in the Header
        ("social_worker_episodes.csv", "row 2", "DOB"),  # differs from the Header
        ("social_worker_episodes.csv", "row 2", "SW_ID"),  # too short
    }


def test_a_clash_with_records_held_is_found_when_loading(tmp_path):
    # Last year's return: A3 came into care and was still looked after at 31 March.
    last_year = {
        "header.csv": HEADER + "A3,M,20/06/2007,WBRI,UN4,,\n",
        "episodes.csv": EPISODES + "A3,01/05/2024,S,V2,N4,U6,PR1,,,,NR4 4DD,NR5 5EE,XXXXXXX\n",
    }
    import_paths([write(tmp_path / "2025", last_year)])
    before = record_counts()

    # This year's has A3 as a care leaver at 18, with no episode ending that care.
    with pytest.raises(ImportRefused) as refused:
        import_paths([write(tmp_path / "2026", GOOD)])

    assert _found(refused.value) == {("oc3.csv", "row 2", "CHILD")}
    assert "holds a period of care from 01/05/2024 (not ended)" in str(refused.value.problems[0])
    assert record_counts() == before


def test_spreadsheet_habits_are_accepted(tmp_path):
    files = dict(GOOD)
    # A byte order mark, Windows line ends, columns in another order, lower-case codes, empty
    # columns after the last heading and rows cut short after their last value.
    files["header.csv"] = (
        "\ufeffUPN,CHILD,SEX,DOB,ETHNIC,MOTHER,MC_DOB,,\r\n"
        "un4,A1,f,14/02/2012,wbri,0,,,\r\n"
        "UN4,A2,M,03/09/2015,WOTH\r\n"
        "UN4,A3,M,20/06/2007,WBRI,,\r\n"
    )
    outcome = import_paths([write(tmp_path / "r", files)])

    assert outcome.created["child"] == 3
    a1 = Child.objects.get(reference="A1")
    assert (a1.sex, a1.ethnicity) == ("F", "WBRI")


def test_a_date_after_the_current_year_is_a_problem_not_a_new_year(tmp_path):
    files = dict(GOOD)
    files["social_worker_episodes.csv"] += "A1,14/02/2012,SW777002,02/03/2052,,MANAGE\n"

    with pytest.raises(ImportRefused) as refused:
        import_paths([write(tmp_path / "r", files)])

    assert _found(refused.value) == {("social_worker_episodes.csv", "row 4", "SW_DECOM")}
