"""Bounded lists: one page type, one pagination input and one list field class for the whole API.

Every list in the API is a `Page` (strawberry_django's `OffsetPaginated`: `totalCount`, `results`,
`pageInfo`) and takes `pagination: {offset, limit}`. The default page is the first
`PAGINATION_DEFAULT_LIMIT` rows (100); asking for more than `max_page_size()` rows is refused with a
GraphQL error rather than silently clamped, so a client never mistakes a short page for the end.
"""

import strawberry
import strawberry_django
from django.conf import settings
from graphql import GraphQLError
from strawberry.annotation import StrawberryAnnotation
from strawberry.types.arguments import StrawberryArgument
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.filters import FILTERS_ARG
from strawberry_django.optimizer import is_optimized_by_prefetching
from strawberry_django.ordering import ORDERING_ARG
from strawberry_django.pagination import PAGINATION_ARG, NodeType, OffsetPaginated, OffsetPaginationInput
from strawberry_django.resolvers import django_resolver
from strawberry_django.settings import strawberry_django_settings

DEFAULT_MAX_PAGE_SIZE = 500


def default_page_size():
    """Rows in a page when the client does not say (STRAWBERRY_DJANGO["PAGINATION_DEFAULT_LIMIT"])."""
    return strawberry_django_settings()["PAGINATION_DEFAULT_LIMIT"] or 100


def max_page_size():
    """The largest page a client may ask for.

    settings.GRAPHQL_MAX_PAGE_SIZE, but never above strawberry_django's own cap
    (STRAWBERRY_DJANGO["PAGINATION_MAX_LIMIT"], 100 when unset): the library silently clamps to
    that cap, so promising more would hand out short pages. Set PAGINATION_MAX_LIMIT to
    GRAPHQL_MAX_PAGE_SIZE to let clients use the full size (see graphql_api.checks).
    """
    configured = getattr(settings, "GRAPHQL_MAX_PAGE_SIZE", DEFAULT_MAX_PAGE_SIZE)
    library_cap = strawberry_django_settings()["PAGINATION_MAX_LIMIT"]
    return configured if library_cap is None else min(configured, library_cap)


PAGE_SIZE_RULE = (
    "Bawaan 100 baris per halaman; maksimum ditetapkan server (pengaturan GRAPHQL_MAX_PAGE_SIZE). "
    "Meminta lebih dari maksimum ditolak dengan galat GraphQL yang menyebut batasnya (tidak dipangkas diam-diam)."
)


@strawberry.type(description="Letak halaman ini dalam daftar (info halaman): offset dan limit yang dipakai.")
class PageInfo:
    offset: int = strawberry.field(description="Jumlah baris yang dilewati sebelum halaman ini (offset).")
    limit: int = strawberry.field(description="Jumlah baris maksimum dalam halaman ini (limit).")


@strawberry.input(description=f"Paginasi (halaman) berbasis offset: baris ke berapa mulai dan berapa banyak. {PAGE_SIZE_RULE}")
class PaginationInput(OffsetPaginationInput):
    offset: int = strawberry.field(default=0, description="Jumlah baris yang dilewati (offset), mulai 0.")
    limit: int = strawberry.field(
        default_factory=default_page_size,
        description=f"Jumlah baris per halaman (limit). {PAGE_SIZE_RULE}",
    )


@strawberry.type(
    description=(
        "Satu halaman daftar (halaman hasil): jumlah seluruh baris yang cocok dengan filter (totalCount) "
        "dan baris pada halaman ini (results), diurutkan sesuai `ordering`."
    )
)
class Page(OffsetPaginated[NodeType]):
    @strawberry.field(description="Offset dan limit yang dipakai untuk halaman ini (info halaman).")
    def page_info(self) -> PageInfo:
        return PageInfo(offset=self.pagination.offset, limit=self.pagination.limit)

    @strawberry.field(description="Jumlah seluruh baris yang cocok dengan filter, di semua halaman (jumlah total).")
    @django_resolver
    def total_count(self) -> int:
        return self.get_total_count()

    @strawberry.field(description="Baris pada halaman ini (hasil), paling banyak `limit` baris.")
    @django_resolver
    def results(self) -> list[NodeType]:
        queryset = self.get_paginated_queryset()
        return queryset if queryset is not None else []


def check_pagination(pagination):
    """Refuse a page the server will not serve, before any SQL runs."""
    if pagination is None or pagination is strawberry.UNSET:
        return
    if pagination.offset < 0:
        raise GraphQLError(
            f"pagination.offset tidak boleh negatif (diminta {pagination.offset}).",
            extensions={"code": "BAD_PAGINATION"},
        )
    limit, maximum = pagination.limit, max_page_size()
    if limit is None or limit is strawberry.UNSET:
        return
    if limit < 0 or limit > maximum:
        raise GraphQLError(
            f"pagination.limit harus antara 0 dan {maximum} (diminta {limit}). "
            "Ambil data berikutnya dengan menaikkan pagination.offset.",
            extensions={"code": "PAGE_SIZE_EXCEEDED", "maxPageSize": maximum},
        )


ARGUMENT_DESCRIPTIONS = {
    FILTERS_ARG: "Filter (penyaring) baris; beberapa isian digabung dengan AND.",
    ORDERING_ARG: "Urutan baris (pengurutan): daftar kriteria, yang pertama paling menentukan. Bawaan: menurut kode.",
}


class ListField(StrawberryDjangoField):
    """A strawberry_django field for every list of the API: documented arguments, bounded pages.

    - `pagination` is `PaginationInput!` with a default (first page of 100), so nested lists, which
      the optimizer paginates from the query's arguments, get the same default as root lists;
    - `filters` and `ordering` carry descriptions;
    - a page larger than `max_page_size()` is refused, both at the root and inside the optimizer's
      prefetch (which calls `get_queryset` with the nested field's arguments).
    """

    @property
    def arguments(self) -> list[StrawberryArgument]:
        # Read at every resolution of the field: build the documented list once.
        if getattr(self, "_documented_arguments", None) is None:
            self._documented_arguments = [self._document(argument) for argument in super().arguments]
        return self._documented_arguments

    @arguments.setter
    def arguments(self, value: list[StrawberryArgument]) -> None:
        self._documented_arguments = None
        StrawberryDjangoField.arguments.fset(self, value)

    def get_pagination(self):
        return PaginationInput if super().get_pagination() is not None else None

    @staticmethod
    def _document(argument: StrawberryArgument) -> StrawberryArgument:
        if argument.python_name == PAGINATION_ARG:
            return StrawberryArgument(
                python_name=PAGINATION_ARG,
                graphql_name=None,
                type_annotation=StrawberryAnnotation(PaginationInput),
                default=PaginationInput(),
                description=f"Halaman yang diminta (paginasi). {PAGE_SIZE_RULE}",
            )
        if argument.description is None and argument.python_name in ARGUMENT_DESCRIPTIONS:
            argument.description = ARGUMENT_DESCRIPTIONS[argument.python_name]
        return argument

    def get_queryset(self, queryset, info, **kwargs):
        if is_optimized_by_prefetching(queryset):
            return super().get_queryset(queryset, info, **kwargs)
        check_pagination(kwargs.get(PAGINATION_ARG))
        queryset = super().get_queryset(queryset, info, **kwargs)
        if kwargs.get(ORDERING_ARG):
            # A client's ordering may tie (two rows with the same name): break ties by key so that
            # consecutive pages neither repeat nor skip rows.
            queryset = queryset.order_by(*queryset.query.order_by, "pk")
        return queryset


def page_field(type_, *, description, filters=None, ordering=None, field_cls=ListField):
    """A root list field: a bounded `Page[type_]` with documented filters and ordering."""
    return strawberry_django.offset_paginated(
        Page[type_], field_cls=field_cls, filters=filters, ordering=ordering, description=description
    )
