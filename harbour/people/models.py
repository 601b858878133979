"""Children (born and unborn), their identity, families and addresses."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from harbour.codes import choices
from harbour.core.models import Recorded


class Child(Recorded):
    reference = models.CharField(
        "child's reference",
        max_length=20,
        unique=True,
        help_text="The authority's identifier for the child, sent in the returns (LAchildID).",
    )
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child."
    )
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=choices.sex)
    gender_identity = models.CharField(max_length=4, blank=True, choices=choices.gender_identity)
    ethnicity = models.CharField(max_length=4, blank=True, choices=choices.ethnicity)
    religion = models.CharField(max_length=4, blank=True, choices=choices.religion)
    first_language = models.CharField(max_length=4, blank=True, choices=choices.first_language)
    upn = models.CharField("unique pupil number", max_length=13, blank=True, db_index=True)
    former_upn = models.CharField(
        "former unique pupil number", max_length=13, blank=True, db_index=True
    )
    upn_unknown = models.CharField(
        "why there is no UPN",
        max_length=3,
        blank=True,
        choices=choices.upn_unknown,
        help_text="Recorded where a return gave one; otherwise worked out when a return is made.",
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    casework_from = models.DateField(
        "casework recorded in Harbour from",
        null=True,
        blank=True,
        help_text="For a child first loaded from a statutory return: the day of that import. "
        "The returns do not carry visits, core groups, supervision or sign-off, so duties and "
        "standards they cannot show are judged only from this day.",
    )
    unaccompanied_asylum_seeking = models.BooleanField(default=False)
    uasc_ceased_on = models.DateField(
        "ceased to be an unaccompanied asylum-seeking child on", null=True, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        help_text="A duplicate record of a child held in another record: everything on it "
        "was moved there, and its address leads there.",
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name_plural = "children"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=False)
                | models.Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname} ({self.reference})"

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    def clean(self):
        if self.date_of_birth and self.date_of_death and self.date_of_death < self.date_of_birth:
            raise ValidationError({"date_of_death": "Date of death is before date of birth."})

    def is_unborn(self, on: date) -> bool:
        return self.date_of_birth is None or self.date_of_birth > on

    def age_on(self, on: date) -> int | None:
        """Age in whole years on a date; None for a child not yet born on it."""
        if self.is_unborn(on):
            return None
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Disability(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disabilities")
    code = models.CharField(max_length=4, choices=choices.disability)

    class Meta:
        verbose_name_plural = "disabilities"
        constraints = [
            models.UniqueConstraint(fields=["child", "code"], name="disability_once_per_child")
        ]


class Address(Recorded):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8)
    # The postcode as searched: upper case without spaces ("NE14AB"), and its outward code
    # ("NE1"), kept by save() and by `harbour.people.search.rebuild_keys` for bulk loads.
    postcode_key = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    outward_code = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    # The street as searched: line 1 without its house number, normalised ("willowgardens").
    street_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-starts_on"]

    def save(self, *args, **kwargs):
        from harbour.people.search import outward_code, postcode_key, street_key

        self.postcode_key = postcode_key(self.postcode)
        self.outward_code = outward_code(self.postcode)
        self.street_key = street_key(self.line_1)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "postcode_key",
                "outward_code",
                "street_key",
            }
        super().save(*args, **kwargs)


class FormerName(Recorded):
    """A name the child was known by before (a change of name, a spelling on an earlier
    record, the name of a record merged into this one): found by search as the child."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="former_names")
    forename = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    used_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-used_until", "pk"]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}".strip()


class ChildNameKey(models.Model):
    """Search index: one row per part of each of a child's names, normalised and with its
    phonetic keys, so a tolerant search looks rows up by index instead of reading every child.
    Derived from Child and FormerName; rebuilt by `harbour.people.search.rebuild_keys`."""

    class Kind(models.TextChoices):
        FORENAME = "forename", "Forename"
        SURNAME = "surname", "Surname"
        PREFERRED = "preferred", "Preferred name"
        FORMER_FORENAME = "former_forename", "Former forename"
        FORMER_SURNAME = "former_surname", "Former surname"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="name_keys")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    normalised = models.CharField(max_length=100, db_index=True)
    metaphone = models.CharField(max_length=40, db_index=True)
    nysiis = models.CharField(max_length=40, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["child", "kind"], name="name_key_child_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.normalised}"


class FamilyMember(Recorded):
    """A parent, carer or relative. Where they are themselves a child known to the service,
    `child_record` links to that record."""

    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True, choices=choices.sex)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=300, blank=True)
    child_record = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="as_family_member"
    )

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"


class Relationship(Recorded):
    class Kind(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        PARENT_PARTNER = "parent_partner", "Parent's partner"
        GRANDPARENT = "grandparent", "Grandparent"
        SIBLING = "sibling", "Brother or sister"
        AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
        OTHER_RELATIVE = "other_relative", "Other relative"
        SON_DAUGHTER = "son_daughter", "The child's own son or daughter"
        CARER = "carer", "Carer (not a relative)"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="relationships")
    family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, related_name="relationships"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "family_member"], name="relationship_once_per_pair"
            )
        ]
