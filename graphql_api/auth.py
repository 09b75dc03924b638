"""Who asks: the principal of a GraphQL request, resolved once per request, and the policy checks
resolvers make with it.

The view's context getter (`graphql_api.views`) asks `backoffice.access.authentication` who sent
the request (API token, Django session, or the public) and stores the `Principal` on the context;
every resolver reads it with `principal_of(info)`. Which rows that principal may see is decided by
`backoffice.access.policy` alone: types of plan objects scope their querysets with `scoped`, and
single lookups that find an object the principal may not see answer with `forbidden` (an error,
not a null that would read as "there is no such plan").
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from graphql import GraphQLError
from strawberry.django.context import StrawberryDjangoContext

from backoffice.access import policy
from backoffice.access.policy import PUBLIC, Principal


@dataclass
class APIContext(StrawberryDjangoContext):
    """The request, the response, who sent the request (`principal`), and a memo for results that
    several resolvers of the same request share (`cache`)."""

    principal: Principal = PUBLIC
    cache: dict = field(default_factory=dict)


def request_cache(info):
    """The request's memo; a fresh dict (nothing shared) when executed without the API's context."""
    cache = getattr(getattr(info, "context", None), "cache", None)
    return cache if isinstance(cache, dict) else {}


def principal_of(info):
    """The principal of the request being executed; the public when executed without a request
    (e.g. `schema.execute_sync` in a script), which can only see less."""
    context = getattr(info, "context", None)
    principal = getattr(context, "principal", None)
    return principal if isinstance(principal, Principal) else PUBLIC


def scoped(info, queryset):
    """The rows of `queryset` the requesting principal may view (policy.scope)."""
    return policy.scope(principal_of(info), queryset, "view")


class Scoped:
    """Base of the types whose rows are scoped by the access policy wherever they are read."""

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        return scoped(info, queryset)


def require_view(info, obj):
    """Raise a GraphQL error (code FORBIDDEN) unless the requesting principal may view `obj`."""
    try:
        policy.require(principal_of(info), "view", obj)
    except PermissionDenied as denied:
        raise GraphQLError(str(denied), extensions={"code": "FORBIDDEN"}) from None
