"""Node's ``stream`` module: ``import twnet.stream as stream`` mirrors
``const stream = require('stream')``.

The classes are the very ones ``net.Socket`` is built on (a Socket is a :class:`Duplex`), public
and subclassable with Node's hooks and signatures; see ``docs/stream.rst``.
``twnet.stream.promises`` holds the awaitable ``pipeline`` and ``finished``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twnet._naming import module_twins
from twnet._pipeline import finished, pipeline
from twnet._stream_utils import (
    addAbortSignal,
    getDefaultHighWaterMark,
    isErrored,
    isReadable,
    setDefaultHighWaterMark,
)
from twnet._streams import Duplex, Readable, Stream, Writable
from twnet._transform import PassThrough, Transform, duplexPair
from twnet.stream import promises

__all__ = [
    "Duplex",
    "PassThrough",
    "Readable",
    "Stream",
    "Transform",
    "Writable",
    "addAbortSignal",
    "duplexPair",
    "finished",
    "getDefaultHighWaterMark",
    "isErrored",
    "isReadable",
    "pipeline",
    "promises",
    "setDefaultHighWaterMark",
]
__all__ += module_twins(
    globals(),
    [
        "addAbortSignal",
        "duplexPair",
        "getDefaultHighWaterMark",
        "isErrored",
        "isReadable",
        "setDefaultHighWaterMark",
    ],
)

if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
    add_abort_signal = addAbortSignal
    duplex_pair = duplexPair
    get_default_high_water_mark = getDefaultHighWaterMark
    is_errored = isErrored
    is_readable = isReadable
    set_default_high_water_mark = setDefaultHighWaterMark
    __all__ += [
        "add_abort_signal",
        "duplex_pair",
        "get_default_high_water_mark",
        "is_errored",
        "is_readable",
        "set_default_high_water_mark",
    ]
