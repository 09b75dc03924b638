"""The GraphQL schema: one module per domain, merged here.

Each domain module (reference, planning, monitoring for the annual cycle, musrenbang, geo for
maps) exposes a `Query` type (musrenbang also a `Mutation`, the submission API) and the custom
scalars it uses (`SCALARS`); the root `Query` inherits the domain queries. Shared behaviour lives
in pagination (bounded lists), editions (which nomenclature edition a query reads), filtering
(filter/ordering building blocks), limits (depth, aliases, tokens, error masking) and auth (who
asks: the principal the view's context carries, and the policy checks).
"""

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry_django.optimizer import DjangoOptimizerExtension

from . import geo, limits, monitoring, musrenbang, planning, reference
from .editions import EditionScope


@strawberry.type(
    description=(
        "Titik masuk kueri API (hanya baca): data referensi, dokumen perencanaan e-Planning dan usulan e-Musrenbang. Publik melihat yang "
        "dipublikasikan; staf (sesi admin) dan sistem lain (token API, header `Authorization: Bearer <token>`) melihat "
        "sesuai perannya."
    )
)
class Query(reference.Query, planning.Query, monitoring.Query, musrenbang.Query, geo.Query):
    pass


@strawberry.type(description="Titik masuk mutasi API: pengajuan usulan oleh sistem informasi desa (hanya dengan token API, tidak melalui GET).")
class Mutation(musrenbang.Mutation):
    pass


def _optimizer():
    # prefetch_custom_queryset: nested lists start from the model's default manager, so the
    # nomenclature list field can call NomenclatureQuerySet.in_edition() on them.
    return DjangoOptimizerExtension(prefetch_custom_queryset=True)


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None):
        """Log server faults only: a client's mistake (invalid document, unknown edition, page too
        large) is answered in the response and is no error of the server's."""
        super().process_errors([error for error in errors if limits.is_unexpected(error)], execution_context)


SCALARS = {**reference.SCALARS, **geo.SCALARS}

schema = Schema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(scalar_map=SCALARS),
    extensions=[*limits.extensions(), EditionScope, _optimizer],
)
