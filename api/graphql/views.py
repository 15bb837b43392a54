"""The HTTP endpoint at /graphql/, following the GraphQL-over-HTTP spec.

strawberry's view does the work; this subclass closes its gaps: a JSON body that is not an
object is a 400 (not a 500), a mutation over GET is a 405, and clients that accept
``application/graphql-response+json`` get it, with a 400 for a request that could not run.
"""

import json

from cross_web import HTTPException
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView
from strawberry.schema.exceptions import InvalidOperationTypeError

GRAPHQL_RESPONSE = "application/graphql-response+json"


def _accepts_graphql_response(request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("Accept", "")


# CSRF: exempt, because a cross-site page cannot make this view do anything on a user's behalf.
# - Every operation is a read-only query (there are no mutations), and no cookie or session
#   changes what a query returns, so a forged request learns and changes nothing.
# - A POST body is only read as application/json; the content types a cross-site <form> or a
#   "simple" fetch can send (form-urlencoded, multipart, text/plain) get a 400, and sending
#   application/json cross-site needs a CORS preflight, which this API does not grant.
# - Mutations over GET are refused (405): GET only runs queries.
# When mutations with cookie-based authentication arrive (the curation issue), revisit this.
@method_decorator(csrf_exempt, name="dispatch")
class TreatyGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 405:
            response["Allow"] = "POST" if request.method == "GET" else "GET, POST"
        return response

    def decode_json(self, data: str | bytes) -> object:
        # The body (and the GET `variables`/`extensions`) must be JSON objects: strawberry would
        # answer a bare JSON string or number with a server error.
        value = json.loads(data)
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
        if _accepts_graphql_response(request) and response["Content-Type"] == "application/json":
            response["Content-Type"] = GRAPHQL_RESPONSE
            if getattr(request, "graphql_request_error", False):
                response.status_code = 400
        return response


def graphql_view(schema, *, debug: bool):
    """The view for ``schema``: the GraphiQL page only in development."""
    return TreatyGraphQLView.as_view(schema=schema, graphql_ide="graphiql" if debug else None)
