"""Open every page of a freshly migrated database as each demo user, in this process.

Run by tests/test_fresh_deployment.py in a subprocess whose environment names the fresh
database (and no Redis, so that the cache is the database's): `python -m tests.fresh_site`.
Prints one JSON object: the pages opened, the server errors, the URL names never reached.
A page is reached by following the links of each user's home page, breadth first, at most a
few pages of each URL name; then every URL name without parameters is opened directly.
"""

import json
import os
import re
import sys
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve  # noqa: E402

from accounts.models import User  # noqa: E402

DEMO_USERS = [
    "sw.chiangmai",
    "sup.chiangmai",
    "dir.kredtrakarn",
    "staff.kredtrakarn",
    "central.reviewer",
    "sysadmin",
    "dpo",
    "regional.north",
]
PER_NAME = 2  # pages of one URL name opened per user (case 1, case 2: same template)
# Not pages: they end the session or change something on a GET.
SKIP = {"accounts:logout", "accounts:switch_language"}
SKIP_PREFIXES = ("/static/", "/admin/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def url_names_without_parameters() -> dict[str, str]:
    def walk(patterns, namespace="", prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                if inner != "admin":
                    yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if "<" not in route and "(?P" not in route:
                    name = ":".join(filter(None, [namespace, pattern.name]))
                    yield name, "/" + route.replace("^", "").replace("$", "")

    return dict(walk(get_resolver().url_patterns))


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client: Client, start: str, opened: list, errors: list, reached: set) -> None:
    seen_paths, per_name = set(), {}
    queue = deque([start])
    while queue:
        path = queue.popleft()
        if path in seen_paths:
            continue
        seen_paths.add(path)
        name = url_name(urlsplit(path).path)
        if name is None or name in SKIP or name.startswith("admin:"):
            continue
        if per_name.get(name, 0) >= PER_NAME:
            continue
        per_name[name] = per_name.get(name, 0) + 1
        response = client.get(path)
        opened.append((path, response.status_code))
        reached.add(name)
        if response.status_code >= 500:
            errors.append({"path": path, "status": response.status_code})
            continue
        if response.status_code in (301, 302, 303):
            queue.append(response["Location"])
            per_name[name] -= 1
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        if response.streaming:
            continue
        parser = Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        for href in parser.hrefs:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or re.search(r"export|download", href):
                continue
            queue.append(href)


def main() -> int:
    call_command("seed_demo", "--if-empty", verbosity=0)
    opened, errors, reached = [], [], set()
    direct = url_names_without_parameters()
    for username in DEMO_USERS:
        client = Client(raise_request_exception=False, HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        crawl(client, "/", opened, errors, reached)
        for name, path in direct.items():
            if name in SKIP or name in reached or "export" in path:
                continue
            response = client.get(path)
            opened.append((path, response.status_code))
            if response.status_code < 400:
                reached.add(name)
            if response.status_code >= 500:
                errors.append({"path": path, "status": response.status_code, "user": username})
    anonymous = Client(raise_request_exception=False, HTTP_HOST="localhost")
    for path in ("/accounts/login/", "/healthz", "/readyz"):
        response = anonymous.get(path)
        opened.append((path, response.status_code))
        if response.status_code >= 500:
            errors.append({"path": path, "status": response.status_code})
    print(json.dumps({"opened": opened, "errors": errors, "reached": sorted(reached)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
