"""A local HTTP receiver of webhooks, in a thread, that checks each call's signature with the
endpoint's secret as a receiving system would (the Standard Webhooks reference library)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import EmptyWebhookSecretError, Webhook, WebhookVerificationError


@dataclass
class Call:
    headers: dict
    body: bytes
    verified: bool

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers `status` to every POST and keeps each call. `secret` is set once the endpoint
    is registered."""

    secret: str = ""
    status: int = 204
    calls: list[Call] = field(default_factory=list)
    url: str = ""

    def verified_ids(self) -> list[str]:
        return [call.headers["webhook-id"] for call in self.calls if call.verified]


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the standard library's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {key.lower(): value for key, value in self.headers.items()}
            try:
                Webhook(receiver.secret).verify(body, headers)
                verified = True
            except (WebhookVerificationError, EmptyWebhookSecretError, ValueError):
                verified = False
            receiver.calls.append(Call(headers, body, verified))
            self.send_response(receiver.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/nrm"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
