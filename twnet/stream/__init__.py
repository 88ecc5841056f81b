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
    "duplexPair",
    "finished",
    "pipeline",
    "promises",
]
__all__ += module_twins(globals(), ["duplexPair"])

if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
    duplex_pair = duplexPair
    __all__ += [
        "duplex_pair",
    ]
