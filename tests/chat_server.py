"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests and
benchmarks that need a model's protocol but not a model: `answer(body, k)` gives the k-th
request's answer (a text, or a list of texts, one per choice), `usage(body, k, texts)` its
token counts. Every request body is kept, in arrival order. (tests/models/fault_server.py
is the one that misbehaves on purpose.)"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[dict, int], "str | list[str]"]


def _usage(body: dict, k: int, texts: list[str]) -> dict[str, int]:
    return {"prompt_tokens": 10, "completion_tokens": 10 * len(texts)}


class ChatServer:
    def __init__(self, answer: Answer, usage: Callable[[dict, int, list[str]], dict] = _usage) -> None:
        self.answer, self.usage = answer, usage
        self.bodies: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def prompts(self) -> list[str]:
        """The last message of every request."""
        with self._lock:
            return [body["messages"][-1]["content"] for body in self.bodies]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ChatServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _reply(self, body: dict) -> bytes:
        with self._lock:
            k = len(self.bodies)
            self.bodies.append(body)
        texts = self.answer(body, k)
        texts = [texts] if isinstance(texts, str) else list(texts)
        usage = self.usage(body, k, texts)
        return json.dumps({
            "id": f"c{k}", "object": "chat.completion", "created": 0, "model": body.get("model", "m"),
            "choices": [{"index": i, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                        for i, text in enumerate(texts)],
            "usage": {**usage, "total_tokens": usage["prompt_tokens"] + usage["completion_tokens"]},
        }).encode()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                data = server._reply(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
