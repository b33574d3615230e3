"""A small client for Label Studio's REST API (standard library only): create a project
with the project's labeling config, import tasks, add annotations, export.

Authenticates with an access token: a legacy token (``Authorization: Token ...``) or a
personal access token (a JWT refresh token, exchanged at ``/api/token/refresh`` for an
access token sent as ``Bearer``). The token never leaves the server's origin: a
redirect to another scheme, host or port is followed without it. Plain HTTP to a host
other than this machine logs a warning (the token would cross the network in clear).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any

logger = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def origin(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of ``url``, default ports filled in."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


class SameOriginAuthRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but send ``Authorization`` only to the original origin."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and origin(newurl) != origin(req.full_url):
            new.remove_header("Authorization")
        return new


class LabelStudioError(RuntimeError):
    """Label Studio answered with an error (the message has the status and its reply)."""


class LabelStudio:
    """One Label Studio server, e.g. ``LabelStudio("http://localhost:8080", token)``."""

    def __init__(self, url: str, token: str, timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        scheme, host, _ = origin(self.url)
        if scheme not in ("http", "https"):
            raise ValueError(f"Label Studio URL must be http:// or https://, got {url!r}")
        if scheme == "http" and host not in LOCAL_HOSTS:
            logger.warning(
                "Label Studio at %s is plain HTTP: the access token crosses the network "
                "unencrypted; use https:// for a server on another machine",
                self.url,
            )
        self._opener = urllib.request.build_opener(SameOriginAuthRedirect())
        self._auth = f"Token {token}"
        if token.count(".") == 2:  # a personal access token (JWT): exchange it
            access = self._request("POST", "/api/token/refresh", {"refresh": token})["access"]
            self._auth = f"Bearer {access}"

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if hasattr(self, "_auth"):
            request.add_header("Authorization", self._auth)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as e:
            reply = e.read().decode("utf-8", "replace")[:2000]
            raise LabelStudioError(f"{method} {path}: HTTP {e.code}: {reply}") from None
        except urllib.error.URLError as e:
            raise LabelStudioError(f"{method} {self.url}{path}: {e.reason}") from None
        return json.loads(payload) if payload else None

    def create_project(self, title: str, label_config: str) -> int:
        """Create a project; returns its id."""
        project = self._request(
            "POST", "/api/projects", {"title": title, "label_config": label_config}
        )
        return int(project["id"])

    def import_tasks(self, project: int, tasks: Sequence[dict[str, Any]]) -> int:
        """Import tasks (with their predictions); returns how many were created."""
        reply = self._request("POST", f"/api/projects/{project}/import", list(tasks))
        return int(reply.get("task_count", 0))

    def task_ids(self, project: int) -> list[int]:
        """The ids of a project's tasks, in import order."""
        ids: list[int] = []
        page = 1
        while True:
            reply = self._request(
                "GET", f"/api/tasks?project={project}&page={page}&page_size=100&fields=all"
            )
            tasks = reply["tasks"] if isinstance(reply, dict) else reply
            ids.extend(int(t["id"]) for t in tasks)
            total = reply.get("total", len(ids)) if isinstance(reply, dict) else len(ids)
            if not tasks or len(ids) >= total:
                return sorted(ids)
            page += 1

    def task(self, task: int) -> dict[str, Any]:
        """One task with its data, predictions (full results) and annotations."""
        return dict(self._request("GET", f"/api/tasks/{task}"))

    def annotate(self, task: int, result: list[dict[str, Any]]) -> int:
        """Add an annotation (as the token's user) to a task; returns its id."""
        reply = self._request("POST", f"/api/tasks/{task}/annotations/", {"result": result})
        return int(reply["id"])

    def users(self) -> dict[int, str]:
        """User id -> e-mail (for the provenance of imported annotations)."""
        return {
            int(u["id"]): str(u.get("email") or u["id"]) for u in self._request("GET", "/api/users")
        }

    def export(self, project: int) -> list[dict[str, Any]]:
        """The project's JSON export: every task with its annotations."""
        reply = self._request("GET", f"/api/projects/{project}/export?exportType=JSON")
        return list(reply)
