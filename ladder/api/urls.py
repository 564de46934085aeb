"""Routes of API v1."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from ladder.api import changes, compare, versions, views, webhooks
from ladder.translation.api import views as translation

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("companies", views.CompanyViewSet, basename="company")
router.register("levels", views.LevelViewSet, basename="level")
router.register("aliases", views.AliasViewSet, basename="alias")
router.register("webhooks", webhooks.WebhookViewSet, basename="webhook")

urlpatterns = [
    path(
        "companies/<slug:slug>/ladders/<slug:framework>/",
        views.LadderDocumentView.as_view(),
        name="ladder-document",
    ),
    path(
        "companies/<slug:slug>/ladders/<slug:framework>/versions/",
        versions.LadderVersionListView.as_view(),
        name="ladder-versions",
    ),
    path(
        "companies/<slug:slug>/ladders/<slug:framework>/versions/<int:number>/",
        versions.LadderVersionDetailView.as_view(),
        name="ladder-version",
    ),
    path(
        "companies/<slug:slug>/ladders/<slug:framework>/diff",
        versions.LadderDiffView.as_view(),
        name="ladder-diff",
    ),
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    path("translate", translation.TranslateView.as_view(), name="translate"),
    path("career-path", translation.CareerPathView.as_view(), name="career-path"),
    path("titles/understand", translation.UnderstandTitlesView.as_view(), name="titles-understand"),
    path("compare", compare.CompareView.as_view(), name="compare-api"),
    *router.urls,
]
