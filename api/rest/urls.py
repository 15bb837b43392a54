"""REST API v1 routes: /api/v1/<resource>/ and /api/v1/<resource>/<slug>/."""

from rest_framework.routers import DefaultRouter, SimpleRouter

from api.rest import tokens, views

app_name = "v1"

router = DefaultRouter()
router.include_root_view = True
router.register("negotiations", views.NegotiationViewSet, basename="negotiation")
router.register("parties", views.PartyViewSet, basename="party")
router.register("people", views.PersonViewSet, basename="person")
router.register("sources", views.SourceViewSet, basename="source")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("clauses", views.ClauseViewSet, basename="clause")
router.register("positions", views.PositionViewSet, basename="position")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("conflicts", views.ConflictViewSet, basename="conflict")
router.register("events", views.EventViewSet, basename="event")
router.register("topics", views.TopicViewSet, basename="topic")

# Not a resource of the dataset: a token holder's own tokens.
account_router = SimpleRouter()
account_router.register("tokens", tokens.TokenViewSet, basename="token")

urlpatterns = router.urls + account_router.urls
