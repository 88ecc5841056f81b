"""Type of Service: ``IP_TOS`` on an IPv4 socket, ``IPV6_TCLASS`` on an IPv6 one (dual-stack
sockets too, as libuv chooses by the socket's own family). No Twisted here: these work on the
Python socket a Twisted transport's ``getHandle()`` returns."""

from __future__ import annotations

import math
import socket as _pysocket
from typing import Any

from twnet._errors import invalid_arg_type, system_error
from twnet._validators import validate_int32

__all__ = ["read_tos", "validate_tos", "write_tos"]


def validate_tos(value: object, name: str) -> int:
    """Node's checks of a TOS value: a number (NaN refused as a wrong type), an integer,
    0..255."""
    if isinstance(value, float) and math.isnan(value):
        raise invalid_arg_type(name, "number", value)
    return validate_int32(value, name, 0, 255)


def _level(handle: Any) -> tuple[int, int] | None:
    """``(level, option)`` for the socket, or None when it has no TOS (a UNIX socket)."""
    family = getattr(handle, "family", None)
    if family == _pysocket.AF_INET:
        return _pysocket.IPPROTO_IP, _pysocket.IP_TOS
    if family == _pysocket.AF_INET6:
        return _pysocket.IPPROTO_IPV6, _pysocket.IPV6_TCLASS
    return None


def write_tos(handle: Any, tos: int) -> BaseException | None:
    """Set the TOS / traffic class of *handle*; the error (``syscall='setTypeOfService'``)
    if the system refuses. A socket without TOS is left alone (no error)."""
    where = _level(handle)
    if where is None:
        return None
    try:
        handle.setsockopt(where[0], where[1], tos)
    except OSError as error:
        return system_error(error.errno or 0, "setTypeOfService")
    return None


def read_tos(handle: Any) -> int | None:
    """The TOS / traffic class of *handle*, None for a socket without TOS; raises Node's
    error (``syscall='getTypeOfService'``) if the system refuses."""
    where = _level(handle)
    if where is None:
        return None
    try:
        return int(handle.getsockopt(where[0], where[1]))
    except OSError as error:
        raise system_error(error.errno or 0, "getTypeOfService") from error
