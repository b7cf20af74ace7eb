"""The product's URLs and two dashboard-like views for tests/test_replica_router.py."""

from django.http import JsonResponse
from django.urls import path

from cases.models import Case, CaseNote
from nrm.urls import urlpatterns as product


def count_cases(request):
    return JsonResponse({"cases": Case.objects.count()})


def note_then_count(request):
    case_id = int(request.GET["case"])
    CaseNote.objects.create(case_id=case_id, author=request.user, text="written in this request")
    return JsonResponse({"notes": CaseNote.objects.filter(case_id=case_id).count()})


urlpatterns = [
    *product,
    path("stats/cases/", count_cases, name="stats_cases"),
    path("stats/note-then-count/", note_then_count, name="stats_note_then_count"),
]
