"""Errors the client caused, labelled so clients (and fuzzers) can tell them from server faults."""

from graphql import GraphQLError


def bad_user_input(message: str) -> GraphQLError:
    """An error in the client's arguments; shown as is, also in production (only other errors are masked)."""
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})
