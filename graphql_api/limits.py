"""Guards against abusive documents, shared by the whole schema.

- depth: settings.GRAPHQL_MAX_DEPTH (QueryDepthLimiter; a field's depth counts every selection
  level, so `urusanList { results { code } }` is 2 deep). The full nomenclature hierarchy
  `urusanList → results → bidangUrusanList → … → subKegiatanList → results → code` is 10 deep;
  selecting an object (e.g. `kegiatan { code }` or `validFrom { name }`) on the sub kegiatan rows
  of that hierarchy needs 11; 12 leaves that room.
- aliases: settings.GRAPHQL_MAX_ALIASES (MaxAliasesLimiter)
- tokens: settings.GRAPHQL_MAX_TOKENS (MaxTokensLimiter, enforced by the parser)
- page size: see graphql_api.pagination (checked where each list is resolved).

Unexpected server errors (anything that is not a GraphQLError) are masked, so a public client
never sees SQL or stack details; they are still logged by strawberry.
"""

from django.conf import settings
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

DEFAULT_MAX_DEPTH = 12
DEFAULT_MAX_ALIASES = 15
DEFAULT_MAX_TOKENS = 2000


def max_depth():
    return getattr(settings, "GRAPHQL_MAX_DEPTH", DEFAULT_MAX_DEPTH)


def max_aliases():
    return getattr(settings, "GRAPHQL_MAX_ALIASES", DEFAULT_MAX_ALIASES)


def max_tokens():
    return getattr(settings, "GRAPHQL_MAX_TOKENS", DEFAULT_MAX_TOKENS)


def is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def extensions():
    """Extension factories (strawberry builds a fresh extension per request)."""
    return [
        lambda: QueryDepthLimiter(max_depth=max_depth()),
        lambda: MaxAliasesLimiter(max_alias_count=max_aliases()),
        lambda: MaxTokensLimiter(max_token_count=max_tokens()),
        lambda: MaskErrors(should_mask_error=is_unexpected, error_message="Terjadi kesalahan pada server."),
    ]
