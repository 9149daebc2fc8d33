"""What stands between the page and the office's network: headers on every response, the
upload cap, the login, and the CSRF token every POST must carry."""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# no inline script or style anywhere; frames only of our own PDFs; forms only to us
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-src 'self'; object-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'self'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
LOCAL = ("127.0.0.1", "localhost", "::1")


class Headers:
    """Adds the security headers to every response, errors included."""

    def __init__(self, app: App):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


class UploadCap:
    """Refuses a request body over `limit` bytes before reading it (413), and counts what
    arrives in case a client's Content-Length lies or is missing."""

    def __init__(self, app: App, limit: int, refuse: Callable[[Scope, int], App]):
        self.app, self.limit, self.refuse = app, limit, refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self.refuse(scope, self.limit)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413)
            return message

        await self.app(scope, counted, send)


def csrf_token(request: Request) -> str:
    """The session's token, made on its first page: every form carries it back."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


async def checked_form(request: Request) -> FormData:
    """The POSTed form, or 403 when its CSRF token is missing or is not the session's."""
    form = await request.form(max_files=1, max_fields=50)
    sent = form.get("csrf") or request.headers.get("x-csrf-token") or ""
    want = request.session.get("csrf") or ""
    if not (isinstance(sent, str) and want and hmac.compare_digest(sent, want)):
        await form.close()  # an uploaded file's spooled copy goes at once
        raise HTTPException(403)
    return form


def refuses(host: str, users: str | None) -> bool:
    """Any address other than this machine's own requires a users file: `serve` refuses
    to start without one."""
    return host not in LOCAL and not users


def port_free(host: str, port: int) -> bool:
    """Whether serve can listen there: a clerk who starts it twice is told so in words,
    not by uvicorn's traceback-like log line."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as s:
            if os.name != "nt":  # as uvicorn does; on Windows it would allow a second listener
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(infos[0][4])
    except OSError:
        return False
    return True
