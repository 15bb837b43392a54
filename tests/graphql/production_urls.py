"""/graphql/ as production serves it (DEBUG off), whatever DEBUG the tests run with."""

from django.urls import path

from api.graphql.schema import build_schema
from api.graphql.views import graphql_view

urlpatterns = [path("graphql/", graphql_view(build_schema(debug=False)))]
