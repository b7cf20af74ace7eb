"""The URL configuration bench/cpu.py installs for itself (never the product's): every product
URL unchanged, then the two references every endpoint is measured against.

- `bench-floor`: the stack's floor, a plain DRF ListAPIView of 25 cases: the project's token
  authentication and default pagination (cursor, newest first, no COUNT), a four-field
  serializer, no scoping, no related rows. What any API list costs on this stack before it does
  anything of its own: the middleware, DRF, the token check and 25 rows.
- `bench-nothing`: a signed-in view that does nothing (the session and the middleware only).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from rest_framework import generics, serializers

from accounts.authentication import TokenAuthentication
from cases.models import Case
from nrm.urls import urlpatterns as product_urlpatterns


class FloorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "number", "status", "intake_date"]


class FloorView(generics.ListAPIView):
    authentication_classes = [TokenAuthentication]
    serializer_class = FloorSerializer
    queryset = Case.objects.all()


@login_required
def nothing(request):
    return HttpResponse(b"", content_type="text/plain")


urlpatterns = [
    *product_urlpatterns,
    path("bench/floor/", FloorView.as_view(), name="bench-floor"),
    path("bench/nothing/", nothing, name="bench-nothing"),
]
