"""Creating a child and merging two records of one child."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access.models import AuditEvent, Restriction
from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.journey.models import CaseSummary, Contact
from harbour.people.matching import likely_matches
from harbour.people.models import Child, Disability, FamilyMember, Relationship
from harbour.people.selectors import resolve_merged
from harbour.people.services import child_relations, create_child, merge_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def test_create_child_records_the_child_and_address_and_audits(world):
    by = world.users[Role.SOCIAL_WORKER]
    amy = create_child(
        by=by,
        forename=" Amy ",
        surname="Brackby",
        sex="F",
        date_of_birth=date(2016, 2, 1),
        postcode="ne1 4ab",
        address_line_1="1 High Street",
        town="Harbourton",
    )
    assert amy.name == "Amy Brackby"
    assert amy.reference.startswith("HB")
    assert amy.addresses.get().postcode_key == "NE14AB"
    assert AuditEvent.objects.filter(child_id=amy.pk, detail__action="create_child").exists()
    assert likely_matches(forename="Amy", surname="Brackbi")[0].child == amy


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"forename": ""}, "forename"),
        ({"sex": "Q"}, "sex"),
        ({"date_of_birth": None}, "date_of_birth"),
        ({"date_of_birth": date.today() + timedelta(days=3)}, "date_of_birth"),
        (
            {"date_of_birth": None, "expected_date_of_birth": date(2000, 1, 1)},
            "expected_date_of_birth",
        ),
        ({"nhs_number": "123"}, "nhs_number"),
        ({"postcode": "X"}, "postcode"),
    ],
)
def test_create_child_refuses_what_is_wrong_naming_the_field(world, fields, field):
    asked = {"forename": "Amy", "surname": "Brackby", "sex": "F", "date_of_birth": date(2016, 2, 1)}
    with pytest.raises(ValidationError) as refused:
        create_child(by=world.users[Role.SOCIAL_WORKER], **{**asked, **fields})
    assert field in refused.value.message_dict


def test_an_unborn_child_is_created_with_an_expected_date(world):
    due = timezone.localdate() + timedelta(days=60)
    baby = create_child(
        by=world.users[Role.SOCIAL_WORKER],
        forename="Baby",
        surname="Brackby",
        sex="U",
        expected_date_of_birth=due,
    )
    assert baby.date_of_birth is None and baby.expected_date_of_birth == due


def test_merge_moves_everything_points_the_duplicate_and_audits_both(world):
    keep = world.children["ours"]
    duplicate = Child.objects.create(
        reference="NEW-ABCD",
        forename="Ourz",
        surname="Fenwick",
        sex="F",
        date_of_birth=keep.date_of_birth,
    )
    contact = Contact.objects.create(child=duplicate, source="6", received_at=timezone.now())
    Disability.objects.create(child=duplicate, code="HAND")
    mum = FamilyMember.objects.create(forename="Jo", surname="Fenwick")
    Relationship.objects.create(child=duplicate, family_member=mum, kind="mother")
    manager = world.users[Role.TEAM_MANAGER]
    before = duplicate.history.count()

    kept = merge_children(keep=keep, duplicate=duplicate, by=manager, reason="Same child: NHS")

    assert kept == keep
    contact.refresh_from_db()
    assert contact.child == keep
    assert keep.disabilities.filter(code="HAND").exists()
    assert keep.relationships.filter(family_member=mum).exists()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep and duplicate.merged_by == manager
    assert duplicate.history.count() == before + 1  # its history kept, the merge added
    assert keep.former_names.filter(forename="Ourz").exists()
    assert resolve_merged(duplicate) == keep
    lines = AuditEvent.objects.filter(detail__action="merge_children")
    assert {line.child_id for line in lines} == {keep.pk, duplicate.pk}
    assert lines.first().detail["moved"]["journey.Contact"] == 1
    assert lines.first().reason == "Same child: NHS"
    # The duplicate is never found; its name now finds the kept child.
    found = [m.child for m in likely_matches(forename="Ourz", surname="Fenwick")]
    assert duplicate not in found and keep in found


def test_every_relation_to_a_child_is_covered():
    labels = {rel.related_model._meta.label for rel in child_relations()}
    assert {"journey.Contact", "access.Alert", "access.Restriction", "people.FormerName"} <= labels
    assert not any(label.split(".")[1].startswith("Historical") for label in labels)
    assert "people.ChildNameKey" not in labels


def test_merge_refuses_itself_a_merged_record_and_no_reason(world):
    keep, other = world.children["ours"], world.children["theirs"]
    by = world.users[Role.TEAM_MANAGER]
    with pytest.raises(ValidationError) as refused:
        merge_children(keep=keep, duplicate=keep, by=by, reason="The same child twice")
    assert "cannot be merged into itself" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        merge_children(keep=keep, duplicate=other, by=by, reason="")
    assert "reason" in refused.value.message_dict
    merge_children(keep=keep, duplicate=other, by=by, reason="The same child twice")
    with pytest.raises(ValidationError) as refused:
        merge_children(keep=keep, duplicate=other, by=by, reason="The same child twice")
    assert "already been merged" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        merge_children(
            keep=other, duplicate=world.children["restricted"], by=by, reason="The same child twice"
        )
    assert "keep" in refused.value.message_dict


def test_merge_refuses_a_clash_of_unique_records_in_words_and_changes_nothing(world):
    keep, duplicate = world.children["ours"], world.children["theirs"]
    CaseSummary.objects.create(child=keep, summary="Kept")
    CaseSummary.objects.create(child=duplicate, summary="Duplicate")
    Disability.objects.create(child=keep, code="HAND")
    Disability.objects.create(child=duplicate, code="HAND")
    with pytest.raises(ValidationError) as refused:
        merge_children(
            keep=keep,
            duplicate=duplicate,
            by=world.users[Role.TEAM_MANAGER],
            reason="The same child twice",
        )
    words = " ".join(refused.value.message_dict["duplicate"])
    assert "Both records have a case summary" in words
    assert "disability" in words
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_a_restricted_duplicate_keeps_the_child_restricted(world):
    keep, secret = world.children["theirs"], world.children["restricted"]
    merge_children(
        keep=keep,
        duplicate=secret,
        by=world.users[Role.TEAM_MANAGER],
        reason="The same child twice",
    )
    assert Restriction.objects.get().child == keep
