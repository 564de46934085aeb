"""The service's URLs plus ``/bench/bare``: a DRF view with the same authentication and permissions
that returns a constant dict, the yardstick for the translate endpoint's overhead."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from pmladder_api.urls import urlpatterns as service_patterns


class BareView(APIView):
    def get(self, request):
        return Response({"source": "a", "target": "b", "results": [], "summary": {"total": 0}})


urlpatterns = [path("bench/bare", BareView.as_view()), *service_patterns]
