"""A small client for Label Studio's REST API (standard library only): create a project
with the project's labeling config, import tasks, add annotations, export.

Authenticates with an access token: a legacy token (``Authorization: Token ...``) or a
personal access token (a JWT refresh token, exchanged at ``/api/token/refresh`` for an
access token sent as ``Bearer``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any


class LabelStudioError(RuntimeError):
    """Label Studio answered with an error (the message has the status and its reply)."""


class LabelStudio:
    """One Label Studio server, e.g. ``LabelStudio("http://localhost:8080", token)``."""

    def __init__(self, url: str, token: str, timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
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
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
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
