"""The old home of the stream state machines, now the package :mod:`twnet._streams`.

Kept so that ``from twnet._stream import Duplex`` (tests, benchmarks, code written before the
split) goes on working; twnet's own modules import from :mod:`twnet._streams`.
"""

from twnet._streams import (
    DEFAULT_HIGH_WATER_MARK,
    DEFAULT_OBJECT_HIGH_WATER_MARK,
    Callback,
    Completion,
    Duplex,
    Readable,
    Stream,
    Writable,
)

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
