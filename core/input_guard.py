"""Input the database or the parsers would choke on, refused before any view sees it.

- Text that is not valid UTF-8 (Django would quietly store U+FFFD in its place) and text with
  a NUL character (PostgreSQL refuses it in a text column: a 500) in the query string, a form
  or a JSON body.
- JSON nested deeper than MAX_JSON_DEPTH (Python's parser recurses: a body of ten thousand
  brackets is a RecursionError, and no form of this application nests beyond a few levels).

The answer is a 400 in the user's language, as problem details for the API and as a page otherwise.
"""

import re
from urllib.parse import parse_qsl

from django.shortcuts import render
from django.utils.translation import gettext as _

from .problems import problem_response

MAX_JSON_DEPTH = 32
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
BRACKET = re.compile(r"[\[\]{}]")


def _form_problem(raw: bytes) -> str:
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return _("Part of what was sent is not valid text (UTF-8).")
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        return _("What was sent holds a NUL character, which no text may hold.")
    return ""


def _json_problem(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _("Part of what was sent is not valid text (UTF-8).")
    if "\x00" in text or "\\u0000" in text:
        return _("What was sent holds a NUL character, which no text may hold.")
    depth = 0
    for bracket in BRACKET.findall(JSON_STRING.sub("", text)):  # brackets outside strings
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            return _("The JSON is nested too deeply.")
    return ""


class InputGuardMiddleware:
    """After the language is chosen, before anything reads the request's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = _form_problem(request.META.get("QUERY_STRING", "").encode("latin-1"))
        content_type = request.content_type or ""
        if not problem and request.method in ("POST", "PUT", "PATCH"):
            if content_type == "application/x-www-form-urlencoded":
                problem = _form_problem(request.body)
            elif content_type.endswith("json"):
                problem = _json_problem(request.body)
            elif content_type == "multipart/form-data" and any(
                "\x00" in value for values in request.POST.lists() for value in values[1]
            ):
                problem = _("What was sent holds a NUL character, which no text may hold.")
        if not problem:
            return self.get_response(request)
        message = _("%(problem)s Nothing was saved: correct it and send it again.") % {
            "problem": problem
        }
        if request.path.startswith("/api/") or content_type.endswith("json"):
            return problem_response(request, status=400, detail=message, kind="invalid-text")
        return render(request, "400.html", {"message": message}, status=400)
