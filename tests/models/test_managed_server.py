"""Servers benchrun starts: health-checked, logged, stopped; clear errors when they fail."""
from __future__ import annotations

import sys

import pytest

from benchrun.models import ModelError
from benchrun.models.server import ManagedServer, answers

HTTP = "import http.server, sys; http.server.test(http.server.SimpleHTTPRequestHandler, port=int(sys.argv[1]), bind='127.0.0.1')"


def test_starts_waits_for_health_logs_and_stops(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCHRUN_LOG_DIR", str(tmp_path / "logs"))
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "models").write_text("{}")
    server = ManagedServer("web", lambda port: [sys.executable, "-c", HTTP, str(port)], startup_timeout_s=30)
    monkeypatch.chdir(tmp_path)  # the http.server serves v1/models from here
    server.start()
    try:
        assert server.running and answers(server.base_url + "/models")
    finally:
        server.stop()
    assert not server.running and not answers(server.base_url + "/models")
    assert "GET /v1/models" in server.log_path.read_text()  # its output went to the log
    assert server.log_path.parent == tmp_path / "logs"


def test_a_server_that_exits_reports_its_last_log_lines(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCHRUN_LOG_DIR", str(tmp_path))
    crash = "import sys; print('cannot load model.gguf', flush=True); sys.exit(3)"
    server = ManagedServer("crash", lambda port: [sys.executable, "-c", crash], startup_timeout_s=30)
    with pytest.raises(ModelError) as error:
        server.start()
    assert error.value.reason == "unavailable"
    assert "exited with code 3" in str(error.value) and "cannot load model.gguf" in str(error.value)
    assert str(server.log_path) in str(error.value)


def test_a_server_that_never_answers_times_out_and_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCHRUN_LOG_DIR", str(tmp_path))
    server = ManagedServer("mute", lambda port: [sys.executable, "-c", "import time; time.sleep(60)"], startup_timeout_s=1.0)
    with pytest.raises(ModelError, match="timed out after 1s"):
        server.start()
    assert not server.running
