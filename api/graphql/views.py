"""The HTTP endpoint at /graphql/, following the GraphQL-over-HTTP spec, with token or session authentication.

strawberry's view does the work; this subclass closes its gaps: a JSON body that is not an
object is a 400 (not a 500), a mutation over GET is a 405, and clients that accept
``application/graphql-response+json`` get it, with a 400 for a request that could not run.
"""

import json

from cross_web import HTTPException
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import AuthenticationFailed
from strawberry.django.views import GraphQLView
from strawberry.schema.exceptions import InvalidOperationTypeError

from api.authentication import TokenAuthentication
from api.middleware import MAX_JSON_DEPTH, json_depth
from api.outages import outage_message, unavailable

GRAPHQL_RESPONSE = "application/graphql-response+json"


def authenticate(request) -> None:
    """Sets ``request.user`` (which the audit history records): see the comment on the view."""
    token = TokenAuthentication().authenticate(request)
    if token:
        request.user = token[0]
    elif request.user.is_authenticated and CsrfViewMiddleware(HttpResponse).process_view(request, None, (), {}):
        request.user = AnonymousUser()


def note_faults(request, errors) -> None:
    """Remembers the server's faults among a result's errors (before they are masked), for the status code:
    an outage or a timeout is a 503, any other fault a 500, so monitoring that counts 5xx sees them."""
    if request is None:
        return
    for error in errors:
        message = outage_message(error)
        if message:
            request.graphql_outage = message
        request.graphql_fault = True


def _accepts_graphql_response(request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("Accept", "")


# Who is asking, for the mutations (queries are public):
# - an API token (`Authorization: Token …`, django-rest-knox, as REST) names its user; no CSRF token is needed,
#   because a browser never adds that header to a cross-site request by itself;
# - a session cookie (a curator logged into the admin, e.g. in GraphiQL) counts only with a valid CSRF token:
#   without one the request runs as anonymous, so a forged cross-site request can read but never write;
# - otherwise anonymous. Django's CSRF middleware is skipped for this view (csrf_exempt) because anonymous
#   queries need no CSRF token; the check above replaces it for sessions.
# Mutations over GET are refused (405): GET only runs queries.
@method_decorator(csrf_exempt, name="dispatch")
class TreatyGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        try:
            authenticate(request)
        except AuthenticationFailed as error:
            return JsonResponse(
                {"errors": [{"message": str(error.detail)}]}, status=401, headers={"WWW-Authenticate": "Token"}
            )
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code >= 400 and response.get("Content-Type", "").startswith("text/plain"):
            # strawberry's own refusals (malformed body, no query…) in the API's error shape
            message = response.content.decode("utf-8", "replace")
            response = JsonResponse({"errors": [{"message": message}]}, status=response.status_code)
        if response.status_code == 405:
            response["Allow"] = "POST" if request.method == "GET" else "GET, POST"
        return response

    def decode_json(self, data: str | bytes) -> object:
        # The body (and the GET `variables`/`extensions`) must be JSON objects: strawberry would
        # answer a bare JSON string or number with a server error.
        try:
            value = json.loads(data)
        except RecursionError:
            value = too_deep = True
        else:
            too_deep = json_depth(value) > MAX_JSON_DEPTH
        if too_deep:
            raise HTTPException(400, f"The JSON nests more than {MAX_JSON_DEPTH} levels deep.")
        if not isinstance(value, dict | list):
            raise HTTPException(400, "Expected a JSON object.")
        return value

    def execute_single(self, *args, **kwargs):
        try:
            return super().execute_single(*args, **kwargs)
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, error.reason) from error
            raise

    def process_result(self, request, result):
        response_data = super().process_result(request, result)
        # Errors without a path come from parsing, validation or variable coercion: nothing ran.
        request_error = result.data is None and result.errors and all(error.path is None for error in result.errors)
        if request_error and _accepts_graphql_response(request):
            del response_data["data"]
            request.graphql_request_error = True
        return response_data

    def run(self, request, *args, **kwargs) -> HttpResponse:
        response = super().run(request, *args, **kwargs)
        if getattr(request, "graphql_outage", None):
            return unavailable(request, request.graphql_outage)
        if getattr(request, "graphql_fault", False):
            response.status_code = 500
        if _accepts_graphql_response(request) and response["Content-Type"] == "application/json":
            response["Content-Type"] = GRAPHQL_RESPONSE
            if getattr(request, "graphql_request_error", False):
                response.status_code = 400
        return response


def graphql_view(schema):
    """The view for ``schema``, with the GraphiQL page for browsers (api/templates/graphql/graphiql.html, from our own
    static files), in production too: the schema alone decides about introspection."""
    return TreatyGraphQLView.as_view(schema=schema, graphql_ide="graphiql")
