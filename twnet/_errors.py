"""Every error twnet raises or emits, built in one place.

Node gives each error a ``code``; twnet does the same and derives every error from
:class:`NodeError`, so ``except twnet.NodeError`` catches all of them.

* **System errors** (operating system, resolver) are instances of the matching :class:`OSError`
  subclass — :class:`ConnectionRefusedError` for ECONNREFUSED, :class:`BrokenPipeError` for
  EPIPE and so on — with ``code``, ``errno`` (Python's number), ``syscall``, ``address``,
  ``port`` (or ``hostname``) and Node's message. Build them with :func:`system_error` or
  translate an exception with :func:`translate_exception` (a Twisted failure:
  :func:`twnet._failures.translate`).
* **Argument errors** are :class:`TypeError` subclasses (Node's TypeError) or
  :class:`ValueError` subclasses (Node's RangeError); **state errors** are plain
  :class:`NodeError`. Build them with :func:`make_error` from the registry ``_MESSAGES``.
"""

from __future__ import annotations

import errno as _errno
import os
import socket
from collections.abc import Callable, Sequence
from typing import Any

from twnet._jsvalues import js_string

__all__ = [
    "AbortError",
    "DOMException",
    "NodeAggregateError",
    "NodeError",
    "NodeRangeError",
    "NodeSyntaxError",
    "NodeSystemError",
    "NodeTypeError",
    "abort_error",
    "aborted_reason",
    "aggregate_error",
    "describe_received",
    "engine_type_error",
    "invalid_arg_type",
    "json_syntax_error",
    "make_error",
    "missing_args",
    "system_error",
    "timeout_reason",
    "tls_error",
    "translate_exception",
    "webidl_type_error",
]


class NodeError(Exception):
    """Base of every twnet error; ``code`` is Node's error code (``'ERR_...'``, ``'E...'``)."""

    code: str = ""

    def __init__(self, message: str = "", code: str = "") -> None:
        super().__init__(message)
        if code:
            self.code = code

    @property
    def message(self) -> str:
        """Node's ``err.message``."""
        return str(self.args[0]) if self.args else ""


class NodeTypeError(NodeError, TypeError):
    """Node's ``TypeError`` (``ERR_INVALID_ARG_TYPE`` and friends)."""


class NodeRangeError(NodeError, ValueError):
    """Node's ``RangeError`` (``ERR_SOCKET_BAD_PORT``, ``ERR_OUT_OF_RANGE``...)."""


class NodeSystemError(NodeError, OSError):
    """A system error: ``code``, ``errno``, ``syscall`` and, where known, ``address``, ``port``.

    Concrete errors are instances of the subclass matching the errno
    (``ConnectionRefusedError`` for ECONNREFUSED, ...): see :func:`system_error`.
    """

    syscall: str | None = None
    address: str | None = None
    port: int | None = None
    hostname: str | None = None
    errors: list[BaseException] | None = None

    def __str__(self) -> str:  # Node's message, without OSError's "[Errno N] " prefix
        return self.message


class NodeSyntaxError(NodeError, ValueError):
    """Node's ``SyntaxError`` from ``JSON.parse`` (``BlockList.fromJSON`` given text that is
    not JSON): it has no ``code``. Build it with :func:`json_syntax_error`."""


def json_syntax_error(error: ValueError) -> NodeSyntaxError:
    """The :class:`NodeSyntaxError` for a :class:`json.JSONDecodeError` (its cause)."""
    built = NodeSyntaxError(str(error))
    built.__cause__ = error
    return built


class NodeAggregateError(NodeError):
    """Node's ``AggregateError``, e.g. when every ``autoSelectFamily`` connection attempt
    failed: ``errors`` holds each failure and ``code`` is the first one's."""

    def __init__(self, errors: list[BaseException]) -> None:
        super().__init__("", getattr(errors[0], "code", "") if errors else "")
        self.errors = errors


class AbortError(NodeError):
    """Node's ``AbortError``: an operation given an ``AbortSignal`` was aborted.

    ``code`` is ``'ABORT_ERR'``, ``name`` ``'AbortError'``, the message by default
    ``'The operation was aborted'``; ``cause`` is the signal's ``reason`` (also set as
    Python's ``__cause__`` when it is an exception, so tracebacks show it).
    """

    code = "ABORT_ERR"
    name = "AbortError"

    def __init__(self, message: str | None = None, *, cause: Any = None) -> None:
        super().__init__("The operation was aborted" if message is None else message)
        self.cause = cause
        if isinstance(cause, BaseException):
            self.__cause__ = cause


# The legacy numeric codes of the WHATWG DOMException names (``DOMException.code``).
_DOM_CODES = {
    "IndexSizeError": 1,
    "HierarchyRequestError": 3,
    "WrongDocumentError": 4,
    "InvalidCharacterError": 5,
    "NoModificationAllowedError": 7,
    "NotFoundError": 8,
    "NotSupportedError": 9,
    "InvalidStateError": 11,
    "SyntaxError": 12,
    "InvalidModificationError": 13,
    "NamespaceError": 14,
    "InvalidAccessError": 15,
    "TypeMismatchError": 17,
    "SecurityError": 18,
    "NetworkError": 19,
    "AbortError": 20,
    "URLMismatchError": 21,
    "QuotaExceededError": 22,
    "TimeoutError": 23,
    "InvalidNodeTypeError": 24,
    "DataCloneError": 25,
}


class DOMException(NodeError):
    """The web platform's ``DOMException``, as Node builds it for an ``AbortSignal``'s
    default reasons: ``DOMException('This operation was aborted', 'AbortError')`` and
    ``DOMException('The operation was aborted due to timeout', 'TimeoutError')``.

    ``name`` is the DOMException name and ``code`` its legacy number (20 for
    ``'AbortError'``, 23 for ``'TimeoutError'``, 0 for other names), as in Node — the only
    twnet error whose ``code`` is not a string.
    """

    def __init__(self, message: Any = "", options: Any = "Error") -> None:
        # As Node: both arguments read as strings; *options* is the name, or a dict with
        # ``name`` (and ``cause``).
        cause = None
        if isinstance(options, dict):
            name = js_string(options.get("name", "Error"))
            cause = options.get("cause")
            has_cause = "cause" in options
        else:
            name, has_cause = js_string(options), False
        super().__init__(js_string(message))
        self.name = name
        self.code = _DOM_CODES.get(name, 0)  # type: ignore[assignment]
        if has_cause:
            self.cause = cause
            if isinstance(cause, BaseException):
                self.__cause__ = cause


# -- argument and state errors -------------------------------------------------------------

_Kind = type[NodeError]


def _js_type(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    return type(value).__name__


def describe_received(value: object) -> str:
    """Node's ``Received ...`` suffix, with Python's types: ``Received type str ('abc')``."""
    if value is None:
        return "Received None"
    if callable(value) and not isinstance(value, type):
        name = getattr(value, "__name__", "")
        return f"Received function {name}" if name else "Received function"
    if isinstance(value, (str, int, float, bool, bytes)):
        shown = repr(value)
        if isinstance(value, str) and len(value) > 28:
            shown = repr(value[:25] + "...")
        return f"Received type {_js_type(value)} ({shown})"
    return f"Received an instance of {type(value).__name__}"


def _inspect(value: object) -> str:
    return repr(value)


def _quoted_list(items: Sequence[str], word: str = "or") -> str:
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {word} {items[1]}"
    return ", ".join(items[:-1]) + f", {word} {items[-1]}"


def _arg_type(name: str, expected: str | Sequence[str], value: object) -> str:
    kinds = [expected] if isinstance(expected, str) else list(expected)
    # Node writes these two JavaScript types in lower case ("must be of type object").
    kinds = [k.lower() if k in ("Object", "Function") else k for k in kinds]
    # Node's three groups: JavaScript types, class names, and anything else ('net.BlockList',
    # 'string[]'), which Node writes as it is.
    other = [k for k in kinds if not k.isalnum()]
    instances = [k for k in kinds if k[:1].isupper() and k not in other]
    types = [k for k in kinds if not k[:1].isupper() and k not in other]
    if instances and "object" in types:
        types.remove("object")
        instances.append("Object")
    what = "property" if "." in name else "argument"
    parts = []
    if types:
        parts.append(f"{'one of type' if len(types) > 1 else 'of type'} {_quoted_list(types)}")
    if instances:
        parts.append(f"an instance of {_quoted_list(instances)}")
    if len(other) > 1:
        parts.append(f"one of {_quoted_list(other)}")
    elif other:
        parts.append(("an " if other[0].lower() != other[0] else "") + other[0])
    return f'The "{name}" {what} must be {" or ".join(parts)}. {describe_received(value)}'


def _bad_port(name: str, value: object, allow_zero: bool = True) -> str:
    op = ">=" if allow_zero else ">"
    return f"{name} should be {op} 0 and < 65536. {describe_received(value)}."


def _arg_value(name: str, value: object, reason: str = "is invalid") -> str:
    what = "property" if "." in name else "argument"
    shown = _inspect(value)
    shown = shown[:128] + "..." if len(shown) > 128 else shown
    return f"The {what} '{name}' {reason}. Received {shown}"


def _out_of_range(name: str, rng: str, value: object) -> str:
    big = isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**32
    shown = f"{value:_}" if big else repr(value)
    return f'The value of "{name}" is out of range. It must be {rng}. Received {shown}'


_MESSAGES: dict[str, tuple[_Kind, str | Callable[..., str]]] = {
    # arguments
    "ERR_INVALID_ARG_TYPE": (NodeTypeError, _arg_type),
    "ERR_INVALID_ARG_VALUE": (NodeTypeError, _arg_value),
    "ERR_MISSING_ARGS": (
        NodeTypeError,
        lambda *names: (
            f"The {' or '.join(repr(n).replace(chr(39), chr(34)) for n in names)} "
            "argument must be specified"
        ),
    ),
    "ERR_OUT_OF_RANGE": (NodeRangeError, _out_of_range),
    "ERR_SOCKET_BAD_PORT": (NodeRangeError, _bad_port),
    "ERR_INVALID_IP_ADDRESS": (NodeTypeError, "Invalid IP address: {}"),
    "ERR_INVALID_FD_TYPE": (NodeTypeError, "Unsupported fd type: {}"),
    "ERR_UNKNOWN_ENCODING": (NodeTypeError, "Unknown encoding: {}"),
    "ERR_INVALID_HANDLE_TYPE": (NodeTypeError, "This handle type cannot be sent"),
    "ERR_INVALID_ADDRESS": (NodeError, "Invalid socket address"),
    "ERR_IP_BLOCKED": (NodeError, "IP({}) is blocked by net.BlockList"),
    # events
    "ERR_UNHANDLED_ERROR": (
        NodeError,
        lambda *value: f"Unhandled error. ({_inspect(value[0])})" if value else "Unhandled error.",
    ),
    # servers and sockets
    "ERR_SERVER_NOT_RUNNING": (NodeError, "Server is not running."),
    "ERR_SERVER_ALREADY_LISTEN": (
        NodeError,
        "Listen method has been called more than once without closing.",
    ),
    "ERR_SOCKET_CLOSED": (NodeError, "Socket is closed"),
    "ERR_SOCKET_CLOSED_BEFORE_CONNECTION": (
        NodeError,
        "Socket closed before the connection was established",
    ),
    "ERR_SOCKET_CONNECTION_TIMEOUT": (NodeError, "Socket connection timeout"),
    "ERR_SOCKET_ALREADY_BOUND": (NodeError, "Socket is already bound"),
    # streams
    "ERR_STREAM_WRITE_AFTER_END": (NodeError, "write after end"),
    "ERR_STREAM_DESTROYED": (
        NodeError,
        "Cannot call {} after a stream was destroyed",
    ),
    "ERR_STREAM_NULL_VALUES": (NodeTypeError, "May not write null values to stream"),
    "ERR_STREAM_PUSH_AFTER_EOF": (NodeError, "stream.push() after EOF"),
    "ERR_STREAM_UNSHIFT_AFTER_END_EVENT": (NodeError, "stream.unshift() after end event"),
    "ERR_STREAM_PREMATURE_CLOSE": (NodeError, "Premature close"),
    "ERR_STREAM_ALREADY_FINISHED": (
        NodeError,
        "Cannot call {} after a stream was finished",
    ),
    "ERR_STREAM_CANNOT_PIPE": (NodeError, "Cannot pipe, not readable"),
    "ERR_STREAM_UNABLE_TO_PIPE": (NodeError, "Cannot pipe to a closed or destroyed stream"),
    "ERR_INVALID_RETURN_VALUE": (
        NodeTypeError,
        lambda expected, name, value: (
            f'Expected {expected} to be returned from the "{name}" function but got '
            f"{describe_received(value).removeprefix('Received ')}."
        ),
    ),
    "ERR_MULTIPLE_CALLBACK": (NodeError, "Callback called multiple times"),
    "ERR_METHOD_NOT_IMPLEMENTED": (NodeError, "The {} method is not implemented"),
    # events, EventTarget and AbortSignal
    "ERR_ILLEGAL_CONSTRUCTOR": (NodeTypeError, "Illegal constructor"),
    "ERR_EVENT_RECURSION": (NodeError, 'The event "{}" is already being dispatched'),
    "ERR_INVALID_THIS": (NodeTypeError, 'Value of "this" must be of type {}'),
}


#: Codes Node throws from its C++ side (``THROW_ERR_*`` in ``src/node_errors.h``): they are not
#: in ``lib/internal/errors.js``'s registry.
NATIVE_CODES = frozenset({"ERR_INVALID_ADDRESS"})


def make_error(code: str, *args: Any) -> NodeError:
    """Build Node's error for *code*, its message formatted from *args* as Node formats it."""
    kind, template = _MESSAGES[code]
    message = template.format(*args) if isinstance(template, str) else template(*args)
    return kind(message, code)


def engine_type_error(message: str) -> NodeTypeError:
    """A ``TypeError`` as JavaScript's engine throws it, with no ``code`` (Node's
    ``src.pipe(5)`` throws ``dest.on is not a function``)."""
    return NodeTypeError(message)


def abort_error(cause: Any = None) -> AbortError:
    """Node's ``new AbortError(undefined, { cause })``: what an operation given an aborted
    signal fails with (``cause``: the signal's ``reason``)."""
    return AbortError(cause=cause)


def aborted_reason() -> DOMException:
    """The default reason of ``controller.abort()`` / ``AbortSignal.abort()``."""
    return DOMException("This operation was aborted", "AbortError")


def timeout_reason() -> DOMException:
    """The reason of an ``AbortSignal.timeout()`` signal that fired."""
    return DOMException("The operation was aborted due to timeout", "TimeoutError")


def missing_args(*names: str) -> NodeError:
    """``ERR_MISSING_ARGS`` for arguments that are all required (Node joins them with
    "and"): ``The "type" and "listener" arguments must be specified``."""
    quoted = [f'"{name}"' for name in names]
    plural = "arguments" if len(names) > 1 else "argument"
    message = f"The {_quoted_list(quoted, 'and')} {plural} must be specified"
    return NodeTypeError(message, "ERR_MISSING_ARGS")


def webidl_type_error(message: str) -> NodeError:
    """The ``ERR_INVALID_ARG_TYPE`` of Node's WebIDL conversions, whose messages have their
    own wording (``signals[0] is not of type AbortSignal.``)."""
    return NodeTypeError(message, "ERR_INVALID_ARG_TYPE")


def aggregate_error(errors: list[BaseException]) -> NodeAggregateError:
    """Node's ``AggregateError`` of several failures (``code`` is the first one's)."""
    return NodeAggregateError(errors)


def invalid_arg_type(name: str, expected: str | Sequence[str], value: object) -> NodeError:
    """``ERR_INVALID_ARG_TYPE``: ``The "name" argument must be of type ... Received ...``."""
    return make_error("ERR_INVALID_ARG_TYPE", name, expected, value)


# -- system errors --------------------------------------------------------------------------

# libuv's wording where it differs from the C library's strerror (Node prints libuv's).
_UV_MESSAGES = {
    "EADDRINUSE": "address already in use",
    "EADDRNOTAVAIL": "address not available",
    "EACCES": "permission denied",
    "ECONNREFUSED": "connection refused",
    "ECONNRESET": "connection reset by peer",
    "EPIPE": "broken pipe",
    "ETIMEDOUT": "connection timed out",
    "ENOENT": "no such file or directory",
    "EINVAL": "invalid argument",
    "ENOTSOCK": "socket operation on non-socket",
    "EBADF": "bad file descriptor",
    "EHOSTUNREACH": "host is unreachable",
    "ENETUNREACH": "network is unreachable",
    "ENAMETOOLONG": "name too long",
    "ENOTFOUND": "getaddrinfo ENOTFOUND",
}

# Node's own codes that have no errno.
_NON_ERRNO = {
    "ENOTFOUND": (OSError, socket.EAI_NONAME),
    "EAI_AGAIN": (OSError, socket.EAI_AGAIN),
    "EAI_FAIL": (OSError, socket.EAI_FAIL),
}

_OS_CLASS: dict[type[OSError], type[NodeSystemError]] = {}


def _system_class(base: type[OSError]) -> type[NodeSystemError]:
    cls = _OS_CLASS.get(base)
    if cls is None:
        if base is OSError:
            cls = NodeSystemError
        else:
            cls = type(
                f"Node{base.__name__}",
                (NodeSystemError, base),
                {
                    "__module__": __name__,
                    "__doc__": f"A Node system error that is a {base.__name__}.",
                },
            )
        _OS_CLASS[base] = cls
    return cls


def _python_class(errno_number: int) -> type[OSError]:
    # OSError's constructor picks the subclass matching an errno (ECONNREFUSED ->
    # ConnectionRefusedError, ...).
    return type(OSError(errno_number, ""))


def code_of(errno_number: int) -> str:
    """Node's code for an errno number (``111`` -> ``'ECONNREFUSED'``)."""
    return _errno.errorcode.get(errno_number, "UNKNOWN")


def system_error(
    code_or_errno: str | int,
    syscall: str,
    address: str | None = None,
    port: int | None = None,
    *,
    hostname: str | None = None,
    message: str | None = None,
    detailed: bool = False,
) -> NodeSystemError:
    """Node's system error, e.g. ``connect ECONNREFUSED 127.0.0.1:8124``.

    *detailed* selects Node's ``uvExceptionWithHostPort`` form used by ``listen``
    (``listen EADDRINUSE: address already in use :::8124``); otherwise the
    ``exceptionWithHostPort`` form used by ``connect`` (``connect ECONNREFUSED 127.0.0.1:80``).
    A *message* replaces Node's generated one (Node's own special texts, e.g. EPIPE's
    "This socket has been ended by the other party").
    """
    if isinstance(code_or_errno, int):
        number, code = code_or_errno, code_of(code_or_errno)
        base = _python_class(number)
    elif code_or_errno in _NON_ERRNO:
        code = code_or_errno
        base, number = _NON_ERRNO[code]
    else:
        code = code_or_errno
        number = getattr(_errno, code, 0)
        base = _python_class(number) if number else OSError
    if message is None:
        where = ""
        if hostname is not None:
            where = hostname
        elif address is not None:
            where = f"{address}:{port}" if port is not None and port > 0 else address
        if detailed:
            uv = _UV_MESSAGES.get(code) or os.strerror(number).lower()
            message = f"{syscall} {code}: {uv}"
        else:
            message = f"{syscall} {code}"
        if where:
            message = f"{message} {where}"
    err = _system_class(base)(message)
    err.code = code
    err.errno = number
    err.strerror = message
    err.syscall = syscall
    if address is not None:
        err.address = address
    if port:
        err.port = port
    if hostname is not None:
        err.hostname = hostname
    return err


class TLSError(NodeError):
    """A ``tls`` error as Node's ``Error`` with a ``code``: a certificate-verification failure
    (``DEPTH_ZERO_SELF_SIGNED_CERT``...), a name mismatch (``ERR_TLS_CERT_ALTNAME_INVALID``,
    with ``reason``, ``host`` and ``cert``) or an OpenSSL failure (``ERR_SSL_...``,
    ``ERR_OSSL_...``, with ``library`` and ``reason``)."""

    reason: str | None = None
    host: str | None = None
    cert: dict[str, Any] | None = None
    library: str | None = None


def tls_error(code: str, message: str, **attributes: Any) -> TLSError:
    """Node's error for the ``tls`` module: *code*, *message* and Node's extra properties
    (``reason``, ``host``, ``cert``, ``library``)."""
    error = TLSError(message, code)
    for name, value in attributes.items():
        setattr(error, name, value)
    return error


def translate_exception(
    value: BaseException,
    syscall: str,
    address: str | None = None,
    port: int | None = None,
    *,
    default: str = "ECONNRESET",
    detailed: bool = False,
) -> BaseException:
    """Turn a Python exception into Node's system error for *syscall*: an :class:`OSError`
    gets its errno's code, a ``socket.gaierror`` is ENOTFOUND (EAI_AGAIN for a temporary
    failure) with ``syscall='getaddrinfo'`` and ``hostname=address``, a :class:`TimeoutError`
    with no errno ETIMEDOUT, anything else *default*. twnet's own errors pass through
    unchanged. (Twisted's failures go through :func:`twnet._failures.translate`, which
    ends here.)"""
    if isinstance(value, NodeError):
        return value
    number = value.errno if isinstance(value, OSError) and value.errno else None
    if isinstance(value, socket.gaierror):
        code = "EAI_AGAIN" if number == socket.EAI_AGAIN else "ENOTFOUND"
        return system_error(code, "getaddrinfo", hostname=address)
    if number is None:
        if isinstance(value, TimeoutError):
            return system_error("ETIMEDOUT", syscall, address, port, detailed=detailed)
        return system_error(default, syscall, address, port, detailed=detailed)
    return system_error(number, syscall, address, port, detailed=detailed)
