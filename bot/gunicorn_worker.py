"""Gunicorn's threaded worker, with a deadline for reading each request, so slow clients cannot hold its threads.

Gunicorn's `gthread` worker reads a request's headers, and the app its body, with blocking
reads that wait as long as the client likes: a client trickling one byte a second holds a
thread for as long as it wants, and a dozen of them held every thread of the app. Here each
accepted connection is a `DeadlineSocket`: a request (headers and body) must arrive within
`REQUEST_READ_SECONDS` of its first read, and no single wait lasts longer than
`IDLE_READ_SECONDS`; past either, the read fails, gunicorn closes the connection, and the
thread is free. Everything else is gunicorn's own worker (`gunicorn.conf.py` selects it).

In production a buffering reverse proxy in front (deploy/nginx.conf) takes slow clients
before they reach gunicorn at all; this bounds the damage when it is missing.
"""

from __future__ import annotations

import errno
import socket
import time
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

REQUEST_READ_SECONDS = 5.0
IDLE_READ_SECONDS = 5.0
SEND_SECONDS = 30.0


class DeadlineSocket(socket.socket):
    """A client connection whose reads share one deadline per request.

    The deadline starts with the first read of a request and ends when the answer starts to
    be written or the connection changes mode (the next read is the next request's).
    `setblocking(True)` (gunicorn's worker threads) means "blocking, but bounded"."""

    _deadline: float | None = None
    _closing = False

    @classmethod
    def adopt(cls, sock: socket.socket) -> DeadlineSocket:
        return cls(sock.family, sock.type, sock.proto, fileno=sock.detach())

    def set_deadline(self, when: float) -> None:
        """An earlier deadline for the current request (the app's own limit)."""
        self._deadline = when if self._deadline is None else min(self._deadline, when)

    def setblocking(self, flag: bool) -> None:
        # Gunicorn's worker sets the mode as each request begins (blocking) and as a kept-alive
        # connection goes back to its poller (non-blocking): either way a new request's
        # deadline starts with its first read (an answer sent by sendfile() never passes
        # through `send`).
        self._deadline = None
        if flag:
            super().settimeout(IDLE_READ_SECONDS)
        else:
            super().setblocking(False)

    def shutdown(self, how: int) -> None:
        # Gunicorn's graceful close (shutdown, then read until the client is quiet) runs on the
        # worker's main thread: a client still trickling bytes would hold that thread, and
        # with it every connection of the worker. Once shut down, reads take only what has
        # already arrived.
        self._closing = True
        super().shutdown(how)

    def _bound(self) -> None:
        if self._closing:
            super().settimeout(0.0)
            return
        if self.gettimeout() == 0.0:
            return  # non-blocking (gunicorn's poller): nothing waits
        now = time.monotonic()
        if self._deadline is None:
            self._deadline = now + REQUEST_READ_SECONDS
        left = self._deadline - now
        if left <= 0:
            raise TimeoutError("request not received in time")
        super().settimeout(min(left, IDLE_READ_SECONDS))

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self._bound()
        return super().recv(bufsize, flags)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._bound()
        return super().recv_into(buffer, nbytes, flags)

    def _answering(self) -> None:
        self._deadline = None
        if self.gettimeout() != 0.0:
            super().settimeout(SEND_SECONDS)

    def send(self, data: Any, flags: int = 0) -> int:
        self._answering()
        return super().send(data, flags)

    def sendall(self, data: Any, flags: int = 0) -> None:
        self._answering()
        super().sendall(data, flags)


class DeadlineThreadWorker(ThreadWorker):
    """`gthread`, its accepted connections wrapped as `DeadlineSocket`s."""

    def accept(self, listener: socket.socket) -> None:
        try:
            client_sock, client_addr = listener.accept()
            client_sock = DeadlineSocket.adopt(client_sock)
            self.nr_conns += 1
            client_sock.setblocking(True)
            conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())
            self.enqueue_req(conn)
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
