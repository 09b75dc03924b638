"""The /graphql/ endpoint: GraphiQL in the browser, JSON over POST and GET for other systems.

Who asks is resolved once per request, by the context getter (`GraphQLView.get_context`) through
`backoffice.access.authentication.principal_for_request`:
- `Authorization: Bearer <key>`: an API token issued by Bappeda (`manage.py issue_token`), acting
  in the token's role and scope. An unknown, revoked or expired key, or another Authorization
  scheme, is refused with HTTP 401 and a GraphQL-shaped error body (code UNAUTHENTICATED); it is
  never quietly served as the public.
- otherwise the Django session (staff logged in to the admin, on the admin's own pages);
- otherwise the public, which sees published plans only.

The one mutation (submitUsulan) requires an API token and refuses a session, so the CSRF check,
which protects cookie-authenticated writes, only gets in the way of clients outside the browser:
exempt. Session cookies are SameSite=Lax (Django's default), so a cross-site POST does not carry the
session, and a cross-site page cannot read the answer anyway. Queries work over GET and POST;
strawberry refuses mutations over GET. Multipart uploads (photos of a submitted proposal) are
enabled for the same reason the CSRF check is off: only token-authenticated mutations use them.
"""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView as StrawberryGraphQLView

from backoffice.access.authentication import AuthenticationFailed, principal_for_request

from .auth import APIContext
from .schema import schema


class GraphQLView(StrawberryGraphQLView):
    def get_context(self, request, response):
        return APIContext(request=request, response=response, principal=principal_for_request(request))

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except AuthenticationFailed as failed:
            return unauthenticated(failed.message)


def unauthenticated(message):
    """HTTP 401 with the body a GraphQL client reads errors from."""
    response = JsonResponse({"data": None, "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="graphql", error="invalid_token"'
    return response


graphql_view = csrf_exempt(
    GraphQLView.as_view(schema=schema, graphql_ide="graphiql", allow_queries_via_get=True, multipart_uploads_enabled=True)
)
