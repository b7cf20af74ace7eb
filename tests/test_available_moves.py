"""The referral page offers exactly the moves the workflow table and the user's role allow
(referrals.permissions.available_moves), and the service accepts each move it offers."""

import pytest

from referrals import services
from referrals.permissions import available_moves
from tests.factories import referral_in_state


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "review", "sender_moves", "receiver_moves", "reviewer_moves"),
    [
        ("draft", "pending", {"submit", "withdraw"}, set(), set()),
        ("submitted", "pending", {"withdraw"}, {"acknowledge"}, {"review"}),
        ("acknowledged", "pending", {"withdraw"}, {"accept", "decline"}, {"review"}),
        ("accepted", "endorsed", {"withdraw", "complete"}, {"complete"}, set()),
        ("submitted", "queried", {"withdraw", "answer"}, {"acknowledge"}, set()),
        ("submitted", "escalated", {"withdraw"}, {"acknowledge"}, {"review"}),
        ("declined", "pending", set(), set(), {"review", "redirect"}),
        ("completed", "endorsed", set(), set(), set()),
        ("withdrawn", "pending", set(), set(), {"review"}),
    ],
)
def test_each_role_is_offered_the_moves_of_the_referrals_state(
    state,
    review,
    sender_moves,
    receiver_moves,
    reviewer_moves,
    worker_chiangmai,
    director_kredtrakarn,
    central_reviewer,
    worker_tak,
):
    referral = referral_in_state(
        worker_chiangmai,
        state,
        receiver=director_kredtrakarn,
        reviewer=central_reviewer,
        review=review if state != "draft" else "pending",
    )
    if state == "draft":
        reviewer_moves = set()  # a draft is not in the central queue
    assert available_moves(worker_chiangmai, referral) == sender_moves
    assert available_moves(director_kredtrakarn, referral) == receiver_moves
    assert available_moves(central_reviewer, referral) == reviewer_moves
    assert available_moves(worker_tak, referral) == set()


@pytest.mark.django_db
def test_every_move_offered_to_the_receiver_is_accepted_by_the_service(
    worker_chiangmai, director_kredtrakarn
):
    referral = referral_in_state(worker_chiangmai, "submitted", receiver=director_kredtrakarn)
    for move in ("acknowledge", "accept", "complete"):
        assert move in available_moves(director_kredtrakarn, referral)
        getattr(services, f"referral_{move}")(referral_id=referral.pk, actor=director_kredtrakarn)
        referral.refresh_from_db()
    assert available_moves(director_kredtrakarn, referral) == set()
