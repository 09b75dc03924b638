"""Which nomenclature edition a query reads.

A root field that serves nomenclature takes `year` or `edition` (an edition's name); without
either it reads the edition in force this year (settings.TIME_ZONE, Asia/Makassar). Everything
below that root field reads the same edition: nested lists (`Kegiatan.subKegiatanList`, ...)
find their root field through `info.path`, read its `year`/`edition` arguments from the
operation, and filter their prefetch to that edition. Two root fields in one query (aliases)
may read two editions.

The edition is looked up once per root field and execution: `EditionScope` (a schema
extension) keeps a small cache for the duration of one execution.
"""

from contextvars import ContextVar

from django.utils import timezone
from graphql import FieldNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.extensions import SchemaExtension
from strawberry.types.nodes import get_variable_values

from backoffice.reference.models import NomenclatureEdition

YEAR_ARG = "year"
EDITION_ARG = "edition"

YEAR_DESCRIPTION = (
    "Tahun anggaran (tahun): baca edisi nomenklatur yang berlaku pada tahun itu. "
    "Tanpa `year` dan `edition`: edisi yang berlaku tahun ini. Tahun sebelum edisi pertama memberi galat."
)
EDITION_DESCRIPTION = (
    "Nama edisi nomenklatur (nama regulasi), contoh \"Kepmendagri 050-3708/2020\"; lihat `nomenclatureEditions`. "
    "Pakai `year` atau `edition`, tidak keduanya. Nama yang tidak dikenal memberi galat."
)

_cache: ContextVar[dict | None] = ContextVar("graphql_api_editions", default=None)


class EditionScope(SchemaExtension):
    """Remember, for one execution, the edition each root field chose."""

    def on_execute(self):
        token = _cache.set({})
        try:
            yield
        finally:
            _cache.reset(token)


def select_edition(info, *, year=None, edition=None):
    """The edition a root field's `year` / `edition` arguments choose (cached for the execution)."""
    key = _root_key(info)
    cache = _cache.get()
    if cache is not None and key in cache:
        return cache[key]
    found = find_edition(year=year, edition=edition)
    if cache is not None:
        cache[key] = found
    return found


def edition_for(info):
    """The edition chosen by the root field above `info` (a nested field's or the root's own info)."""
    cache = _cache.get()
    if cache is not None and (key := _root_key(info)) in cache:
        return cache[key]
    return select_edition(info, **_root_edition_arguments(info))


def find_edition(*, year=None, edition=None):
    """Resolve `year` or `edition` (a name) to a NomenclatureEdition, or raise a GraphQL error."""
    if year is not None and edition is not None:
        raise GraphQLError(
            "Pilih salah satu: `year` (tahun) atau `edition` (nama edisi), tidak keduanya.",
            extensions={"code": "BAD_EDITION"},
        )
    if edition is not None:
        found = NomenclatureEdition.objects.filter(name=edition).first()
        if found is None:
            raise GraphQLError(
                f"Edisi nomenklatur '{edition}' tidak dikenal. Edisi yang ada: {_known_editions()}.",
                extensions={"code": "UNKNOWN_EDITION"},
            )
        return found
    if year is not None and year < 1:
        raise GraphQLError(f"Tahun {year} tidak valid.", extensions={"code": "UNKNOWN_EDITION"})
    found = NomenclatureEdition.in_force(year)
    if found is None:
        year = year or timezone.localdate().year
        raise GraphQLError(
            f"Tidak ada edisi nomenklatur yang berlaku pada tahun {year}. Edisi yang ada: {_known_editions()}.",
            extensions={"code": "UNKNOWN_EDITION"},
        )
    return found


def _known_editions():
    editions = [f"{e.name} (berlaku {e.year})" for e in NomenclatureEdition.objects.order_by("year")]
    return "; ".join(editions) or "belum ada (impor nomenklatur dahulu)"


def _raw(info):
    return getattr(info, "_raw_info", info)


def _root_key(info):
    """The response key (alias or name) of the root field this resolution sits under."""
    path = _raw(info).path
    while path.prev is not None:
        path = path.prev
    return path.key


def _root_edition_arguments(info):
    """The `year` / `edition` arguments of the root field above `info`, read from the operation."""
    raw = _raw(info)
    node = _find_root_field(raw, _root_key(info))
    root_type = raw.schema.get_root_type(raw.operation.operation)
    field = root_type.fields.get(node.name.value) if node is not None and root_type else None
    if field is None or not ({YEAR_ARG, EDITION_ARG} & set(field.args)):
        return {}
    values = get_argument_values(field, node, VariableValues(sources={}, coerced=get_variable_values(raw)))
    return {name: values.get(name) for name in (YEAR_ARG, EDITION_ARG)}


def _find_root_field(raw, key):
    def search(selection_set, seen):
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if (selection.alias or selection.name).value == key:
                    return selection
            elif isinstance(selection, InlineFragmentNode):
                if (found := search(selection.selection_set, seen)) is not None:
                    return found
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = raw.fragments[selection.name.value]
                if (found := search(fragment.selection_set, seen | {selection.name.value})) is not None:
                    return found
        return None

    return search(raw.operation.selection_set, frozenset())
