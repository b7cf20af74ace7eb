"""The product's URLs and one view that fails, for the error rate (tests/test_metrics.py)."""

from django.urls import path

from nrm.urls import urlpatterns as product


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*product, path("broken/", broken, name="broken")]
