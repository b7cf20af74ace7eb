"""Copy every uploaded file from the default storage (the media folder or the S3 bucket) into
one tar file, with a manifest of each file's SHA-256: `manage.py media_backup FILE.tar`.

Prepared export files (exports/) are left out: they are copies of lists, purged within a day.
deploy/backup.sh runs this beside pg_dump; `media_restore` puts the files back.
"""

import hashlib
import io
import json
import tarfile

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

SKIPPED_FOLDERS = {"exports"}
MANIFEST = "MANIFEST.json"


def stored_files(storage, folder=""):
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        if not folder and name in SKIPPED_FOLDERS:
            continue
        yield from stored_files(storage, f"{folder}/{name}" if folder else name)


class Command(BaseCommand):
    help = "Write every uploaded file (not prepared exports) into a tar file with its checksums."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the tar file to write")

    def handle(self, *args, archive, **options):
        manifest = {}
        try:
            listing = list(stored_files(default_storage))
        except FileNotFoundError:  # no file was ever uploaded: the media folder does not exist
            listing = []
        with tarfile.open(archive, "w") as tar:
            for name in listing:
                with default_storage.open(name, "rb") as stored:
                    content = stored.read()
                manifest[name] = hashlib.sha256(content).hexdigest()
                member = tarfile.TarInfo(f"files/{name}")
                member.size = len(content)
                member.mode = 0o600
                tar.addfile(member, io.BytesIO(content))
            listing_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
            member = tarfile.TarInfo(MANIFEST)
            member.size = len(listing_bytes)
            tar.addfile(member, io.BytesIO(listing_bytes))
        self.stdout.write(f"{len(manifest)} files written to {archive}")
