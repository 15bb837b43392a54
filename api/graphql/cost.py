"""What a GraphQL query costs, computed before it runs, and the limits on it (as GitHub's GraphQL API does).

A query's cost is the number of records (nodes) it can return: each list counts its page size — the limit it
asks for (``pagination: {limit}``), else its default — times the lists it is nested in. Fragments are expanded
where they are spread, every alias counts, and fields under ``@skip``/``@include`` count as if they ran. Every list
of objects here takes pagination (api/graphql/fields.py); one that did not would count as UNPAGINATED_LIST.
A query above MAX_NODES is refused before any SQL is run, with the figure, so the client knows what to trim.

The same walk refuses, before execution, what would otherwise cost or fail later: a pagination outside its
bounds, a string longer than MAX_STRING_LENGTH (a search ``q`` longer than MAX_SEARCH_LENGTH), a string with an
unpaired surrogate (it cannot be encoded) or, in a mutation, a NUL character (it cannot be stored), and a document
whose expansion visits more than MAX_SELECTIONS fields and directives (fragments spread many times, directive
floods). Variables count at their values, known by then.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from graphql import language as ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.timeouts import check_deadline
from treaty.filtering import MAX_SEARCH_LENGTH

MAX_PAGE_SIZE = settings.STRAWBERRY_DJANGO["PAGINATION_MAX_LIMIT"]
ROOT_LIST_LIMIT = settings.STRAWBERRY_DJANGO["PAGINATION_DEFAULT_LIMIT"]  # proposalList {…} without a limit
NESTED_LIST_LIMIT = MAX_PAGE_SIZE  # proposal { clauses } without a limit: every clause of a real proposal
UNPAGINATED_LIST = MAX_PAGE_SIZE
MAX_NODES = 50_000
MAX_SELECTIONS = 5_000
MAX_STRING_LENGTH = 50_000


class CostError(Exception):
    def __init__(self, message: str, node: ast.Node | None = None):
        super().__init__(message)
        self.error = GraphQLError(message, nodes=[node] if node else None, extensions={"code": "QUERY_TOO_COSTLY"})


def _bad_input(message: str, node: ast.Node | None) -> CostError:
    error = CostError(message, node)
    error.error.extensions["code"] = "BAD_USER_INPUT"
    return error


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict
    defaults: dict = field(default_factory=dict)
    nodes: int = 0
    selections: int = 0
    costliest: ast.Node | None = None  # the list that took the count past MAX_NODES

    def value(self, node: ast.ValueNode):
        """The Python value of an argument, variables replaced by their values (or defaults)."""
        if isinstance(node, ast.VariableNode):
            name = node.name.value
            return self.variables[name] if name in self.variables else self.defaults.get(name)
        if isinstance(node, ast.ObjectValueNode):
            return {item.name.value: self.value(item.value) for item in node.fields}
        if isinstance(node, ast.ListValueNode):
            return [self.value(item) for item in node.values]
        if isinstance(node, ast.IntValueNode):
            return int(node.value)
        if isinstance(node, ast.StringValueNode):
            return node.value
        return None

    def count(self, amount: int, node: ast.Node) -> None:
        self.nodes += amount
        self.costliest = self.costliest or (node if self.nodes > MAX_NODES else None)

    def step(self, node: ast.Node, amount: int = 1) -> None:
        self.selections += amount
        if self.selections > MAX_SELECTIONS:
            raise CostError(
                f"This query selects more than {MAX_SELECTIONS:,} fields and directives once its fragments are "
                "expanded.",
                node,
            )

    def page_size(self, field_node: FieldNode, default: int) -> int:
        argument = next((arg for arg in field_node.arguments or () if arg.name.value == "pagination"), None)
        pagination = self.value(argument.value) if argument else None
        if not isinstance(pagination, dict):
            return default
        offset, limit = pagination.get("offset"), pagination.get("limit")
        if isinstance(offset, int) and offset < 0:
            raise _bad_input("pagination.offset must be 0 or more.", field_node)
        if limit is None:
            return default
        if not isinstance(limit, int) or not -(2**31) <= limit < 2**31:
            return MAX_PAGE_SIZE  # not an Int: validation or execution refuses it
        if not 0 <= limit <= MAX_PAGE_SIZE:
            raise _bad_input(f"pagination.limit must be between 0 and {MAX_PAGE_SIZE}.", field_node)
        return limit

    def selection_set(self, selection_set: SelectionSetNode, parent_type, multiplier: int, spread: tuple) -> None:
        for selection in selection_set.selections:
            self.step(selection, 1 + len(selection.directives or ()))
            if isinstance(selection, FieldNode):
                self.field(selection, parent_type, multiplier, spread)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent_type
                self.selection_set(selection.selection_set, inner, multiplier, spread)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in spread:  # unknown or cyclic: validation has refused it already
                    continue
                inner = self.schema.get_type(fragment.type_condition.name.value)
                self.selection_set(fragment.selection_set, inner, multiplier, (*spread, name))

    def field(self, node: FieldNode, parent_type, multiplier: int, spread: tuple) -> None:
        name = node.name.value
        if name.startswith("__"):  # __typename; introspection (development only) is not priced
            return
        definition = getattr(parent_type, "fields", {}).get(name)
        if definition is None:
            return
        named = get_named_type(definition.type)
        if "pagination" in definition.args:
            is_page = "results" in getattr(named, "fields", {})  # proposalList: an OffsetPaginated page
            multiplier *= self.page_size(node, ROOT_LIST_LIMIT if is_page else NESTED_LIST_LIMIT)
            self.count(multiplier, node)
        elif (
            is_list_type(get_nullable_type(definition.type))
            and is_composite_type(named)
            and not (name == "results" and "totalCount" in parent_type.fields)  # a page's records: counted above
        ):
            multiplier *= UNPAGINATED_LIST
            self.count(multiplier, node)
        if node.selection_set:
            self.selection_set(node.selection_set, named, multiplier, spread)


def _strings(value) -> Iterator[tuple[str | None, str]]:
    """Every string in a JSON value, with the key it is the value of."""
    stack = [(None, value)]
    while stack:
        key, item = stack.pop()
        if isinstance(item, str):
            yield key, item
        elif isinstance(item, dict):
            stack.extend((k, v) for k, v in item.items())
            stack.extend((None, k) for k in item if isinstance(k, str))
        elif isinstance(item, list):
            stack.extend((key, v) for v in item)


def _document_strings(document: DocumentNode) -> Iterator[tuple[str | None, str, ast.Node]]:
    """Every string literal in the document, with the input field or argument it is given to."""
    stack: list[tuple[str | None, ast.Node]] = [(None, document)]
    while stack:
        key, node = stack.pop()
        if isinstance(node, ast.StringValueNode):
            yield key, node.value, node
            continue
        name = node.name.value if isinstance(node, ast.ObjectFieldNode | ast.ArgumentNode) else key
        for attribute in node.keys:
            child = getattr(node, attribute, None)
            if isinstance(child, ast.Node):
                stack.append((name, child))
            elif isinstance(child, tuple | list):
                stack.extend((name, item) for item in child if isinstance(item, ast.Node))


def check_string(key: str | None, value: str, where: str, node: ast.Node | None = None, *, write: bool) -> None:
    if write and "\x00" in value:  # a read treats it as any other text (no record has that slug)
        raise _bad_input(f"{where} contains a NUL character, which no text here may hold.", node)
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise _bad_input(f"{where} contains an unpaired surrogate: it is not valid Unicode text.", node)
    if key == "q" and len(value) > MAX_SEARCH_LENGTH:
        raise _bad_input(f"q is {len(value):,} characters long; a search takes at most {MAX_SEARCH_LENGTH}.", node)
    if len(value) > MAX_STRING_LENGTH:
        raise _bad_input(f"{where} is {len(value):,} characters long; strings are at most {MAX_STRING_LENGTH:,}.", node)


def check(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict | None) -> int:
    """The query's cost in records; raises CostError when it is refused."""
    variables = variables if isinstance(variables, dict) else {}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations if o.name and o.name.value == operation_name), None)
    if operation is None and operation_name is None and len(operations) == 1:
        operation = operations[0]
    write = operation is None or operation.operation.value != "query"
    for key, value in _strings(variables):
        check_string(key, value, f"A string in the variables{f' ({key})' if key else ''}", write=write)
    for key, value, node in _document_strings(document):
        where = f"The string given to {key}" if key else "A string in the query"
        check_string(key, value, where, node, write=write)
    if operation is None:
        return 0  # the executor explains which operation to name
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(schema, fragments, variables)
    for definition in operation.variable_definitions or ():
        if definition.default_value is not None:
            walk.defaults[definition.variable.name.value] = walk.value(definition.default_value)
    root = schema.get_root_type(operation.operation) if hasattr(schema, "get_root_type") else None
    root = root or {"query": schema.query_type, "mutation": schema.mutation_type}.get(operation.operation.value)
    walk.selection_set(operation.selection_set, root, 1, ())
    if walk.nodes > MAX_NODES:
        raise CostError(
            f"This query could return {walk.nodes:,} records, more than the {MAX_NODES:,} one query may ask for: "
            "each list counts as its page size (`pagination: {limit}`; 20 for a root list, 100 for a nested one "
            "by default) times the page sizes of the lists it is in. Ask for smaller pages or fewer nested lists.",
            walk.costliest,
        )
    return walk.nodes


class QueryCost(SchemaExtension):
    """Runs ``check`` as soon as the query is parsed: before validation, whose own rules (the depth and alias
    limits) expand fragments without a bound, and before execution. A refused query runs nothing."""

    def on_parse(self):
        yield
        context = self.execution_context
        if context.graphql_document is not None:
            try:
                check(context.schema._schema, context.graphql_document, context.operation_name, context.variables)
            except CostError as refused:
                raise refused.error from None


class DeadlineExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Stops resolving fields once the request is past its time budget (api/timeouts.py)."""

    def execute_field(self, *args, **kwargs):
        check_deadline()
        return super().execute_field(*args, **kwargs)
