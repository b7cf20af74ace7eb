"""Personas (healthchecks' alice/bob idea): one per role, in named offices, built on the
reference data that the migrations load."""

import pytest

from accounts.models import Role
from tests.factories import member

PASSWORD = "correct-horse-battery"


@pytest.fixture
def worker_chiangmai(db):
    return member(Role.SOCIAL_WORKER, "pso-50", "somsri")


@pytest.fixture
def worker_tak(db):
    return member(Role.SOCIAL_WORKER, "pso-63", "prasert")


@pytest.fixture
def supervisor_chiangmai(db):
    return member(Role.SUPERVISOR, "pso-50", "arunee")


@pytest.fixture
def director_kredtrakarn(db):
    return member(Role.SHELTER_DIRECTOR, "shelter-kredtrakarn", "malee")


@pytest.fixture
def staff_kredtrakarn(db):
    return member(Role.SHELTER_STAFF, "shelter-kredtrakarn", "janpen")


@pytest.fixture
def central_reviewer(db):
    return member(Role.CENTRAL_REVIEWER, "central", "thanaporn")


@pytest.fixture
def sysadmin(db):
    return member(Role.SYSADMIN, "central", "itadmin")
