"""twnet: Node.js's ``net`` module for Python, built on Twisted.

``import twnet as net`` gives the whole ``net`` API at the top level; ``from twnet import net``
gives the same objects, mirroring ``const net = require('net')``. Node's globals that ports
need are at the top level too: the timers (``setTimeout``..., also in :mod:`twnet.timers`),
``AbortController`` / ``AbortSignal``, ``EventTarget`` / ``Event``.
"""

from __future__ import annotations

from twnet import (
    _duplexify,  # noqa: F401  (installs Duplex.from_: twnet._streams.duplex)
    _from,  # noqa: F401  (installs Readable.from_: twnet._streams.readable)
    _readable_aio,  # noqa: F401  (installs async for/with on streams)
)
from twnet import net as net
from twnet import timers as timers
from twnet._abort import AbortController as AbortController
from twnet._abort import AbortSignal as AbortSignal
from twnet._errors import AbortError as AbortError
from twnet._errors import DOMException as DOMException
from twnet._eventtarget import Event as Event
from twnet._eventtarget import EventTarget as EventTarget
from twnet.net import *  # noqa: F403
from twnet.net import __all__ as _net_all
from twnet.timers import *  # noqa: F403
from twnet.timers import __all__ as _timers_all

#: Node's globals (and the ``timers`` module), beyond ``net``.
_globals = [
    "AbortController",
    "AbortError",
    "AbortSignal",
    "DOMException",
    "Event",
    "EventTarget",
    "timers",
    *(name for name in _timers_all if name != "promises"),
]
__all__ = ["net", *_net_all, *_globals]
__version__ = "0.1.0"
