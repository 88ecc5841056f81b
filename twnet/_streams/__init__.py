"""Node's ``stream.Readable``, ``stream.Writable`` and ``stream.Duplex``: the state machines.

These are the state machines of Node 24's ``lib/internal/streams/{readable,writable,duplex,
destroy}.js``, rebuilt in Python without Twisted, one module each here (``state``,
``destroy``, ``writable``, ``readable`` with ``pipe``, ``duplex``, and ``hooks`` for the
constructor-option forms): the same modes, buffering, back-pressure,
events and event order, with every deferred step going through :func:`twnet._ticks.next_tick`
(Node's ``process.nextTick``). ``net.Socket`` is a :class:`Duplex` subclass; the public,
subclassable face with the constructor-option forms, Transform, pipeline... is
:mod:`twnet.stream`.

Subclass hooks (Node's, with Python types)
-------------------------------------------

Readable side — the source:

``_read(size: int) -> None``
    The consumer wants data (up to about *size* bytes). Produce it by calling
    ``self.push(chunk)`` now or later; a socket resumes reading its transport. ``_read`` is not
    called again until ``push()`` has been called.
``push(chunk: bytes) -> bool`` (provided)
    Hands data to the consumer. ``False`` means the buffer reached ``readableHighWaterMark``:
    stop producing (a socket pauses its transport) until ``_read`` is called again.
    ``push(None)`` signals EOF: ``'end'`` follows once everything buffered has been consumed.

Writable side — the sink:

``_write(chunk, encoding: str, callback) -> None``
    Write one chunk: ``bytes`` with *encoding* ``'buffer'`` (strings are encoded before they
    get here), unless in object mode or with ``decodeStrings: False``. Call
    ``callback()`` / ``callback(None)`` once it is written, or ``callback(err)``; calling it
    synchronously, inside ``_write``, is fine and is the fast path (as in Node, the user's
    ``write()`` callback and ``'drain'`` still come on the next tick, in order). No other
    ``_write`` call happens before the callback. Required unless ``_writev`` is given. An
    exception from ``_write`` propagates out of ``write()``, as in Node; ``callback(err)``
    fails that write and the queued ones, then destroys the stream with *err*.
``_writev(chunks: list[dict], callback) -> None`` (optional; each ``{'chunk', 'encoding'}``)
    Write several chunks at once: used when more than one chunk is queued (while a write was
    in flight or the stream was corked).
``_final(callback) -> None`` (optional)
    Called once, after ``end()``, when every write has completed; ``'finish'`` is emitted after
    ``callback()`` (a socket half-closes here).
``_destroy(err: BaseException | None, callback) -> None``
    Release resources; call ``callback(err)`` (or ``callback(other_err)``) when done.
    ``'error'`` (when there is an error) then ``'close'`` follow on the next tick.
    (An exception raised by ``_read``, ``_final`` or ``_destroy`` destroys the stream with it.)
``_emit_close() -> None``
    Emits ``'close'``; by default with no argument. ``net.Socket`` overrides it to pass
    ``hadError`` (or, as Node's socket does, passes ``emitClose: False`` and emits
    ``'close'`` itself once its handle is closed).

Options (a dict, camelCase or snake_case keys, or keyword arguments): ``highWaterMark``,
``readableHighWaterMark`` / ``writableHighWaterMark`` (Duplex), ``encoding``,
``defaultEncoding``, ``emitClose``, ``autoDestroy`` (default True), ``objectMode``,
``decodeStrings`` and, for Duplex, ``allowHalfOpen`` (default True), ``readable``,
``writable``, ``readableObjectMode`` and ``writableObjectMode``. Outside object mode chunks
are ``bytes`` (or ``str`` after ``setEncoding()``); in object mode any object but None, and
lengths count chunks (default ``highWaterMark`` 16).

Where twnet knowingly differs from Node: lengths of decoded strings count Python characters
(code points), not UTF-16 code units; ``bytearray`` and ``memoryview`` chunks are copied into
``bytes``; ``readableEncoding`` is always the canonical name (``'utf8'`` for ``'UTF-8'``);
``_construct``, ``signal`` and the option forms are :mod:`twnet.stream`'s.
"""

from twnet._streams.destroy import Stream
from twnet._streams.duplex import Duplex
from twnet._streams.readable import Readable
from twnet._streams.state import (
    DEFAULT_HIGH_WATER_MARK,
    DEFAULT_OBJECT_HIGH_WATER_MARK,
    Callback,
    Completion,
)
from twnet._streams.writable import Writable

__all__ = [
    "DEFAULT_HIGH_WATER_MARK",
    "DEFAULT_OBJECT_HIGH_WATER_MARK",
    "Callback",
    "Completion",
    "Duplex",
    "Readable",
    "Stream",
    "Writable",
]
