"""The record of processing activities (PDPA s.39), generated from the code: each app declares
the personal data it holds in its own `processing.py` (with `declare`), beside the models that
hold it, so that the record changes with the code. The data protection officer and the
sysadmins read it (privacy's page)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

_declared: list["Processing"] = []


@dataclass(frozen=True)
class Processing:
    """One processing activity: what personal data, about whom, for what, on which legal
    basis, given to whom, kept how long, and sent abroad to whom (if at all)."""

    app: str
    activity: Promise
    data: Promise
    subjects: Promise
    purpose: Promise
    basis: Promise
    recipients: Promise
    retention: Promise
    abroad: Promise | str = ""
    sensitive: bool = True


def declare(*activities: Processing) -> None:
    for activity in activities:
        if activity not in _declared:
            _declared.append(activity)


def record_of_processing() -> list[Processing]:
    """Every app's declarations, in the order of INSTALLED_APPS."""
    autodiscover_modules("processing")
    return list(_declared)
