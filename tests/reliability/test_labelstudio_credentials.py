"""The Label Studio token stays with the server it was given for."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from racereport.annotate.labelstudio_api import LabelStudio, origin


class Recorder(BaseHTTPRequestHandler):
    """Answers every GET with JSON; ``/redirect-away`` and ``/redirect-here`` redirect to
    another server or to ``/users`` on this one. Records each request's Authorization."""

    seen: ClassVar[list[tuple[int, str, str | None]]] = []
    other_port = 0

    def do_GET(self):
        port = self.server.server_address[1]
        self.seen.append((port, self.path, self.headers.get("Authorization")))
        if self.path.startswith("/api/redirect-away"):
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.other_port}/api/users")
            self.end_headers()
            return
        if self.path.startswith("/api/redirect-here"):
            self.send_response(302)
            self.send_header("Location", "/api/users")
            self.end_headers()
            return
        body = json.dumps([{"id": 1, "email": "anna@example.org"}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def servers():
    started = [HTTPServer(("127.0.0.1", 0), Recorder) for _ in range(2)]
    Recorder.seen = []
    Recorder.other_port = started[1].server_address[1]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in started]
    for t in threads:
        t.start()
    yield [s.server_address[1] for s in started]
    for s in started:
        s.shutdown()


def test_no_token_is_sent_to_another_origin(servers):
    home, other = servers
    client = LabelStudio(f"http://127.0.0.1:{home}", "secret-token")
    assert client._request("GET", "/api/redirect-away") == [{"id": 1, "email": "anna@example.org"}]
    assert Recorder.seen == [
        (home, "/api/redirect-away", "Token secret-token"),
        (other, "/api/users", None),
    ]


def test_a_same_origin_redirect_keeps_the_token(servers):
    home, _ = servers
    client = LabelStudio(f"http://127.0.0.1:{home}", "secret-token")
    client._request("GET", "/api/redirect-here")
    assert [auth for _, _, auth in Recorder.seen] == ["Token secret-token"] * 2


def test_plain_http_to_another_machine_warns(caplog):
    with caplog.at_level(logging.WARNING):
        LabelStudio("http://annotation.example.org:8080", "t")
    assert "plain HTTP" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        LabelStudio("http://localhost:8080", "t")
        LabelStudio("https://annotation.example.org", "t")
    assert caplog.text == ""
    with pytest.raises(ValueError, match="http:// or https://"):
        LabelStudio("file:///etc/passwd", "t")


def test_origins_compare_scheme_host_and_port():
    assert origin("http://LS.example.org/api") == origin("http://ls.example.org:80/x")
    assert origin("https://ls.example.org") != origin("http://ls.example.org")
    assert origin("http://ls.example.org:8080") != origin("http://ls.example.org")
