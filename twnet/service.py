"""twnet servers as Twisted application services (:mod:`twisted.application.service`).

:class:`NetServerService` runs a ``twnet.Server`` (or a ``twnet.tls.Server``) under a
``twistd`` application or any :class:`~twisted.application.service.MultiService`: it listens in
``startService`` and stops gracefully in ``stopService``::

    from twisted.application import service
    import twnet
    from twnet.service import NetServerService

    application = service.Application("echo")
    server = twnet.createServer(lambda sock: sock.pipe(sock))
    NetServerService(server, 8124, "127.0.0.1", gracePeriod=5000).setServiceParent(application)

Stopping (SIGTERM under ``twistd``) first stops accepting (``server.close()``), then gives the
open connections ``gracePeriod`` milliseconds to finish on their own, then destroys those left;
the Deferred ``stopService`` returns fires once the server and every connection are closed, so
``twistd`` exits as soon as the work is done and never later than the grace period. A second
SIGTERM or SIGINT while it waits ends the grace period at once (instead of Twisted's
``ReactorNotRunning`` traceback).

Node has no counterpart: a Node program does this by hand with ``server.close()`` and a timer.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

from twisted.application.service import Service
from twisted.internet.defer import Deferred
from twisted.logger import Logger

from twnet import _runtime, net
from twnet._errors import invalid_arg_type, make_error
from twnet._socket import Socket
from twnet._validators import is_number

__all__ = ["NetServerService"]

_log = Logger()


class NetServerService(Service):
    """A :class:`~twisted.application.service.Service` that runs *server* (a ``twnet.Server``
    or ``twnet.tls.Server``):
    ``server.listen(*listenArgs, **listenOptions)`` when started; a graceful close when
    stopped (see the module docstring). ``gracePeriod`` is in milliseconds (default 10000;
    0 destroys open connections at once; None waits for them however long they take).

    ``listening`` tells whether the server listens; ``connections`` is the set of sockets
    it accepted that are still open.
    """

    def __init__(
        self,
        server: net.Server,
        *listenArgs: Any,
        gracePeriod: float | None = 10000,
        reactor: Any = None,
        **listenOptions: Any,
    ) -> None:
        if not isinstance(server, net.Server):
            raise invalid_arg_type("server", "Server", server)
        if gracePeriod is not None and not is_number(gracePeriod):
            raise invalid_arg_type("gracePeriod", ["number", "None"], gracePeriod)
        if gracePeriod is not None and not gracePeriod >= 0:
            raise make_error("ERR_OUT_OF_RANGE", "gracePeriod", ">= 0 or None", gracePeriod)
        self.server = server
        self.gracePeriod = gracePeriod
        self.connections: set[Socket] = set()
        self._listen_args = listenArgs
        self._listen_options = listenOptions
        self._reactor = _runtime.get_reactor(reactor)
        self._stopping: Deferred[None] | None = None
        self._grace_call: Any = None
        self._signals: dict[int, Any] = {}
        server.on("connection", self._track)

    # -- IService ----------------------------------------------------------------------

    def startService(self) -> None:
        """Listen: ``server.listen(*listenArgs, **listenOptions)``; its ``'listening'`` is
        logged with the address."""
        super().startService()  # type: ignore[no-untyped-call]
        self._stopping = None
        self.server.once("listening", self._log_listening)
        self.server.listen(*self._listen_args, **self._listen_options)

    def stopService(self) -> Deferred[None]:
        """Stop accepting at once, let open connections finish within ``gracePeriod``, then
        destroy them; the Deferred fires when the server and all its connections are
        closed."""
        super().stopService()  # type: ignore[no-untyped-call]
        if self._stopping is not None:
            return self._stopping
        done: Deferred[None] = Deferred()
        self._stopping = done
        if not self.server.listening and not self.connections:
            done.callback(None)
            return done
        pending = {"server": self.server.listening}

        def check() -> None:
            if not pending["server"] and not self.connections and not done.called:
                self._end_grace()
                self._restore_signals()
                done.callback(None)

        def server_closed(*_: Any) -> None:
            pending["server"] = False
            check()

        self._check = check
        if pending["server"]:
            self.server.close(server_closed)
        _log.info(
            "twnet: stopped accepting; {count} connection(s) open, grace period {grace} ms",
            count=len(self.connections),
            grace=self.gracePeriod,
        )
        if self.gracePeriod is not None:
            if self.gracePeriod == 0:
                self._destroy_all()
            else:
                self._grace_call = self._reactor.callLater(
                    self.gracePeriod / 1000, self._destroy_all
                )
        self._hurry_on_signals()
        check()
        return done

    # -- connections ---------------------------------------------------------------------

    def _track(self, socket: Socket) -> None:
        self.connections.add(socket)

        def closed(*_: Any) -> None:
            self.connections.discard(socket)
            if self._stopping is not None:
                self._check()

        socket.once("close", closed)

    def _log_listening(self) -> None:
        _log.info("twnet: listening on {address}", address=_format(self.server.address()))

    def _destroy_all(self) -> None:
        self._grace_call = None
        if self.connections:
            _log.info("twnet: destroying {count} connection(s)", count=len(self.connections))
        for socket in list(self.connections):
            socket.destroy()

    def _end_grace(self) -> None:
        call, self._grace_call = self._grace_call, None
        if call is not None and call.active():
            call.cancel()

    # -- a second SIGTERM/SIGINT: hurry, don't crash --------------------------------------

    def _hurry_on_signals(self) -> None:
        """While the grace period runs, a second SIGTERM/SIGINT (the reactor is already
        stopping: Twisted's own handler would raise ReactorNotRunning) ends it now."""
        reactor = self._reactor
        for number in (signal.SIGTERM, signal.SIGINT):
            try:
                current = signal.getsignal(number)
            except (ValueError, OSError):
                continue
            # Only where the reactor installed its handler (twistd, react, reactor.run).
            if getattr(current, "__self__", None) is not reactor:
                continue
            try:
                signal.signal(number, self._on_signal)
            except ValueError:  # not the main thread
                continue
            self._signals[number] = current

    def _on_signal(self, number: int, frame: Any) -> None:
        self._reactor.callFromThread(self._hurry, number)

    def _hurry(self, number: int) -> None:
        _log.info("twnet: signal {number} again: closing connections now", number=number)
        self._end_grace()
        self._destroy_all()

    def _restore_signals(self) -> None:
        signals, self._signals = self._signals, {}
        for number, handler in signals.items():
            try:
                signal.signal(number, handler)
            except ValueError:
                pass

    _check: Callable[[], None] = staticmethod(lambda: None)


def _format(address: Any) -> str:
    if isinstance(address, dict):
        host = address.get("address")
        host = f"[{host}]" if address.get("family") == "IPv6" else host
        return f"{host}:{address.get('port')}"
    return str(address)
