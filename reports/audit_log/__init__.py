"""The audit log as the central division reads it. It lives with the other oversight pages,
above every app, so that the log can be shown in the domain's words; `audit` itself only
records. `views` holds the page and its export; `records` names what an entry is about,
`entries` the rest of it, `filters` its search."""

from .views import export, search

__all__ = ["export", "search"]
