"""Differences between twnet and Node 24 that the battery knows about.

Each entry names the call, a predicate on the arguments that picks the values concerned, an
example, and the reason. ``deliberate=True``: a difference twnet keeps on purpose, documented
in docs/errors.rst ("Deliberate differences"); the battery checks that it still holds exactly
as documented. ``deliberate=False``: a bug still being fixed; its example runs as
``xfail(strict=True)``, so the entry must be removed as soon as the fix lands.

An entry is never a silent skip: every value it matches is still run on both sides and
counted among the differences in docs/reliability.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["KNOWN", "PENDING", "Known", "find_known"]


@dataclass(frozen=True)
class Known:
    call: str
    example: tuple[tuple[Any, ...], dict[str, Any]]
    matches: Callable[[tuple[Any, ...], dict[str, Any]], bool]
    reason: str
    deliberate: bool = False


KNOWN: list[Known] = []

#: Calls on which twnet still differs from Node while the validation layer (issue 12 item 1)
#: is being built: their battery test runs as ``xfail(strict=True)``, so each entry must go
#: as soon as its call matches Node. Temporary: none may remain at the end of issue 12.
_ARG_SHAPES = "lists/tuples/bytes taken as handles, wrong error for non-dict options"
_BIG = "huge ints and infinities reach int()/float() (raw OverflowError)"
_NAMES = "an unhashable event name raises a raw TypeError (Node takes any value)"
_CB = "a callback that is not a function is refused, or called later (raw TypeError)"
PENDING: dict[str, str] = {
    "EventEmitter.emit(name)": _NAMES,
    "EventEmitter.emit(name, value)": _NAMES,
    "EventEmitter.listenerCount(name)": _NAMES,
    "EventEmitter.listeners(name)": _NAMES,
    "EventEmitter.off(name, listener)": _NAMES,
    "EventEmitter.on(name, listener)": _NAMES,
    "EventEmitter.once(name, listener)": _NAMES,
    "EventEmitter.prependListener(name, listener)": _NAMES,
    "EventEmitter.prependOnceListener(name, listener)": _NAMES,
    "EventEmitter.removeListener(name, listener)": _NAMES,
    "Server.close(cb)": _CB,
    "Server.close(cb) when not listening": _CB,
    "Server.listen(**options)": "fd 10**400: raw OverflowError, server left half-listening",
    "Server.listen(cb)": _ARG_SHAPES,
    "Server.listen(handle)": "fd 2**31: raw OverflowError, half-listening; bad fd: EBADF",
    "Server.listen(options)": "fd 2**31: raw OverflowError, half-listening; " + _ARG_SHAPES,
    "Server.listen(options, cb)": "bad fd: EBADF where Node says EINVAL; " + _ARG_SHAPES,
    "Server.listen(path)": "'1_000', '0_0', 'Infinity' read as ports; " + _ARG_SHAPES,
    "Server.listen(path, backlog, cb)": "numeric-looking names read as ports; " + _ARG_SHAPES,
    "Server.listen(port)": "Python float() reads ports; " + _BIG,
    "Server.listen(port, cb)": "Python float() reads ports; " + _BIG,
    "Server.listen(port, host)": "Python float() reads ports; backlog overflow; " + _BIG,
    "Server.listen(port, host, backlog)": "backlog overflow in listen(); " + _BIG,
    "Server.listen(port, host, backlog, cb)": "backlog overflow in listen(); " + _BIG,
    "Socket.connect(options)": "lists taken as handles; socket left connecting",
    "Socket.connect(path)": "lists/bytes taken as handles; socket left connecting",
    "Socket.connect(port, host, cb)": "lists taken as handles; socket left connecting",
    "Socket.destroy(error)": "a falsy error is emitted (Node: no error)",
    "Socket.end(data, encoding, cb)": "encoding checked after the chunk; " + _CB,
    "Socket.pipe(destination)": "a destination without on() raises a raw AttributeError",
    "Socket.read(size)": "read({}) raises a raw TypeError (Node accepts any size)",
    "Socket.setKeepAlive(enable, delay)": "an infinite delay raises a raw ValueError",
    "Socket.setTimeout(msecs)": _BIG,
    "Socket.unshift(chunk, encoding)": "a non-string encoding is refused (Node ignores it)",
    "Socket.write(data, encoding, cb)": "encoding checked after the chunk; " + _CB,
    "connected Socket.connect(port, host)": _ARG_SHAPES + "; " + _BIG,
    "connected Socket.end(data, encoding, cb)": "encoding checked after the chunk; " + _CB,
    "connected Socket.read(size)": "read({}) raises a raw TypeError (Node accepts any size)",
    "connected Socket.setKeepAlive(enable, delay)": "huge delay: raw TypeError from setsockopt",
    "connected Socket.write(data, encoding, cb)": "encoding checked after the chunk; " + _CB,
    "net.connect(options)": _ARG_SHAPES + "; order of the option checks",
    "net.connect(options, cb)": _ARG_SHAPES,
    "net.connect(path, cb)": _ARG_SHAPES,
    "net.connect(port)": _ARG_SHAPES + "; " + _BIG,
    "net.connect(port, host)": _ARG_SHAPES,
    "net.connect(port, host, cb)": _ARG_SHAPES,
    "net.createConnection(options)": _ARG_SHAPES + "; order of the option checks",
    "net.createConnection(port, host, cb)": _ARG_SHAPES,
    "net.createServer(**options)": "highWaterMark=inf: raw OverflowError",
    "net.createServer(options)": "an Array as options is refused (Node: an object)",
    "net.createServer(options, listener)": "a listener that is not a function is refused",
    "net.setDefaultAutoSelectFamilyAttemptTimeout(value)": "floats refused; Node's range",
    "new net.Server(options, listener)": "a listener that is not a function is refused",
    "new net.Socket(**options)": "object-mode options and signal accepted; fd range",
    "new net.Socket(fd)": "fd range and type: EBADF / raw OverflowError",
    "new net.Socket(options)": "object-mode options accepted; Arrays refused; fd range",
}


def find_known(call: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Known | None:
    """The entry that covers this call with these arguments, if any."""
    for entry in KNOWN:
        if entry.call == call and entry.matches(args, kwargs):
            return entry
    return None
