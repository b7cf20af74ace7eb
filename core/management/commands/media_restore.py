"""Put back the files of a `media_backup` tar into the default storage (the media folder or the
S3 bucket), each checked against the manifest's SHA-256 first: `manage.py media_restore FILE`.

Refuses, before writing anything, a tar whose files do not match their manifest, and a storage
that already holds one of its files with other content (unless --overwrite).
"""

import hashlib
import json
import tarfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from .media_backup import MANIFEST


class Command(BaseCommand):
    help = "Restore the uploaded files of a media_backup tar file, checked against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, *args, archive, overwrite, **options):
        with tarfile.open(archive, "r") as tar:
            manifest = json.loads(tar.extractfile(MANIFEST).read())
            contents = {}
            for name, expected in manifest.items():
                member = tar.extractfile(f"files/{name}")
                content = member.read() if member else b""
                if hashlib.sha256(content).hexdigest() != expected:
                    raise CommandError(f"{name}: its content does not match the manifest")
                contents[name] = content
        for name, content in contents.items():
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as stored:
                    same = stored.read() == content
                if same:
                    continue
                if not overwrite:
                    raise CommandError(f"{name} exists with other content (--overwrite)")
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:  # a storage that renames would break the rows' references
                raise CommandError(f"{name} was stored as {saved}")
        self.stdout.write(f"{len(contents)} files restored from {archive}")
