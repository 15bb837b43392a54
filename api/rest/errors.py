"""REST's errors as problem details (api/problems.py): DRF's exception handler reshaped, the write
preconditions, and the schema of a problem for the OpenAPI document."""

from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from api.problems import PROBLEM_MEDIA_TYPE, problem


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, item in value.items() for message in _messages(item)]
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Give the record's ETag (from a GET) in an If-Match header, so no one else's edit is overwritten."


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The record was changed since you read it: GET it again, reapply your edit, and send the new ETag."


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state of the data."


def exception_handler(exc, context):
    """DRF's handler, with its answer reshaped as problem details."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django answers it through handler500
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"request": exc.detail}
        errors = {name: _messages(value) for name, value in detail.items()}
        summary = "Invalid request: " + " ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        response.data = problem(response.status_code, summary, errors)
    else:
        response.data = problem(response.status_code, " ".join(_messages(response.data.get("detail", ""))))
    response.content_type = PROBLEM_MEDIA_TYPE
    return response


class ProblemSerializer(serializers.Serializer):
    """Problem details (RFC 9457), the body of every error response."""

    type = serializers.CharField(help_text="A URI identifying the problem type; about:blank means see `title`.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: the messages for each bad parameter, by parameter name.",
    )
