"""Node's ``[events.captureRejectionSymbol]`` methods of its streams and servers, as mixins.

When an emitter captures rejections (``captureRejections``) and a coroutine listener fails,
:func:`twnet._events.handle_rejection` calls the emitter's ``_nodejs_rejection`` method (the
name :data:`twnet.events.captureRejectionSymbol` stands for) with the error, the event and
the event's arguments. Node's streams destroy themselves with the error
(``Readable.prototype[captureRejectionSymbol]``, ``Writable``'s alike); a ``net.Server``
destroys the connection whose ``'connection'`` listener failed and emits ``'error'`` for any
other event.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DestroyOnRejection", "ServerRejection"]


class DestroyOnRejection:
    """For streams: a failed coroutine listener destroys the stream with its error."""

    __slots__ = ()

    def _nodejs_rejection(self, err: BaseException, event: Any = None, *args: Any) -> None:
        self.destroy(err)  # type: ignore[attr-defined]


class ServerRejection:
    """For servers: a failed ``'connection'`` listener destroys that connection (the server
    goes on); any other event's makes the server emit ``'error'``."""

    __slots__ = ()

    def _nodejs_rejection(self, err: BaseException, event: Any = None, *args: Any) -> None:
        if event == "connection" and args and hasattr(args[0], "destroy"):
            args[0].destroy(err)
        else:
            self.emit("error", err)  # type: ignore[attr-defined]
