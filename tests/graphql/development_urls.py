"""/graphql/ as development serves it (DEBUG on); tests otherwise run with DEBUG off, as in production."""

from django.urls import path

from api.graphql.schema import build_schema
from api.graphql.views import graphql_view

urlpatterns = [path("graphql/", graphql_view(build_schema(debug=True)))]
