"""What each pytest-xdist worker must have of its own (bin/test runs the suite on several
workers): loaded with `-p tests.parallel` (pyproject.toml), before pytest-django reads the
settings, because nrm/settings.py reads these from the environment once.

- The Redis database: REDIS_URL's database number plus the worker's number (gw0 keeps it,
  gw1 takes the next...). Every test empties the cache (tests/conftest.py) and some count the
  broker's queue: two workers on one database would empty and count each other's.
- NRM_VAR_DIR: a folder of its own (the intake progress is counted in files under it, by
  batch number, and every worker's test database numbers its batches from 1).
- The test database: pytest-django names it after the worker already (test_nrm_gw0...).
- Ports: live servers, bin/run, our own redis-servers and SMTP sinks all ask the system for a
  free port; no test uses a fixed one.

Tests that share something no worker can have of its own, or data built once for them, are
listed in ONE_WORKER below: each entry's tests run on one worker, one after another in file
order (the others go one by one to whichever worker is free). xdist's own `xdist_group` mark
cannot do it here: it renames the tests' node ids in a way pytest 9 no longer has.

A serial run (`bin/test -n 0`, or plain `python -m pytest`) changes nothing here.
"""

import atexit
import os
import shutil
import tempfile
from urllib.parse import urlsplit, urlunsplit

import pytest

REDIS_DATABASES = 16  # redis.conf's default `databases`

# Node id (a file, or a class in a file) -> why its tests keep to one worker.
ONE_WORKER = {
    "tests/test_smoke_run.py": "one running bin/run for the module, whose last test stops it",
    "tests/test_i18n.py": "a test rewrites the Thai catalogue (and puts it back), others read it",
    "tests/test_seed_demo.py::TestTheSeededDemo": "the demo seeded once for the class",
    "tests/test_load_data.py::TestAGeneratedDataSet": "one data set generated for the class",
}


def worker_number() -> int | None:
    """0 for gw0, 1 for gw1...; None outside an xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else None


def redis_url_for_worker(url: str, number: int) -> str:
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = base + number
    if database >= REDIS_DATABASES:
        raise RuntimeError(
            f"REDIS_URL's database {base} leaves no database for xdist worker gw{number} "
            f"(Redis has {REDIS_DATABASES}): use a lower database number or fewer workers (-n)."
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


def give_this_worker_its_own() -> None:
    number = worker_number()
    if number is None:
        return
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], number)
    var_dir = tempfile.mkdtemp(prefix=f"nrm-test-gw{number}-")
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    os.environ["NRM_VAR_DIR"] = var_dir


give_this_worker_its_own()


def one_worker_group(nodeid: str) -> str | None:
    for prefix in ONE_WORKER:
        if nodeid.startswith(prefix + "::"):
            return prefix
    return None


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup (pyproject.toml), with the groups of ONE_WORKER."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class OneWorkerGroups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return one_worker_group(nodeid) or super()._split_scope(nodeid)

    return OneWorkerGroups(config, log)
