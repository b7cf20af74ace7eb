"""The static files' storage in production: whitenoise's compressed, hashed files, each asset's
address worked out once per process."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The manifest does not change while a process runs, yet Django looks each `{% static %}`
    up in it and joins its URL again on every page: some sixteen a page, a fifth of the
    layout's rendering (docs/PERFORMANCE.md). Kept here by name once found; a missing file
    still fails as before, and is not kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            address = self._addresses[name] = super().url(name)
            return address
