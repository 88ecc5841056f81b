"""Addresses and arguments: Node's argument shifting, port validation, the address dict."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from twnet._errors import invalid_arg_type, make_error
from twnet._isip import isIP

__all__ = [
    "AddressInfo",
    "is_pipe_name",
    "normalize_args",
    "to_number",
    "validate_port",
]


class AddressInfo(dict[str, Any]):
    """Node's address object: a dict (``{'port': 12346, 'family': 'IPv4', 'address':
    '127.0.0.1'}``) that also answers attribute access (``info.port``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def to_number(value: object) -> float | None:
    """Node's ``toNumber``: ``Number(x)`` when it is >= 0, else ``None`` (Node's ``false``)."""
    if isinstance(value, (int, float)):  # bool included, as Number(true) is 1
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text == "":
            number = 0.0
        else:
            try:
                number = (
                    float(int(text, 0)) if text[:2].lower() in ("0x", "0o", "0b") else float(text)
                )
            except ValueError:
                return None
    elif value is None:
        number = 0.0
    else:
        return None
    return number if number >= 0 else None


def is_pipe_name(value: object) -> bool:
    """Node's ``isPipeName``: a string that is not a number."""
    return isinstance(value, str) and to_number(value) is None


def validate_port(port: object, name: str = "Port", allow_zero: bool = True) -> int:
    """Node's ``validatePort``: an integer (or numeric string) 0 <= port < 65536."""
    number: float | None = None
    if isinstance(port, bool):
        number = None
    elif isinstance(port, (int, float)):
        number = float(port)
    elif isinstance(port, str) and port.strip() != "":
        number = to_number(port)
    if (
        number is None
        or math.isnan(number)
        or number != int(number)
        or number > 0xFFFF
        or number < 0
        or (number == 0 and not allow_zero)
    ):
        raise make_error("ERR_SOCKET_BAD_PORT", name, port, allow_zero)
    return int(number)


def normalize_args(args: tuple[Any, ...]) -> tuple[dict[str, Any], Callable[..., Any] | None]:
    """Node's ``normalizeArgs``: ``(options[, cb])``, ``(path[, cb])`` or
    ``([port][, host][, cb])`` -> ``(options, cb)``. Option keys come back in camelCase."""
    from twnet._naming import options as camel_options

    if not args:
        return {}, None
    arg0 = args[0]
    options: dict[str, Any]
    if isinstance(arg0, dict):
        options = camel_options(arg0)
    elif _is_handle_like(arg0):
        options = {"handle": arg0}
    elif is_pipe_name(arg0):
        options = {"path": arg0}
    else:
        options = {"port": arg0}
        if len(args) > 1 and isinstance(args[1], str):
            options["host"] = args[1]
    cb = args[-1]
    return options, (cb if callable(cb) else None)


def _is_handle_like(value: object) -> bool:
    # A Server, a Socket or a Twisted endpoint, passed where Node takes an object.
    return not isinstance(value, (str, int, float, dict, type(None))) and not callable(value)


def check_host(host: object, name: str) -> str:
    """A host must be a string without NUL bytes."""
    if not isinstance(host, str):
        raise invalid_arg_type(name, "string", host)
    if "\0" in host:
        raise make_error("ERR_INVALID_ARG_VALUE", name, host, "must be a string without null bytes")
    return host


def check_ip(value: object) -> str:
    """``localAddress`` must be an IP literal (``ERR_INVALID_IP_ADDRESS``)."""
    if not isinstance(value, str) or not isIP(value):
        raise make_error("ERR_INVALID_IP_ADDRESS", value)
    return value
