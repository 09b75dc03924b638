# Placeholder replaced by the GraphQL module.
from django.http import HttpResponse


def graphql_view(request):
    return HttpResponse(status=503)
