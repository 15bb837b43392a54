"""Input the REST API refuses before any view runs, with a 400 problem: a search text (`q`) longer than
MAX_SEARCH_LENGTH characters (GraphQL refuses the same in api/graphql/cost.py)."""

from django.http import JsonResponse

from api.graphql.cost import MAX_SEARCH_LENGTH
from api.rest.errors import PROBLEM_MEDIA_TYPE, problem


class InputLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            for q in request.GET.getlist("q"):
                if len(q) > MAX_SEARCH_LENGTH:
                    message = f"A search takes at most {MAX_SEARCH_LENGTH} characters, not {len(q):,}."
                    body = problem(400, f"Invalid request: q: {message}", {"q": [message]})
                    return JsonResponse(body, status=400, content_type=PROBLEM_MEDIA_TYPE)
        return self.get_response(request)
