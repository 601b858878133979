"""A child's family and network, read for the record and the family file (reads only).

Brothers and sisters are the children who share a parent's record with the child (a mother,
father or step-parent `FamilyMember` related to both), and those linked as siblings (the
child's `Relationship` of kind sibling to a family member whose `child_record` is the other
child, either way round). Each read is a fixed number of queries whatever the family's size.
"""

from dataclasses import dataclass, field

from harbour.people.models import Child, FamilyMember, Relationship

K = Relationship.Kind
PARENT_KINDS = (K.MOTHER, K.FATHER, K.STEP_PARENT)


@dataclass
class Sibling:
    child: Child
    how: list[str] = field(default_factory=list)  # "shares their mother, Jane Brackby"

    @property
    def how_text(self) -> str:
        return "; ".join(self.how)


@dataclass
class Network:
    relationships: list  # the child's own Relationship rows, with family_member loaded
    siblings: list[Sibling]

    @property
    def parents_and_carers(self):
        carers = (*PARENT_KINDS, K.PARENT_PARTNER, K.CARER, K.GRANDPARENT)
        return [r for r in self.relationships if r.kind in carers]

    @property
    def others(self):
        shown = {r.pk for r in self.parents_and_carers}
        return [r for r in self.relationships if r.pk not in shown and r.kind != K.SIBLING]

    @property
    def sibling_members(self):
        """Siblings recorded as family members who are not children Harbour holds."""
        return [
            r
            for r in self.relationships
            if r.kind == K.SIBLING and r.family_member.child_record_id is None
        ]


def network(child: Child) -> Network:
    relationships = list(
        Relationship.objects.filter(child=child)
        .select_related("family_member")
        .order_by("kind", "family_member__surname", "family_member__forename", "pk")
    )
    siblings = siblings_of([child.pk], relationships)[child.pk]
    return Network(relationships=relationships, siblings=siblings)


def siblings_of(child_ids, relationships=None) -> dict[int, list[Sibling]]:
    """{child id: [Sibling]} for each child given (the children themselves left out)."""
    ids = list(dict.fromkeys(int(i) for i in child_ids))
    if relationships is None:
        relationships = list(
            Relationship.objects.filter(child_id__in=ids).select_related("family_member")
        )
    # {child id: {other id: {"parents": {kind: name}, "linked": bool}}}
    found: dict[int, dict[int, dict]] = {i: {} for i in ids}

    def pair(child_id, other_id):
        return found[child_id].setdefault(other_id, {"parents": {}, "linked": False})

    parents = {}  # family member id -> (member, {child id: kind}) for the children's parents
    for r in relationships:
        if r.kind in PARENT_KINDS:
            parents.setdefault(r.family_member_id, (r.family_member, {}))[1][r.child_id] = r.kind
    if parents:
        for other in Relationship.objects.filter(
            family_member_id__in=list(parents), kind__in=PARENT_KINDS
        ).values("child_id", "family_member_id", "kind"):
            member, ours = parents[other["family_member_id"]]
            for child_id, kind in ours.items():
                if other["child_id"] != child_id:
                    pair(child_id, other["child_id"])["parents"][kind] = (
                        f"{member.forename} {member.surname}"
                    )
    for r in relationships:
        linked = r.family_member.child_record_id
        if r.kind == K.SIBLING and linked and linked != r.child_id:
            pair(r.child_id, linked)["linked"] = True
    for r in Relationship.objects.filter(
        kind=K.SIBLING, family_member__child_record_id__in=ids
    ).values("child_id", "family_member__child_record_id"):
        this = r["family_member__child_record_id"]
        if r["child_id"] != this:
            pair(this, r["child_id"])["linked"] = True
    wanted = {other for by in found.values() for other in by}
    children = Child.objects.in_bulk(wanted)
    return {
        child_id: sorted(
            (Sibling(children[o], _how(facts)) for o, facts in by.items()),
            key=lambda s: (s.child.date_of_birth or s.child.expected_date_of_birth, s.child.pk),
        )
        for child_id, by in found.items()
    }


def _how(facts) -> list[str]:
    """How two children are brother and sister, in words."""
    parents = facts["parents"]
    if K.MOTHER in parents and K.FATHER in parents:
        return ["same mother and father"]
    if parents:
        return [f"shares their {K(kind).label.lower()}, {name}" for kind, name in parents.items()]
    return ["recorded as brother or sister"] if facts["linked"] else []


def household(child: Child) -> list[int]:
    """The child and their brothers and sisters: the children of the family file."""
    return [child.pk, *(s.child.pk for s in siblings_of([child.pk])[child.pk])]


def members_of(child_ids) -> list[FamilyMember]:
    """The family members related to any of the children (for the family file's adults)."""
    return list(
        FamilyMember.objects.filter(relationships__child_id__in=list(child_ids))
        .distinct()
        .order_by("surname", "forename", "pk")
    )
