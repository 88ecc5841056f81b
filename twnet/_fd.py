"""Node's ``new net.Socket({fd})``: a connected descriptor taken over as a socket's handle."""

from __future__ import annotations

import os
import socket as _pysocket
import stat
from typing import TYPE_CHECKING, Any

from twnet import _runtime
from twnet._errors import make_error, translate_exception
from twnet._tcp_handle import adopt
from twnet._validators import validate_int32

if TYPE_CHECKING:
    from twnet._handle import HandleOwner

__all__ = ["adopt_fd", "guess_handle_type"]


def adopt_fd(owner: HandleOwner, fd: object, reactor: Any) -> None:
    """Node's ``createHandle(fd)``: an int32 >= 0 naming a TCP or UNIX stream socket
    (``ERR_INVALID_FD_TYPE`` with libuv's name of anything else: FILE, UDP, TTY,
    UNKNOWN for a closed descriptor)."""
    number = validate_int32(fd, "fd", 0)
    kind = guess_handle_type(number)
    if kind not in ("TCP", "PIPE"):
        raise make_error("ERR_INVALID_FD_TYPE", kind)
    copy = os.dup(number)
    try:
        probe = _pysocket.socket(fileno=copy)
    except OSError as error:  # a FIFO: libuv opens it, Twisted adopts only sockets
        os.close(copy)
        raise translate_exception(error, "open") from error
    try:
        family = probe.family
        probe.setblocking(False)
        _runtime.hold(owner)
        adopt(reactor, probe.fileno(), family, owner)
    finally:
        probe.close()


def guess_handle_type(fd: int) -> str:
    """libuv's ``uv_guess_handle`` as Node names it: TCP, PIPE (a UNIX stream socket or a
    FIFO), UDP, TTY, FILE or UNKNOWN (a closed descriptor, anything else)."""
    try:
        mode = os.fstat(fd).st_mode
    except (OSError, OverflowError):
        return "UNKNOWN"
    if os.isatty(fd):
        return "TTY"
    if stat.S_ISREG(mode) or stat.S_ISCHR(mode):
        return "FILE"
    if stat.S_ISFIFO(mode):
        return "PIPE"
    if not stat.S_ISSOCK(mode):
        return "UNKNOWN"
    copy = os.dup(fd)
    try:
        with _pysocket.socket(fileno=copy) as probe:
            family, kind = probe.family, probe.type
    except OSError:
        os.close(copy)
        return "UNKNOWN"
    inet = family in (_pysocket.AF_INET, _pysocket.AF_INET6)
    if kind == _pysocket.SOCK_STREAM:
        return "TCP" if inet else "PIPE" if family == _pysocket.AF_UNIX else "UNKNOWN"
    return "UDP" if kind == _pysocket.SOCK_DGRAM and inet else "UNKNOWN"
