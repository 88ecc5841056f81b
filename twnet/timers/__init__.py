"""Node's ``timers`` module: ``const timers = require('timers')`` is ``from twnet import
timers``; the same names are at the top level of :mod:`twnet`, as Node's globals.

Delays are milliseconds, on any ``IReactorTime`` (keyword ``reactor=``, the global reactor by
default; a ``Clock`` drives them in tests). See :mod:`twnet._timers` for how Node's event-loop
order maps onto a reactor, and :mod:`twnet.timers.promises` for the awaitable forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twnet._naming import module_twins
from twnet._timers import (
    TIMEOUT_MAX,
    Immediate,
    Timeout,
    TimeoutNaNWarning,
    TimeoutNegativeWarning,
    TimeoutOverflowWarning,
    clearImmediate,
    clearInterval,
    clearTimeout,
    setImmediate,
    setInterval,
    setTimeout,
)
from twnet.timers import promises

_camel = [
    "setTimeout",
    "setInterval",
    "setImmediate",
    "clearTimeout",
    "clearInterval",
    "clearImmediate",
]

__all__ = [
    "TIMEOUT_MAX",
    "Immediate",
    "Timeout",
    "TimeoutNaNWarning",
    "TimeoutNegativeWarning",
    "TimeoutOverflowWarning",
    "clearImmediate",
    "clearInterval",
    "clearTimeout",
    "promises",
    "setImmediate",
    "setInterval",
    "setTimeout",
]
__all__ += module_twins(globals(), _camel)

if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
    clear_immediate = clearImmediate
    clear_interval = clearInterval
    clear_timeout = clearTimeout
    set_immediate = setImmediate
    set_interval = setInterval
    set_timeout = setTimeout
    __all__ += [
        "clear_immediate",
        "clear_interval",
        "clear_timeout",
        "set_immediate",
        "set_interval",
        "set_timeout",
    ]
