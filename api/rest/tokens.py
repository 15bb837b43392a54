"""/api/v1/tokens/: a token holder lists their own API tokens and revokes any of them (the one in use too).

A token is named by its key, the first characters of the token that knox stores in the clear; the secret rest is
stored only as a hash, and never shown again after ``create_editor`` printed it.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from knox.models import AuthToken
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from api.problems import PROBLEM_MEDIA_TYPE
from api.rest.schema import ERROR_RESPONSES, NOT_FOUND, problem_answer


class TokenSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="token_key", read_only=True, help_text="The token's first characters.")
    current = serializers.SerializerMethodField(help_text="Whether this request was made with this token.")

    class Meta:
        model = AuthToken
        fields = ["key", "created", "expiry", "current"]
        extra_kwargs = {"expiry": {"help_text": "When it stops working; null: never."}}

    def get_current(self, token) -> bool:
        return token == self.context["request"].auth


class TokenSchema(AutoSchema):
    """Not a curated resource: no ETag or If-Match; a token is needed even to read."""

    def get_summary(self):
        return "Revoke one of your API tokens" if self.view.action == "destroy" else "Your API tokens"

    def get_response_serializers(self):
        unauthenticated = {(401, PROBLEM_MEDIA_TYPE): problem_answer("No valid API token.")}
        if self.view.action == "destroy":
            return {204: OpenApiResponse(description="Revoked."), **unauthenticated, **NOT_FOUND}
        return {200: TokenSerializer(many=True), **unauthenticated, **ERROR_RESPONSES}


class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens, newest first; DELETE revokes one at once (401 with it from then on)."""

    schema = TokenSchema()
    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None
    lookup_field = "token_key"
    lookup_url_kwarg = "key"
    lookup_value_regex = "[A-Za-z0-9]+"

    queryset = AuthToken.objects.none()  # for the schema; each request sees its own user's

    def get_queryset(self):
        return AuthToken.objects.filter(user=self.request.user).order_by("-created")
