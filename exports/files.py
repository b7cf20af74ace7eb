"""Where prepared export files are kept: MEDIA_ROOT/exports, on the volume that the web and
worker share, outside the static root and served by no URL (only exports.views.download reads
them, for the user who asked). The folder is the application user's alone (0700), each file
too (0600), under a random name. No encryption at rest: the system has none for its files
(uploaded case documents are stored as they are); the files are deleted after KEPT_FOR
(services.export_jobs_purge)."""

import datetime as dt
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

PARTIAL_PREFIX = ".part-"


def export_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def new_file_name(format: str) -> str:
    return f"{uuid.uuid4().hex}.{format}"


def export_path(file_name: str) -> Path:
    return export_folder() / file_name


@contextmanager
def writing(file_name: str) -> Iterator[BinaryIO]:
    """A file to write, which takes its name only once complete: a download never reads half
    a file, and a worker killed midway leaves only a partial file for the purge."""
    descriptor, partial = tempfile.mkstemp(dir=export_folder(), prefix=PARTIAL_PREFIX)  # 0600
    try:
        with os.fdopen(descriptor, "wb") as file:
            yield file
        os.replace(partial, export_path(file_name))
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def remove(file_name: str) -> None:
    if file_name:
        export_path(file_name).unlink(missing_ok=True)


def files_written_before(moment: dt.datetime) -> list[Path]:
    """The files of the folder (partial ones included) last written before `moment`."""
    cutoff = moment.timestamp()
    return [
        path
        for path in export_folder().iterdir()
        if path.is_file() and path.stat().st_mtime < cutoff
    ]
