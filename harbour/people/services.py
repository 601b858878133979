"""Every write to a child's identity, one function per action: keyword-only arguments,
validation inside (Django ValidationError naming the field, in GOV.UK's words), one
transaction, audited. Screens, imports and the API call these."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.codes import choices
from harbour.people.models import Address, Child, ChildNameKey, FormerName
from harbour.people.search import normalise, postcode_key, rebuild_keys

# How far ahead an unborn child's expected date of birth may be.
PREGNANCY_DAYS = 300


def _new_reference() -> str:
    while True:
        reference = f"HB{secrets.token_hex(4).upper()}"
        if not Child.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def create_child(
    *,
    by,
    forename: str,
    surname: str,
    sex: str,
    date_of_birth: date | None = None,
    expected_date_of_birth: date | None = None,
    preferred_name: str = "",
    postcode: str = "",
    address_line_1: str = "",
    town: str = "",
    nhs_number: str = "",
    reference: str = "",
) -> Child:
    """Record a child (born, or unborn with an expected date) Harbour does not hold yet.
    Callers show `matching.likely_matches` first, so no second record is made for a child the
    service knows."""
    today = timezone.localdate()
    forename, surname = forename.strip(), surname.strip()
    errors = {}
    if not forename:
        errors["forename"] = "Enter the child's first name"
    if not surname:
        errors["surname"] = "Enter the child's last name"
    if sex not in dict(choices.sex()):
        errors["sex"] = "Select the child's sex"
    if date_of_birth and expected_date_of_birth:
        errors["date_of_birth"] = "Enter a date of birth or an expected date of birth, not both"
    elif not date_of_birth and not expected_date_of_birth:
        errors["date_of_birth"] = "Enter the child's date of birth, or the expected date if unborn"
    elif date_of_birth and date_of_birth > today:
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    elif expected_date_of_birth and not (
        today - timezone.timedelta(days=31)
        <= expected_date_of_birth
        <= today + timezone.timedelta(days=PREGNANCY_DAYS)
    ):
        errors["expected_date_of_birth"] = (
            "Expected date of birth must be within the next 10 months"
        )
    digits = "".join(nhs_number.split())
    if digits and not (digits.isdigit() and len(digits) == 10):
        errors["nhs_number"] = "NHS number must be 10 digits, like 485 777 3456"
    key = postcode_key(postcode)
    if postcode.strip() and not (5 <= len(key) <= 7):
        errors["postcode"] = "Enter a real postcode, like NE1 4AB"
    if address_line_1.strip() and not key:
        errors["postcode"] = "Enter the postcode of the address"
    reference = reference.strip().upper()
    if reference and Child.objects.filter(reference=reference).exists():
        errors["reference"] = "A child with this reference is already recorded"
    if errors:
        raise ValidationError(errors)
    child = Child.objects.create(
        reference=reference or _new_reference(),
        forename=forename,
        surname=surname,
        preferred_name=preferred_name.strip(),
        date_of_birth=date_of_birth,
        expected_date_of_birth=expected_date_of_birth,
        sex=sex,
        nhs_number=digits,
        created_by=by,
        updated_by=by,
    )
    if key:
        Address.objects.create(
            child=child,
            line_1=address_line_1.strip(),
            town=town.strip(),
            postcode=postcode.strip().upper(),
            starts_on=today,
            created_by=by,
            updated_by=by,
        )
    audit.record(
        AuditEvent.Action.CHANGE,
        user=by,
        child=child,
        obj=child,
        detail={"action": "create_child", "reference": child.reference},
    )
    return child


@transaction.atomic
def add_former_name(
    *, by, child: Child, forename: str = "", surname: str = "", used_until: date | None = None
) -> FormerName:
    if not (forename.strip() or surname.strip()):
        raise ValidationError({"forename": "Enter the former first name or last name"})
    former = FormerName.objects.create(
        child=child,
        forename=forename.strip(),
        surname=surname.strip(),
        used_until=used_until,
        created_by=by,
        updated_by=by,
    )
    audit.record(
        AuditEvent.Action.CHANGE,
        user=by,
        child=child,
        obj=former,
        detail={"action": "add_former_name"},
    )
    return former


# Merging two records of one child


def child_relations() -> list:
    """Every relation pointing at Child, from any app (hidden ones included, such as alerts),
    except history tables (whose versions stay as they were) and the search index."""
    relations = []
    for rel in Child._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        model = rel.related_model
        if hasattr(model, "instance_type") or model is ChildNameKey:
            continue  # a simple_history table, or the search keys (rebuilt)
        if rel.many_to_many:
            continue  # none today; a many-to-many would need its through table moved
        relations.append(rel)
    return relations


def _unique_sets(model, field) -> list[tuple[tuple[str, ...], Q | None]]:
    """The unique rules of `model` that include `field`: (the other fields, condition)."""
    sets = []
    if field.unique:
        sets.append(((), None))
    for together in model._meta.unique_together:
        if field.name in together:
            sets.append((tuple(f for f in together if f != field.name), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field.name in (
            constraint.fields or ()
        ):
            others = tuple(f for f in constraint.fields if f != field.name)
            sets.append((others, constraint.condition))
    return sets


def merge_clashes(keep: Child, duplicate: Child) -> list[str]:
    """Why the two records cannot be merged as they are, in words (empty if they can)."""
    problems = []
    for rel in child_relations():
        model, field = rel.related_model, rel.field
        for others, condition in _unique_sets(model, field):
            rows = model._default_manager.all()
            if condition is not None:
                rows = rows.filter(condition)
            mine = rows.filter(**{field.name: keep})
            theirs = rows.filter(**{field.name: duplicate})
            name = model._meta.verbose_name
            if not others:
                if mine.exists() and theirs.exists():
                    problems.append(
                        f"Both records have a {name}, and a child has only one: "
                        f"remove the one on {duplicate.reference} first"
                    )
                continue
            values = set(theirs.values_list(*others))
            if values & set(mine.values_list(*others)):
                what = ", ".join(str(model._meta.get_field(f).verbose_name) for f in others)
                problems.append(
                    f"Both records have a {name} with the same {what}, which a child can have "
                    f"only once: remove the one on {duplicate.reference} first"
                )
    return problems


@transaction.atomic
def merge_children(*, keep: Child, duplicate: Child, by, reason: str) -> Child:
    """Fold `duplicate` into `keep`: everything recorded against the duplicate (in any app)
    moves to the kept record, and the duplicate points to it (`merged_into`). Both records'
    histories stay; the merge is audited on both children, naming both."""
    locked = {
        c.pk: c for c in Child.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    }
    errors = {}
    reason = (reason or "").strip()
    if keep.pk == duplicate.pk:
        errors["duplicate"] = "Choose two different records: a record cannot be merged into itself"
    elif len(locked) != 2:
        errors["duplicate"] = "One of the records no longer exists"
    else:
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        if duplicate.merged_into_id:
            errors["duplicate"] = (
                f"{duplicate.reference} has already been merged into another record"
            )
        elif keep.merged_into_id:
            errors["keep"] = (
                f"{keep.reference} has been merged into another record: keep that one instead"
            )
    if len(reason) < 10:
        errors["reason"] = "Enter why these are the same child, in a sentence"
    if errors:
        raise ValidationError(errors)
    if problems := merge_clashes(keep, duplicate):
        raise ValidationError({"duplicate": problems})
    moved = {}
    try:
        with transaction.atomic():
            for rel in child_relations():
                rows = rel.related_model._default_manager.filter(**{rel.field.name: duplicate})
                if count := rows.update(**{rel.field.name: keep}):
                    moved[rel.related_model._meta.label] = count
    except IntegrityError as error:
        raise ValidationError(
            {"duplicate": f"The records could not be merged: {error}".strip()}
        ) from error
    now = timezone.now()
    if (normalise(duplicate.forename), normalise(duplicate.surname)) != (
        normalise(keep.forename),
        normalise(keep.surname),
    ):
        # The duplicate's name stays findable, as a former name of the child.
        FormerName.objects.create(
            child=keep,
            forename=duplicate.forename,
            surname=duplicate.surname,
            used_until=timezone.localdate(),
            created_by=by,
            updated_by=by,
        )
    duplicate.merged_into = keep
    duplicate.merged_at = now
    duplicate.merged_by = by
    duplicate.updated_by = by
    duplicate.save(
        update_fields=[
            "merged_into",
            "merged_at",
            "merged_by",
            "updated_by",
            "updated_at",
            "version",
        ]
    )
    rebuild_keys([keep.pk, duplicate.pk])
    detail = {
        "action": "merge_children",
        "kept": {"id": keep.pk, "reference": keep.reference},
        "duplicate": {"id": duplicate.pk, "reference": duplicate.reference},
        "moved": moved,
    }
    audit.record(
        AuditEvent.Action.CHANGE, user=by, child=keep, obj=keep, reason=reason, detail=detail
    )
    audit.record(
        AuditEvent.Action.CHANGE,
        user=by,
        child=duplicate,
        obj=duplicate,
        reason=reason,
        detail=detail,
    )
    return keep
