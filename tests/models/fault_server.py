"""A real OpenAI-compatible HTTP server on loopback that misbehaves on cue.

Each incoming chat request takes the next behaviour from a script (then `default`):
  "ok"         a valid chat completion (honouring `n` when `honour_n` is set; with
               `refuse_n`, a request with n > 1 is a 400, as some servers answer)
  "429"        rate limited (with a Retry-After header when `retry_after` is set)
  "500"        internal server error
  "401"        bad API key
  "slow"       sleeps `slow_s` before answering ok (beyond the client's timeout)
  "malformed"  200 with a body that is not JSON
  "nochoices"  200 with JSON that is not a chat completion
  "context"    400: the prompt is over the model's context (as vLLM words it)
  "404"        404: no such model
It records every request (time, body) so tests can assert retries, backoff and seeds.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultServer:
    def __init__(self, script=(), default="ok", slow_s=2.0, honour_n=False, retry_after=None, delay_s=0.0,
                 refuse_n=False):
        self.refuse_n = refuse_n
        self.script = list(script)
        self.default = default
        self.slow_s = slow_s
        self.honour_n = honour_n
        self.retry_after = retry_after
        self.delay_s = delay_s  # added to every answer, to observe concurrency
        self.requests: list[tuple[float, dict]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next(self) -> str:
        with self._lock:
            return self.script.pop(0) if self.script else self.default

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, status, body, headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers:
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): that is the point of "slow"

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fault-model", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with server._lock:
                    server.requests.append((time.monotonic(), body))
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._answer(body, server._next())
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self, body, behaviour):
                if server.delay_s:
                    time.sleep(server.delay_s)
                if behaviour == "429":
                    headers = [("Retry-After", str(server.retry_after))] if server.retry_after else []
                    return self._send(429, {"error": {"message": "slow down", "type": "rate_limit"}}, headers)
                if behaviour == "500":
                    return self._send(500, {"error": {"message": "boom", "type": "server_error"}})
                if behaviour == "401":
                    return self._send(401, {"error": {"message": "bad key", "type": "auth"}})
                if behaviour == "context":
                    message = "This model's maximum context length is 2048 tokens. However, you requested 9000 tokens."
                    return self._send(400, {"error": {"message": message, "type": "BadRequestError"}})
                if behaviour == "404":
                    return self._send(404, {"error": {"message": "The model does not exist", "type": "NotFound"}})
                if behaviour == "malformed":
                    return self._send(200, b"{this is not json")
                if behaviour == "nochoices":
                    return self._send(200, {"id": "x", "object": "chat.completion", "hello": 1})
                if behaviour == "slow":
                    time.sleep(server.slow_s)
                if server.refuse_n and (body.get("n") or 1) > 1:
                    return self._send(400, {"error": {"message": "Only n = 1 is supported", "type": "invalid_request"}})
                n = (body.get("n") or 1) if server.honour_n else 1
                choices = [
                    {
                        "index": i,
                        "message": {"role": "assistant", "content": f"answer seed={body.get('seed')} choice={i}"},
                        "finish_reason": "stop",
                    }
                    for i in range(n)
                ]
                self._send(
                    200,
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", "fault-model"),
                        "choices": choices,
                        "usage": {"prompt_tokens": 11, "completion_tokens": 5 * n, "total_tokens": 11 + 5 * n},
                    },
                )

        return Handler
