"""The /graphql/ endpoint: GraphiQL in the browser, JSON over POST and GET for other systems.

The API is public and read-only, authenticated by nothing, so the CSRF check (which protects
cookie-authenticated writes) only gets in the way of clients outside the browser: exempt.
Queries work over GET and POST; strawberry refuses mutations over GET (405).
"""

from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView

from .schema import schema

graphql_view = csrf_exempt(GraphQLView.as_view(schema=schema, graphql_ide="graphiql", allow_queries_via_get=True))
