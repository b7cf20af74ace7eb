"""How far an import has got, counted outside its transaction so the progress page sees it."""

import logging
from functools import lru_cache

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache

from ..models import IntakeBatch
from ..workflow import IntakeBatchStatus

logger = logging.getLogger(__name__)


# Rows registered at once by the import (a few queries each time), and told to the progress page.
PROGRESS_EVERY = 100
PROGRESS_TIMEOUT = 6 * 60 * 60


def _progress_cache() -> BaseCache:
    """Where the import's progress is counted: the default cache (Redis), unless that cache
    lives in the database (no REDIS_URL). Its writes would then belong to the import's own
    transaction and stay invisible until the end, so the count goes to files under VAR_DIR,
    which web and worker share on the one machine of the embedded setup."""
    return _progress_files() or caches["default"]


@lru_cache(maxsize=1)
def _progress_files() -> FileBasedCache | None:
    if isinstance(caches["default"], DatabaseCache):
        return FileBasedCache(str(settings.VAR_DIR / "cache" / "intake-progress"), {})
    return None


def _progress_key(batch_id: int) -> str:
    return f"cases:intake:{batch_id}:processed"


def progress_set(batch_id: int, processed: int) -> None:
    # The batch row is inside the import's transaction, invisible to the progress page until
    # the end; the cache is not. Progress is a courtesy: a cache outage must not stop an import.
    try:
        _progress_cache().set(_progress_key(batch_id), processed, PROGRESS_TIMEOUT)
    except Exception:
        logger.warning("Could not record the progress of intake batch %s", batch_id)


def progress_clear(batch_id: int) -> None:
    try:
        _progress_cache().delete(_progress_key(batch_id))
    except Exception:
        logger.warning("Could not clear the progress of intake batch %s", batch_id)


def intake_progress(batch: IntakeBatch) -> int:
    """How many rows of the batch are imported so far."""
    if batch.status == IntakeBatchStatus.IMPORTING:
        try:
            return int(_progress_cache().get(_progress_key(batch.pk), 0))
        except Exception:
            return 0
    return batch.processed
