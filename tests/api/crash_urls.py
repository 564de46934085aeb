"""A URLconf with views that crash, to check that a 500 still answers in the error shape."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from pmladder_api.urls import handler404, handler500  # noqa: F401
from pmladder_api.urls import urlpatterns as base_patterns


def crash(request):
    raise RuntimeError("boom")


@api_view(["GET"])
@permission_classes([AllowAny])
def api_crash(request):
    raise RuntimeError("boom in the API")


urlpatterns = [path("crash/", crash), path("api-crash/", api_crash), *base_patterns]
