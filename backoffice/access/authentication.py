"""Who sends an HTTP request: an API token, a logged-in staff user, or the public.

Read-only HTTP interfaces (the GraphQL API, downloads for other systems) ask `principal_for_request`
once per request and hand the `Principal` to `backoffice.access.policy`.

- `Authorization: Bearer <key>`: the `ApiToken` with that key. A key that is unknown, revoked or
  expired is refused (`AuthenticationFailed`), never quietly read as the public: a portal whose key
  was revoked must notice, not start publishing less data.
- Any other `Authorization` scheme is refused the same way (only Bearer tokens are issued).
- No `Authorization` header: the Django session's user (`request.user`, set by
  AuthenticationMiddleware), which is the public when nobody is logged in.
"""

from .models import ApiToken
from .policy import PUBLIC, principal_for_token, principal_for_user

BEARER = "bearer"
INVALID_TOKEN = "Token API tidak sah atau sudah dicabut."
BAD_SCHEME = "Header Authorization harus berbentuk \"Bearer <token API>\"."


class AuthenticationFailed(Exception):
    """The request carries credentials that do not identify anyone (HTTP 401)."""

    def __init__(self, message=INVALID_TOKEN):
        super().__init__(message)
        self.message = message


def bearer_key(request):
    """The raw key of an `Authorization: Bearer <key>` header; None without the header.

    Raises AuthenticationFailed for a header of another scheme or without a key."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != BEARER:
        raise AuthenticationFailed(BAD_SCHEME)
    key = key.strip()
    if not key:
        raise AuthenticationFailed(INVALID_TOKEN)
    return key


def principal_for_request(request):
    """The Principal a request acts as (see the module docstring); raises AuthenticationFailed."""
    key = bearer_key(request)
    if key is not None:
        token = ApiToken.authenticate(key)
        if token is None:
            raise AuthenticationFailed(INVALID_TOKEN)
        return principal_for_token(token)
    user = getattr(request, "user", None)
    return principal_for_user(user) if user is not None else PUBLIC
