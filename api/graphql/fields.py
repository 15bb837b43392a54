"""The field class of every GraphQL type and list here."""

import strawberry_django
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import is_optimized_by_prefetching


class TreatyField(StrawberryDjangoField):
    """A field whose explicit ``ordering`` ends with the primary key, as in REST: ties come in creation order."""

    def get_queryset(self, queryset, info, *, ordering=None, **kwargs):
        queryset = super().get_queryset(queryset, info, ordering=ordering, **kwargs)
        if ordering and queryset._result_cache is None and not is_optimized_by_prefetching(queryset):
            queryset = queryset.order_by(*queryset.query.order_by, "pk")
        return queryset


def field(**kwargs):
    return strawberry_django.field(field_cls=TreatyField, **kwargs)
