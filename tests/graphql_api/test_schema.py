"""The schema is a contract: schema.graphql is current and everything in it is described."""

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType
from graphql.type.introspection import introspection_types
from graphql.type.scalars import specified_scalar_types

from graphql_api.management.commands.export_schema import SCHEMA_FILE, schema_sdl
from graphql_api.schema import schema


def test_schema_graphql_is_current():
    assert SCHEMA_FILE.exists(), "schema.graphql is missing: run `.venv/bin/python manage.py export_schema`"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql is stale: run `.venv/bin/python manage.py export_schema` and commit the file"
    )


def undescribed(graphql_schema):
    """Every type, field, argument and enum value (outside GraphQL's own) that lacks a description."""
    missing = []
    builtin = set(introspection_types) | set(specified_scalar_types)
    for name, type_ in graphql_schema.type_map.items():
        if name in builtin:
            continue
        if not (type_.description or "").strip():
            missing.append(name)
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in type_.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not (arg.description or "").strip():
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, v in type_.values.items() if not (v.description or "").strip()]
    return missing


def test_every_type_field_and_argument_is_described():
    assert undescribed(schema._schema) == []


def test_the_description_check_catches_a_missing_description():
    import strawberry

    @strawberry.type
    class Query:
        bare: int = 0

    assert undescribed(strawberry.Schema(Query)._schema) == ["Query", "Query.bare"]


@pytest.mark.parametrize(
    "type_name, field_name, expected",
    [
        ("SubKegiatan", "code", "Kode sub kegiatan (Kode Sub Kegiatan), contoh 1.02.02.2.01.0001."),
        ("Program", "code", "Kode program (Kode Program), contoh 1.02.02."),
    ],
)
def test_descriptions_name_the_indonesian_term(type_name, field_name, expected):
    assert schema._schema.type_map[type_name].fields[field_name].description.startswith(expected)
