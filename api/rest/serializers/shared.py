"""Read representations from one serializer per class, built once and shared by every request.

DRF builds a serializer's fields anew for every instance (model introspection and a deep copy of each declared
field, nested ones included): for a clause detail that is a third of the request's Python time. A representation
reads its fields but never changes them; what differs between requests is only the context (the request, for
absolute links), which the shared serializers read from a context variable set for the call, so concurrent
threads each see their own.
"""

from collections.abc import Mapping
from contextvars import ContextVar

_context: ContextVar[Mapping] = ContextVar("representation_context")


class _CurrentContext(Mapping):
    """The context of the representation being built in this thread, read through on every access."""

    def __getitem__(self, key):
        return _context.get()[key]

    def __iter__(self):
        return iter(_context.get())

    def __len__(self):
        return len(_context.get())


CURRENT_CONTEXT = _CurrentContext()
_serializers: dict = {}


def represent(serializer_class, instance, context: Mapping, many: bool = False):
    """What ``serializer_class(instance, many=many, context=context).data`` gives, without building the fields."""
    serializer = _serializers.get((serializer_class, many))
    if serializer is None:  # two threads may both build it: either copy serves
        serializer = _serializers[serializer_class, many] = serializer_class(many=many, context=CURRENT_CONTEXT)
    if context is CURRENT_CONTEXT:  # called from within a representation: its context holds
        return serializer.to_representation(instance)
    token = _context.set(context)
    try:
        return serializer.to_representation(instance)
    finally:
        _context.reset(token)
