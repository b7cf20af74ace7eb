"""A small OpenID Connect provider in a thread, for the single sign-on tests: the
authorization code flow (authorize, token, userinfo) with RS256 ID tokens and its JWKS, as an
organisation's Keycloak would answer. `claims` says who the next sign-in is."""

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY_ID = "test-key"


@dataclass
class Provider:
    client_id: str
    client_secret: str
    claims: dict = field(default_factory=dict)
    base: str = ""
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    codes: dict = field(default_factory=dict)  # code -> nonce
    tokens: set = field(default_factory=set)

    def endpoint(self, name: str) -> str:
        return f"{self.base}/{name}"

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        payload = {"iss": self.base, "aud": self.client_id, "iat": now, "exp": now + 300}
        payload.update(sub=self.claims.get("sub", ""), nonce=nonce)
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": KEY_ID})


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (the standard library's name)
            url = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/authorize":  # the user signs in at once, as the claims say
                code = secrets.token_urlsafe(16)
                provider.codes[code] = query.get("nonce", "")
                target = (
                    query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
                )
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
            elif url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token not in provider.tokens:
                    return self._json(401, {"error": "invalid_token"})
                self._json(200, provider.claims)
            elif url.path == "/jwks":
                key = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                self._json(200, {"keys": [{**key, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]})
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            form = {key: values[0] for key, values in parse_qs(body).items()}
            if urlsplit(self.path).path != "/token":
                return self._json(404, {"error": "not_found"})
            if (form.get("client_id"), form.get("client_secret")) != (
                provider.client_id,
                provider.client_secret,
            ) or form.get("code") not in provider.codes:
                return self._json(400, {"error": "invalid_grant"})
            nonce = provider.codes.pop(form["code"])
            access_token = secrets.token_urlsafe(16)
            provider.tokens.add(access_token)
            self._json(
                200,
                {
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(nonce),
                },
            )

        def log_message(self, *args):
            pass

    return Handler


def start_provider(client_id: str, client_secret: str) -> tuple[Provider, ThreadingHTTPServer]:
    provider = Provider(client_id, client_secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider, server
