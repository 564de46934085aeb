"""Routes of API v1."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from ladder.api import aliases, changes, companies, compare, frameworks, ladders, levels, versions, webhooks
from ladder.translation.api import views as translation

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("frameworks", frameworks.FrameworkViewSet, basename="framework")
router.register("companies", companies.CompanyViewSet, basename="company")
router.register("levels", levels.LevelViewSet, basename="level")
router.register("aliases", aliases.AliasViewSet, basename="alias")
router.register("webhooks", webhooks.WebhookViewSet, basename="webhook")

LADDER = "companies/<slug:slug>/ladders/<slug:framework>/"

# A company's ladder for one framework, and what hangs below it: (path after LADDER, view, URL name).
LADDER_ROUTES = [
    ("", ladders.LadderDocumentView, "ladder-document"),
    ("versions/", versions.LadderVersionListView, "ladder-versions"),
    ("versions/<int:number>/", versions.LadderVersionDetailView, "ladder-version"),
    ("diff", versions.LadderDiffView, "ladder-diff"),
]

urlpatterns = [
    *(path(LADDER + suffix, view.as_view(), name=name) for suffix, view, name in LADDER_ROUTES),
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    path("translate", translation.TranslateView.as_view(), name="translate"),
    path("career-path", translation.CareerPathView.as_view(), name="career-path"),
    path("titles/understand", translation.UnderstandTitlesView.as_view(), name="titles-understand"),
    path("compare", compare.CompareView.as_view(), name="compare-api"),
    *router.urls,
]
