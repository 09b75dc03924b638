"""Building blocks for filters and orderings, shared by every domain module.

Filters are explicit, small and documented (no blanket lookup objects such as `regex`): each
filter field is one function from the client's value to a `Q`. Orderings use one two-valued
`SortOrder` enum.
"""

import enum

import strawberry
import strawberry_django
from django.db.models import F, Q

LOGIC_DESCRIPTIONS = {
    "AND": "Semua syarat di dalamnya harus terpenuhi (DAN), digabung dengan isian lain filter ini.",
    "OR": "Cukup salah satu: baris yang cocok dengan filter ini ATAU dengan filter di dalamnya (ATAU).",
    "NOT": "Kebalikan: buang baris yang cocok dengan filter di dalamnya (BUKAN).",
    "DISTINCT": "Buang baris kembar dari hasil (berbeda); jarang diperlukan.",
}


def filter_by(build_q, value_type, description):
    """A filter field whose GraphQL type is `value_type` and whose effect is `build_q(value, prefix)`.

    `prefix` is the path from the filtered model (empty at the top level, "parent__" when the
    filter is nested under a relation)."""

    def apply_filter(value, prefix):
        return build_q(value, prefix)

    apply_filter.__annotations__ = {"value": value_type, "prefix": str, "return": Q}
    return strawberry_django.filter_field(resolver=apply_filter, description=description)


def filter_lookup(path, description, value_type=str, *, lookup="exact", normalize=None):
    """`path__lookup = value` (value passed through `normalize` first, e.g. code padding)."""

    def build_q(value, prefix):
        return Q(**{f"{prefix}{path}__{lookup}": normalize(value) if normalize else value})

    return filter_by(build_q, value_type, description)


def filter_type(model, *, name, description):
    """strawberry_django.filter_type, with the generated AND/OR/NOT/DISTINCT fields documented."""

    def wrap(cls):
        cls = strawberry_django.filter_type(model, name=name, description=description)(cls)
        for field in cls.__strawberry_definition__.fields:
            if field.description is None and field.python_name in LOGIC_DESCRIPTIONS:
                field.description = LOGIC_DESCRIPTIONS[field.python_name]
        return cls

    return wrap


@strawberry.enum(description="Arah urutan (urutan naik atau turun).")
class SortOrder(enum.Enum):
    ASC = strawberry.enum_value("ASC", description="Naik (A ke Z, kecil ke besar).")
    DESC = strawberry.enum_value("DESC", description="Turun (Z ke A, besar ke kecil).")


def order_by(path, description):
    """An ordering field: sort by `path` (relative to the ordered model) in the chosen direction."""

    def apply_order(value, prefix):
        expression = F(f"{prefix}{path}")
        return [expression.asc() if value == SortOrder.ASC else expression.desc()]

    apply_order.__annotations__ = {"value": SortOrder, "prefix": str, "return": list}
    return strawberry_django.order_field(resolver=apply_order, description=description)


def order_type(model, *, name, description):
    return strawberry_django.order_type(model, name=name, description=description)


def build(decorator, name, namespace, module=None):
    """Make a class named `name` from a namespace dict and apply a strawberry decorator to it
    (filters and orderings whose fields come from helpers such as `filter_lookup`)."""
    return decorator(type(name, (), {"__module__": module or __name__, **namespace}))


def enum_from_choices(choices, name, description):
    """A GraphQL enum whose values are a model's TextChoices, each described by its label."""
    members = {member.name: strawberry.enum_value(member.value, description=member.label) for member in choices}
    return strawberry.enum(enum.Enum(name, members), name=name, description=description)
