"""Every referral move against every role: only the rightful actor moves it; another
province's worker does not even see it (404 through the API)."""

import pytest
from rest_framework.test import APIClient

from tests.factories import referral_in_state

pytestmark = pytest.mark.django_db

ROLES = [
    "worker_chiangmai",  # the sender
    "supervisor_chiangmai",  # the sender's supervisor
    "worker_tak",  # another province
    "director_kredtrakarn",  # the receiver
    "staff_kredtrakarn",  # the receiver's staff
    "central_reviewer",
    "sysadmin",
]

# move: (state to prepare, request body, roles allowed)
MOVES = {
    "submit": ("draft", {}, {"worker_chiangmai", "supervisor_chiangmai"}),
    "acknowledge": ("submitted", {}, {"director_kredtrakarn"}),
    "accept": ("acknowledged", {}, {"director_kredtrakarn"}),
    "decline": ("acknowledged", {"reason": "no_bed"}, {"director_kredtrakarn"}),
    "complete": ("accepted", {}, {"director_kredtrakarn"}),
    "withdraw": ("submitted", {"reason": "family"}, {"worker_chiangmai", "supervisor_chiangmai"}),
    "review": ("submitted", {"decision": "endorse"}, {"central_reviewer"}),
}

# Who sees a referral in each state at all (else 404).
SEES = {
    "draft": {"worker_chiangmai", "supervisor_chiangmai"},
    "submitted": {
        "worker_chiangmai",
        "supervisor_chiangmai",
        "director_kredtrakarn",
        "central_reviewer",
    },
    "acknowledged": {
        "worker_chiangmai",
        "supervisor_chiangmai",
        "director_kredtrakarn",
        "central_reviewer",
    },
    "accepted": {
        "worker_chiangmai",
        "supervisor_chiangmai",
        "director_kredtrakarn",
        "central_reviewer",
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", list(MOVES))
def test_each_move_is_allowed_only_to_its_actor(
    request, move, role, worker_chiangmai, director_kredtrakarn
):
    state, body, allowed = MOVES[move]
    referral = referral_in_state(
        worker_chiangmai, state, receiver=director_kredtrakarn, person={"estimated_age": 30}
    )
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(role))
    response = client.post(f"/api/v1/referrals/{referral.pk}/{move}/", body, format="json")
    if role in allowed:
        expected = 200
    elif role in SEES[state]:
        expected = 403
    else:
        expected = 404
    assert response.status_code == expected, response.content
