"""One ``src.pipe(dest)``: the listeners it puts on both streams (Node's
``Readable.prototype.pipe`` in ``internal/streams/readable.js``)."""

from __future__ import annotations

from typing import Any, Protocol

from twnet._events import Listener
from twnet._streams.destroy import _error_or_destroy
from twnet._streams.state import _ReadableState
from twnet._streams.writable import Writable

__all__ = ["PipeSource"]


class PipeSource(Protocol):
    """What a pipe needs of its source (a :class:`~twnet._streams.readable.Readable`)."""

    _readableState: _ReadableState

    def pause(self) -> object: ...

    def resume(self) -> object: ...

    def unpipe(self, destination: Writable | None = None) -> object: ...

    def removeListener(self, name: Any, listener: Listener) -> object: ...


class _Pipe:
    """One ``src.pipe(dest)`` (Node's ``Readable.prototype.pipe``): its listeners are this
    object's methods, a few hundred bytes where nine closures per socket cost kilobytes.
    (Bound methods are removed by an equal bound method: see ``EventEmitter.off``; the
    ``once`` ones are registered as ``_MethodOnce``, which holds no bound method.)"""

    __slots__ = ("cleaned_up", "dest", "do_end", "drain_listening", "src", "state")

    def __init__(self, src: PipeSource, dest: Writable, do_end: bool) -> None:
        self.src = src
        self.dest = dest
        self.state = src._readableState
        self.do_end = do_end
        self.cleaned_up = False
        self.drain_listening = False

    def on_source_end(self) -> None:
        """Node's ``endFn``: ``onend`` (end the destination) or, with ``end: false``,
        ``unpipe``."""
        if self.do_end:
            self.onend()
        else:
            self.unpipe()

    def onunpipe(self, readable: object, info: dict[str, bool] | None = None) -> None:
        if readable is self.src and info is not None and info.get("hasUnpiped") is False:
            info["hasUnpiped"] = True
            self.cleanup()

    def onend(self) -> None:
        self.dest.end()

    def unpipe(self) -> None:
        self.src.unpipe(self.dest)

    def cleanup(self) -> None:
        src, dest, state = self.src, self.dest, self.state
        dest.removeListener("close", self.onclose)
        dest.removeListener("finish", self.onfinish)
        if self.drain_listening:
            dest.removeListener("drain", self.ondrain)
        dest.removeListener("error", self.onerror)
        dest.removeListener("unpipe", self.onunpipe)
        src.removeListener("end", self.on_source_end)
        src.removeListener("data", self.ondata)
        self.cleaned_up = True
        # A source waiting for this destination's 'drain' would never flow again.
        w = dest._writableState
        if (
            self.drain_listening
            and (state.multiAwaitDrain or state.awaitDrainWriters)
            and (w is None or w.needDrain)
        ):
            self.ondrain()

    def pause(self) -> None:
        src, dest, state = self.src, self.dest, self.state
        if not self.cleaned_up:
            if len(state.pipes) == 1 and state.pipes[0] is dest:
                state.awaitDrainWriters = (dest,)
                state.multiAwaitDrain = False
            elif (
                len(state.pipes) > 1
                and any(p is dest for p in state.pipes)
                and dest not in state.awaitDrainWriters
            ):
                state.awaitDrainWriters = (*state.awaitDrainWriters, dest)
            src.pause()
        if not self.drain_listening:
            self.drain_listening = True
            dest.on("drain", self.ondrain)

    def ondrain(self) -> None:
        state, dest = self.state, self.dest
        if dest in state.awaitDrainWriters:
            state.awaitDrainWriters = tuple(w for w in state.awaitDrainWriters if w is not dest)
        if not state.awaitDrainWriters and state.dataListening:
            self.src.resume()

    def ondata(self, chunk: bytes | str) -> None:
        if self.dest.write(chunk) is False:
            self.pause()

    def onerror(self, error: BaseException) -> None:
        dest = self.dest
        self.unpipe()
        dest.removeListener("error", self.onerror)
        if dest.listenerCount("error") == 0:
            s = dest._writableState or dest._readableState
            if s is not None and not s.errorEmitted:
                _error_or_destroy(dest, error)
            else:
                dest.emit("error", error)

    def onclose(self, *_: Any) -> None:
        # A socket's 'close' carries had_error: Node's onclose ignores its arguments.
        self.dest.removeListener("finish", self.onfinish)
        self.unpipe()

    def onfinish(self, *_: Any) -> None:
        self.dest.removeListener("close", self.onclose)
        self.unpipe()
