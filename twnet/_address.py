"""Addresses and arguments: Node's argument shifting (``normalizeArgs``), the address dict.
Validation itself is :mod:`twnet._validators`'."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

from twnet._errors import make_error
from twnet._isip import isIP
from twnet._validators import is_function, is_pipe_name, validate_string_without_null_bytes

__all__ = [
    "AddressInfo",
    "ClientEndpoint",
    "ServerEndpoint",
    "check_host",
    "check_ip",
    "normalize_args",
]


class AddressInfo(dict[str, Any]):
    """Node's address object: a dict (``{'port': 12346, 'family': 'IPv4', 'address':
    '127.0.0.1'}``) that also answers attribute access (``info.port``).

    Type checkers see Node's ``AddressInfo`` types for both forms: ``info['port']`` and
    ``info.port`` are ``int``, ``address`` and ``family`` (``'IPv4'`` or ``'IPv6'``) are
    ``str``; any other key is ``Any``, as for a dict. (A socket that is not connected returns
    an empty one, ``{}``, as Node does.)"""

    if TYPE_CHECKING:
        address: str
        family: str
        port: int

        @overload
        def __getitem__(self, key: Literal["port"], /) -> int: ...
        @overload
        def __getitem__(self, key: Literal["address", "family"], /) -> str: ...
        @overload
        def __getitem__(self, key: str, /) -> Any: ...
        def __getitem__(self, key: str, /) -> Any: ...

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class ClientEndpoint(Protocol):
    """What ``connect(endpoint)`` takes: a Twisted ``IStreamClientEndpoint``, written as a
    protocol so that type checkers that do not read zope interfaces (pyright) accept one."""

    def connect(self, protocolFactory: Any, /) -> Any: ...


class ServerEndpoint(Protocol):
    """What ``server.listen(endpoint)`` takes: a Twisted ``IStreamServerEndpoint`` (as
    :class:`ClientEndpoint`, a protocol)."""

    def listen(self, protocolFactory: Any, /) -> Any: ...


def normalize_args(args: tuple[Any, ...]) -> tuple[dict[str, Any], Callable[..., Any] | None]:
    """Node's ``normalizeArgs``: ``(options[, cb])``, ``(path[, cb])`` or
    ``([port][, host][, cb])`` -> ``(options, cb)``. Option keys come back in camelCase."""
    from twnet._naming import options as camel_options

    if not args:
        return {}, None
    arg0 = args[0]
    options: dict[str, Any]
    if isinstance(arg0, Mapping):
        options = camel_options(arg0)
    elif isinstance(arg0, (list, tuple, bytes, bytearray, memoryview)):
        options = {}  # a JavaScript array or Buffer: an object with no option set
    elif _is_handle_like(arg0):
        options = {"handle": arg0}
    elif is_pipe_name(arg0):
        options = {"path": arg0}
    else:
        options = {"port": arg0}
        if len(args) > 1 and isinstance(args[1], str):
            options["host"] = args[1]
    cb = args[-1]
    return options, (cb if is_function(cb) else None)


def _is_handle_like(value: object) -> bool:
    # A Server, a Socket or a Twisted endpoint, passed where Node takes an object.
    return not isinstance(value, (str, int, float, Mapping, type(None))) and not callable(value)


def check_host(host: object, name: str) -> str:
    """A host must be a string without NUL bytes."""
    return validate_string_without_null_bytes(host, name)


def check_ip(value: object) -> str:
    """``localAddress`` must be an IP literal (``ERR_INVALID_IP_ADDRESS``)."""
    if not isinstance(value, str) or not isIP(value):
        raise make_error("ERR_INVALID_IP_ADDRESS", value)
    return value
