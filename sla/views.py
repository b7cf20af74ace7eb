from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import deadline_subjects, running_deadlines_of

PAGE = 200


@login_required
def mine(request):
    """My deadlines: every clock running that my organisation answers for, soonest first,
    overdue ones highlighted."""
    deadlines = list(running_deadlines_of(user=request.user)[:PAGE])
    subjects = deadline_subjects(deadlines)
    rows = [(d, *subjects.get((d.object_type_id, d.object_id), ("—", ""))) for d in deadlines]
    return render(request, "sla/mine.html", {"rows": rows})
