"""Routes of API v1."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from ladder.api import compare, translate, understand, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("companies", views.CompanyViewSet, basename="company")
router.register("levels", views.LevelViewSet, basename="level")
router.register("aliases", views.AliasViewSet, basename="alias")

urlpatterns = [
    path(
        "companies/<slug:slug>/ladders/<slug:framework>/",
        views.LadderDocumentView.as_view(),
        name="ladder-document",
    ),
    path("translate", translate.TranslateView.as_view(), name="translate"),
    path("career-path", translate.CareerPathView.as_view(), name="career-path"),
    path("titles/understand", understand.UnderstandTitlesView.as_view(), name="titles-understand"),
    path("compare", compare.CompareView.as_view(), name="compare-api"),
    *router.urls,
]
