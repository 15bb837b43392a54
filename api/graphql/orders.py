"""GraphQL orderings, named ``XOrder``: the fields REST orders by (api/rest/filters.py), one per list element.

``ordering: [{date: DESC}, {slug: ASC}]`` orders by date, then slug, then (as in REST) creation order.
Without ``ordering`` a list keeps the model's default order, as REST does.
"""

import strawberry_django
from strawberry import auto

from treaty import models


@strawberry_django.order_type(models.Topic)
class TopicOrder:
    name: auto
    slug: auto


@strawberry_django.order_type(models.Party)
class PartyOrder:
    name: auto
    slug: auto
    kind: auto


@strawberry_django.order_type(models.PartyRole)
class PartyRoleOrder:
    role: auto


@strawberry_django.order_type(models.Person)
class PersonOrder:
    name: auto
    slug: auto


@strawberry_django.order_type(models.Source)
class SourceOrder:
    date: auto
    slug: auto
    outlet: auto


@strawberry_django.order_type(models.NonStoryPassage)
class NonStoryPassageOrder:
    slug: auto


@strawberry_django.order_type(models.Citation)
class CitationOrder:
    slug: auto
    start: auto


@strawberry_django.order_type(models.Negotiation)
class NegotiationOrder:
    name: auto
    slug: auto
    date: auto


@strawberry_django.order_type(models.Proposal)
class ProposalOrder:
    date: auto
    slug: auto
    title: auto


@strawberry_django.order_type(models.Clause)
class ClauseOrder:
    number: auto
    slug: auto
    heading: auto


@strawberry_django.order_type(models.ClauseLineage)
class ClauseLineageOrder:
    change: auto


@strawberry_django.order_type(models.Quantity)
class QuantityOrder:
    measure: auto
    value: auto


@strawberry_django.order_type(models.Position)
class PositionOrder:
    date: auto
    slug: auto
    stance: auto


@strawberry_django.order_type(models.Event)
class EventOrder:
    date: auto
    slug: auto
    title: auto
