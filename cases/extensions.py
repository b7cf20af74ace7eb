"""What the apps above `cases` add to a case.

`cases` may not import `referrals` or `shelters` (they are built on it, docs/ARCHITECTURE.md),
yet who may see a case and whether it may close depend on them. They register here, in their
AppConfig.ready(), and `cases` asks the registry:

- `visibility(role, organisation_id)`: the extra cases an organisation of that role sees (a
  referral's receiver sees the referred case; a shelter sees its residents);
- `linked_rows(case)` / `running_work_reasons(case)`: the rows of other apps hanging off a case
  (their clocks are the case's clocks), and, in each app's words, what of them still runs and
  keeps the case from closing;
- `living_elsewhere(case)`: where the case's person lives now under another of their cases
  (a shelter bed), which refuses a second bed;
- `share_ended(case, organisation, actor)`: a partner agency's last live share of the case
  ended (revoked, or expired when `actor` is None): its open work on the case ends with it.
"""

from collections import defaultdict
from collections.abc import Callable

from django.db.models import Model, Q, QuerySet

_visibility: dict[str, list[Callable[[int], Q]]] = defaultdict(list)
_linked: list[tuple[type[Model], Q, object]] = []
_residence: list[Callable] = []
_share_end: list[Callable] = []


def register_visibility(*roles: str, condition: Callable[[int], Q]) -> None:
    """`condition(organisation_id)` is a Q over Case: the cases that organisation also sees."""
    for role in roles:
        _visibility[role].append(condition)


def register_linked_model(model: type[Model], *, running: Q, why_open) -> None:
    """`model` has a `case` foreign key; `running` selects its rows still in progress.
    `why_open` is what a refused close says while one runs (a lazy translation)."""
    _linked.append((model, running, why_open))


def visibility(role: str, organisation_id: int) -> Q:
    condition = Q(pk__in=[])
    for rule in _visibility[role]:
        condition |= rule(organisation_id)
    return condition


def linked_rows(case) -> list[QuerySet]:
    return [model.objects.filter(case=case) for model, _, _ in _linked]


def running_work_reasons(case) -> list[str]:
    """What still runs on the case: the `why_open` of each registered model with running rows."""
    return [
        str(why)
        for model, running, why in _linked
        if model.objects.filter(running, case=case).exists()
    ]


def register_residence(where: Callable) -> None:
    """`where(case)` says, in the user's language, where the case's person lives now under
    another of their cases, or returns "" when they do not."""
    _residence.append(where)


def living_elsewhere(case) -> str:
    return next((text for text in (where(case) for where in _residence) if text), "")


def register_share_end(handler: Callable) -> None:
    """`handler(case, organisation, actor)` runs in the transaction that ends a partner
    agency's last live share of the case."""
    _share_end.append(handler)


def share_ended(case, organisation, actor) -> None:
    for handler in _share_end:
        handler(case, organisation, actor)
