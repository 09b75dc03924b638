"""The scoping rule of the e-Planning types, checked on the schema itself (see graphql_api.planning):
a relation into a plan type is either a parent's list of children that follow that parent in the
access policy, or it lands on a type that scopes its queryset with the policy."""

from django.db.models import ManyToOneRel
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.utils.typing import get_django_definition

from backoffice.access import policy
from graphql_api import planning
from graphql_api.schema import schema


def plan_types():
    """Every strawberry_django output type of the schema whose model has an access rule."""
    found = {}
    for type_ in schema.schema_converter.type_map.values():
        origin = getattr(type_.definition, "origin", None)
        definition = get_django_definition(origin) if origin is not None else None
        if definition is not None and not definition.is_input and definition.model._meta.label in policy.RULES:
            found[origin] = definition.model
    return found


def relations(types):
    """(source type, field, target type) for every field that leads from a plan type to a plan type."""
    for source, model in types.items():
        for field in source.__strawberry_definition__.fields:
            if isinstance(field, StrawberryDjangoField) and field.django_type in types:
                yield source, field, field.django_type


def follows_its_parent(source, field, target):
    """A reverse foreign key whose rows follow the parent in the policy (Renja.rows, ...)."""
    model = get_django_definition(source).model
    relation = model._meta.get_field(field.django_name or field.python_name)
    rule = policy.RULES[get_django_definition(target).model._meta.label]
    return isinstance(relation, ManyToOneRel) and isinstance(rule, policy.Follows) and relation.field.name in rule.paths


def leads_to_its_parent(source, field, target):
    """A scoped type's foreign key to the parent it follows in the policy (Realisasi.row): a row
    the principal may see hangs from a parent the principal may see."""
    model = get_django_definition(source).model
    rule = policy.RULES[model._meta.label]
    name = field.django_name or field.python_name
    return issubclass(source, planning.Scoped) and isinstance(rule, policy.Follows) and name in rule.paths


def followed(source, field, target):
    return follows_its_parent(source, field, target) or leads_to_its_parent(source, field, target)


def test_every_root_kind_is_scoped():
    roots = {model for model in plan_types().values() if isinstance(policy.RULES[model._meta.label], policy.Rule)}
    scoped = {model for type_, model in plan_types().items() if issubclass(type_, planning.Scoped)}
    assert {m._meta.label for m in roots} == {"planning.PlanningPeriod", "planning.Renstra", "planning.Renja", "planning.Rkpd", "musrenbang.KamusUsulan"}
    assert roots <= scoped


def test_every_relation_between_plan_types_is_followed_or_scoped():
    found = list(relations(plan_types()))
    assert len(found) > 20  # the walk sees the nested types
    unscoped = [
        f"{source.__name__}.{field.python_name} -> {target.__name__}"
        for source, field, target in found
        if not followed(source, field, target) and not issubclass(target, planning.Scoped)
    ]
    assert unscoped == []


def test_cross_plan_links_land_on_scoped_types():
    crossing = {
        f"{source.__name__}.{field.python_name}"
        for source, field, target in relations(plan_types())
        if not followed(source, field, target)
    }
    assert crossing == {
        "PlanningPeriodType.renstra_list",
        "RenstraType.period",
        "RenstraSasaranType.rpjmd_sasaran",
        "RenstraProgramType.sasaran",
        "ProgramPrioritasType.sasaran",
    }
