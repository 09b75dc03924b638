"""System checks for the GraphQL API settings."""

from django.conf import settings
from django.core.checks import Warning, register
from strawberry_django.settings import strawberry_django_settings

from .pagination import DEFAULT_MAX_PAGE_SIZE


@register()
def page_size_settings(app_configs, **kwargs):
    """GRAPHQL_MAX_PAGE_SIZE only takes effect when strawberry_django's own cap allows it."""
    wanted = getattr(settings, "GRAPHQL_MAX_PAGE_SIZE", DEFAULT_MAX_PAGE_SIZE)
    cap = strawberry_django_settings()["PAGINATION_MAX_LIMIT"]
    if cap is not None and cap < wanted:
        return [
            Warning(
                f"GRAPHQL_MAX_PAGE_SIZE is {wanted} but strawberry_django caps pages at {cap} "
                "(STRAWBERRY_DJANGO['PAGINATION_MAX_LIMIT'], 100 when unset), so the API refuses pages above "
                f"{cap}.",
                hint="Add 'PAGINATION_MAX_LIMIT': GRAPHQL_MAX_PAGE_SIZE to STRAWBERRY_DJANGO in settings.py.",
                id="graphql_api.W001",
            )
        ]
    return []
